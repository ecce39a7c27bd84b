## 分享出去。

share-heading = 分享出去
share-note = 這些連結會打開各服務自己的頁面；在你點擊之前，本頁不會載入它們的任何內容。
share-email = 電郵
share-x = X
share-facebook = Facebook
share-telegram = Telegram
share-whatsapp = WhatsApp
share-weibo = 微博
share-line = LINE
share-mastodon-instance = 你的 Mastodon 伺服器
share-mastodon = 在 Mastodon 分享
share-qr = 本頁的二維碼，用於傳單和標語牌
