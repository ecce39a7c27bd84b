# 以 OpenID Connect 登录服务登录（issue 18）。$provider：运营者设置的登录服务名称。

oidc-login-heading = 或以下列方式登录
oidc-login-with = 以 { $provider } 登录
oidc-back = 返回
oidc-refused-heading = 登录被拒
oidc-refused-text = 无法接受登录服务的回复：它已被使用过、来得太迟、不是给本网站的，或不是来自这个浏览器。请重新开始。
oidc-cancelled-text = 登录已在登录服务取消或被拒。
oidc-unavailable-heading = 无法连上登录服务
oidc-unavailable-text = 无法连上 { $provider }。请稍后再试。
oidc-not-allowed-text = 本站没有账户关联这个 { $provider } 身份，{ $provider } 也不能为它开新账户。请用密码登录，然后在你的账户页面关联 { $provider }，或询问管理员。
oidc-exists-text = 这个电子邮件地址已有账户。请用它的密码登录，然后在你的账户页面关联 { $provider }。
oidc-linked-elsewhere-text = 这个 { $provider } 身份已关联到另一个账户。
oidc-wrong-account-text = 你登录的不是开始关联 { $provider } 的账户。请登录后重新开始。
oidc-account-link-page = 登录服务
oidc-account-heading = 登录服务
oidc-account-intro = 把你在登录服务的身份关联到这个账户，之后就可以用它登录。如已开启双重认证，仍会要求输入代码。
oidc-account-linked = 已于 { $date } 关联。
oidc-account-not-linked = 未关联。
oidc-account-link = 关联 { $provider }
oidc-account-unlink = 取消关联 { $provider }
oidc-account-none = 本站没有设置登录服务。
oidc-comment-heading = 或登录，不必用电子邮件确认地址
oidc-comment-note = 你的留言只会显示你在这里输入的名字，永远不会显示你在登录服务的地址或名字。
oidc-comment-with = 以 { $provider } 登录
oidc-comment-signed-in = 你已以 { $provider } 登录：留言不必用电子邮件确认。留言只显示你在这里输入的名字，永远不会显示你的地址。
oidc-comment-sign-out = 退出 { $provider } 登录
