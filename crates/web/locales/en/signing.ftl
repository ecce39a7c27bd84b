## Forms in general.

form-optional = (optional)
form-country-choose = Choose…
# The label of a field people never see; only bots fill it in.
form-honeypot = Leave this field empty
form-alert-check = Please check the fields marked below. Nothing was sent yet; what you typed is kept.
form-error-csrf = This form had expired, so nothing was sent. What you typed is kept: please send it again.
form-error-elsewhere = This form was sent from another site, so nothing was sent. What you typed is kept: check it, and send it from here.
form-error-name = Enter your name: 1 to 200 characters, with no invisible characters.
form-error-email = Enter an email address like name@example.org (at most 254 characters).
form-error-country = Choose a country or region from the list.
form-error-city = The city can be at most 100 characters.
form-error-affiliation = The affiliation can be at most 200 characters.
form-error-comment = The comment can be at most 1,000 characters.
form-error-display = Choose how your name is shown.
form-error-organisation = Enter the organisation’s name: 1 to 200 characters, with no invisible characters.
form-error-org-type = Choose the kind of organisation.
form-error-website = Enter a web address starting with https:// or http://, or leave it empty.
form-error-contact-name = Enter the contact person’s name: 1 to 200 characters, with no invisible characters.
form-error-contact-email = Enter an email address like office@example.org (at most 254 characters).
form-error-statement = The statement can be at most 2,000 characters.

## The sign form on a campaign's page.

sign-jump = Sign this campaign
sign-heading = Add your name
sign-name = Your name
sign-email = Your email address
sign-email-hint = We send you a link to confirm your signature. Your address is never shown.
sign-country = Country or region
sign-city = City
sign-affiliation = Affiliation
sign-affiliation-hint = For example “member of the dockers’ union”.
sign-comment = Why you sign
sign-comment-hint = For the organisers only. At most 1,000 characters.
sign-display = On the public list of signers
sign-display-full = show my full name
sign-display-first-initial = show my first name and an initial
sign-display-hidden = do not show my name, only count my signature
sign-opt-in = Send me news of this campaign from its organisers (you can stop them at any time).
sign-privacy = Your signature counts once you confirm it from the email we send. Your IP address is not stored: a hash of it, made with a key of the day, is kept for a few days against abuse, then deleted together with that key, so that nobody can trace it back to you.
sign-button = Sign
sign-closed = This campaign is not taking signatures.
sign-error-closed = This campaign is not taking signatures now, so nothing was sent.
sign-error-rate-limit = Too many signatures came from your internet connection in the last hour, so this one was not sent. What you typed is kept: please try again later.
endorse-link = Endorse this campaign as an organisation

## Counts.

# $count: people who signed, online and offline.
counts-individuals = { $count ->
    [one] person has signed
   *[other] people have signed
}
counts-organisations = { $count ->
    [one] One organisation endorses this campaign.
   *[other] { $count } organisations endorse this campaign.
}
counts-progress-label = Progress towards the goal
# $percent: a number from 0 to 100; $goal: the goal, written out; $count: the goal, as a number.
counts-goal = { $count ->
    [one] { $percent }% of the goal of one signature
   *[other] { $percent }% of the goal of { $goal } signatures
}
latest-heading = Latest signers
signatures-link = See everyone who signed
endorsement-offline = (collected offline)

## The list of signatures.

# $campaign: the campaign's title.
signatures-title = Signatures: { $campaign }
signatures-heading = Who signed
signatures-individuals-heading = Individuals
signatures-none = No one is listed yet.
signatures-hidden-note = Signers who chose not to show their name are counted but not listed.
signatures-older = Older signatures
signatures-by-country = Signatures by country or region
signatures-country-column = Country or region
signatures-count-column = Signatures

## After signing, and the emailed links.

back-to-campaign = Back to the campaign
check-email-heading = Check your email
check-email-text = We have sent a message to the address you gave. Open the link in it to confirm: only then does your signature count.
check-email-missing = Nothing after a few minutes? Look in your spam folder, or sign again with the same address to have the link sent again.
thanks-heading = Thank you: your signature counts
thanks-text = Your signature has been added to the campaign.
withdrawn-heading = Your signature has been withdrawn
withdrawn-text = Your signature and everything we held about it (your name, email address and the rest) have been deleted.
link-invalid-heading = This link does not work
link-invalid-text = The link may be incomplete (check that it was copied whole), or the signature it was for has been withdrawn.
link-expired-heading = This link has expired
link-expired-text = Links in our emails work for a limited time. Sign again on the campaign’s page with the same address to get a new one.
confirm-heading = Confirm your signature
confirm-text = Press the button to confirm that you sign this campaign.
confirm-button = Confirm my signature
confirm-published-heading = What you confirm
confirm-listed-as = Your name on the public list of signers
confirm-not-listed = Not listed: your signature is only counted.
confirm-news = News of this campaign by email
confirm-news-yes = Yes
confirm-news-no = No
confirm-not-yours = Not what you chose? Then do not confirm: sign again with your choices (the latest signature from your address is the one confirmed), then open this link again.
confirm-changed = Someone signed again with this address since you opened this page, so nothing was confirmed. Check what will be published now, then confirm again.
withdraw-heading = Withdraw your signature
withdraw-text = Press the button to withdraw your signature from this campaign. Your name, email address and everything else we hold about this signature will be deleted. Comments you posted on this campaign stay, without your address.
withdraw-button = Withdraw my signature

## Endorsing as an organisation.

endorse-heading = Endorse as an organisation
endorse-intro = Unions, associations, media and other organisations can endorse this campaign. We write to the contact person to confirm, and the organisers review each endorsement before it is listed.
endorse-organisation = Name of the organisation
endorse-org-type = Kind of organisation
org-type-trade-union-long = Trade union
org-type-ngo-long = Non-governmental organisation (NGO)
org-type-media-long = Media
org-type-other-long = Other organisation
endorse-country = Country or region
endorse-country-hint = The organisation is listed under it.
endorse-website = Website
endorse-website-hint = Starts with https://
endorse-contact-name = Contact person
endorse-contact-email = Contact email address
endorse-contact-email-hint = We send a link to confirm the endorsement. The address is never shown.
endorse-statement = Statement
endorse-statement-hint = A few words from the organisation. At most 2,000 characters.
endorse-button = Endorse
endorse-confirm-heading = Confirm your organisation’s endorsement
# $organisation: the organisation's name.
endorse-confirm-text = Press the button to confirm that { $organisation } endorses this campaign.
endorse-confirm-button = Confirm the endorsement
endorse-confirmed-heading = Thank you: the endorsement is confirmed
endorse-confirmed-text = The organisers review each endorsement; it is listed on the campaign’s page once they approve it.

## Mail.

# $name: the signer's name as they typed it.
mail-greeting = Hello { $name },
# $title: the campaign's title.
mail-confirm-signature-subject = Please confirm your signature: { $title }
mail-confirm-signature-intro = You (or someone using your address) signed the campaign “{ $title }”.
mail-confirm-signature-action = To count your signature, open this link and press “Confirm my signature”:
mail-confirm-signature-button = Confirm my signature
# $date: when the link stops working.
mail-link-expires = The link works until { $date }.
mail-not-you = If this was not you, ignore this message: nothing will be published and the signature will not count.
mail-not-you-already-signed = If you did not ask to sign again, you need do nothing: your signature stays as it was and still counts.
mail-not-you-endorsement = If this was not you, ignore this message: the endorsement will not be listed.
mail-not-you-comment = If this was not you, ignore this message: the comment will not be published.
mail-withdraw-note = To withdraw your signature at any time, and delete what we hold about it:
mail-already-signed-subject = You have already signed: { $title }
mail-already-signed-intro = Someone asked to sign “{ $title }” with your address. You had already signed it and your signature counts, so nothing has changed.
# $organisation: the organisation's name.
mail-confirm-endorsement-subject = Please confirm the endorsement of { $organisation }
mail-confirm-endorsement-intro = You (or someone using your address) asked for { $organisation } to endorse the campaign “{ $title }”.
mail-confirm-endorsement-action = To confirm the endorsement, open this link and press “Confirm the endorsement”:
mail-confirm-endorsement-button = Confirm the endorsement
mail-confirm-endorsement-review = The organisers review each endorsement before it is listed.

# Next to the optional fields of the sign form (city, affiliation, comment).
sign-private-note = Only the campaign’s organisers can read your city, affiliation and comment: they are never shown on the public list of signatures.
# On the confirmation and manage pages, when the private fields are sealed to the organisers' own keys.
private-sealed-note = Your other answers (city, affiliation, comment, and your full name if you chose not to show it in full) are sealed to the organisers’ own keys: only they can read them, not this site, so they are not shown here.
# Heading of the private fields on the confirmation page.
private-fields-heading = Only the organisers can read
# A mail's greeting when the name is not known (it is sealed to the organisers).
mail-greeting-anonymous = Hello,
