## 递交页：以 PDF 递交文件，并以电子邮件送交对象（议题 16）。
organise-tab-delivery = 递交
dashboard-delivery-link = 递交：PDF 递交文件，并以电子邮件送交对象
delivery-page-intro = 递交文件载有呼吁全文、要求、总数、联署团体，以及每位按其选择公开姓名的联署人。可下载 PDF、打印，或以电子邮件送交对象。
delivery-documents-heading = 递交文件
delivery-download-pdf = 下载 PDF
delivery-print-html = 打开打印页面
delivery-pdf-note = PDF 最多列出 { $max } 位公开姓名的联署人；其余只列人数（CSV 导出载有全部）。
delivery-pdf-more = 另有 { $count } 位公开姓名的联署人，列于 CSV 导出。
delivery-send-heading = 送交对象
delivery-send-intro = 系统会向对象的电子邮件地址发出一封电子邮件，附上所选每种语言的 PDF。
delivery-target-email = 对象的电子邮件地址
delivery-target-email-hint = 会保留供下次递交使用；只有联署团队可见，不会在公开页面显示。
delivery-langs = 文件语言
delivery-csv = 同时附上联署人名单（CSV 文件）
delivery-csv-hint = 按递交文件所示列出每位公开姓名的联署人：编号、姓名、国家或地区，以及确认日期。绝不包括电子邮件地址。
delivery-send-copies = 联署的负责人和编辑会收到同一封电子邮件的副本（对象看不到他们的地址）。回复会寄往联署的联络电子邮件。
delivery-send-button = 递交
delivery-send-owners-only = 只有联署的负责人可以向对象递交。
delivery-sent-heading = 已递交
delivery-sent-item = 致 { $email }，语言：{ $languages }
delivery-sent-with-csv = 附 CSV
delivery-sent-none = 尚未递交。
delivery-too-soon = 已于 { $time } 向这个地址递交。为免误发两次，请等十分钟后再递交。
form-error-target-email = 请填写对象的电子邮件地址，例如 office@example.org。
form-error-langs = 请至少选择一种联署的语言。
campaign-delivered = 已于 { $date } 递交{ $target }。
campaign-delivered-no-target = 已于 { $date } 递交对象。
mail-delivery-subject = { $title }：{ $count } 人联署
mail-delivery-intro = 我们代表发起人，向阁下递交呼吁“{ $title }”，连同其要求及联署团体，共 { $count_text } { $count ->
   *[other] 人联署
}。
mail-delivery-attached = 附件：
mail-delivery-page = 呼吁及联署名单公开于：
mail-delivery-contact = 如需回复，请联络 { $name }（{ $email }）。
