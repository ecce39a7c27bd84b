//! The reads that may lag (`ReplicaStore`): each is its namesake, run through the dialect's
//! `lagging`, which PostgreSQL runs on its hot standby when it has one (`postgres/standby.rs`)
//! and SQLite on itself.

use async_trait::async_trait;
use undersigned_core::signature::{ListCursor, PublicSignature};
use undersigned_core::store::{CampaignStore, EndorsementStore, ReplicaStore, SigningStore, StoreResult};
use undersigned_core::{Campaign, CampaignId, Endorsement};

use super::super::store::Backend;

#[async_trait]
impl ReplicaStore for Backend {
    async fn replica_public_signatures(
        &self,
        campaign: CampaignId,
        after: Option<ListCursor>,
        limit: u32,
    ) -> StoreResult<Vec<PublicSignature>> {
        self.lagging(|store| store.public_signatures(campaign, after, limit)).await
    }

    async fn replica_endorsements(&self, campaign: CampaignId) -> StoreResult<Vec<Endorsement>> {
        self.lagging(|store| store.endorsements(campaign)).await
    }

    async fn replica_public_campaigns(&self) -> StoreResult<Vec<Campaign>> {
        self.lagging(|store| store.public_campaigns()).await
    }
}
