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

## The campaign on other sites: its embeddable page, and the snippets organisers copy.

embed-full-appeal = 阅读呼吁全文
embed-new-tab = （在新标签页打开）
embed-more-fields = 城市、所属组织或身份、联署原因（选填）
embed-sign-again = 返回表单
# $title: the campaign's title.
embed-badge-alt = “{ $title }”的签名数
embed-heading = 在其他网站展示
embed-intro = 把以下其中一段复制到其他网站的网页，例如你的工会网站。它们只会加载本站的内容，不需要 JavaScript，也不需要 cookie。
embed-snippet-frame = 附有签名表单的联署，以框架显示
embed-snippet-frame-hint = 显示标题、签名数、诉求和签名表单；读者不用离开该网页即可联署，并和在本站一样从电子邮件确认。在网址后加上 ?lang=en（或其他语言）可固定其语言；否则会跟随读者的浏览器。
embed-snippet-badge = 以小图片显示签名数
embed-snippet-link = 普通链接
embed-sites-note = 哪些网站可以显示这个框架，是联署的一项设置：除非你指定网站，否则任何网站都可以。
