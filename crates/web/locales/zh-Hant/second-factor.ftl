# 發起人的雙重認證（issue 18）：驗證程式的代碼、備用代碼。

second-factor-link = 雙重認證
second-factor-heading = 雙重認證
second-factor-back = 返回你的帳戶
second-factor-intro = 開啟雙重認證後，登入需要你的密碼，以及手機上驗證程式（例如 Aegis、FreeOTP 或 Google Authenticator）顯示的六位數字代碼。即使密碼被猜中或被盜，聯署人的資料仍受保護。
second-factor-step-scan = 用你的驗證程式掃描這個 QR 碼。
second-factor-step-type = 或在程式中輸入這個金鑰：
second-factor-step-code = 輸入程式現在顯示的六位數字代碼。
second-factor-qr-label = 把這個帳戶加入驗證程式的 QR 碼
second-factor-enrol-code = 程式顯示的代碼
second-factor-on-button = 開啟雙重認證
second-factor-required = 本網站要求所有可查看聯署人個人資料的人開啟雙重認證。請先開啟，才能繼續。
second-factor-on = 你的帳戶已開啟雙重認證。
# $count：尚未使用的備用代碼數目。
second-factor-codes-left = { $count ->
    [0] 你已沒有備用代碼：請產生新的。
   *[other] 你還有 { $count } 個備用代碼。
}
second-factor-renew-heading = 新的備用代碼
second-factor-renew-button = 產生十個新的備用代碼
second-factor-off-heading = 關閉
second-factor-off-button = 關閉雙重認證
second-factor-code = 代碼
second-factor-code-hint = 驗證程式顯示的六位數字代碼，或你的其中一個備用代碼。
second-factor-code-intro = 打開你的驗證程式，輸入它為本網站顯示的代碼。
second-factor-code-button = 繼續
login-code-heading = 雙重認證
second-factor-confirm-heading = 確認是你本人
second-factor-error-code = 代碼不正確。請輸入程式現在顯示的代碼，或一個備用代碼。
second-factor-error-replayed = 這個代碼已經用過。請等程式顯示下一個。
# $minutes：多少分鐘後可再輸入代碼；$time：何時（時和分，UTC）。
second-factor-locked = 錯誤代碼太多。這個帳戶的雙重認證已鎖定 { $minutes } 分鐘：請在 { $time } 之後再試。
recovery-codes-heading = 你的備用代碼
recovery-codes-intro = 如果你遺失手機，每個代碼可代替程式的代碼登入一次。請妥善保存：它們只會顯示這一次。
recovery-codes-done = 我已保存
site-settings-second-factor = 要求所有可查看個人資料的人使用雙重認證
site-settings-second-factor-hint = 未開啟雙重認證的管理員和活動擁有人（可匯出聯署人電郵地址）須先開啟，才能使用發起人頁面。
