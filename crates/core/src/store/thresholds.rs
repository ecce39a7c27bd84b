//! Thresholds (`crate::threshold`): a scope's labels (0: the site's; else a campaign's id), and
//! the crossings recorded.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::demands::News;
use super::error::StoreResult;
use crate::Lang;
use crate::campaign::CampaignId;
use crate::threshold::{Crossing, ThresholdLabel};

#[async_trait]
pub trait ThresholdStore: Send + Sync {
    /// The labels of a scope's thresholds, every language.
    async fn thresholds(&self, scope: i64) -> StoreResult<Vec<ThresholdLabel>>;

    /// The scopes that have thresholds (0: the site; else campaigns' ids): none, on most sites.
    async fn threshold_scopes(&self) -> StoreResult<Vec<i64>>;

    /// Replaces a scope's thresholds in one language.
    async fn set_thresholds(&self, scope: i64, lang: &Lang, labels: &[ThresholdLabel]) -> StoreResult<()>;

    /// The thresholds a campaign has crossed, by count.
    async fn crossings(&self, campaign: CampaignId) -> StoreResult<Vec<Crossing>>;

    async fn crossing(&self, id: i64) -> StoreResult<Option<Crossing>>;

    /// Records that a campaign reached a threshold, once (by any instance): with it, in one
    /// transaction, the webhook event, a mail to each member of the campaign's team and, when
    /// given, the news to its signers (a milestone they are mailed about). `None` when it was
    /// recorded before.
    async fn cross_threshold(
        &self,
        campaign: CampaignId,
        count: i64,
        news: Option<News<'_>>,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Crossing>>;

    /// The counts at which a campaign's signers who asked for news are mailed (milestones), in
    /// order.
    async fn milestone_mails(&self, campaign: CampaignId) -> StoreResult<Vec<i64>>;

    /// Replaces them.
    async fn set_milestone_mails(&self, campaign: CampaignId, counts: &[i64]) -> StoreResult<()>;
}
