## A campaign's whole life: its deadline, unpublishing and republishing it, deleting a draft.

# $date: the day signing closes, written out; $time: the hour and minute, in UTC.
campaign-closes = Signing closes on { $date } at { $time } (UTC).
campaign-status-withdrawn = Withdrawn by its organisers
error-410-title = Campaign withdrawn
error-410-text = This campaign was withdrawn by its organisers. It no longer takes signatures, and its page is no longer public.
status-unpublish = Unpublish this campaign
status-withdraw = Withdraw this campaign
delete-link = Delete this draft
confirm-cancel = Cancel
take-down-unpublish-heading = Unpublish this campaign?
take-down-unpublish-text = Nobody has signed it, so it becomes a draft again: its public page disappears, and you can edit it and open it again later.
take-down-unpublish-button = Unpublish
take-down-withdraw-heading = Withdraw this campaign?
take-down-withdraw-text = It stops taking signatures, and its public address says that its organisers withdrew it. The signatures are kept until the retention period ends, and you can still export them. Its signers can still manage or withdraw their signatures, and you can republish it later.
take-down-withdraw-button = Withdraw the campaign
status-republish = Republish this campaign
take-down-republish-heading = Republish this campaign?
take-down-republish-text-open = It will be open for signatures again at its public address, as it was when it was withdrawn.
take-down-republish-text-closed = It will be public again, closed: it was closed when it was withdrawn, or its end date has passed since. It will not take signatures.
take-down-republish-text-won = It will be public again, as won.
take-down-republish-button = Republish the campaign
republish-error = Only a withdrawn campaign can be republished.
manage-campaign-withdrawn = This campaign was withdrawn by its organisers. You can still see, change, download or withdraw your signature.
unpublish-error = Only a public campaign can be unpublished.
take-down-delete-heading = Delete this draft?
take-down-delete-text = The draft, its language versions and everything entered for it are deleted for good. Only a draft that nobody signed can be deleted.
take-down-delete-button = Delete the draft
delete-error = Only a draft that nobody has signed can be deleted.
delete-done-heading = The draft was deleted
# $title: the deleted draft's title.
delete-done-text = “{ $title }” was deleted.
dashboard-removed-versions = Versions since removed
status-error-ended = A campaign whose end date has passed cannot open: change its end date first.
