# Issue 16: organisations campaigning together, partners, consent per partner, where signers came from.

# The campaign page and its sign form
sign-consent-default = 我同意 { $org } 向我發送其工作的消息（可隨時撤回）。
partners-heading = 聯合發起
partners-lead = 主辦

# The manage page
manage-consents-heading = 你同意接收其消息的組織
manage-consent-given = 你已同意 { $org } 向你發送消息。
manage-consent-withdraw = 撤回此同意

# The campaign dashboard
dashboard-sources-heading = 聯署人從何而來
dashboard-by-partner = 按夥伴連結劃分的已確認聯署
dashboard-partner-column = 夥伴
dashboard-no-partner = 並非經夥伴連結
dashboard-by-source = 按來源代碼劃分的已確認聯署
dashboard-source-column = 來源（?src=）
dashboard-no-source = 沒有來源代碼

# The organisations
organisations-heading = 組織
organisations-intro = 多個組織可聯合發起聯署：每個組織有自己的成員、自己的金鑰，以及在其參與的聯署上自己的連結和同意問題。
organisations-none = 你尚未是任何組織的成員。
organisations-create-heading = 新增組織
organisations-create-button = 新增此組織
organisation-name = 名稱
organisation-slug = 連結中的簡稱
organisation-slug-hint = 2 至 40 個 a-z 字母、數字及連字號：即 /c/聯署?via=PARTNER 中的 PARTNER。
organisation-type = 類型
organisation-region = 國家或地區
organisation-region-hint = 兩個字母的代碼，例如 HK 或 GB。
organisation-website = 網站
organisation-error-slug-taken = 已有另一個組織使用此簡稱。
form-error-org-slug = 請使用 2 至 40 個 a-z 字母、數字及連字號。
form-error-org-name = 請填寫組織名稱（最多 200 個字元）。
form-error-org-region = 請填寫兩個字母的國家或地區代碼，例如 HK。
form-error-org-website = 請填寫以 https:// 或 http:// 開頭的網址。
form-error-member-email = 沒有使用此電郵地址的發起人帳戶：請先邀請對方加入本網站。
form-error-member-role = 請選擇管理員或成員。
org-role-admin = 管理員
org-role-member = 成員
organisation-back = 返回組織頁面
organisation-campaigns-heading = 參與的聯署
organisation-no-campaigns = 尚未有聯署將此組織列為夥伴。
organisation-link = 專屬連結：
organisation-count-total = 已確認聯署總數
organisation-count-via = 經其連結
organisation-count-consenting = 同意接收其消息
organisation-export = 匯出同意的聯署人（以其金鑰加密）
organisation-export-no-key-heading = 沒有金鑰，無法匯出
organisation-export-no-key = 匯出檔案以組織自己的 age 金鑰加密，但此組織尚未設定金鑰：請組織管理員在下方設定。
organisation-webhooks-heading = 專屬 Webhook
organisation-webhooks-intro = 此處的端點只會收到同意此組織的聯署人的事件：確認、撤回聯署及撤回同意，並附姓名和電郵地址。
organisation-webhook-add = 新增端點
organisation-webhook-delete = 刪除
organisation-details-heading = 基本資料
organisation-details-intro = 其名稱、類型、國家或地區及網站，即其合作活動頁面所顯示的資料。其簡稱 { $slug } 不變：合作夥伴的連結帶有它。
organisation-details-save = 儲存資料
organisation-key-heading = 金鑰
organisation-key-intro = 匯出檔案所用的 age 公開金鑰（age1…）。只有持有私密金鑰的人才能開啟；伺服器從不接觸私密金鑰。
organisation-key = 公開金鑰
organisation-key-hint = 以 age1 開頭的一行，即 age-keygen 顯示的內容。留空即移除金鑰。
organisation-key-save = 儲存金鑰
organisation-logo-heading = 標誌
organisation-logo-intro = 顯示在其參與的每個聯署頁面上的組織名稱旁，以及本頁。圖片會縮小，保存之前除像素以外的一切都會被刪除：拍攝地點和時間、相機，以及檔案中的所有其他資料。
organisation-logo-file = 標誌
organisation-logo-hint = JPEG、PNG 或 WebP 圖片，最大 { $megabytes } MB。新上載的會取代舊的。
organisation-logo-upload = 上載標誌
organisation-logo-remove = 移除標誌
organisation-members-heading = 成員
organisation-member-add-heading = 新增成員
organisation-member-add-intro = 成員可查看數字及匯出同意的聯署人；管理員亦可管理成員、金鑰及 Webhook。
organisation-member-add = 新增

# A campaign's partners
organise-tab-partners = 夥伴
partners-intro = 選擇聯合發起此聯署的組織，其中一個可作主辦。每個夥伴有自己的連結；如你允許，經其連結而來的聯署人（主辦則是所有聯署人）會被問及是否同意接收其消息。
partners-none = 尚未有夥伴。
partners-lead-label = 主辦組織（排列首位；每位聯署人都會被問及其問題）
partners-consent-label = 詢問聯署人是否同意接收其消息
partners-consent-text = { $lang } 版本的問題
partners-consent-text-hint = 留空即使用預設文字：「我同意 … 向我發送其工作的消息」。
partners-save = 儲存
partners-remove = 移除
partners-add-heading = 新增夥伴
partners-organisation = 組織
partners-add = 新增夥伴
partners-error-organisation = 請選擇本網站的其中一個組織。
partners-error-text = 同意問題為一行文字，最多 300 個字元。
