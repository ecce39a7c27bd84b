# Issue 16: organisations campaigning together, partners, consent per partner, where signers came from.

# The campaign page and its sign form
sign-consent-default = Let { $org } keep me informed of its work (you can withdraw this at any time).
partners-heading = Campaigning together
partners-lead = lead

# The manage page
manage-consents-heading = Organisations you agreed to hear from
manage-consent-given = You agreed that { $org } may keep you informed.
manage-consent-withdraw = Withdraw this consent

# The campaign dashboard
dashboard-sources-heading = Where signers came from
dashboard-by-partner = Confirmed signatures by partner link
dashboard-partner-column = Partner
dashboard-no-partner = No partner's link
dashboard-by-source = Confirmed signatures by source code
dashboard-source-column = Source (?src=)
dashboard-no-source = No source code

# The organisations
organisations-heading = Organisations
organisations-intro = Organisations campaign together: each has its own members, its own key, and its own link and consent question on the campaigns it partners.
organisations-none = You are not a member of any organisation yet.
organisations-create-heading = Add an organisation
organisations-create-button = Add the organisation
organisation-name = Name
organisation-slug = Short name in links
organisation-slug-hint = 2 to 40 letters a-z, digits and hyphens: it is the PARTNER in /c/campaign?via=PARTNER.
organisation-type = Type
organisation-region = Country or region
organisation-region-hint = Its two-letter code, such as HK or GB.
organisation-website = Website
organisation-error-slug-taken = Another organisation has this short name already.
form-error-org-slug = Use 2 to 40 letters a-z, digits and hyphens.
form-error-org-name = Give the organisation's name (at most 200 characters).
form-error-org-region = Give a two-letter country or region code, such as HK.
form-error-org-website = Give an address that starts with https:// or http://.
form-error-member-email = There is no organiser's account with this address: invite them to the site first.
form-error-member-role = Choose admin or member.
org-role-admin = admin
org-role-member = member
organisation-back = Back to the organisation
organisation-campaigns-heading = Campaigns it partners
organisation-no-campaigns = No campaign lists this organisation as a partner yet.
organisation-link = Its own link:
organisation-count-total = Confirmed signatures in all
organisation-count-via = Through its link
organisation-count-consenting = Consenting to hear from it
organisation-export = Export the signers who consented (sealed to its key)
organisation-export-no-key-heading = No key, no export
organisation-export-no-key = The export is sealed to the organisation's own age key, and it has none yet: an admin of the organisation sets one below.
organisation-webhooks-heading = Its own webhooks
organisation-webhooks-intro = An endpoint here hears of the signers who consented to this organisation only: their confirmations, their withdrawals and consents withdrawn, with their names and addresses.
organisation-webhook-add = Add the endpoint
organisation-webhook-delete = Delete
organisation-details-heading = Its details
organisation-details-intro = Its name, type, country or region and website, as the pages of the campaigns it partners show them. Its short name, { $slug }, stays: partners' links carry it.
organisation-details-save = Save the details
organisation-key-heading = Its key
organisation-key-intro = The age public key (age1…) its exports are sealed to. Only who holds the secret key can open them; the server never sees it.
organisation-key = Public key
organisation-key-hint = The line that starts with age1, as age-keygen prints it. Leave it empty to remove the key.
organisation-key-save = Save the key
organisation-logo-heading = Its logo
organisation-logo-intro = Shown by its name on the page of every campaign it partners, and here. The picture is made small, and everything but its pixels is taken out before it is kept: where and when it was taken, the camera, and all else in the file.
organisation-logo-file = Logo
organisation-logo-hint = A JPEG, PNG or WebP picture, up to { $megabytes } MB. A new one takes the place of the old.
organisation-logo-upload = Upload the logo
organisation-logo-remove = Remove the logo
organisation-members-heading = Members
organisation-member-add-heading = Add a member
organisation-member-add-intro = Members see the counts and export the consenting signers; admins also manage the members, the key and the webhooks.
organisation-member-add = Add

# A campaign's partners
organise-tab-partners = Partners
partners-intro = Choose the organisations that run this campaign together: one may lead. Each gets its own link; where you allow it, a signer who came through it (or any signer, for the lead) is asked whether it may keep them informed.
partners-none = No partners yet.
partners-lead-label = The lead organisation (listed first; its question is asked of every signer)
partners-consent-label = Ask signers for consent to hear from it
partners-consent-text = The question in { $lang }
partners-consent-text-hint = Leave empty for the default: "Let … keep me informed of its work".
partners-save = Save
partners-remove = Remove
partners-add-heading = Add a partner
partners-organisation = Organisation
partners-add = Add the partner
partners-error-organisation = Choose one of the site's organisations.
partners-error-text = A consent question is one line of at most 300 characters.
