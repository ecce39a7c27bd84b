## 分享出去。

share-heading = 分享出去
share-note = 这些链接会打开各服务自己的页面；在你点击之前，本页不会加载它们的任何内容。
share-email = 电子邮件
share-x = X
share-facebook = Facebook
share-telegram = Telegram
share-whatsapp = WhatsApp
share-weibo = 微博
share-line = LINE
share-mastodon-instance = 你的 Mastodon 服务器
share-mastodon = 在 Mastodon 分享
share-qr = 本页的二维码，用于传单和标语牌
