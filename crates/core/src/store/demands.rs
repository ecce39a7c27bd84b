//! Demands met (`crate::demand`): marking a demand met or not, with its news to the signers.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::CampaignId;
use crate::demand::DemandMet;
use crate::update::UpdateText;

/// News the server posts on the organisers' behalf (a demand met, a milestone reached): an update
/// (`crate::update`) by `author`, mailed to the signers who asked for news as any update is.
#[derive(Clone, Copy, Debug)]
pub struct News<'a> {
    pub author: &'a str,
    pub texts: &'a [UpdateText],
}

#[async_trait]
pub trait DemandStore: Send + Sync {
    /// Marks the demand `key` of a campaign met (or, with `None`, not met), in one transaction
    /// with the `demand.met` webhook event and, when given, the news. `false` when the campaign
    /// has no such demand.
    async fn mark_demand(
        &self,
        campaign: CampaignId,
        key: u32,
        met: Option<&DemandMet>,
        news: Option<News<'_>>,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;
}
