## 登入及密碼。

login-heading = 發起人登入
login-email = 電郵地址
login-password = 密碼
login-button = 登入
login-forgot-link = 忘記密碼？
login-error-wrong = 這個電郵地址和密碼與任何帳戶都不相符。請檢查兩者後再試一次。
login-error-rate-limit = 此帳戶或你的網絡連線嘗試登入的次數太多。請等一小時後再試，或者重設密碼。
login-error-busy = 此刻登入的人太多。請等幾秒後再試。
forgot-heading = 重設密碼
forgot-intro = 請輸入帳戶的電郵地址，我們會寄出設定新密碼的連結。
forgot-button = 寄出連結
forgot-sent-heading = 請查看你的電郵
forgot-sent-text = 如果有帳戶使用這個地址，設定新密碼的連結已經寄出。
password-link-expired-text = 這個設定密碼的連結已經過期。請重新申請。
password-heading = 設定密碼
# $account：帳戶的電郵地址。
password-intro = 帳戶：{ $account }
# $min：密碼的最少字元數。
password-new = 新密碼（最少 { $min } 個字元）
password-again = 再次輸入密碼
password-button = 設定密碼並登入
form-error-password = 密碼最少要有 10 個字元。
form-error-password-again = 兩次輸入的密碼不一致。
error-403-title = 無權存取
error-403-text = 你的帳戶沒有此頁面所需的角色。請聯絡該聯署的負責人或管理員。

## 發起人頁面。

organise-heading = 管理聯署
# $name：發起人的名字。
organise-signed-in = 已登入：{ $name }
organise-logout = 登出
organise-none = 你目前未在任何聯署擔任角色。聯署的負責人或管理員可以為你指派角色。
organise-back = 返回你的聯署
organise-invite-link = 邀請發起人
organise-audit-link = 操作紀錄
organise-tabs-label = 本聯署的管理頁面
organise-tab-dashboard = 概覽
organise-tab-moderation = 審核
organise-tab-offline = 線下聯署
organise-tab-team = 團隊
organise-view-public = 公開頁面
role-owner = 負責人
role-editor = 編輯
role-moderator = 審核員
role-owner-hint = 所有權限，包括團隊、聯署狀態和開始、結束聯署的日期，以及含電郵地址的匯出資料
role-editor-hint = 聯署的文字和設定（日期除外）、不含電郵地址的匯出資料，以及審核
role-moderator-hint = 審核，以及處理線下收集的聯署

## 概覽。

# $count：聯絡人已確認、等待批准的團體聯署數目。
dashboard-awaiting = { $count } 個聯署團體等待批准
# $count：聯絡人尚未透過電郵確認的團體聯署數目。
dashboard-unverified = { $count } 個聯署團體等待聯絡人確認
dashboard-export-heading = 遞交聯署
dashboard-export = 下載簽名及團體聯署（CSV）
dashboard-export-excel = 下載適用於 Excel 的版本（CSV）
dashboard-export-emails = 下載包含電郵地址的資料（CSV）
dashboard-export-note = 每次下載都會記錄在操作紀錄中。

## 審核。

moderation-endorsements-heading = 等待批准的團體聯署
moderation-empty = 目前沒有待處理的項目。
moderation-contact = 聯絡人：
moderation-contact-sealed = （姓名已用發起人的金鑰加密：本站無法讀取）
moderation-reason = 理由（會記錄在操作紀錄中）
moderation-approve = 批准
moderation-reject = 拒絕

## 線下收集的聯署。

offline-intro = 透過電郵或紙本收到的聯署：新增後會立即列出並計入總數，並標示為「線下收集」。
offline-kind-legend = 收到的聯署來自
offline-kind-organisation = 一個團體
offline-kind-individuals = 若干位個人（不公開姓名）
offline-organisation-hint = 適用於團體。
offline-individuals = 個人人數
offline-individuals-hint = 適用於不公開姓名的個人（「15 位個人」）。
offline-source = 聯署來源
offline-source-hint = 例如「3月3日經電郵收到」或「五一集會的紙本表格」。
offline-button = 新增聯署
# $what：團體名稱，或「15 位個人」。
offline-added = 已新增：{ $what }。
form-error-individuals = 請填寫個人人數，須為大於 0 的整數。
form-error-source = 請說明聯署的來源（最多 500 個字）。

## 團隊及邀請。

team-name = 姓名
team-role = 角色
team-empty = 目前沒有人在本聯署擔任任何角色。
team-invite-heading = 指派角色
team-invite-intro = 除非對方已有帳戶，否則我們會寄電郵給對方，附上設定密碼的連結。
team-invite-button = 指派角色
form-error-role = 請選擇角色。
invite-heading = 邀請發起人
invite-intro = 我們會寄電郵給對方，附上設定密碼的連結。請在各個聯署的「團隊」頁面為對方指派角色。
invite-admin = 管理員：可查看所有聯署，並可進行任何操作
invite-button = 寄出邀請
invite-sent-heading = 邀請已寄出
invite-sent-text = 邀請已經寄出，內附設定密碼的連結。

## 操作紀錄。

audit-heading = 操作紀錄
audit-when = 時間
audit-who = 操作者
audit-action = 操作
audit-subject = 對象
audit-detail = 詳情
audit-empty = 目前還沒有任何紀錄。

## 寄給發起人的郵件。

# $site：網站名稱。
mail-invitation-subject = 邀請你在 { $site } 組織聯署
mail-invitation-intro = 你已獲邀在 { $site } 組織聯署。
mail-invitation-action = 如接受邀請，請打開以下連結並設定密碼：
mail-invitation-not-you = 如果你不知道為何收到此郵件，請忽略它：未經你設定密碼，任何帳戶都無法使用。
mail-password-reset-subject = 重設你在 { $site } 的密碼
mail-password-reset-intro = 有人（希望是你本人）要求重設你在 { $site } 的帳戶密碼。
mail-password-reset-action = 如要設定新密碼，請打開以下連結：
mail-password-reset-not-you = 如果你沒有提出這項要求，請忽略此郵件：你的密碼會維持不變。
mail-set-password-button = 設定我的密碼

## 審核簽名。

# $count：被標記的簽名數目。
dashboard-flagged = { $count } 個簽名被標記
moderation-flagged-heading = 已標記：同一連線的大量簽名
# $count：同一連線達到多少個簽名便會被標記。
moderation-flagged-rule = 同一網絡連線在同一天（UTC）送出 { $count } 個或以上的簽名時，這些簽名會被標記。IP 位址只以當天密鑰算出的雜湊值形式保存幾天。
# $count：簽名數目；$hash：連線雜湊值的開頭。
moderation-flagged-group = 來自連線 { $hash } 的 { $count } 個簽名
moderation-no-flagged = 沒有被標記的連線。
moderation-flagged-preview = 預覽作廢這些簽名
moderation-signatures-heading = 最新簽名
moderation-bulk-link = 按條件作廢簽名…
moderation-status = 狀態
signature-status-pending = 等待確認
signature-status-confirmed = 已確認
moderation-invalidate = 作廢
# $id：簽名編號。
moderation-invalidate-one = 作廢 #{ $id }
moderation-invalidations-heading = 作廢紀錄
# $count：簽名數目；$conditions：符合的條件；$actor：操作者；$date：時間。
moderation-invalidation = { $count } 個簽名（{ $conditions }），由 { $actor } 於 { $date } 作廢。
# $date：撤銷作廢的時間。
moderation-restored = 已於 { $date } 恢復。
moderation-restore = 恢復這些簽名
moderation-no-invalidations = 沒有簽名被作廢。
invalidate-heading = 作廢簽名
invalidate-intro = 被作廢的簽名不會計入數目，也不會列出。不會刪除任何資料：作廢可以撤銷，每次作廢都有紀錄。
invalidate-domain = 電郵網域
invalidate-domain-hint = 電郵地址 @ 之後的部分，例如 example.org。
invalidate-any = 任何
invalidate-from = 簽名日期由
invalidate-until = 簽名日期至
invalidate-ip = 連線（IP 雜湊值）
invalidate-ip-hint = 取自已標記連線的列表。
invalidate-signature = 簽名編號
invalidate-preview = 計算符合條件的簽名
# $count：符合條件的簽名數目。
invalidate-matching = { $count } 個簽名符合條件
invalidate-button = 作廢這 { $count } 個簽名
form-error-email-domain = 請填寫網域，例如 example.org。
form-error-from = 請填寫日期，例如 2026-11-24。
form-error-until = 請填寫日期，例如 2026-11-24。
form-error-ip = 請填寫連線雜湊值的 32 個字元。
form-error-signature = 請填寫簽名編號。
form-error-conditions = 請最少填寫一個條件。

## 匯入聯署表格。

import-link = 匯入紙本收集的聯署表格（CSV）…
import-heading = 從 CSV 檔案匯入聯署
import-intro = 每行一項聯署，第一行列出各欄名稱。type 欄填 organisation（團體）或 individuals（個人）；團體須填名稱，個人須填人數；source 欄註明來源。所有行都正確才會匯入，並且一次過全部匯入。
import-columns = 欄位：
import-file = CSV 檔案（UTF-8，最大 2 MB）
import-check-button = 檢查檔案
import-errors-heading = 沒有匯入任何資料：檔案有錯誤。請改正後再上載。
import-error-row = 行
import-error-column = 欄
import-error-reason = 需要修改
# $count：準備匯入的行數。
import-preview-heading = { $count } 項聯署準備匯入
import-button = 匯入這 { $count } 項聯署
import-done = 已匯入 { $count } 項聯署，已列出並計算在內，標示為線下收集。
csv-error-type = type 欄須為 organisation 或 individuals。
csv-error-column = 這一欄不在列出的欄位之中，或這一行無法讀取。
csv-error-missing-column = 缺少這一欄。
csv-error-too-many = 檔案超過 10,000 行，請分拆。
csv-error-empty = 檔案中沒有任何聯署。
csv-error-encoding = 無法以 UTF-8 CSV 讀取檔案：請另存為「CSV UTF-8」後再試。

## A named person collected offline.

offline-kind-person = 一位具名人士
offline-person = 姓名
offline-person-hint = 適用於個人。
form-error-person = 請填寫姓名：1 至 200 個字，不含看不見的字元。

# Taking access away
organise-people-link = 使用者
people-heading = 使用者
people-intro = 所有組織者的帳戶。已停用的帳戶無法登入，其登入狀態亦會結束；「在所有裝置登出」會結束某人在每部裝置上的登入狀態。
people-state = 狀態
people-actions = 操作
people-state-admin = 管理員
people-state-organiser = 組織者
people-state-disabled = 已停用
people-admin = 設為管理員
people-demote = 取消管理員權限
people-disable = 停用
people-enable = 重新啟用
people-log-out = 在所有裝置登出
people-error-last-admin = 這是最後一位可以登入的管理員：請先把另一人設為管理員。
team-remove = 從團隊移除
team-error-last-owner = 這是這個聯署活動的最後一位負責人：請先把負責人角色交給另一人。
login-error-disabled = 這個帳戶已被停用。如仍需要，請聯絡本網站的管理員。
edit-error-dates-owner = 只有聯署活動的負責人才可以更改開始和結束聯署的日期，所以甚麼都沒有儲存。請把日期改回原樣，再儲存你的其他修改。
invite-existing-heading = 這個地址已經有帳戶
invite-existing-admin-text = 這個帳戶現在是管理員。不需要發出邀請。
invite-existing-text = 甚麼都沒有改變。如要給他們某個聯署活動的角色，請使用該活動的團隊頁面。
dashboard-export-sealed = 上面的下載檔案以本活動擁有者的金鑰加密（.csv.age 檔案）：只有擁有者的私鑰能打開。用 age 指令（Debian 的「age」套件）：
dashboard-export-sealed-browser = 或者在這個瀏覽器中打開，用本站的一個頁面，它絕不會把你的金鑰或檔案傳送到任何地方：
dashboard-export-open-link = 打開加密的匯出檔案
dashboard-export-no-key = 本活動的擁有者還沒有自己的金鑰，所以這些下載是普通的 CSV 檔案，任何拿到它們的人都能讀取。擁有者登記金鑰後，此後的下載都會以它加密。
dashboard-export-keys-link = 登記金鑰
