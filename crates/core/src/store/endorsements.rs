//! Endorsements: by organisations through the form (confirmed by their contact, approved by an
//! organiser) and collected offline.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::CampaignId;
use crate::endorsement::{
    Endorsement, EndorsementContact, EndorsementRequest, EndorsementSpec, EndorsementState,
};

#[async_trait]
pub trait EndorsementStore: Send + Sync {
    /// Approved endorsements of a campaign, in the order they were entered.
    async fn endorsements(&self, campaign: CampaignId) -> StoreResult<Vec<Endorsement>>;

    /// Records an organisation's endorsement, waiting for its contact to confirm by email, and
    /// queues that mail, in one transaction.
    async fn request_endorsement(&self, request: &EndorsementRequest) -> StoreResult<i64>;

    /// One endorsement, in whatever state.
    async fn endorsement(&self, id: i64) -> StoreResult<Option<(Endorsement, EndorsementState)>>;

    async fn endorsement_contact(&self, id: i64) -> StoreResult<Option<EndorsementContact>>;

    /// The contact confirmed: the endorsement now waits for an organiser's approval.
    async fn verify_endorsement(&self, id: i64, now: OffsetDateTime) -> StoreResult<bool>;

    /// Endorsements in a state, oldest first, of one campaign or all.
    async fn endorsements_in(
        &self,
        campaign: Option<CampaignId>,
        state: EndorsementState,
    ) -> StoreResult<Vec<(Endorsement, EndorsementState)>>;

    /// An organiser's decision on a confirmed endorsement. `NotFound` for one not awaiting it.
    async fn decide_endorsement(
        &self,
        id: i64,
        approve: bool,
        reason: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    /// An endorsement that came by email or on paper, entered by an organiser: listed at once.
    async fn add_offline_endorsement(&self, campaign: CampaignId, spec: &EndorsementSpec)
    -> StoreResult<i64>;

    /// An endorsement collected offline that a program imports under `identifiers` (its own, such
    /// as `crm:1234`), listed at once, unless one of them was imported for the campaign before:
    /// then nothing is written. The endorsement's id, and whether it is new. Without
    /// identifiers, always new.
    async fn import_offline_endorsement(
        &self,
        campaign: CampaignId,
        spec: &EndorsementSpec,
        identifiers: &[String],
    ) -> StoreResult<(i64, bool)>;

    /// Several endorsements collected offline (a spreadsheet of paper forms), all or nothing.
    async fn add_offline_endorsements(
        &self,
        campaign: CampaignId,
        specs: &[EndorsementSpec],
    ) -> StoreResult<Vec<i64>>;

    /// Appends to their campaigns' signature logs a leaf for each listed endorsement that has
    /// none (listed before the log took endorsements: of its public form, with no commitment),
    /// so that an export of an older database verifies; how many. Run at every start: none the
    /// second time.
    async fn log_endorsements_listed_before(&self) -> StoreResult<u64>;
}
