## A campaign's page.

campaign-versions-label = Language versions of this campaign
campaign-versions-intro = Read this campaign in:
# $language: the visitor's language; $shown: the language the campaign is shown in (each named in itself).
campaign-no-version = This campaign has no version in { $language } yet, so it is shown in { $shown }.
campaign-target = Addressed to
campaign-dated = Dated
campaign-demands-heading = Our demands
campaign-contact-heading = Contact
campaign-status-draft = Draft
campaign-status-open = Open for signatures
campaign-status-closed = Closed: this campaign no longer takes signatures
campaign-status-won = Won: this campaign reached its aim

## Endorsements.

endorsements-heading = Endorsed by
endorsements-region-none = Region not given
# $count: how many people endorsed together, names not listed.
endorsement-individuals = { $count ->
    [one] One individual
   *[other] { $count } individuals
}
org-type-trade-union = trade union
org-type-ngo = NGO
org-type-media = media
org-type-other = organisation
