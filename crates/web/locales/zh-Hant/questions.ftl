## A campaign's own questions on the sign form, reminders, and addresses mail cannot reach (issue 16).

sign-questions-private = 你對這些問題的回答只交給組織者，絕不公開顯示。
sign-question-yes = 是
sign-question-no = 否
form-error-question = 請回答這個問題（最多 500 個字）。
form-error-question-prompt = 問題最多 300 個字（活動的預設語言必須填寫）。
form-error-question-choices = 請寫 2 至 20 個選項，每行一個，每個最多 200 個字；翻譯的選項不可多於預設語言的。有人聯署後，請保留原有的選項（新選項加在下面）。
form-error-question-kind = 請選擇問題的回答方式。
form-error-questions-count = 同一時間最多問 10 個問題。

organise-tab-questions = 問題
questions-intro = 在聯署表格的常規欄目之後加上你自己的問題。回答只交給組織者：與簽名者的其他私人資料一同密封，並在匯出檔案中各佔一欄。未翻譯的問題會以預設語言顯示。
questions-prompt-in = { $language }的問題
questions-choices-in = { $language }的選項
questions-choices-hint = 選擇題：每行一個選項，各語言的次序相同。
questions-required = 必須回答
questions-remove = 移除這個問題（有人聯署後，問題會停用：不再詢問，已有的回答保留）
questions-new = 新增問題
questions-kind = 回答方式
questions-kind-text = 簡短文字
questions-kind-choice = 從列表中選一項
questions-kind-yes-no = 是或否
questions-save = 儲存問題
questions-retired = 已停用的問題
questions-retired-intro = 不再詢問；已有的回答仍在匯出檔案中。

edit-remind-unconfirmed = 提醒 24 小時後仍未確認的簽名者
edit-remind-unconfirmed-hint = 只提醒一次，再次附上確認連結，並遵守每個地址每天的電郵上限。
dashboard-undeliverable = { $count } 個簽名者的電郵地址無法送達：不會再寄電郵給他們
mail-remind-signature-line = 提醒：你確認之前，你的簽名不會計算在內。
mail-remind-signature-subject = 提醒：請確認你的簽名：{ $title }
