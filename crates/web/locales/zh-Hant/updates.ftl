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

## 管理自己的簽名。

manage-link = 已經簽名？管理你的簽名
manage-heading = 管理你的簽名
manage-intro = 請填寫你簽名時所用的電郵地址：我們會發送一個連結，讓你查看、修改、下載或撤回你的簽名。
manage-send = 發送連結給我
manage-sent-heading = 請查看你的電郵
manage-sent-text = 如果這個地址曾經簽署本聯署，管理簽名的連結已經發出。
manage-held-heading = 我們保存的簽名資料
manage-signed-on = 簽名日期
manage-download = 下載全部資料（JSON）
manage-choices-heading = 你的選擇
manage-save = 儲存我的選擇
# $title：聯署的標題。
mail-manage-subject = 管理你的簽名：{ $title }
mail-manage-intro = 你要求管理你對「{ $title }」的簽名。這個連結會顯示我們保存的資料，讓你修改、下載或撤回：
mail-manage-not-you = 如果這不是你的要求，請忽略這封電郵：甚麼也不會改變。

## 對方的回應，以及勝利。

organise-tab-response = 回應
response-intro = 記錄聯署對象的回應。回應會在聯署頁面上顯眼地展示。
response-text = 回應原文
response-date = 回應日期
response-link = 回應全文所在的網址
response-save = 儲存回應
response-remove = 刪除回應
response-heading = 回應
# $target：聯署的對象。
response-from = { $target }的回應
response-read-more = 閱讀回應全文
form-error-response-text = 請填寫回應：1 至 10,000 個字。
form-error-responded-on = 請填寫日期，例如 2004-03-01，或留空。
form-error-link = 請填寫以 https:// 或 http:// 開頭的網址，或留空。
won-update-title = 我們勝利了
# $title：聯署的標題。
won-update-body = 聯署「{ $title }」已經達成目標。感謝你的簽名和轉發。
