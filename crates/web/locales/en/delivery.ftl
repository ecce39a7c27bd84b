## The delivery page: the delivery document as PDF, and sending it to the target (issue 16).
organise-tab-delivery = Delivery
dashboard-delivery-link = Delivery: the document as PDF, and sending it to the target
delivery-page-intro = The delivery document holds the appeal, its demands, the totals, the endorsing organisations and every signer as they chose to be shown. Download it as a PDF, print it, or send it to the target by email.
delivery-documents-heading = The delivery document
delivery-download-pdf = Download the PDF
delivery-print-html = Open the page to print
delivery-pdf-note = The PDF lists up to { $max } named signers; beyond them it says how many more there are (the CSV export holds them all).
delivery-pdf-more = And { $count } more named signers, listed in the CSV export.
delivery-send-heading = Send it to the target
delivery-send-intro = One email goes to the target’s address, with the PDF of each language chosen attached.
delivery-target-email = The target’s email address
delivery-target-email-hint = Kept for the next delivery; shown to the campaign’s team only, never on the public page.
delivery-langs = Languages of the document
delivery-csv = Attach the list of signers as a CSV file too
delivery-csv-hint = Each named signer as shown on the document: number, name, country and the date they confirmed. Never an email address.
delivery-send-copies = The owners and editors of the campaign get a copy of the same email (their addresses are not shown to the target). Replies go to the campaign’s contact address.
delivery-send-button = Send the delivery
delivery-send-owners-only = Only the campaign’s owners can send the delivery to the target.
delivery-sent-heading = Deliveries sent
delivery-sent-item = To { $email }, in { $languages }
delivery-sent-with-csv = with the CSV
delivery-sent-none = Nothing has been sent yet.
delivery-too-soon = A delivery was sent to this address at { $time }. To avoid sending it twice by mistake, wait ten minutes before sending it again.
form-error-target-email = Enter the target’s email address, for example office@example.org.
form-error-langs = Choose at least one language of the campaign.
campaign-delivered = Delivered to { $target } on { $date }.
campaign-delivered-no-target = Delivered to its target on { $date }.
mail-delivery-subject = { $title }: { $count ->
    [one] one signature
   *[other] { $count } signatures
}
mail-delivery-intro = On behalf of its organisers, we deliver to you the appeal “{ $title }”, signed by { $count_text } { $count ->
    [one] person
   *[other] people
}, with its demands and the organisations that endorse it.
mail-delivery-attached = Attached:
mail-delivery-page = The appeal and its signatures are public at:
mail-delivery-contact = To reply, write to { $name } at { $email }.
