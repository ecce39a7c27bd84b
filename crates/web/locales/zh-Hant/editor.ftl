## 撰寫聯署。

organise-new-link = 發起新聯署
organise-tab-edit = 編輯
new-campaign-heading = 發起新聯署
new-campaign-intro = 新聯署會先以草稿形式建立，只有發起人看得到。請先撰寫內文，再開放接受聯署。
new-campaign-slug = 網址
new-campaign-slug-hint = 聯署網址的結尾部分，即 /c/…：只可使用小寫字母 a–z、數字和連字號，例如 free-cai-guangye。建立後不能更改。
new-campaign-lang = 首先撰寫的語言
new-campaign-button = 建立草稿
form-error-slug = 請填寫 1 至 80 個字元，只限小寫字母 a–z、數字及連字號；連字號只可用在中間，而且不可連用。
form-error-slug-taken = 已有另一個聯署使用這個網址，請另選一個。
form-error-lang = 請選擇語言。
edit-saved = 已儲存。
edit-versions-heading = 語言版本
edit-add-version = 新增語言版本
edit-add-version-button = 新增
edit-settings-heading = 設定
edit-contact-name = 聯絡人
edit-contact-email = 聯絡電郵地址
edit-contact-email-hint = 會在聯署頁面上顯示：請使用團體的電郵地址，不要使用私人地址。
edit-goal = 簽名目標
edit-dated = 呼籲日期
edit-opens-on = 開始日期
edit-dates-hint = 兩個日期均為選填；聯署在「正在接受聯署」狀態下，只會在這兩個日期之間接受簽名。
edit-closes-on = 結束日期
edit-default-lang = 預設語言
edit-save = 儲存設定
form-error-signature-goal = 請填寫大於 0 的整數，或者留空。
form-error-dated = 請填寫日期，例如 2004-02-10，或者留空。
form-error-opens-on = 請填寫日期，例如 2004-02-10，或者留空。
form-error-closes-on = 請填寫開始日期之後的日期，或者留空。
form-error-default-lang = 請從本聯署的語言版本中選擇一個。
edit-embed-sites = 可以嵌入這個聯署的網站
edit-embed-sites-hint = 可以用框架顯示這個聯署及其簽名表格的網站（即「概覽」頁上的程式碼），每行一個，填寫其 https 網址，不含路徑，例如 https://union.example.org；https://*.union.example.org 代表其所有子網域；* 代表任何網站。留空則任何網站都不可以。
form-error-embed-sites = 請每行填寫一個網站，即不含路徑的 https 網址，例如 https://union.example.org，或以 * 代表任何網站（最多 50 個）。

## 語言版本。

# $language：該版本的語言，以自身文字寫出。
version-heading = { $language }版本
version-new-note = 這是新的版本：儲存後才會加入。
version-history-note = 已經有人簽署本聯署：儲存時，他們所簽署的內文會保留在公開的「過往版本」頁面上。
version-title = 標題
version-summary = 摘要
version-target = 致
version-target-hint = 這份呼籲的致送對象，以這個語言寫出。
version-body = 呼籲內文
version-body-hint = 使用 Markdown 格式：段落之間空一行，## 表示小標題，**粗體**、*斜體*、[連結](https://example.org)。
version-demands = 要求（按次序排列）
# $number：該項要求在列表中的編號。
version-demand-label = 第 { $number } 項要求
version-up = 將第 { $number } 項要求上移
version-down = 將第 { $number } 項要求下移
version-remove = 刪除第 { $number } 項要求
version-add-demand = 新增要求
version-save = 儲存
version-preview = 預覽
version-preview-heading = 預覽
form-error-title = 請填寫標題（1 至 200 個字）。
form-error-summary = 摘要最多只能填寫 1,000 個字。
form-error-target = 「致」一欄最多只能填寫 300 個字。
form-error-body = 內文最多只能填寫 100,000 個字。
form-error-demands = 每項要求最多只能填寫 2,000 個字，而且最多只能有 30 項。

## 聯署狀態。

status-current = 狀態：
status-to-open = 開始接受聯署
status-to-closed = 結束聯署
status-to-won = 宣佈成功
status-error-unknown = 沒有這個狀態。
status-error-move = 聯署只能由「草稿」轉為「正在接受聯署」，再轉為「已結束」或「已成功」，不能這樣轉換狀態。
status-error-incomplete = 每個語言版本都要有標題、內文及至少一項要求，聯署才能開始接受簽名。

## 聯署內文的公開修改紀錄。

history-heading = 內文的過往版本
history-intro = 有人簽署後，本聯署的內文曾經修改。以下是每次修改前的內文。
# $date：內文被取代的日期；$language：內文的語言。
history-replaced = { $language }版本，使用至{ $date }
history-none = 自第一個簽名以來，內文未曾修改。
history-link = 內文的過往版本

## 概覽數字與遞交文件。

# $count：等待簽名者確認的簽名數目。
dashboard-pending = { $count } 個簽名等待簽名者確認
dashboard-chart-heading = 每日簽名數目
dashboard-chart-table = 以表格顯示相同數字
dashboard-day-column = 日期
dashboard-by-language = 各語言版本的簽名數目
dashboard-language-column = 語言
# $language：版本的語言，以該語言寫出。
dashboard-delivery = { $language }遞交文件（供列印）
delivery-print-hint = 要遞交這份文件，請用瀏覽器的列印功能印出，或儲存為 PDF。
delivery-totals-heading = 簽名
# $date：製作文件的日期。
delivery-generated = 點算日期：{ $date }。
# $count：選擇不公開姓名的簽名者人數。
delivery-unlisted = 另有 { $count } 位簽名者選擇不公開姓名。
# $date：簽名者個人資料被匿名化的日期。
dashboard-retention-on = 簽名者的個人資料將於 { $date } 匿名化（數目、國家或地區及公開顯示的名字會保留）。
# $days：保存期。
dashboard-retention-rule = 聯署結束 { $days } 日後，簽名者的個人資料會被匿名化。
