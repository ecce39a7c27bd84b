# 以 OpenID Connect 登入服務登入（issue 18）。$provider：營運者設定的登入服務名稱。

oidc-login-heading = 或以下列方式登入
oidc-login-with = 以 { $provider } 登入
oidc-back = 返回
oidc-refused-heading = 登入被拒
oidc-refused-text = 無法接受登入服務的回覆：它已被使用過、來得太遲、不是給本網站的，或不是來自這個瀏覽器。請重新開始。
oidc-cancelled-text = 登入已在登入服務取消或被拒。
oidc-unavailable-heading = 無法連上登入服務
oidc-unavailable-text = 無法連上 { $provider }。請稍後再試。
oidc-not-allowed-text = 本站沒有帳戶連結這個 { $provider } 身分，{ $provider } 也不能為它開新帳戶。請用密碼登入，然後在你的帳戶頁面連結 { $provider }，或詢問管理員。
oidc-exists-text = 這個電郵地址已有帳戶。請用它的密碼登入，然後在你的帳戶頁面連結 { $provider }。
oidc-linked-elsewhere-text = 這個 { $provider } 身分已連結到另一個帳戶。
oidc-wrong-account-text = 你登入的不是開始連結 { $provider } 的帳戶。請登入後重新開始。
oidc-account-link-page = 登入服務
oidc-account-heading = 登入服務
oidc-account-intro = 把你在登入服務的身分連結到這個帳戶，之後就可以用它登入。如已開啟雙重認證，仍會要求輸入代碼。
oidc-account-linked = 已於 { $date } 連結。
oidc-account-not-linked = 未連結。
oidc-account-link = 連結 { $provider }
oidc-account-unlink = 取消連結 { $provider }
oidc-account-none = 本站沒有設定登入服務。
oidc-comment-heading = 或登入，不必用電郵確認地址
oidc-comment-note = 你的留言只會顯示你在這裡輸入的名字，永遠不會顯示你在登入服務的地址或名字。
oidc-comment-with = 以 { $provider } 登入
oidc-comment-signed-in = 你已以 { $provider } 登入：留言不必用電郵確認。留言只顯示你在這裡輸入的名字，永遠不會顯示你的地址。
oidc-comment-sign-out = 登出 { $provider }
