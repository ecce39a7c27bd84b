## Proposals from the public (issue 15): the form, the proposer's private page, sponsoring, the
## public list of rejected proposals, the moderators' queue and the site's settings.

propose-heading = Start a petition
propose-intro = Anyone may propose a petition here. It is published once enough people back it and a moderator has checked it.
propose-step-write = Write your petition: what you ask, of whom, and why.
propose-step-confirm = Confirm your email address from the message we send you. It holds your private link to your proposal: keep it.
propose-step-sponsors = Pass the sponsor link on: your first supporters back the proposal, each confirming by email. Their signatures are its first.
propose-step-moderation = With enough sponsors, a moderator publishes it, or rejects it with a reason that is published.
propose-lang = The language you write it in
propose-title-hint = A short line that says what you ask for.
propose-summary-hint = One or two sentences shown under the title and when the petition is shared.
propose-target-hint = Whom the petition asks: a person, a body or an organisation that can do what you ask.
propose-body-hint = Why this matters. In Markdown: a blank line between paragraphs.
propose-demands-hint = One demand a line, in order. They are numbered when published.
propose-you = About you
propose-name-hint = Shown on the petition as the person who started it.
propose-email-hint = We send your private link here. Your address is never shown.
propose-privacy = We keep your name and address to tell you about your proposal; your address is never shown, and the moderators see only your name.
propose-button = Propose the petition
propose-sent-text = We have sent a message to the address you gave. Open the link in it to confirm your proposal and get the link to pass on to your sponsors.

proposal-private-heading = Your proposal
proposal-private-keep = This page is yours alone: anyone with its address can change your proposal until someone sponsors it. Do not share it; share the sponsor link.
proposal-state-unconfirmed = Waiting for you to confirm your address
proposal-state-gathering = Gathering sponsors
proposal-state-moderation = Waiting for a moderator
proposal-state-published = Published
proposal-state-rejected = Rejected
proposal-confirm-text = Confirm that this is your address to start gathering sponsors.
proposal-confirm-button = Confirm my proposal
proposal-sponsors = { $count } of { $needed } sponsors have confirmed
proposal-sponsors-label = Sponsors so far
proposal-sponsor-link-heading = Your sponsor link
proposal-sponsor-link-text = Send this link to people who support your petition. Once { $needed } of them have confirmed by email, a moderator looks at it.
proposal-sponsor-link-label = Sponsor link
proposal-published-text = Your petition is published, and you are its owner. We have emailed you a link to set a password for managing it.
proposal-published-link = See the petition
proposal-login-link = Sign in to manage it
proposal-rejected-text = A moderator rejected your proposal for this reason:
proposal-edit-heading = Change your proposal
proposal-edit-note = You can change it until the first sponsor signs: from then on, it stays as they read it.
proposal-save-button = Save the changes
proposal-frozen = Sponsors have signed this text, so it can no longer be changed.

sponsor-heading = A proposal looking for sponsors
sponsor-notice = { $proposer } proposes this petition and asks you to sponsor it. It is not published yet: once enough sponsors have confirmed, a moderator checks it.
sponsor-in-moderation = It has enough sponsors and waits for a moderator; you can still add your name.
sponsor-button = Sponsor this petition
sponsor-explained = Sponsoring is signing: your signature is among its first when it is published.
sponsor-check-email = We have sent a message to the address you gave. Open the link in it to confirm: only then do you count as a sponsor.
sponsor-decided-heading = This proposal has been decided
sponsor-published = A moderator has published it: it is a petition now, and you can sign it on its page.
sponsor-published-link = Go to the petition
sponsor-rejected = A moderator rejected it, so it no longer takes sponsors. The reason:
sponsor-thanks-heading = Thank you for sponsoring
sponsor-thanks-text = You have confirmed. { $count } of { $needed } sponsors so far. We will email you when a moderator has decided.

rejection-duplicate = There is already a petition about this.
rejection-not-actionable = It asks for something its target cannot do.
rejection-offensive = It is offensive, defamatory, or otherwise could not be published.
rejection-personal-data = It contains someone’s personal information.
rejection-other = Another reason, given in the moderator’s note.

rejected-heading = Rejected proposals
rejected-intro = Proposals that moderators did not publish, with their reasons. Proposals rejected as offensive or for holding personal information are not listed.
rejected-reason = Reason:
rejected-none = No proposal has been rejected.

proposals-heading = Proposals
proposals-intro = Proposals from the public. A proposal waits for a moderator once { $needed } sponsors have confirmed; you can decide earlier.
proposals-public-link = The public list of rejected proposals
proposals-by = proposed by { $name }
proposals-read = Read and edit the draft
proposals-publish = Publish
proposals-reason = Reason for rejecting
proposals-reason-hidden = (not listed publicly)
proposals-note = Note
proposals-note-hint = Published with the reason, unless the reason is not listed. Required for “duplicate” (name the petition) and “another reason”.
proposals-reject = Reject
proposals-delete = Delete for good
proposals-none = No proposal waits.
proposals-rejected-heading = Rejected

site-settings-heading = Site settings
site-settings-who = Who may start a petition
site-settings-who-admins = Only admins
site-settings-who-organisers = Any organiser with an account
site-settings-who-anyone = Anyone: the public proposes, sponsors back it, moderators decide
site-settings-sponsors = Sponsors a proposal needs
site-settings-sponsors-hint = How many people must confirm their support before a moderator sees a proposal (0 to 1000).
site-settings-save = Save the settings

form-error-who-starts = Choose who may start a petition.
form-error-sponsors-needed = Enter a whole number from 0 to 1000.
form-error-reason = Choose a reason.
form-error-note = Write a note (up to 2,000 characters): this reason needs one.

organise-proposals-link = Proposals
organise-settings-link = Site settings
home-propose-link = Start a petition
home-rejected-link = Rejected proposals

mail-confirm-proposal-subject = Confirm your proposal: { $title }
mail-confirm-proposal-intro = You (or someone using your address) proposed the petition “{ $title }”.
mail-confirm-proposal-action = To confirm it and get the link to pass on to your sponsors, open this link and press “Confirm my proposal”:
mail-confirm-proposal-button = Confirm my proposal
mail-confirm-proposal-keep = Keep this message: the link is your private way back to your proposal, to change it and follow it, until { $date }.
mail-confirm-proposal-not-you = If this was not you, ignore this message: nothing will be published.
mail-proposal-published-subject = Published: { $title }
mail-proposal-rejected-subject = Not published: { $title }
mail-proposal-published-proposer = A moderator has published your petition “{ $title }”. You are its owner.
mail-proposal-published-sponsor = The petition “{ $title }” that you sponsored has been published. Your signature counts among its first.
mail-proposal-set-password = To manage it (see its signatures, write updates to its signers), set a password for your account:
mail-proposal-login = Sign in to manage it:
mail-proposal-rejected-proposer = A moderator did not publish your proposal “{ $title }”. The reason:
mail-proposal-rejected-sponsor = The proposal “{ $title }” that you sponsored was not published. The reason:

## Thresholds: what the campaign page shows, the forms that set them, the team's mail.
threshold-next = Next threshold: { $number } signatures.
threshold-progress-label = Towards the next threshold
thresholds-reached-label = Thresholds reached
threshold-reached = { $number } reached on
organise-tab-thresholds = Thresholds
thresholds-intro = When the count reaches a threshold, the campaign page says so with the date, webhooks hear of it and the campaign’s team is emailed.
thresholds-site = The site’s thresholds, which apply to every campaign:
thresholds-save = Save the thresholds
thresholds-legend = Thresholds
thresholds-hint = One a line: the number of signatures, a colon, what happens then. For example “10,000: the target is asked for a response”.
thresholds-in = In { $language }
form-error-thresholds-en = Write one threshold a line: a whole number above 0, a colon, then what it means (each number once, at most 20).
form-error-thresholds-zh-Hans = { form-error-thresholds-en }
form-error-thresholds-zh-Hant = { form-error-thresholds-en }

## The home page's listing and search, and the archive.
home-search-label = Search the campaigns
home-search-button = Search
home-sort-label = Order
home-sort-active = Most signed today
home-sort-newest = Newest
home-sort-closing = Closing soon
home-count = { $count ->
    [one] { $number } signature
   *[other] { $number } signatures
}
home-closes = closes on { $date }
home-no-match = No campaign has all these words. Try fewer words, or other ones.
home-pages-label = Pages
home-previous = Previous page
home-next = Next page
home-page = Page { $page } of { $pages }
home-archive-link = The archive: campaigns that have closed or were won
archive-heading = The archive
archive-empty = No campaign has closed yet.
archive-back = The open campaigns

## Taking a campaign down, by an admin, with a public reason.
organise-tab-takedown = Take down
takedown-heading = Take the campaign down
takedown-intro = As an admin you can take this campaign down: its page then says it was taken down and gives your reason, and everyone who signed is told by email. Its signatures are kept until the retention period ends, and its owner can put it back.
takedown-reason = The public reason
takedown-reason-hint = Shown on the campaign’s address and sent to its signers.
takedown-button = Take it down
takedown-not-public = This campaign is not public: there is nothing to take down.
takedown-public-heading = This campaign was taken down
takedown-public-text = The site’s administrators took it down on { $date }. Their reason:
form-error-takedown-reason = Write the reason (up to 2,000 characters).
mail-taken-down-subject = Taken down: { $title }
mail-taken-down-intro = The campaign “{ $title }” that you signed was taken down by the site’s administrators. Their reason:
mail-taken-down-signature = Your signature is kept until the campaign’s retention period ends. To withdraw it now, and delete what we hold about it:

## What organisers hear of: their settings, the mails.
notices-link = Your mail and notices
notices-heading = Your mail and notices
notices-intro = What we email you at { $email } about the campaigns you organise, and in which language.
notices-lang = The language of your mail
notices-lang-site = The site’s language
notices-kind-endorsement = An endorsement waits for approval
notices-kind-comment = A comment is reported
notices-kind-proposal = A proposal waits for moderation
notices-kind-threshold = A campaign reaches a threshold
notices-kind-trend = Signing looks abnormal (one domain or network signing fast)
notices-mode-now = Email me at once
notices-mode-digest = In one email a day
notices-mode-off = Do not email me
notices-save = Save
form-error-notice-endorsement = Choose when to hear of this.
form-error-notice-comment = Choose when to hear of this.
form-error-notice-proposal = Choose when to hear of this.
form-error-notice-threshold = Choose when to hear of this.
form-error-notice-trend = Choose when to hear of this.
mail-notice-endorsement = An endorsement by { $organisation } waits for approval on “{ $title }”.
mail-notice-comment = A comment by { $name } on “{ $title }” was reported.
mail-notice-proposal = The proposal “{ $title }” has its sponsors and waits for moderation.
mail-notice-threshold = “{ $title }” has reached { $count } signatures.
mail-notice-trend = Signing on “{ $title }” looks abnormal: one email domain or network signs unusually fast.
mail-notice-settings = To choose what we email you, and when:
mail-digest-subject = { $count ->
    [one] One thing waits for you
   *[other] { $count } things wait for you
}
mail-digest-intro = { $count ->
    [one] Since your last digest:
   *[other] Since your last digest, { $count } things:
}
