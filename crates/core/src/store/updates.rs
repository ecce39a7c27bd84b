//! Updates: news posted by organisers, and the signers who asked for it.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::CampaignId;
use crate::signature::Signature;
use crate::update::{Update, UpdateText};

#[async_trait]
pub trait UpdateStore: Send + Sync {
    /// Publishes an update (a text per language); with `mail`, queues it for every signer who
    /// asked for news, in one transaction.
    async fn post_update(
        &self,
        campaign: CampaignId,
        author: &str,
        texts: &[UpdateText],
        mail: bool,
        now: OffsetDateTime,
    ) -> StoreResult<i64>;

    /// Updates, newest first: of one campaign, or of every campaign.
    async fn updates(&self, campaign: Option<CampaignId>, limit: u32) -> StoreResult<Vec<Update>>;

    async fn update(&self, id: i64) -> StoreResult<Option<Update>>;

    /// Confirmed signatures that asked for news, after the signature `after`, in order of id.
    async fn opted_in(&self, campaign: CampaignId, after: i64, limit: u32) -> StoreResult<Vec<Signature>>;

    /// The signer asks for no more news. Whether the signature exists.
    async fn unsubscribe(&self, signature: i64) -> StoreResult<bool>;
}
