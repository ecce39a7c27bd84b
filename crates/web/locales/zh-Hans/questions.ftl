## A campaign's own questions on the sign form, reminders, and addresses mail cannot reach (issue 16).

sign-questions-private = 你对这些问题的回答只交给组织者，绝不公开显示。
sign-question-yes = 是
sign-question-no = 否
form-error-question = 请回答这个问题（最多 500 个字）。
form-error-question-prompt = 问题最多 300 个字（活动的默认语言必须填写）。
form-error-question-choices = 请写 2 至 20 个选项，每行一个，每个最多 200 个字；翻译的选项不可多于默认语言的。有人联署后，请保留原有的选项（新选项加在下面）。
form-error-question-kind = 请选择问题的回答方式。
form-error-questions-count = 同一时间最多问 10 个问题。

organise-tab-questions = 问题
questions-intro = 在联署表格的常规栏目之后加上你自己的问题。回答只交给组织者：与签名者的其他私人资料一同密封，并在导出文件中各占一栏。未翻译的问题会以默认语言显示。
questions-prompt-in = { $language }的问题
questions-choices-in = { $language }的选项
questions-choices-hint = 选择题：每行一个选项，各语言的次序相同。
questions-required = 必须回答
questions-remove = 移除这个问题（有人联署后，问题会停用：不再询问，已有的回答保留）
questions-new = 新增问题
questions-kind = 回答方式
questions-kind-text = 简短文字
questions-kind-choice = 从列表中选一项
questions-kind-yes-no = 是或否
questions-save = 保存问题
questions-retired = 已停用的问题
questions-retired-intro = 不再询问；已有的回答仍在导出文件中。

edit-remind-unconfirmed = 提醒 24 小时后仍未确认的签名者
edit-remind-unconfirmed-hint = 只提醒一次，再次附上确认链接，并遵守每个地址每天的邮件上限。
dashboard-undeliverable = { $count } 个签名者的电子邮件地址无法送达：不会再寄邮件给他们
mail-remind-signature-line = 提醒：你确认之前，你的签名不会计算在内。
mail-remind-signature-subject = 提醒：请确认你的签名：{ $title }
