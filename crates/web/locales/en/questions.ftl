## A campaign's own questions on the sign form, reminders, and addresses mail cannot reach (issue 16).

sign-questions-private = Your answers to these questions go to the organisers only; they are never shown publicly.
sign-question-yes = Yes
sign-question-no = No
form-error-question = Answer this question (in at most 500 characters).
form-error-question-prompt = Write the question in at most 300 characters (it is needed in the campaign’s default language).
form-error-question-choices = Write 2 to 20 choices, one a line, each at most 200 characters, and no more in a translation than in the default language. Once people have signed, keep the choices there are (add new ones below them).
form-error-question-kind = Choose what kind of answer the question takes.
form-error-questions-count = At most 10 questions are asked at once.

organise-tab-questions = Questions
questions-intro = Questions of your own on the sign form, after the usual fields. Answers go to the organisers only: they are sealed with the signers’ other private details and come in the export, a column each. A question left out falls back to the default language’s wording.
# $language: a language version, named in itself.
questions-prompt-in = The question in { $language }
# $language: a language version, named in itself.
questions-choices-in = Its choices in { $language }
questions-choices-hint = For a choice question: one choice a line, in the same order in every language.
questions-required = An answer is required
questions-remove = Take this question away (once people have signed, it is retired: no longer asked, its answers kept)
questions-new = Add a question
questions-kind = Kind of answer
questions-kind-text = Short text
questions-kind-choice = One choice of a list
questions-kind-yes-no = Yes or no
questions-save = Save the questions
questions-retired = Retired questions
questions-retired-intro = No longer asked; their answers stay in the export.

edit-remind-unconfirmed = Remind signers who have not confirmed after 24 hours
edit-remind-unconfirmed-hint = One reminder, once, with the confirmation link again, within each address’s daily mail limit.
# $count: signers of the campaign whose address mail cannot reach.
dashboard-undeliverable = { $count ->
    [one] One signer’s address cannot be reached: no mail goes to it
   *[other] { $count } signers’ addresses cannot be reached: no mail goes to them
}

mail-remind-signature-line = A reminder: your signature is not counted until you confirm it.
# $title: the campaign's title.
mail-remind-signature-subject = Reminder: please confirm your signature: { $title }
