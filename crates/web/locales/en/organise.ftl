## Logging in, passwords.

login-heading = Log in to organise
login-email = Email address
login-password = Password
login-button = Log in
login-forgot-link = Forgotten your password?
login-error-wrong = That email address and password do not match an account. Check both and try again.
login-error-rate-limit = Too many attempts to log in, for this account or from your connection. Wait an hour, or reset your password.
login-error-busy = Too many people are logging in at this moment. Wait a few seconds, then try again.
forgot-heading = Reset your password
forgot-intro = Enter your account’s email address: we send a link to set a new password.
forgot-button = Send the link
forgot-sent-heading = Check your email
forgot-sent-text = If an account has this address, a link to set a new password is on its way.
password-link-expired-text = This link to set a password has expired. Ask for a new one.
password-heading = Set your password
# $account: the account's email address.
password-intro = For the account { $account }.
# $min: the shortest password allowed.
password-new = New password (at least { $min } characters)
password-again = The same password again
password-button = Set the password and log in
form-error-password = The password must be at least 10 characters.
form-error-password-again = The two passwords are not the same.
error-403-title = Not allowed
error-403-text = Your account does not have the role this page needs. Ask the campaign’s owner or an admin.

## The organisers' pages.

organise-heading = Organise
# $name: the organiser's name.
organise-signed-in = Logged in as { $name }
organise-logout = Log out
organise-none = You have no role on any campaign yet. The owner of a campaign, or an admin, can give you one.
organise-back = Back to your campaigns
organise-invite-link = Invite an organiser
organise-audit-link = Audit log
organise-tabs-label = This campaign’s pages for organisers
organise-tab-dashboard = Dashboard
organise-tab-moderation = Moderation
organise-tab-offline = Offline endorsements
organise-tab-team = Team
organise-view-public = The public page
role-owner = owner
role-editor = editor
role-moderator = moderator
role-owner-hint = everything, including the team, the campaign’s status and the dates that open and close signing, and exports with email addresses
role-editor-hint = the campaign’s texts and settings (not its dates), exports without email addresses, and moderation
role-moderator-hint = moderation and endorsements collected offline

## Dashboard.

# $count: endorsements confirmed by their contact, waiting for approval.
dashboard-awaiting = { $count ->
    [one] One endorsement awaits approval
   *[other] { $count } endorsements await approval
}
# $count: endorsements whose contact has not confirmed by email.
dashboard-unverified = { $count ->
    [one] One endorsement awaits its contact’s confirmation
   *[other] { $count } endorsements await their contact’s confirmation
}
dashboard-export-heading = Delivery
dashboard-export = Download the signatures and endorsements (CSV)
dashboard-export-excel = Download them for Excel (CSV)
dashboard-export-emails = Download with email addresses (CSV)
dashboard-export-note = Every download is recorded in the audit log.

## Moderation.

moderation-endorsements-heading = Endorsements awaiting approval
moderation-empty = Nothing is waiting.
moderation-contact = Contact:
moderation-contact-sealed = (name sealed to the owners’ keys: this site cannot read it)
moderation-reason = Reason (kept in the audit log)
moderation-approve = Approve
moderation-reject = Reject

## Endorsements collected offline.

offline-intro = Endorsements that came by email or on paper: they are listed and counted at once, marked as collected offline.
offline-kind-legend = What came in
offline-kind-organisation = An organisation
offline-kind-individuals = A number of individuals, names withheld
offline-organisation-hint = For an organisation.
offline-individuals = How many individuals
offline-individuals-hint = For individuals, names withheld (“15 individuals”).
offline-source = Where it came from
offline-source-hint = For example “by email, 3 March” or “paper forms, May Day rally”.
offline-button = Add the endorsement
# $what: the organisation's name or "15 individuals".
offline-added = Added: { $what }.
form-error-individuals = Enter the number of individuals, a whole number above 0.
form-error-source = Say where the endorsement came from (at most 500 characters).

## The team, invitations.

team-name = Name
team-role = Role
team-empty = No one has a role on this campaign yet.
team-invite-heading = Give someone a role
team-invite-intro = We write to them with a link to set a password, unless they have an account already.
team-invite-button = Give the role
form-error-role = Choose a role.
invite-heading = Invite an organiser
invite-intro = We write to them with a link to set a password. Give them roles on campaigns from each campaign’s team page.
invite-admin = An admin: sees and may do everything on every campaign
invite-button = Send the invitation
invite-sent-heading = Invitation sent
invite-sent-text = The invitation is on its way, with a link to set a password.

## The audit log.

audit-heading = Audit log
audit-when = When
audit-who = Who
audit-action = What
audit-subject = On what
audit-detail = Detail
audit-empty = Nothing has been recorded yet.

## Mail to organisers.

# $site: the site's name.
mail-invitation-subject = You are invited to organise campaigns on { $site }
mail-invitation-intro = You have been invited to organise campaigns on { $site }.
mail-invitation-action = To accept, open this link and set your password:
mail-invitation-not-you = If you do not know why you received this, ignore it: no account is usable without the password you would set.
mail-password-reset-subject = Reset your password on { $site }
mail-password-reset-intro = Someone (we hope you) asked to reset the password of your account on { $site }.
mail-password-reset-action = To set a new password, open this link:
mail-password-reset-not-you = If you did not ask, ignore this message: your password stays as it is.
mail-set-password-button = Set my password

## Moderating signatures.

# $count: signatures flagged by the abuse rule.
dashboard-flagged = { $count ->
    [one] One signature is flagged
   *[other] { $count } signatures are flagged
}
moderation-flagged-heading = Flagged: many signatures from one connection
# $count: how many signatures from one connection flag them.
moderation-flagged-rule = Signatures are flagged when { $count } or more come from one internet connection on the same day (UTC). Its IP address is known only as a hash made with a key of that day, kept for a few days.
# $count: signatures; $hash: the start of the connection's keyed hash.
moderation-flagged-group = { $count ->
    [one] One signature from connection { $hash }
   *[other] { $count } signatures from connection { $hash }
}
moderation-no-flagged = No connection is flagged.
moderation-flagged-preview = Preview invalidating them
moderation-signatures-heading = Latest signatures
moderation-bulk-link = Invalidate signatures by conditions…
moderation-status = Status
signature-status-pending = waiting for confirmation
signature-status-confirmed = confirmed
moderation-invalidate = Invalidate
# $id: the signature's number.
moderation-invalidate-one = Invalidate #{ $id }
moderation-invalidations-heading = Invalidations
# $count: signatures; $conditions: what they matched; $actor: who; $date: when.
moderation-invalidation = { $count ->
    [one] One signature ({ $conditions }), by { $actor }, { $date }.
   *[other] { $count } signatures ({ $conditions }), by { $actor }, { $date }.
}
# $date: when the invalidation was undone.
moderation-restored = Restored { $date }.
moderation-restore = Restore them
moderation-no-invalidations = No signature has been invalidated.
invalidate-heading = Invalidate signatures
invalidate-intro = Invalidated signatures leave the counts and the lists. Nothing is deleted: an invalidation can be undone, and each is recorded.
invalidate-domain = Email domain
invalidate-domain-hint = The part of the address after @, such as example.org.
invalidate-any = Any
invalidate-from = Signed on or after
invalidate-until = Signed on or before
invalidate-ip = Connection (IP hash)
invalidate-ip-hint = From the list of flagged connections.
invalidate-signature = Signature number
invalidate-preview = Count the matching signatures
# $count: how many signatures the conditions match.
invalidate-matching = { $count ->
    [one] One signature matches
   *[other] { $count } signatures match
}
invalidate-button = { $count ->
    [one] Invalidate it
   *[other] Invalidate these { $count } signatures
}
form-error-email-domain = Enter a domain such as example.org.
form-error-from = Enter a date such as 2026-11-24.
form-error-until = Enter a date such as 2026-11-24.
form-error-ip = Enter the 32 characters of a connection’s hash.
form-error-signature = Enter a signature’s number.
form-error-conditions = Give at least one condition.

## Importing a spreadsheet of endorsements.

import-link = Import a spreadsheet (CSV) of endorsements collected on paper…
import-heading = Import endorsements from a CSV file
import-intro = One endorsement a row, the first row naming the columns. Type is organisation or individuals; an organisation needs its name, individuals their count; source says where they came from. Nothing is imported until every row is right, and then all rows are imported together.
import-columns = Columns:
import-file = The CSV file (UTF-8, at most 2 MB)
import-check-button = Check the file
import-errors-heading = Nothing was imported: the file has errors. Correct them and upload it again.
import-error-row = Row
import-error-column = Column
import-error-reason = What to change
# $count: rows to import.
import-preview-heading = { $count ->
    [one] One endorsement is ready to import
   *[other] { $count } endorsements are ready to import
}
import-button = { $count ->
    [one] Import it
   *[other] Import these { $count } endorsements
}
import-done = { $count ->
    [one] One endorsement was imported. It is listed and counted, marked as collected offline.
   *[other] { $count } endorsements were imported. They are listed and counted, marked as collected offline.
}
csv-error-type = Type must be organisation or individuals.
csv-error-column = This column is not one of those listed, or the row cannot be read.
csv-error-missing-column = This column is missing.
csv-error-too-many = The file has more than 10,000 rows: split it.
csv-error-empty = The file has no endorsement.
csv-error-encoding = The file could not be read as CSV in UTF-8: save it as “CSV UTF-8” and try again.

## A named person collected offline.

offline-kind-person = A person, named
offline-person = The person’s name
offline-person-hint = For a person.
form-error-person = Enter the person’s name: 1 to 200 characters, with no invisible characters.

# Taking access away
organise-people-link = People
people-heading = People
people-intro = Every organiser’s account. A disabled account cannot log in and its sessions end; “Log out everywhere” ends someone’s sessions on every device.
people-state = State
people-actions = Actions
people-state-admin = admin
people-state-organiser = organiser
people-state-disabled = disabled
people-admin = Make admin
people-demote = Remove admin rights
people-disable = Disable
people-enable = Enable again
people-log-out = Log out everywhere
people-error-last-admin = That is the last admin who can log in: make someone else an admin first.
team-remove = Remove from the team
team-error-last-owner = That is the campaign’s last owner: give someone else the owner role first.
login-error-disabled = This account has been disabled. Ask an admin of this site if you need it again.
edit-error-dates-owner = Only the campaign’s owners can change the dates that open and close signing, so nothing was saved. Put the dates back as they were to save your other changes.
invite-existing-heading = That address already has an account
invite-existing-admin-text = The account is now an admin. No invitation was needed.
invite-existing-text = Nothing was changed. To give them a role on a campaign, use the campaign’s team page.
dashboard-export-sealed = The downloads above are sealed to the keys of this campaign’s owners (a .csv.age file): only an owner’s secret key opens them. With the age command (Debian’s package “age”):
dashboard-export-sealed-browser = Or open one in this browser, on a page of this site that never sends your key or the file anywhere:
dashboard-export-open-link = open a sealed export
dashboard-export-no-key = No owner of this campaign has a key of their own yet, so these downloads are plain CSV files that anyone who gets hold of them can read. An owner who registers a key gets them sealed to it from then on.
dashboard-export-keys-link = Register a key
