//! What a campaign counts: the aggregated signatures, endorsements, and the dashboard's figures.

use super::error::StoreResult;
use crate::campaign::{CampaignId, CampaignStats};
use crate::signature::Counts;
use async_trait::async_trait;

#[async_trait]
pub trait CountStore: Send + Sync {
    /// Confirmed, valid signatures and endorsements. Signatures come from the aggregated counts
    /// plus the journal not yet folded: exact, and as cheap at ten million signatures as at ten.
    async fn counts(&self, campaign: CampaignId) -> StoreResult<Counts>;

    /// The campaign's signatures confirmed since `since` (the home page's "most signed in the
    /// last day"; a range of the index that lists them).
    async fn confirmed_since(&self, campaign: CampaignId, since: time::OffsetDateTime) -> StoreResult<i64>;

    /// Confirmed signatures per country or region, most first (from the same aggregation).
    async fn counts_by_country(&self, campaign: CampaignId) -> StoreResult<Vec<(String, i64)>>;

    /// Confirmed signatures per language version signed, most first (from the same aggregation).
    async fn counts_by_language(&self, campaign: CampaignId) -> StoreResult<Vec<(String, i64)>>;

    /// Folds the count journal into the aggregated counts; returns how many journal entries it
    /// folded. One aggregator at a time across all instances (PostgreSQL: an advisory lock; a
    /// second caller meanwhile folds nothing). Run about once a second by the server.
    async fn fold_counts(&self) -> StoreResult<u64>;

    /// What a campaign's dashboard shows beyond the counts.
    async fn campaign_stats(&self, campaign: CampaignId) -> StoreResult<CampaignStats>;
}
