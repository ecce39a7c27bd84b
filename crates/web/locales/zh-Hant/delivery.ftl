## 遞交頁：以 PDF 遞交文件，並以電郵送交對象（議題 16）。
organise-tab-delivery = 遞交
dashboard-delivery-link = 遞交：PDF 遞交文件，並以電郵送交對象
delivery-page-intro = 遞交文件載有呼籲全文、要求、總數、聯署團體，以及每位按其選擇公開姓名的聯署人。可下載 PDF、列印，或以電郵送交對象。
delivery-documents-heading = 遞交文件
delivery-download-pdf = 下載 PDF
delivery-print-html = 開啟列印頁面
delivery-pdf-note = PDF 最多列出 { $max } 位公開姓名的聯署人；其餘只列人數（CSV 匯出載有全部）。
delivery-pdf-more = 另有 { $count } 位公開姓名的聯署人，列於 CSV 匯出。
delivery-send-heading = 送交對象
delivery-send-intro = 系統會向對象的電郵地址發出一封電郵，附上所選每種語言的 PDF。
delivery-target-email = 對象的電郵地址
delivery-target-email-hint = 會保留供下次遞交使用；只有聯署團隊可見，不會在公開頁面顯示。
delivery-langs = 文件語言
delivery-csv = 同時附上聯署人名單（CSV 檔案）
delivery-csv-hint = 按遞交文件所示列出每位公開姓名的聯署人：編號、姓名、國家或地區，以及確認日期。絕不包括電郵地址。
delivery-send-copies = 聯署的負責人和編輯會收到同一封電郵的副本（對象看不到他們的地址）。回覆會寄往聯署的聯絡電郵。
delivery-send-button = 遞交
delivery-send-owners-only = 只有聯署的負責人可以向對象遞交。
delivery-sent-heading = 已遞交
delivery-sent-item = 致 { $email }，語言：{ $languages }
delivery-sent-with-csv = 附 CSV
delivery-sent-none = 尚未遞交。
delivery-too-soon = 已於 { $time } 向這個地址遞交。為免誤發兩次，請等十分鐘後再遞交。
form-error-target-email = 請填寫對象的電郵地址，例如 office@example.org。
form-error-langs = 請最少選擇一種聯署的語言。
campaign-delivered = 已於 { $date } 遞交{ $target }。
campaign-delivered-no-target = 已於 { $date } 遞交對象。
mail-delivery-subject = { $title }：{ $count } 人聯署
mail-delivery-intro = 我們代表發起人，向閣下遞交呼籲「{ $title }」，連同其要求及聯署團體，共 { $count_text } { $count ->
   *[other] 人聯署
}。
mail-delivery-attached = 附件：
mail-delivery-page = 呼籲及聯署名單公開於：
mail-delivery-contact = 如需回覆，請聯絡 { $name }（{ $email }）。
