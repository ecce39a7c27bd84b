## 表格通用字句。

form-optional = （選填）
form-country-choose = 請選擇…
# 訪客看不到的欄位的標籤；只有自動程式才會填寫。
form-honeypot = 請勿填寫此欄
form-alert-check = 請檢查下面標示的欄位。表格尚未送出，你填寫的內容已保留。
form-error-csrf = 這份表格已經過期，因此沒有送出任何內容。你填寫的內容已保留，請再送出一次。
form-error-elsewhere = 這份表格是從其他網站送出的，因此沒有送出任何內容。你填寫的內容已保留：請檢查後在這裏送出。
form-error-name = 請填寫你的姓名（1 至 200 個字，不含看不見的字元）。
form-error-email = 請填寫電郵地址，例如 name@example.org（最多 254 個字元）。
form-error-country = 請從列表中選擇國家或地區。
form-error-city = 城市最多只能填寫 100 個字。
form-error-affiliation = 所屬組織或身份最多只能填寫 200 個字。
form-error-comment = 聯署原因最多只能填寫 1,000 個字。
form-error-display = 請選擇你的名字要如何顯示。
form-error-organisation = 請填寫團體名稱（1 至 200 個字，不含看不見的字元）。
form-error-org-type = 請選擇團體類型。
form-error-website = 請填寫以 https:// 或 http:// 開頭的網址，或者留空。
form-error-contact-name = 請填寫聯絡人姓名（1 至 200 個字，不含看不見的字元）。
form-error-contact-email = 請填寫電郵地址，例如 office@example.org（最多 254 個字元）。
form-error-statement = 聲明最多只能填寫 2,000 個字。

## 聯署運動頁面上的聯署表格。

sign-jump = 參與本聯署
sign-heading = 加入聯署
sign-name = 姓名
sign-email = 電郵地址
sign-email-hint = 我們會寄出確認連結，讓你確認簽名。你的電郵地址絕不會公開。
sign-country = 國家或地區
sign-city = 城市
sign-affiliation = 所屬組織或身份
sign-affiliation-hint = 例如「碼頭工人工會會員」。
sign-comment = 聯署原因
sign-comment-hint = 只有組織者可以閱讀。最多 1,000 字。
sign-display = 在公開的聯署名單上
sign-display-full = 顯示我的全名
sign-display-first-initial = 只顯示部分姓名（例如「陳○○」）
sign-display-hidden = 不顯示我的名字，只計算我的簽名
sign-opt-in = 我願意接收發起人發出的本聯署最新消息（可隨時取消訂閱）。
sign-privacy = 你必須透過我們寄出的電郵確認，簽名才會計算在內。我們不會儲存你的 IP 位址：只會以當天的密鑰算出其雜湊值，保存數天用於防止濫用，之後連同該密鑰一併刪除，任何人都無法再追溯到你。
sign-button = 聯署
sign-closed = 本聯署目前不接受簽名。
sign-error-closed = 本聯署目前不接受簽名，因此沒有送出任何內容。
sign-error-rate-limit = 過去一小時內，從你的網絡連線送出的簽名太多，因此這次沒有送出。你填寫的內容已保留，請稍後再試。
endorse-link = 以團體名義參與聯署

## 數字統計。

# $count：在網上及線下聯署的人數。
counts-individuals = { $count ->
   *[other] 人已聯署
}
counts-organisations = 共有 { $count } 個團體參與聯署。
counts-progress-label = 目標進度
# $percent：0 至 100 的數字；$goal：簽名目標數，已按格式寫出。
counts-goal = { $count ->
   *[other] 已達 { $goal } 個簽名目標的 { $percent }%
}
latest-heading = 最新聯署人
signatures-link = 查看所有聯署人
endorsement-offline = （線下收集）

## 簽名名單。

# $campaign：聯署的標題。
signatures-title = 簽名名單：{ $campaign }
signatures-heading = 聯署名單
signatures-individuals-heading = 個人
signatures-none = 目前名單上還沒有人。
signatures-hidden-note = 選擇不公開名字的聯署人會計入總數，但不會列在名單上。
signatures-older = 較早的簽名
signatures-by-country = 按國家或地區統計的簽名
signatures-country-column = 國家或地區
signatures-count-column = 簽名數目

## 簽名之後，以及電郵中的連結。

back-to-campaign = 返回聯署頁面
check-email-heading = 請查看你的電郵
check-email-text = 我們已經寄了一封電郵到你提供的地址。請打開電郵中的連結確認，確認後你的簽名才會計算在內。
check-email-missing = 幾分鐘後仍未收到？請查看垃圾郵件資料夾，或用同一個電郵地址再簽一次，我們就會重新寄出連結。
thanks-heading = 謝謝你！你的簽名已經計入
thanks-text = 你的簽名已加入本聯署。
withdrawn-heading = 你的簽名已撤回
withdrawn-text = 你的簽名以及我們保存的一切相關資料（你的姓名、電郵地址等）都已刪除。
link-invalid-heading = 此連結無效
link-invalid-text = 連結可能不完整（請檢查是否完整複製），或者相關的簽名已經撤回。
link-expired-heading = 此連結已過期
link-expired-text = 我們電郵中的連結只在有限時間內有效。請在聯署頁面用同一個電郵地址再簽一次，以取得新的連結。
confirm-heading = 確認你的簽名
confirm-text = 請按下面的按鈕，確認你參與本聯署。
confirm-button = 確認我的簽名
confirm-published-heading = 你確認的內容
confirm-listed-as = 你在聯署名單上的名字
confirm-not-listed = 不列出：你的簽名只會計入人數。
confirm-news = 以電郵接收本聯署的消息
confirm-news-yes = 是
confirm-news-no = 否
confirm-not-yours = 這不是你的選擇？那就不要確認：請用你的選擇再簽一次（以你的地址最後一次簽署為準），然後再打開這個連結。
confirm-changed = 你打開此頁後，有人再以這個地址簽署，所以沒有確認任何內容。請核對現在將會公開的資料，然後再確認。
withdraw-heading = 撤回你的簽名
withdraw-text = 請按下面的按鈕，從本聯署撤回你的簽名。你的姓名、電郵地址，以及我們保存的所有與此簽名相關的資料，都會被刪除。你在本聯署發表的留言會保留，但不再附有你的地址。
withdraw-button = 撤回我的簽名

## 以團體名義聯署。

endorse-heading = 以團體名義聯署
endorse-intro = 工會、協會、媒體及其他團體均可參與本聯署。我們會寄電郵給聯絡人確認，發起人亦會逐一審核每個團體聯署，審核通過後才會公開列出。
endorse-organisation = 團體名稱
endorse-org-type = 團體類型
org-type-trade-union-long = 工會
org-type-ngo-long = 非政府組織（NGO）
org-type-media-long = 媒體
org-type-other-long = 其他團體
endorse-country = 國家或地區
endorse-country-hint = 團體會列在這個國家或地區之下。
endorse-website = 網站
endorse-website-hint = 以 https:// 開頭
endorse-contact-name = 聯絡人
endorse-contact-email = 聯絡人電郵地址
endorse-contact-email-hint = 我們會寄出連結以確認團體聯署。此電郵地址絕不會公開。
endorse-statement = 聲明
endorse-statement-hint = 團體的簡短聲明，最多 2,000 字。
endorse-button = 提交團體聯署
endorse-confirm-heading = 確認貴團體的聯署
# $organisation：團體名稱。
endorse-confirm-text = 請按下面的按鈕，確認「{ $organisation }」參與本聯署。
endorse-confirm-button = 確認團體聯署
endorse-confirmed-heading = 謝謝！團體聯署已確認
endorse-confirmed-text = 發起人會逐一審核每個團體聯署；審核通過後，貴團體便會列在聯署頁面上。

## 郵件。

# $name：聯署人自己填寫的姓名。
mail-greeting = { $name }，你好：
# $title：聯署的標題。
mail-confirm-signature-subject = 請確認你的簽名：{ $title }
mail-confirm-signature-intro = 你（或有人使用你的電郵地址）聯署了「{ $title }」。
mail-confirm-signature-action = 請打開以下連結並按「確認我的簽名」，你的簽名才會計算在內：
mail-confirm-signature-button = 確認我的簽名
# $date：連結失效的日期。
mail-link-expires = 此連結有效至{ $date }。
mail-not-you = 如果這不是你本人的操作，請忽略此郵件：我們不會公開任何內容，簽名也不會計算在內。
mail-not-you-already-signed = 如果你沒有再次要求聯署，無需做任何事：你的簽名維持不變，仍然計算在內。
mail-not-you-endorsement = 如果這不是你本人的操作，請忽略此郵件：此團體聯署不會公開列出。
mail-not-you-comment = 如果這不是你本人的操作，請忽略此郵件：留言不會公開。
mail-withdraw-note = 你可以隨時撤回簽名，並刪除我們保存的相關資料：
mail-already-signed-subject = 你已經聯署過：{ $title }
mail-already-signed-intro = 有人用你的電郵地址要求聯署「{ $title }」。你之前已經聯署，簽名已計算在內，因此一切維持不變。
# $organisation：團體名稱。
mail-confirm-endorsement-subject = 請確認「{ $organisation }」的團體聯署
mail-confirm-endorsement-intro = 你（或有人使用你的電郵地址）申請以「{ $organisation }」的名義聯署「{ $title }」。
mail-confirm-endorsement-action = 請打開以下連結並按「確認團體聯署」，以確認此團體聯署：
mail-confirm-endorsement-button = 確認團體聯署
mail-confirm-endorsement-review = 發起人會逐一審核每個團體聯署，審核通過後才會公開列出。

# Next to the optional fields of the sign form (city, affiliation, comment).
sign-private-note = 只有本聯署的組織者可以閱讀你的城市、所屬組織或身份及聯署原因：這些內容永遠不會顯示在公開的簽名名單上。
# On the confirmation and manage pages, when the private fields are sealed to the organisers' own keys.
private-sealed-note = 你的其他回答（城市、所屬組織或身份、聯署原因，以及你選擇不完整顯示時的全名）已用組織者自己的密鑰加密：只有他們能夠閱讀，本網站也無法閱讀，因此不在此顯示。
# Heading of the private fields on the confirmation page.
private-fields-heading = 只有組織者可以閱讀
# A mail's greeting when the name is not known (it is sealed to the organisers).
mail-greeting-anonymous = 你好：
