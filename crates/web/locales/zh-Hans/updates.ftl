## 最新消息。

organise-tab-updates = 最新消息
updates-heading = 最新消息
updates-feed-link = 以订阅源（Atom）接收最新消息
# $campaign：联署的标题。
updates-feed-title = 最新消息：{ $campaign }
updates-site-feed-title = 所有联署的最新消息
updates-post-heading = 发布最新消息
# $language：版本的语言，以该语言写出。
updates-version = { $language }
updates-text = 正文（Markdown）
updates-mail = 同时以电子邮件发送给所有想收到消息的签名者（各以其签名时所用的语言）
updates-post-button = 发布
updates-past-heading = 已发布的消息
updates-none = 暂时没有消息。
form-error-update-title = 请填写标题：1 至 200 个字。
form-error-update-body = 请填写正文：最多 20,000 个字。
unsubscribe-heading = 停止接收本联署的消息
unsubscribe-text = 按下按钮后，你将不再以电子邮件收到本联署的最新消息。你的签名会保留。
unsubscribe-button = 停止接收
unsubscribed-heading = 你将不再收到本联署的消息
unsubscribed-text = 你的签名仍然计算在内。
# $title：联署的标题。
mail-update-intro = 你签署的联署“{ $title }”有最新消息：
mail-update-unsubscribe = 如不想再收到本联署的消息：

## 管理自己的签名。

manage-link = 已经签名？管理你的签名
manage-heading = 管理你的签名
manage-intro = 请填写你签名时所用的电子邮件地址：我们会发送一个链接，让你查看、修改、下载或撤回你的签名。
manage-send = 把链接发给我
manage-sent-heading = 请查看你的电子邮件
manage-sent-text = 如果这个地址曾经签署本联署，管理签名的链接已经发出。
manage-held-heading = 我们保存的签名数据
manage-signed-on = 签名日期
manage-download = 下载全部数据（JSON）
manage-choices-heading = 你的选择
manage-save = 保存我的选择
# $title：联署的标题。
mail-manage-subject = 管理你的签名：{ $title }
mail-manage-intro = 你要求管理你对“{ $title }”的签名。这个链接会显示我们保存的数据，让你修改、下载或撤回：
mail-manage-not-you = 如果这不是你的要求，请忽略这封邮件：什么都不会改变。

## 对方的回应，以及胜利。

organise-tab-response = 回应
response-intro = 记录联署对象的回应。回应会在联署页面上显眼地展示。
response-text = 回应原文
response-date = 回应日期
response-link = 回应全文所在的网址
response-save = 保存回应
response-remove = 删除回应
response-heading = 回应
# $target：联署的对象。
response-from = { $target }的回应
response-read-more = 阅读回应全文
form-error-response-text = 请填写回应：1 至 10,000 个字。
form-error-responded-on = 请填写日期，例如 2004-03-01，或留空。
form-error-link = 请填写以 https:// 或 http:// 开头的网址，或留空。
won-update-title = 我们胜利了
# $title：联署的标题。
won-update-body = 联署“{ $title }”已经达成目标。感谢你的签名和转发。
