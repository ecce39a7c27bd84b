## 公众提议（议题 15）：表单、提议人的私人页面、附议、公开的被拒提议列表、审核员的队列与网站设置。

propose-heading = 发起联署
propose-intro = 任何人都可以在这里提议一份联署。有足够的人支持、并经审核员审核后，它才会公开。
propose-step-write = 写下你的联署：你要求什么、向谁要求、为什么。
propose-step-confirm = 在我们寄给你的邮件中确认你的电子邮件地址。邮件里有通往你的提议的私人链接：请保存好。
propose-step-sponsors = 把附议链接转给别人：最早的支持者附议这份提议，每人都要通过电子邮件确认。他们的签名就是联署的第一批签名。
propose-step-moderation = 附议人数足够后，审核员会公开它，或者拒绝并公开拒绝的理由。
propose-lang = 你撰写所用的语言
propose-title-hint = 用一句短话说明你的要求。
propose-summary-hint = 一两句话，显示在标题下方，分享联署时也会显示。
propose-target-hint = 联署的对象：能够做到你所要求之事的个人、机构或组织。
propose-body-hint = 为什么这件事重要。使用 Markdown：段落之间空一行。
propose-demands-hint = 每行一项诉求，按顺序排列。公开时会自动编号。
propose-you = 关于你
propose-name-hint = 在联署上显示为发起人。
propose-email-hint = 我们会把你的私人链接寄到这里。你的地址永远不会公开。
propose-privacy = 我们保存你的姓名和地址，只为告诉你提议的进展；你的地址永远不会公开，审核员只看到你的姓名。
propose-button = 提交联署提议
propose-sent-text = 我们已向你提供的地址发送了一封邮件。打开其中的链接以确认你的提议，并取得转给附议人的链接。

proposal-private-heading = 你的提议
proposal-private-keep = 这个页面只属于你：在有人附议之前，任何知道这个地址的人都可以修改你的提议。请不要分享它；请分享附议链接。
proposal-state-unconfirmed = 等待你确认电子邮件地址
proposal-state-gathering = 正在征集附议
proposal-state-moderation = 等待审核员审核
proposal-state-published = 已公开
proposal-state-rejected = 已被拒绝
proposal-confirm-text = 请确认这是你的地址，以开始征集附议。
proposal-confirm-button = 确认我的提议
proposal-sponsors = 已有 { $count } 位附议人确认，共需 { $needed } 位
proposal-sponsors-label = 目前的附议人数
proposal-sponsor-link-heading = 你的附议链接
proposal-sponsor-link-text = 把这个链接发给支持你的联署的人。当其中 { $needed } 人通过电子邮件确认后，审核员就会审核。
proposal-sponsor-link-label = 附议链接
proposal-published-text = 你的联署已公开，你是它的负责人。我们已通过电子邮件寄给你设置密码的链接，以便管理联署。
proposal-published-link = 查看联署
proposal-login-link = 登录以管理联署
proposal-rejected-text = 审核员拒绝了你的提议，理由如下：
proposal-edit-heading = 修改你的提议
proposal-edit-note = 在第一位附议人签名之前，你都可以修改；此后，它会保持附议人所读到的样子。
proposal-save-button = 保存修改
proposal-frozen = 已有附议人签署这份文本，因此不能再修改。

sponsor-heading = 征集附议的提议
sponsor-notice = { $proposer } 提议了这份联署，并请你附议。它尚未公开：附议人数足够并确认后，审核员会进行审核。
sponsor-in-moderation = 它已有足够的附议人，正在等待审核员审核；你仍然可以加上你的名字。
sponsor-button = 附议这份联署
sponsor-explained = 附议就是签名：联署公开时，你的签名就在第一批之中。
sponsor-check-email = 我们已向你提供的地址发送了一封邮件。打开其中的链接以确认：确认后你才算作附议人。
sponsor-decided-heading = 这份提议已有决定
sponsor-published = 审核员已将它公开：它现在是一份联署，你可以在它的页面上签名。
sponsor-published-link = 前往联署
sponsor-rejected = 审核员拒绝了它，因此不再接受附议。理由：
sponsor-thanks-heading = 感谢你的附议
sponsor-thanks-text = 你已确认。目前已有 { $count } 位附议人，共需 { $needed } 位。审核员作出决定后，我们会通过电子邮件通知你。

rejection-duplicate = 已经有关于此事的联署。
rejection-not-actionable = 它要求的事情超出了联署对象的能力范围。
rejection-offensive = 它具有冒犯性、诽谤性，或因其他原因不能公开。
rejection-personal-data = 它包含他人的个人资料。
rejection-other = 其他理由，见审核员的说明。

rejected-heading = 被拒绝的提议
rejected-intro = 审核员没有公开的提议及其理由。因冒犯性或包含个人资料而被拒绝的提议不会列出。
rejected-reason = 理由：
rejected-none = 没有被拒绝的提议。

proposals-heading = 提议
proposals-intro = 来自公众的提议。当 { $needed } 位附议人确认后，提议会等待审核员审核；你也可以提早决定。
proposals-public-link = 公开的被拒提议列表
proposals-by = 由 { $name } 提议
proposals-read = 阅读及编辑草稿
proposals-publish = 公开
proposals-reason = 拒绝的理由
proposals-reason-hidden = （不公开列出）
proposals-note = 说明
proposals-note-hint = 与理由一同公开，除非该理由不公开列出。选择“重复”（请注明是哪份联署）和“其他理由”时必须填写。
proposals-reject = 拒绝
proposals-delete = 永久删除
proposals-none = 没有等待处理的提议。
proposals-rejected-heading = 已被拒绝

site-settings-heading = 网站设置
site-settings-who = 谁可以发起联署
site-settings-who-admins = 只有管理员
site-settings-who-organisers = 任何有账户的组织者
site-settings-who-anyone = 任何人：公众提议、附议人支持、审核员决定
site-settings-sponsors = 提议所需的附议人数
site-settings-sponsors-hint = 审核员看到提议之前，必须有多少人确认支持（0 至 1000）。
site-settings-save = 保存设置

form-error-who-starts = 请选择谁可以发起联署。
form-error-sponsors-needed = 请输入 0 至 1000 之间的整数。
form-error-reason = 请选择一个理由。
form-error-note = 请填写说明（最多 2,000 个字符）：这个理由需要说明。

organise-proposals-link = 提议
organise-settings-link = 网站设置
home-propose-link = 发起联署
home-rejected-link = 被拒绝的提议

mail-confirm-proposal-subject = 请确认你的提议：{ $title }
mail-confirm-proposal-intro = 你（或使用你的地址的人）提议了联署“{ $title }”。
mail-confirm-proposal-action = 要确认提议并取得转给附议人的链接，请打开这个链接并按“确认我的提议”：
mail-confirm-proposal-button = 确认我的提议
mail-confirm-proposal-keep = 请保存这封邮件：这个链接是你回到提议、修改和跟进它的私人途径，有效期至 { $date }。
mail-confirm-proposal-not-you = 如果这不是你，请忽略这封邮件：不会有任何内容被公开。
mail-proposal-published-subject = 已公开：{ $title }
mail-proposal-rejected-subject = 未获公开：{ $title }
mail-proposal-published-proposer = 审核员已公开你的联署“{ $title }”。你是它的负责人。
mail-proposal-published-sponsor = 你附议的联署“{ $title }”已经公开。你的签名是它的第一批签名之一。
mail-proposal-set-password = 要管理联署（查看签名、向签名者发布最新消息），请为你的账户设置密码：
mail-proposal-login = 登录以管理联署：
mail-proposal-rejected-proposer = 审核员没有公开你的提议“{ $title }”。理由：
mail-proposal-rejected-sponsor = 你附议的提议“{ $title }”没有公开。理由：

## 门槛：联署页面显示的内容、设定门槛的表单、寄给团队的邮件。
threshold-next = 下一个门槛：{ $number } 个签名。
threshold-progress-label = 距离下一个门槛
thresholds-reached-label = 已达到的门槛
threshold-reached = 于以下日期达到 { $number }：
organise-tab-thresholds = 门槛
thresholds-intro = 当签名人数达到一个门槛时，联署页面会显示并注明日期，Webhook 会收到通知，联署团队也会收到电子邮件。
thresholds-site = 网站的门槛，适用于每一个联署：
thresholds-save = 保存门槛
thresholds-legend = 门槛
thresholds-hint = 每行一个：签名人数、冒号、达到时会发生什么。例如“10,000：请愿对象须作出回应”。
thresholds-in = { $language }
form-error-thresholds-en = 每行写一个门槛：大于 0 的整数、冒号，然后是它的意义（每个数字只能出现一次，最多 20 个）。
form-error-thresholds-zh-Hans = { form-error-thresholds-en }
form-error-thresholds-zh-Hant = { form-error-thresholds-en }

## 首页的列表与搜索，以及存档。
home-search-label = 搜索联署
home-search-button = 搜索
home-sort-label = 排序
home-sort-active = 今天最多人签署
home-sort-newest = 最新
home-sort-closing = 即将截止
home-count = { $count ->
   *[other] { $number } 个签名
}
home-closes = 于 { $date } 截止
home-no-match = 没有联署包含所有这些字词。请试试少一些或其他字词。
home-pages-label = 页码
home-previous = 上一页
home-next = 下一页
home-page = 第 { $page } 页，共 { $pages } 页
home-archive-link = 存档：已结束或已成功的联署
archive-heading = 存档
archive-empty = 还没有结束的联署。
archive-back = 进行中的联署

## 管理员以公开理由撤下联署。
organise-tab-takedown = 撤下
takedown-heading = 撤下这个联署
takedown-intro = 作为管理员，你可以撤下这个联署：它的页面会显示已被撤下及你的理由，所有签名者都会收到电子邮件通知。签名会保留至保存期结束，负责人也可以重新发布。
takedown-reason = 公开理由
takedown-reason-hint = 会显示在联署的网址上，并寄给签名者。
takedown-button = 撤下
takedown-not-public = 这个联署并未公开：没有可以撤下的内容。
takedown-public-heading = 这个联署已被撤下
takedown-public-text = 网站管理员于 { $date } 撤下了它。理由如下：
form-error-takedown-reason = 请填写理由（最多 2,000 个字符）。
mail-taken-down-subject = 已撤下：{ $title }
mail-taken-down-intro = 你签署的联署“{ $title }”已被网站管理员撤下。理由如下：
mail-taken-down-signature = 你的签名会保留至联署的保存期结束。若要现在撤回签名，并删除我们保存的相关资料：

## 组织者会收到的通知：设置与邮件。
notices-link = 你的邮件与通知
notices-heading = 你的邮件与通知
notices-intro = 关于你组织的联署，我们会寄哪些邮件到 { $email }，以及使用哪种语言。
notices-lang = 邮件的语言
notices-lang-site = 网站的语言
notices-kind-endorsement = 有团体联署等待批准
notices-kind-comment = 有留言被举报
notices-kind-proposal = 有提议等待审核
notices-kind-threshold = 联署达到门槛
notices-kind-trend = 签名情况异常（某个域名或网络签名速度过快）
notices-mode-now = 立即寄给我
notices-mode-digest = 每天一封汇总邮件
notices-mode-off = 不要寄给我
notices-save = 保存
form-error-notice-endorsement = 请选择何时通知你。
form-error-notice-comment = 请选择何时通知你。
form-error-notice-proposal = 请选择何时通知你。
form-error-notice-threshold = 请选择何时通知你。
form-error-notice-trend = 请选择何时通知你。
mail-notice-endorsement = { $organisation } 的团体联署正在等待批准：“{ $title }”。
mail-notice-comment = { $name } 在“{ $title }”的留言被举报了。
mail-notice-proposal = 提议“{ $title }”已有足够附议人，正在等待审核。
mail-notice-threshold = “{ $title }”已达到 { $count } 个签名。
mail-notice-trend = “{ $title }”的签名情况异常：某个电子邮件域名或网络的签名速度异常地快。
mail-notice-settings = 要选择我们寄给你的邮件及时间：
mail-digest-subject = { $count ->
   *[other] 有 { $count } 件事等待你处理
}
mail-digest-intro = { $count ->
   *[other] 自上一封汇总邮件以来，共有 { $count } 件事：
}
