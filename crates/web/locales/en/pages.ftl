## The site's own pages (privacy notice, terms, imprint, accessibility statement): their names,
## the footer's links, the links beside forms, the admins' editor, and the texts the server
## comes with.

site-page-privacy = Privacy notice
site-page-terms = Terms of use
site-page-imprint = Imprint and contact
site-page-accessibility = Accessibility statement
footer-pages-label = About this site
privacy-link = Privacy notice: what this site keeps about you and why
site-page-other-language = This page is not written in your language yet: here it is in { $language }.
site-page-changed = Last changed on { $date }.
site-page-built-in = This is the text that comes with Undersigned, the software this site runs on: the people who run this site have not written their own yet.

organise-pages-link = Site pages
site-pages-heading = The site's pages
site-pages-intro = Every page links to these in its footer, and every form that asks for personal data links to the privacy notice. Write each page in each language; where a page is not written in a visitor's language, they read it in English if it is written in English, else the built-in text where there is one, else in a language it is written in. The privacy notice and the accessibility statement have a built-in text until you write your own; the terms and the imprint are not shown at all until you write them.
site-pages-language = Language
site-pages-state = State
site-pages-change = Change
site-pages-state-written = Written by { $name } on { $date }
site-pages-state-written-gone = Written on { $date }
site-pages-state-built-in = Built-in text
site-pages-state-missing = Not written: not shown
site-pages-edit = Edit { $page } in { $language }
site-pages-saved = The page was saved.
site-pages-deleted = The page's text in that language was deleted.
site-page-edit-heading = { $page } in { $language }
site-page-edit-view = See the page as visitors see it
site-page-edit-from-default = The form starts from the built-in text: change what is not true of your site (who runs it, how to reach them), then save.
site-page-title-label = Title
site-page-body-label = Text
site-page-body-hint = Markdown: a blank line between paragraphs, ## for a heading, - for a list item, [words](https://example.org) for a link. At most 100,000 characters.
site-page-save = Save
site-page-preview = Preview
site-page-preview-heading = Preview (not saved yet)
site-page-delete-heading = Delete this text
site-page-delete-built-in = Visitors in this language will read the built-in text again (or this page in another language you wrote).
site-page-delete-missing = Visitors in this language will read this page in another language you wrote; written in none, it is no longer shown.
site-page-delete = Delete
form-error-page-title = Enter a title: 1 to 200 characters.
form-error-page-body = Enter the text: 1 to 100,000 characters.

# The built-in privacy notice, in Markdown. It must stay true of what the software does: change it
# with the code. $imprint is "yes" when the site's imprint is written; $retention, $iphash and
# $session are days.
site-page-privacy-default =
    This notice says what this site keeps about you, why, for how long, and who sees it. It describes what Undersigned, the software this site runs on, does.

    ## Who is responsible

    The people who run this site decide what happens to the data on it: they are its controller. { $imprint ->
        [yes] They say who they are and how to reach them in the [imprint](/imprint).
       *[no] They have not yet said here who they are and how to reach them: until they do, ask the organisers named on the campaign you took part in.
    }

    ## When you sign a campaign

    You give your name, your email address and your country; a campaign's form may also ask for your city, an affiliation and a comment. You choose how your name is shown: in full, as your first name and initial, or not at all.

    - Public: your name as you chose to show it, your country and the date, on the campaign's list of signatures and in its public log (below). Your email address, city, affiliation and comment are never shown.
    - Your signature counts once you confirm it from the email we send you.
    - The confirmation email has a link to withdraw your signature. From the campaign's page you can ask for a link to manage it: see everything kept about it, change how your name is shown and whether you get news, download it all, or withdraw.
    - You get the campaign's news by email only if you ticked the box for it; every news email has a link to stop it.

    ## How it is kept

    Email addresses, and what you gave that is not public, are stored encrypted under a key that is kept apart from the database: a copy of the database alone gives none of them away. Addresses are compared through a keyed hash, so that each person is counted once. Where a campaign's owners have a key of their own, what is not public is encrypted to their key, and this server cannot read it at all.

    ## Your IP address

    Your IP address is neither stored nor logged. A hash of it, made with a key that changes every day, is kept with a signature or an endorsement for { $iphash } days, to find many signatures from one connection; then the hashes and the day's key are deleted, and nobody can trace them back to you. The limits against abuse count requests in memory, for an hour, and write nothing down.

    ## Endorsements, comments and proposals

    - An endorsement: the organisation's name, type, country, website and statement are public once the organisers approve it. The contact person's name and email address are for the organisers only, encrypted like a signer's.
    - A comment: your name, your website if you give one, and your text are public once you confirm the comment from the email we send you. Your email address is never shown.
    - A proposal for a new campaign: your name is shown to its sponsors and moderators, and on the campaign once it is published. Your email address is never shown. Sponsors sign the proposal as signers sign a campaign.

    ## Who sees what

    - A campaign's organisers see its signatures and can export them; only its owners can export email addresses, and every export is recorded. They can have signatures sent to their own systems as they come in (webhooks, an API), with email addresses only if they choose to.
    - The site's admins can do what any campaign's organisers can.
    - Nobody else: this site sells nothing, shows no advertising, and shares nothing with anyone.

    ## The public log

    Each campaign keeps a public, tamper-evident log of its signatures, so that anyone can check that its list was not changed. An entry holds what the public list shows (the minute you signed, your name as you chose to show it, your country), a hash of the campaign's text you read, and a commitment to your email address: a hash of the address with a random salt. The salt is in your confirmation email; without it, the address cannot be found from the entry. Nothing is ever removed from the log: a withdrawal adds an entry that revokes the signature.

    ## Emails

    Emails go out through the mail server that the people who run this site chose, which sees the address and the message, as every mail server does. We send only what you asked for: the confirmation, the links you asked for, and news if you chose it.

    ## Cookies, and nothing from elsewhere

    No cookie follows you. This site sets at most three, each needed for it to work: `lang`, the language you chose with a link on the page (kept for a year); `csrf`, a random value that protects forms against other sites (until you close the browser); and `session`, for organisers who log in ({ $session } days).

    Nothing on these pages is loaded from another site: no fonts, scripts, analytics, videos or share buttons. No tracking, no profiling.

    ## How long it is kept

    { $retention } days after a campaign closes, its personal data is cleared: email addresses and their hashes, IP hashes, the news choice and what is not public are removed, unconfirmed signatures are deleted, endorsers' contacts cleared, and commenters' addresses deleted. The counts, the countries and the names as shown publicly stay, so that the result can still be checked; the log's salts are deleted, so its entries can no longer be linked to anyone. If you withdraw, your signature and everything kept with it are deleted at once.

    ## Your rights

    You may see, download, correct and delete what is kept about your signature, from the link to manage it. For anything else, or to complain, write to the people who run this site; you may also complain to your data protection authority.

# The built-in accessibility statement, in Markdown. $imprint is "yes" when the site's imprint is
# written.
site-page-accessibility-default =
    This site aims to meet the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA, for everyone who signs, endorses, comments or organises here.

    ## What is done

    - Every page works without JavaScript, and every form can be filled in and sent with a keyboard alone.
    - Each page says its language, and each campaign's text is marked with the language it is written in, so that screen readers read Chinese as Chinese.
    - A mistake in a form is named beside its field and listed at the top of the form, and what you typed is kept.
    - Pages fit a phone's screen as well as a desktop's.
    - Each change to the software is tested in a browser with axe, an automatic checker of the WCAG rules, on its pages at desktop and phone widths, in English and in Chinese.

    ## What is known not to work yet

    - Making a key pair in the browser and opening a sealed export in the browser need JavaScript; without it, those pages show the commands that do the same.
    - An automatic checker does not find everything, and what organisers write (a campaign's text, its links) is theirs to make clear.

    ## Tell us

    If something on this site is hard or impossible for you to use, { $imprint ->
        [yes] tell the people who run it (see the [imprint](/imprint)): say which page, and what happened.
       *[no] tell the organisers named on the campaign's page: say which page, and what happened.
    }
