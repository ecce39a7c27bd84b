## 撰写联署。

organise-new-link = 发起新联署
organise-tab-edit = 编辑
new-campaign-heading = 发起新联署
new-campaign-intro = 新联署会先以草稿形式创建，只有发起人可以看到。请先撰写正文，再开放接受联署。
new-campaign-slug = 网址
new-campaign-slug-hint = 联署网址的末尾部分，即 /c/…：只能使用小写字母 a–z、数字和连字符，例如 free-cai-guangye。创建后不能更改。
new-campaign-lang = 首先撰写的语言
new-campaign-button = 创建草稿
form-error-slug = 请填写 1 至 80 个字符，仅限小写字母 a–z、数字和连字符；连字符只能用在中间，且不能连用。
form-error-slug-taken = 已有另一个联署使用此网址，请另选一个。
form-error-lang = 请选择语言。
edit-saved = 已保存。
edit-versions-heading = 语言版本
edit-add-version = 添加语言版本
edit-add-version-button = 添加
edit-settings-heading = 设置
edit-contact-name = 联系人
edit-contact-email = 联系电子邮件地址
edit-contact-email-hint = 将显示在联署页面上：请使用团体的电子邮件地址，不要使用私人地址。
edit-goal = 签名目标
edit-dated = 呼吁日期
edit-opens-on = 开始日期
edit-dates-hint = 两个日期均为选填；联署处于“正在接受联署”状态时，只在这两个日期之间接受签名。
edit-closes-on = 结束日期
edit-default-lang = 默认语言
edit-save = 保存设置
form-error-signature-goal = 请填写大于 0 的整数，或者留空。
form-error-dated = 请填写日期，例如 2004-02-10，或者留空。
form-error-opens-on = 请填写日期，例如 2004-02-10，或者留空。
form-error-closes-on = 请填写开始日期之后的日期，或者留空。
form-error-default-lang = 请从本联署的语言版本中选择一个。
edit-embed-sites = 可以嵌入这个联署的网站
edit-embed-sites-hint = 可以用框架显示这个联署及其签名表单的网站（即“概览”页上的代码），每行一个，填写其 https 网址，不含路径，例如 https://union.example.org；https://*.union.example.org 代表其所有子域名；* 代表任何网站。留空则任何网站都不可以。
form-error-embed-sites = 请每行填写一个网站，即不含路径的 https 网址，例如 https://union.example.org，或以 * 代表任何网站（最多 50 个）。

## 语言版本。

# $language：该版本的语言，以自身文字写出。
version-heading = { $language }版本
version-new-note = 这是新版本：保存后才会添加。
version-history-note = 已经有人签署本联署：保存时，他们所签署的正文会保留在公开的“历史版本”页面上。
version-title = 标题
version-summary = 摘要
version-target = 致
version-target-hint = 这份呼吁的致送对象，用此语言写出。
version-body = 呼吁正文
version-body-hint = 使用 Markdown 格式：段落之间空一行，## 表示小标题，**粗体**、*斜体*、[链接](https://example.org)。
version-demands = 要求（按顺序排列）
# $number：该项要求在列表中的序号。
version-demand-label = 第 { $number } 项要求
version-up = 将第 { $number } 项要求上移
version-down = 将第 { $number } 项要求下移
version-remove = 删除第 { $number } 项要求
version-add-demand = 添加要求
version-save = 保存
version-preview = 预览
version-preview-heading = 预览
form-error-title = 请填写标题（1 至 200 个字）。
form-error-summary = 摘要最多只能填写 1,000 个字。
form-error-target = “致”一栏最多只能填写 300 个字。
form-error-body = 正文最多只能填写 100,000 个字。
form-error-demands = 每项要求最多只能填写 2,000 个字，且最多只能有 30 项。

## 联署状态。

status-current = 状态：
status-to-open = 开始接受联署
status-to-closed = 结束联署
status-to-won = 宣布成功
status-error-unknown = 没有这个状态。
status-error-move = 联署只能从“草稿”转为“正在接受联署”，再转为“已结束”或“已成功”，不能这样转换状态。
status-error-incomplete = 每个语言版本都须有标题、正文和至少一项要求，联署才能开始接受签名。

## 联署正文的公开修改记录。

history-heading = 正文的历史版本
history-intro = 有人签署后，本联署的正文曾经修改。以下是每次修改前的正文。
# $date：正文被替换的日期；$language：正文的语言。
history-replaced = { $language }版本，使用至{ $date }
history-none = 自第一个签名以来，正文从未修改。
history-link = 正文的历史版本

## 概览数字与递交文件。

# $count：等待签名者确认的签名数目。
dashboard-pending = { $count } 个签名等待签名者确认
dashboard-chart-heading = 每日签名数目
dashboard-chart-table = 以表格显示相同数字
dashboard-day-column = 日期
dashboard-by-language = 各语言版本的签名数目
dashboard-language-column = 语言
# $language：版本的语言，以该语言写出。
dashboard-delivery = { $language }递交文件（供打印）
delivery-print-hint = 要递交这份文件，请用浏览器的打印功能打印，或保存为 PDF。
delivery-totals-heading = 签名
# $date：制作文件的日期。
delivery-generated = 统计日期：{ $date }。
# $count：选择不公开姓名的签名者人数。
delivery-unlisted = 另有 { $count } 位签名者选择不公开姓名。
# $date：签名者个人数据被匿名化的日期。
dashboard-retention-on = 签名者的个人数据将于 { $date } 匿名化（数目、国家或地区及公开显示的名字会保留）。
# $days：保存期。
dashboard-retention-rule = 联署结束 { $days } 天后，签名者的个人数据会被匿名化。
