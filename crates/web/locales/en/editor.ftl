## Writing campaigns.

organise-new-link = Start a new campaign
organise-tab-edit = Edit
new-campaign-heading = Start a new campaign
new-campaign-intro = It starts as a draft that only its organisers see. Write its text, then open it for signatures.
new-campaign-slug = Web address
new-campaign-slug-hint = The end of the campaign’s address, /c/…: lower-case letters a–z, digits and hyphens, such as free-cai-guangye. It cannot be changed later.
new-campaign-lang = The language you write it in first
new-campaign-button = Create the draft
form-error-slug = Use 1 to 80 lower-case letters a–z, digits and single hyphens between them.
form-error-slug-taken = Another campaign has this address. Choose another.
form-error-lang = Choose a language.
edit-saved = Saved.
edit-versions-heading = Language versions
edit-add-version = Add a version in
edit-add-version-button = Add
edit-settings-heading = Settings
edit-contact-name = Contact person
edit-contact-email = Contact email address
edit-contact-email-hint = Shown on the campaign’s page: use an organisation’s address, not a private one.
edit-goal = Signature goal
edit-dated = The appeal’s date
edit-opens-on = Opens on
edit-dates-hint = Both dates are optional; an open campaign takes signatures between them.
edit-closes-on = Closes on
edit-default-lang = Default language
edit-save = Save the settings
form-error-signature-goal = Enter a whole number above 0, or leave it empty.
form-error-dated = Enter a date, such as 2004-02-10, or leave it empty.
form-error-opens-on = Enter a date, such as 2004-02-10, or leave it empty.
form-error-closes-on = Enter a date after the opening date, or leave it empty.
form-error-default-lang = Choose one of the campaign’s language versions.
edit-embed-sites = Sites that may embed this campaign
edit-embed-sites-hint = The sites that may show the campaign with its sign form in a frame (the snippet on the dashboard), one a line, each its https address without a path, such as https://union.example.org; https://*.union.example.org for all its subdomains; * for any site. Leave it empty so that no site may.
form-error-embed-sites = Put one site a line, each an https address without a path, such as https://union.example.org, or * for any site (at most 50).

## A language version.

# $language: the version's language, named in itself.
version-heading = The { $language } version
version-new-note = This version is new: it is added when you save it.
version-history-note = People have signed this campaign: when you save, the text they signed is kept on its public history page.
version-title = Title
version-summary = Summary
version-target = Addressed to
version-target-hint = Whom the appeal is addressed to, as written in this language.
version-body = The appeal’s text
version-body-hint = In Markdown: a blank line between paragraphs, ## for a heading, **bold**, *italic*, [a link](https://example.org).
version-demands = The demands, in order
# $number: the demand's number in the list.
version-demand-label = Demand { $number }
version-up = Move demand { $number } up
version-down = Move demand { $number } down
version-remove = Remove demand { $number }
version-add-demand = Add a demand
version-save = Save
version-preview = Preview
version-preview-heading = Preview
form-error-title = Enter a title: 1 to 200 characters.
form-error-summary = The summary can be at most 1,000 characters.
form-error-target = Whom it is addressed to can be at most 300 characters.
form-error-body = The text can be at most 100,000 characters.
form-error-demands = Each demand can be at most 2,000 characters, and there can be at most 30.

## The campaign's status.

status-current = Status:
status-to-open = Open for signatures
status-to-closed = Close
status-to-won = Declare it won
status-error-unknown = That is not a status.
status-error-move = A campaign goes from draft to open, then to closed or won; it cannot make this move.
status-error-incomplete = A campaign opens only when every language version has a title, a text and at least one demand.

## The public history of a campaign's text.

history-heading = Earlier versions of the text
history-intro = The campaign’s text was changed after people had signed it. Here is each text as it was before a change.
# $date: when the text was replaced; $language: its language.
history-replaced = Until { $date }, in { $language }
history-none = The text has not changed since the first signature.
history-link = Earlier versions of the text

## Dashboard figures and the delivery document.

# $count: signatures waiting for their signer's confirmation.
dashboard-pending = { $count ->
    [one] One signature awaits its signer’s confirmation
   *[other] { $count } signatures await their signers’ confirmation
}
dashboard-chart-heading = Signatures per day
dashboard-chart-table = The same figures as a table
dashboard-day-column = Day
dashboard-by-language = Signatures by language version
dashboard-language-column = Language
# $language: a version's language, named in itself.
dashboard-delivery = The delivery document in { $language } (to print)
delivery-print-hint = To hand this document over, print it or save it as PDF from the browser’s print dialogue.
delivery-totals-heading = Signatures
# $date: the day the document was made.
delivery-generated = Counted on { $date }.
# $count: the number of signers who chose not to be named, written out.
delivery-unlisted = And { $count } more who chose not to be named.
# $date: when the signers' personal data will be anonymised.
dashboard-retention-on = The signers’ personal data will be anonymised on { $date } (counts, countries and names as shown publicly stay).
# $days: the retention period.
dashboard-retention-rule = { $days ->
    [one] The signers’ personal data is anonymised one day after the campaign ends.
   *[other] The signers’ personal data is anonymised { $days } days after the campaign ends.
}
