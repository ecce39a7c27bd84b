//! Moderating signatures: invalidating in bulk, reversibly, and the abuse rule's flags.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::CampaignId;
use crate::moderation::{Invalidation, IpGroup, SignatureFilter};
use crate::signature::Signature;

#[async_trait]
pub trait ModerationStore: Send + Sync {
    /// How many signatures (not invalidated yet) the conditions match.
    async fn matching_signatures(&self, campaign: CampaignId, filter: &SignatureFilter) -> StoreResult<i64>;

    /// Invalidates every signature the conditions match, in one recorded, reversible step: they
    /// leave the counts and lists. Returns the invalidation's id and how many it took.
    async fn invalidate(
        &self,
        campaign: CampaignId,
        filter: &SignatureFilter,
        actor: &str,
        now: OffsetDateTime,
    ) -> StoreResult<(i64, i64)>;

    /// Undoes an invalidation: its signatures count again. How many.
    async fn restore_invalidation(
        &self,
        campaign: CampaignId,
        id: i64,
        now: OffsetDateTime,
    ) -> StoreResult<i64>;

    /// A campaign's invalidations, newest first.
    async fn invalidations(&self, campaign: CampaignId) -> StoreResult<Vec<Invalidation>>;

    /// Flagged by the abuse rule: IP hashes with at least `min` signatures on the campaign.
    async fn busy_ip_keys(&self, campaign: CampaignId, min: i64) -> StoreResult<Vec<IpGroup>>;

    /// The latest signatures, pending or confirmed, not invalidated, for moderators.
    async fn latest_signatures(&self, campaign: CampaignId, limit: u32) -> StoreResult<Vec<Signature>>;
}
