## Spreading the word.

share-heading = Spread the word
share-note = These links open each service’s own page; nothing from them is loaded here until you follow one.
share-email = Email
share-x = X
share-facebook = Facebook
share-telegram = Telegram
share-whatsapp = WhatsApp
share-weibo = Weibo
share-line = LINE
share-mastodon-instance = Your Mastodon server
share-mastodon = Share on Mastodon
share-qr = QR code of this page, for flyers and placards
