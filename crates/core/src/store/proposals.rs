//! The site's settings for starting campaigns, and the public's proposals: written, confirmed,
//! sponsored, decided. Each method is one transaction.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::{CampaignContent, CampaignId};
use crate::proposal::{Decision, Proposal, ProposalState, SiteSettings};

/// A proposal as its form made it, with its text as a draft campaign.
#[derive(Clone, Debug)]
pub struct NewProposal {
    pub content: CampaignContent,
    pub proposer_name: String,
    pub proposer_email: crate::Email,
    pub email_key: Vec<u8>,
    pub lang: crate::Lang,
}

#[async_trait]
pub trait ProposalStore: Send + Sync {
    /// The site's settings (the defaults until an admin saves them).
    async fn site_settings(&self) -> StoreResult<SiteSettings>;

    async fn save_site_settings(&self, settings: &SiteSettings) -> StoreResult<()>;

    /// Stores a proposal (its draft campaign and its row, unconfirmed) and queues the mail that
    /// asks its proposer to confirm, in one transaction. `Conflict` when the slug is taken.
    async fn create_proposal(&self, proposal: &NewProposal, now: OffsetDateTime) -> StoreResult<Proposal>;

    async fn proposal(&self, id: i64) -> StoreResult<Option<Proposal>>;

    async fn proposal_of_campaign(&self, campaign: CampaignId) -> StoreResult<Option<Proposal>>;

    /// The proposals in these states, newest first.
    async fn proposals(&self, states: &[ProposalState]) -> StoreResult<Vec<Proposal>>;

    /// How many sponsors (signers of its draft) have confirmed, and whether anyone has signed
    /// it at all, confirmed or not.
    async fn sponsors(&self, campaign: CampaignId) -> StoreResult<(i64, bool)>;

    /// The proposer confirmed their address: it starts gathering sponsors. Whether it changed.
    async fn confirm_proposal(&self, id: i64, now: OffsetDateTime) -> StoreResult<bool>;

    /// A sponsor confirmed: when the proposal now has `needed` confirmed sponsors, it goes to the
    /// moderators (each admin is mailed). Whether it went.
    async fn proposal_sponsored(&self, id: i64, needed: u32, now: OffsetDateTime) -> StoreResult<bool>;

    /// A moderator's decision on a proposal gathering sponsors or waiting for moderation, in one
    /// transaction: published (its campaign opens, its proposer gets an account without a
    /// password if they had none, and owns it), or rejected with its reason; its proposer and
    /// each confirmed sponsor are mailed. `Ok(None)` when it was decided already or is not
    /// confirmed.
    async fn decide_proposal(
        &self,
        id: i64,
        decision: &Decision,
        open: &CampaignContent,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Proposal>>;

    /// Deletes the proposals never confirmed by their proposer and made before `before`, their
    /// drafts with them: an address nobody confirmed is not kept. How many.
    async fn forget_unconfirmed_proposals(&self, before: OffsetDateTime) -> StoreResult<u64>;

    /// Deletes a proposal that was not published, its draft and its sponsors' signatures with it.
    /// Whether there was one.
    async fn delete_proposal(&self, id: i64) -> StoreResult<bool>;
}
