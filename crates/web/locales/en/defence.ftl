# Bot defence: the "under attack" mode, the proof of work, block lists, trending alerts.

sign-error-pow-wrong = The check that a person is signing did not work out. Please send the form again.
sign-error-pow-forged = The check that a person is signing was not one this site gave. Please reload the page and send the form again.
sign-error-pow-expired = The check that a person is signing has expired (the page was open for long). Please send the form again.
sign-error-pow-replayed = This check was used for a signature already. Please send the form again for a new one.
sign-error-unsolved = Too many signatures without the check just now: try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}, or with JavaScript on.

pow-working = Checking that a person is signing (your browser does a small sum; nothing leaves it)…
pow-waiting = Almost done with the check: your signature is sent when it is finished…
pow-done = Check done.
pow-failed = The check could not run in this browser; the signature will be sent without it.
pow-progress = Progress of the check

organise-tab-defence = Bot defence
organise-defence-link = Bot defence
defence-heading = Bot defence
defence-intro = When bots sign this campaign, turn on the “under attack” mode: each signature then needs a small proof of work done by the signer's browser (no third party, nothing to solve by hand). People without JavaScript can still sign, at a slower rate. The lists below stop signatures from email domains and networks you name.
defence-intro-site = The site-wide “under attack” mode and block lists hold for every campaign, besides each campaign's own.
defence-mode-heading = “Under attack” mode
defence-mode-on = On since { $since }.
defence-mode-site-on = On for the whole site (the operator turned it on).
defence-mode-off = Off: signing needs no proof of work.
defence-why-hand = Turned on by hand
defence-why-rate = Turned on automatically: { $signatures } signatures from { $addresses } different networks in two minutes. It goes off after { $quiet } quiet minutes, or by hand.
defence-turn-on = Turn the “under attack” mode on
defence-turn-off = Turn the “under attack” mode off
defence-mode-explain = In the mode, each signature needs a proof of work done by the signer's browser; signatures without it (no JavaScript) are taken at a stricter rate.
defence-manage-link = Bot defence: block lists and alerts
defence-alerts-heading = Signing unusually fast (the last 24 hours)
defence-alert-domain = { $count } signatures from addresses at { $domain } in the hour from { $hour }
defence-alert-ip = { $count } signatures from the IP hash { $hash } in the hour from { $hour }
defence-alert-mailed = organisers mailed
defence-blocks-heading = Block lists
defence-blocks-intro = A signature from a blocked domain, network or IP hash is answered as any other (“check your email”) but is not kept, not counted and not mailed.
defence-blocked-domains = Blocked email domains
defence-blocked-domains-hint = One a line, like example.org: it blocks its subdomains too.
defence-blocked-ip-ranges = Blocked IP ranges
defence-blocked-ip-ranges-hint = One a line, like 203.0.113.0/24, 2001:db8::/32 or one address. Checked against each request's address; no address is stored.
defence-blocked-ip-hashes = Blocked IP hashes
defence-blocked-ip-hashes-hint = One a line, 32 hex digits, as the moderation page's links carry them. A hash stands for one address on one day (UTC).
defence-blocks-save = Save the block lists
form-error-blocked-domains = Write one email domain a line, like example.org.
form-error-blocked-ip-ranges = Write one IP range a line, like 203.0.113.0/24.
form-error-blocked-ip-hashes = Write one IP hash a line: 32 hex digits.

mail-trend-subject-domain = Unusually many signatures from { $domain } on “{ $title }”
mail-trend-subject-ip = Unusually many signatures from one network on “{ $title }”
mail-trend-domain = { $count } signatures of “{ $title }” came from addresses at { $domain } in the last hour.
mail-trend-ip = { $count } signatures of “{ $title }” came from one network (IP hash { $hash }) in the last hour.
mail-trend-action = If they look like bots, turn on the “under attack” mode or block them on the campaign's bot defence page:
