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

## The campaign on other sites: its embeddable page, and the snippets organisers copy.

embed-full-appeal = Read the full appeal
embed-new-tab = (opens in a new tab)
embed-more-fields = City, affiliation, why you sign (optional)
embed-sign-again = Back to the form
# $title: the campaign's title.
embed-badge-alt = Signatures for { $title }
embed-heading = On other sites
embed-intro = Copy one of these into another site’s page, such as your union’s. They load nothing but this site, and work without JavaScript and without cookies.
embed-snippet-frame = The campaign with its sign form, in a frame
embed-snippet-frame-hint = Shows the title, the count, the demands and the sign form; people sign without leaving the page, and confirm from their mail as here. Add ?lang=zh-Hant (or another language) to the address to fix its language; otherwise it follows the reader’s browser.
embed-snippet-badge = The count, as a small picture
embed-snippet-link = A plain link
embed-sites-note = Which sites may show the frame is a setting of the campaign: any site, unless you name some.
