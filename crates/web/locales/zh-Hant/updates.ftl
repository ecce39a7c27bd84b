## 最新消息。

organise-tab-updates = 最新消息
updates-heading = 最新消息
updates-feed-link = 以訂閱源（Atom）接收最新消息
# $campaign：聯署的標題。
updates-feed-title = 最新消息：{ $campaign }
updates-site-feed-title = 所有聯署的最新消息
updates-post-heading = 發布最新消息
# $language：版本的語言，以該語言寫出。
updates-version = { $language }
updates-text = 內文（Markdown）
updates-mail = 同時以電郵發送給所有想收到消息的簽名者（各以其簽名時所用的語言）
updates-post-button = 發布
updates-past-heading = 已發布的消息
updates-none = 暫時沒有消息。
form-error-update-title = 請填寫標題：1 至 200 個字。
form-error-update-body = 請填寫內文：最多 20,000 個字。
unsubscribe-heading = 停止接收本聯署的消息
unsubscribe-text = 按下按鈕後，你將不再以電郵收到本聯署的最新消息。你的簽名會保留。
unsubscribe-button = 停止接收
unsubscribed-heading = 你將不再收到本聯署的消息
unsubscribed-text = 你的簽名仍然計算在內。
# $title：聯署的標題。
mail-update-intro = 你簽署的聯署「{ $title }」有最新消息：
mail-update-unsubscribe = 如不想再收到本聯署的消息：
