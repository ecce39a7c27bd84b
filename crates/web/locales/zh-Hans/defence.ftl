# 防机器人：“遭受攻击”模式、工作量证明、封锁列表、异常签名提醒。

sign-error-pow-wrong = 确认是真人签名的检查未通过。请重新提交表单。
sign-error-pow-forged = 这项检查不是本网站发出的。请重新加载页面后再提交表单。
sign-error-pow-expired = 确认是真人签名的检查已过期（页面打开太久）。请重新提交表单。
sign-error-pow-replayed = 这项检查已用于另一个签名。请重新提交表单以获得新的检查。
sign-error-unsolved = 目前未经检查的签名太多：请在 { $minutes } 分钟后再试，或开启 JavaScript 后再试。

pow-working = 正在确认是真人签名（您的浏览器做一个小运算，任何内容都不会离开浏览器）…
pow-waiting = 检查即将完成：完成后会自动提交您的签名…
pow-done = 检查完成。
pow-failed = 此浏览器无法运行检查；签名将在没有检查的情况下提交。
pow-progress = 检查进度

organise-tab-defence = 防机器人
organise-defence-link = 防机器人
defence-heading = 防机器人
defence-intro = 当有机器人为此活动签名时，请开启“遭受攻击”模式：每个签名都需要由签名者的浏览器完成一个小的工作量证明（不依赖第三方，也无需人工解题）。没有 JavaScript 的人仍然可以签名，但速度受到限制。下面的列表可以阻止来自您指定的电子邮件域名和网络的签名。
defence-intro-site = 全站的“遭受攻击”模式和封锁列表适用于所有活动，此外每个活动还有自己的设置。
defence-mode-heading = “遭受攻击”模式
defence-mode-on = 自 { $since } 起开启。
defence-mode-site-on = 已对整个网站开启（由运营者开启）。
defence-mode-off = 关闭：签名不需要工作量证明。
defence-why-hand = 手动开启
defence-why-rate = 自动开启：两分钟内来自 { $addresses } 个不同网络的 { $signatures } 个签名。安静 { $quiet } 分钟后自动关闭，也可手动关闭。
defence-turn-on = 开启“遭受攻击”模式
defence-turn-off = 关闭“遭受攻击”模式
defence-mode-explain = 在此模式下，每个签名都需要签名者的浏览器完成工作量证明；没有证明的签名（未开启 JavaScript）按更严格的速率接受。
defence-manage-link = 防机器人：封锁列表和提醒
defence-alerts-heading = 异常快速的签名（最近 24 小时）
defence-alert-domain = 自 { $hour } 起的一小时内，来自 { $domain } 地址的 { $count } 个签名
defence-alert-ip = 自 { $hour } 起的一小时内，来自 IP 哈希 { $hash } 的 { $count } 个签名
defence-alert-mailed = 已通知组织者
defence-blocks-heading = 封锁列表
defence-blocks-intro = 来自被封锁的域名、网络或 IP 哈希的签名会得到与其他签名相同的回复（“请查看您的电子邮件”），但不会被保存、计数或发送邮件。
defence-blocked-domains = 封锁的电子邮件域名
defence-blocked-domains-hint = 每行一个，例如 example.org：其子域名也会被封锁。
defence-blocked-ip-ranges = 封锁的 IP 范围
defence-blocked-ip-ranges-hint = 每行一个，例如 203.0.113.0/24、2001:db8::/32 或单个地址。与每个请求的地址比对；不保存任何地址。
defence-blocked-ip-hashes = 封锁的 IP 哈希
defence-blocked-ip-hashes-hint = 每行一个，32 位十六进制数字，与审核页面链接中的相同。一个哈希代表某一天（UTC）的一个地址。
defence-blocks-save = 保存封锁列表
form-error-blocked-domains = 每行写一个电子邮件域名，例如 example.org。
form-error-blocked-ip-ranges = 每行写一个 IP 范围，例如 203.0.113.0/24。
form-error-blocked-ip-hashes = 每行写一个 IP 哈希：32 位十六进制数字。

mail-trend-subject-domain = “{ $title }”收到异常多来自 { $domain } 的签名
mail-trend-subject-ip = “{ $title }”收到异常多来自同一网络的签名
mail-trend-domain = 过去一小时内，“{ $title }”有 { $count } 个签名来自 { $domain } 的地址。
mail-trend-ip = 过去一小时内，“{ $title }”有 { $count } 个签名来自同一网络（IP 哈希 { $hash }）。
mail-trend-action = 如果它们看起来像机器人，请在活动的防机器人页面开启“遭受攻击”模式或封锁它们：
