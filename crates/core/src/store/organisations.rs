//! Organisations, their members, a campaign's partners, and what partners see of the signers who
//! consented to them (see [`crate::organisation`]).

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::CampaignId;
use crate::organisation::{
    LogoFile, Member, NewLogo, NewOrganisation, OrgRole, Organisation, Partner, PartnerCounts,
    PartnerSetting, SourceCounts,
};
use crate::picture::PictureKey;
use crate::signature::Signature;

#[async_trait]
pub trait OrganisationStore: Send + Sync {
    /// A new organisation; its id. `Conflict` when its slug is taken.
    async fn create_organisation(&self, org: &NewOrganisation, now: OffsetDateTime) -> StoreResult<i64>;

    /// Sets the organisation's name, type, region and website as `org` has them; its slug stays
    /// (partners' links carry it). Whether it was there.
    async fn update_organisation(&self, id: i64, org: &NewOrganisation) -> StoreResult<bool>;

    /// Every organisation, by name.
    async fn organisations(&self) -> StoreResult<Vec<Organisation>>;

    async fn organisation_by_slug(&self, slug: &str) -> StoreResult<Option<Organisation>>;

    /// Sets (or, with `None`, removes) the organisation's age public key. Whether it was there.
    async fn set_organisation_key(&self, id: i64, recipient: Option<&str>) -> StoreResult<bool>;

    /// Sets the organisation's logo in place of the one before, if any (whose address then serves
    /// nothing).
    async fn set_organisation_logo(&self, id: i64, logo: &NewLogo, now: OffsetDateTime) -> StoreResult<()>;

    /// Removes the organisation's logo. Whether it had one.
    async fn remove_organisation_logo(&self, id: i64) -> StoreResult<bool>;

    /// The logo with this key, to serve.
    async fn organisation_logo(&self, key: &PictureKey) -> StoreResult<Option<LogoFile>>;

    /// The organisation's members, by name.
    async fn organisation_members(&self, id: i64) -> StoreResult<Vec<Member>>;

    /// Adds the account to the organisation with `role`, or changes its role.
    async fn set_organisation_member(&self, id: i64, user_id: i64, role: OrgRole) -> StoreResult<()>;

    /// Whether the account was a member.
    async fn remove_organisation_member(&self, id: i64, user_id: i64) -> StoreResult<bool>;

    /// The organisations the account is a member of, with its role in each.
    async fn organisations_of(&self, user_id: i64) -> StoreResult<Vec<(Organisation, OrgRole)>>;

    /// The campaign's partners: the lead first, then in the order they were added.
    async fn campaign_partners(&self, campaign: CampaignId) -> StoreResult<Vec<Partner>>;

    /// Adds a partner or changes its setting; a lead makes any other partner not the lead.
    async fn set_campaign_partner(
        &self,
        campaign: CampaignId,
        setting: &PartnerSetting,
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    /// Whether it was a partner. Its signers' consents stay with them (withdrawable), unseen.
    async fn remove_campaign_partner(&self, campaign: CampaignId, organisation: i64) -> StoreResult<bool>;

    /// The campaigns the organisation partners, by id.
    async fn partnered_campaigns(&self, organisation: i64) -> StoreResult<Vec<CampaignId>>;

    /// What the organisation sees of a campaign it partners.
    async fn partner_counts(&self, campaign: CampaignId, organisation: i64) -> StoreResult<PartnerCounts>;

    /// The campaign's confirmed signatures whose signers consented to the organisation, oldest
    /// first.
    async fn consenting_signatures(
        &self,
        campaign: CampaignId,
        organisation: i64,
    ) -> StoreResult<Vec<Signature>>;

    /// The organisations a signature's signer consented to, by id.
    async fn signature_consents(&self, signature: i64) -> StoreResult<Vec<i64>>;

    /// The signer withdraws their consent to one organisation: the row goes, and the webhooks
    /// that heard of it (the campaign's, and the organisation's own) hear `consent.withdrawn`, in
    /// one transaction. Whether there was one.
    async fn withdraw_consent(
        &self,
        signature: i64,
        organisation: i64,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;

    /// The campaign's confirmed signatures by source code and by partner.
    async fn source_counts(&self, campaign: CampaignId) -> StoreResult<SourceCounts>;
}
