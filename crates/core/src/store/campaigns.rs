//! Campaigns: reading them, creating and saving them from the organisers' pages, the text
//! they had before an edit, and the target's response.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::{Campaign, CampaignContent, CampaignId, Revision, Slug, TargetResponse};

#[async_trait]
pub trait CampaignStore: Send + Sync {
    /// Whether no campaign exists yet (first start: load the demo).
    async fn has_no_campaigns(&self) -> StoreResult<bool>;

    async fn campaign_by_slug(&self, slug: &Slug) -> StoreResult<Option<Campaign>>;

    async fn campaign_by_id(&self, id: CampaignId) -> StoreResult<Option<Campaign>>;

    /// Campaigns the public can see (open, closed, won), newest first.
    async fn public_campaigns(&self) -> StoreResult<Vec<Campaign>>;

    /// Every campaign, drafts included, newest first.
    async fn all_campaigns(&self) -> StoreResult<Vec<Campaign>>;

    /// Creates a campaign (a draft, from the organisers' pages); `Conflict` when the slug is taken.
    async fn create_campaign(
        &self,
        content: &CampaignContent,
        owner: Option<i64>,
        now: OffsetDateTime,
    ) -> StoreResult<CampaignId>;

    /// Saves a campaign's settings, status and versions. With `keep_revisions`, the text of every
    /// version it changes or removes is kept first, for the public history.
    async fn save_campaign(
        &self,
        id: CampaignId,
        content: &CampaignContent,
        keep_revisions: bool,
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    /// The texts versions had before edits made after people signed, newest first.
    async fn revisions(&self, campaign: CampaignId) -> StoreResult<Vec<Revision>>;

    /// Records (or replaces, or with `None` removes) the target's response.
    async fn set_response(
        &self,
        campaign: CampaignId,
        response: Option<&TargetResponse>,
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    async fn response(&self, campaign: CampaignId) -> StoreResult<Option<TargetResponse>>;
}
