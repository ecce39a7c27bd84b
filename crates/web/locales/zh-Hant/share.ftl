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

## The campaign on other sites: its embeddable page, and the snippets organisers copy.

embed-full-appeal = 閱讀呼籲全文
embed-new-tab = （在新分頁開啟）
embed-more-fields = 城市、所屬組織或身份、聯署原因（選填）
embed-sign-again = 返回表格
# $title: the campaign's title.
embed-badge-alt = 「{ $title }」的簽名數目
embed-heading = 在其他網站展示
embed-intro = 把以下其中一段複製到其他網站的網頁，例如你的工會網站。它們只會載入本站的內容，不需要 JavaScript，也不需要 cookie。
embed-snippet-frame = 附有簽名表格的聯署，以框架顯示
embed-snippet-frame-hint = 顯示標題、簽名數目、訴求和簽名表格；讀者不用離開該網頁便可聯署，並和在本站一樣從電郵確認。在網址後加上 ?lang=en（或其他語言）可固定其語言；否則會跟隨讀者的瀏覽器。
embed-snippet-badge = 以小圖片顯示簽名數目
embed-snippet-link = 普通連結
embed-sites-note = 哪些網站可以顯示這個框架，是聯署的一項設定：除非你指定網站，否則任何網站都可以。
