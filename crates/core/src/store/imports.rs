//! Campaigns brought in from their files: the demo and `campaign import`.

use super::error::StoreResult;
use crate::campaign::{CampaignId, CampaignSpec};
use async_trait::async_trait;

#[async_trait]
pub trait ImportStore: Send + Sync {
    /// Creates or replaces campaigns by slug, all or nothing. Replacing keeps the campaign's
    /// identity (and so its signatures) and replaces its versions, demands and the endorsements
    /// that came from files.
    async fn import_campaigns(&self, specs: &[CampaignSpec]) -> StoreResult<Vec<CampaignId>>;

    /// Imports campaigns from their files as planned by [`crate::records::plan_import`], all or
    /// nothing, in one transaction: each campaign created or saved (keeping the text it replaces
    /// where planned), its files' endorsements replaced where planned, the records added (with the
    /// dates they carry; updates are not mailed), the win announced where the import declares it
    /// won (posted and mailed as [`super::UpdateStore::post_update`] with mail does), and its audit
    /// entry written. `Conflict` when a campaign was created, or its status changed (withdrawn
    /// included), since the import was planned.
    async fn apply_import(&self, imports: &[crate::records::CampaignImport]) -> StoreResult<Vec<CampaignId>>;
}
