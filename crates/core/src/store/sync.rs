//! What integrations read: a campaign's confirmed, valid signatures in the order they last
//! changed ([`crate::sync`]), one of them, and when a campaign was made and last changed.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::CampaignId;
use crate::sync::{SyncFilter, SyncStart, SyncedSignature};

#[async_trait]
pub trait SyncStore: Send + Sync {
    /// Up to `limit` of the campaign's confirmed, valid signatures matching `filter`, in the order
    /// they last changed (then by id), from `start`.
    async fn signatures_for_sync(
        &self,
        campaign: CampaignId,
        filter: &SyncFilter,
        start: SyncStart,
        limit: u32,
    ) -> StoreResult<Vec<SyncedSignature>>;

    /// How many of the campaign's confirmed, valid signatures match `filter`.
    async fn count_for_sync(&self, campaign: CampaignId, filter: &SyncFilter) -> StoreResult<i64>;

    /// A confirmed signature, valid or not, with when it last changed.
    async fn synced_signature(&self, id: i64) -> StoreResult<Option<SyncedSignature>>;

    /// When a campaign was made and when its settings or texts last changed.
    async fn campaign_dates(
        &self,
        campaign: CampaignId,
    ) -> StoreResult<Option<(OffsetDateTime, OffsetDateTime)>>;
}
