## 表单通用文字。

form-optional = （选填）
form-country-choose = 请选择…
# 访客看不到的字段的标签；只有自动程序才会填写。
form-honeypot = 请勿填写此项
form-alert-check = 请检查下面标出的字段。表单尚未提交，你填写的内容已保留。
form-error-csrf = 此表单已过期，因此未提交任何内容。你填写的内容已保留，请重新提交。
form-error-elsewhere = 此表单是从其他网站提交的，因此未提交任何内容。你填写的内容已保留：请检查后在这里提交。
form-error-name = 请填写你的姓名（1 至 200 个字，不含看不见的字符）。
form-error-email = 请填写电子邮件地址，例如 name@example.org（最多 254 个字符）。
form-error-country = 请从列表中选择国家或地区。
form-error-city = 城市最多只能填写 100 个字。
form-error-affiliation = 所属组织或身份最多只能填写 200 个字。
form-error-comment = 联署原因最多只能填写 1,000 个字。
form-error-display = 请选择你的名字如何显示。
form-error-organisation = 请填写团体名称（1 至 200 个字，不含看不见的字符）。
form-error-org-type = 请选择团体类型。
form-error-website = 请填写以 https:// 或 http:// 开头的网址，或者留空。
form-error-contact-name = 请填写联系人姓名（1 至 200 个字，不含看不见的字符）。
form-error-contact-email = 请填写电子邮件地址，例如 office@example.org（最多 254 个字符）。
form-error-statement = 声明最多只能填写 2,000 个字。

## 联署活动页面上的联署表单。

sign-jump = 参与本联署
sign-heading = 加入联署
sign-name = 姓名
sign-email = 电子邮件地址
sign-email-hint = 我们会发送确认链接，请你确认签名。你的电子邮件地址绝不会公开。
sign-country = 国家或地区
sign-city = 城市
sign-affiliation = 所属组织或身份
sign-affiliation-hint = 例如“码头工人工会会员”。
sign-comment = 联署原因
sign-comment-hint = 只有组织者可以阅读。最多 1,000 字。
sign-display = 在公开的联署名单上
sign-display-full = 显示我的全名
sign-display-first-initial = 只显示部分姓名（例如“陈○○”）
sign-display-hidden = 不显示我的名字，只计入我的签名
sign-opt-in = 我愿意接收发起人发送的本联署最新消息（可随时取消订阅）。
sign-privacy = 你须通过我们发送的电子邮件确认后，签名才会计入。我们不会存储你的 IP 地址：只会以当天的密钥算出其哈希值，保存几天用于防止滥用，之后连同该密钥一并删除，任何人都无法再追溯到你。
sign-button = 联署
sign-closed = 本联署目前不接受签名。
sign-error-closed = 本联署目前不接受签名，因此未提交任何内容。
sign-error-rate-limit = 过去一小时内，从你的网络连接提交的签名过多，因此这次未能提交。你填写的内容已保留，请稍后再试。
endorse-link = 以团体名义参与联署

## 数字统计。

# $count：在线上和线下联署的人数。
counts-individuals = { $count ->
   *[other] 人已联署
}
counts-organisations = 共有 { $count } 个团体参与联署。
counts-progress-label = 目标进度
# $percent：0 至 100 的数字；$goal：签名目标数，已按格式写出。
counts-goal = { $count ->
   *[other] 已达 { $goal } 个签名目标的 { $percent }%
}
latest-heading = 最新联署人
signatures-link = 查看所有联署人
endorsement-offline = （线下收集）

## 签名名单。

# $campaign：联署的标题。
signatures-title = 签名名单：{ $campaign }
signatures-heading = 联署名单
signatures-individuals-heading = 个人
signatures-none = 目前名单上还没有人。
signatures-hidden-note = 选择不公开名字的联署人会计入总数，但不会列在名单上。
signatures-older = 较早的签名
signatures-by-country = 按国家或地区统计的签名
signatures-country-column = 国家或地区
signatures-count-column = 签名数

## 签名之后，以及邮件中的链接。

back-to-campaign = 返回联署页面
check-email-heading = 请查收电子邮件
check-email-text = 我们已向你提供的地址发送了一封邮件。请打开邮件中的链接进行确认，确认后你的签名才会计入。
check-email-missing = 几分钟后仍未收到？请查看垃圾邮件文件夹，或用同一地址再签一次，我们会重新发送链接。
thanks-heading = 谢谢你！你的签名已经计入
thanks-text = 你的签名已加入本联署。
withdrawn-heading = 你的签名已撤回
withdrawn-text = 你的签名以及我们保存的所有相关信息（你的姓名、电子邮件地址等）都已删除。
link-invalid-heading = 此链接无效
link-invalid-text = 链接可能不完整（请检查是否完整复制），或者相关的签名已经撤回。
link-expired-heading = 此链接已过期
link-expired-text = 我们邮件中的链接只在有限时间内有效。请在联署页面用同一地址再签一次，以获取新链接。
confirm-heading = 确认你的签名
confirm-text = 请点击下面的按钮，确认你参与本联署。
confirm-button = 确认我的签名
confirm-published-heading = 你确认的内容
confirm-listed-as = 你在联署名单上的名字
confirm-not-listed = 不列出：你的签名只会计入人数。
confirm-news = 以电子邮件接收本联署的消息
confirm-news-yes = 是
confirm-news-no = 否
confirm-not-yours = 这不是你的选择？那就不要确认：请用你的选择再签一次（以你的地址最后一次签署为准），然后再打开这个链接。
confirm-changed = 你打开此页后，有人再以这个地址签署，所以没有确认任何内容。请核对现在将会公开的资料，然后再确认。
withdraw-heading = 撤回你的签名
withdraw-text = 请点击下面的按钮，从本联署撤回你的签名。你的姓名、电子邮件地址，以及我们保存的与此签名有关的所有信息，都将被删除。你在本联署发表的留言会保留，但不再附有你的地址。
withdraw-button = 撤回我的签名

## 以团体名义联署。

endorse-heading = 以团体名义联署
endorse-intro = 工会、协会、媒体及其他团体均可参与本联署。我们会发邮件给联系人进行确认，发起人也会逐一审核每个团体联署，审核通过后才会公开列出。
endorse-organisation = 团体名称
endorse-org-type = 团体类型
org-type-trade-union-long = 工会
org-type-ngo-long = 非政府组织（NGO）
org-type-media-long = 媒体
org-type-other-long = 其他团体
endorse-country = 国家或地区
endorse-country-hint = 团体将列在此国家或地区之下。
endorse-website = 网站
endorse-website-hint = 以 https:// 开头
endorse-contact-name = 联系人
endorse-contact-email = 联系人电子邮件地址
endorse-contact-email-hint = 我们会发送链接以确认团体联署。此地址绝不会公开。
endorse-statement = 声明
endorse-statement-hint = 团体的简短声明，最多 2,000 字。
endorse-button = 提交团体联署
endorse-confirm-heading = 确认贵团体的联署
# $organisation：团体名称。
endorse-confirm-text = 请点击下面的按钮，确认“{ $organisation }”参与本联署。
endorse-confirm-button = 确认团体联署
endorse-confirmed-heading = 谢谢！团体联署已确认
endorse-confirmed-text = 发起人会逐一审核每个团体联署；审核通过后，贵团体便会列在联署页面上。

## 邮件。

# $name：联署人自己填写的姓名。
mail-greeting = { $name }，你好：
# $title：联署的标题。
mail-confirm-signature-subject = 请确认你的签名：{ $title }
mail-confirm-signature-intro = 你（或有人使用你的电子邮件地址）联署了“{ $title }”。
mail-confirm-signature-action = 请打开以下链接并点击“确认我的签名”，你的签名才会计入：
mail-confirm-signature-button = 确认我的签名
# $date：链接失效的日期。
mail-link-expires = 此链接有效期至{ $date }。
mail-not-you = 如果这不是你本人的操作，请忽略此邮件：我们不会公开任何内容，签名也不会计入。
mail-not-you-already-signed = 如果你没有再次申请联署，无需做任何事：你的签名保持不变，仍然计入。
mail-not-you-endorsement = 如果这不是你本人的操作，请忽略此邮件：此团体联署不会公开列出。
mail-not-you-comment = 如果这不是你本人的操作，请忽略此邮件：留言不会公开。
mail-withdraw-note = 你可以随时撤回签名，并删除我们保存的相关信息：
mail-already-signed-subject = 你已经联署过：{ $title }
mail-already-signed-intro = 有人用你的电子邮件地址申请联署“{ $title }”。你此前已经联署，签名已经计入，因此没有任何改变。
# $organisation：团体名称。
mail-confirm-endorsement-subject = 请确认“{ $organisation }”的团体联署
mail-confirm-endorsement-intro = 你（或有人使用你的电子邮件地址）申请以“{ $organisation }”的名义联署“{ $title }”。
mail-confirm-endorsement-action = 请打开以下链接并点击“确认团体联署”，以确认此团体联署：
mail-confirm-endorsement-button = 确认团体联署
mail-confirm-endorsement-review = 发起人会逐一审核每个团体联署，审核通过后才会公开列出。

# Next to the optional fields of the sign form (city, affiliation, comment).
sign-private-note = 只有本联署的组织者可以阅读你的城市、所属组织或身份及联署原因：这些内容永远不会显示在公开的签名名单上。
# On the confirmation and manage pages, when the private fields are sealed to the organisers' own keys.
private-sealed-note = 你的其他回答（城市、所属组织或身份、联署原因，以及你选择不完整显示时的全名）已用组织者自己的密钥加密：只有他们能够阅读，本网站也无法阅读，因此不在此显示。
# Heading of the private fields on the confirmation page.
private-fields-heading = 只有组织者可以阅读
# A mail's greeting when the name is not known (it is sealed to the organisers).
mail-greeting-anonymous = 你好：
