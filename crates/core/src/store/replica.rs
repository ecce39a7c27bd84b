//! Reads that may lag: the public lists, which a PostgreSQL hot standby (`--database-replica`)
//! may serve, a second or so behind the primary, and the primary serves when the standby cannot.

use async_trait::async_trait;

use super::error::StoreResult;
use crate::campaign::{Campaign, CampaignId};
use crate::endorsement::Endorsement;
use crate::signature::{ListCursor, PublicSignature};

/// Each method answers what its namesake in the other areas answers, possibly as it was a moment
/// ago: on a backend without a standby (SQLite, or PostgreSQL without one) it is its namesake.
/// For what the public reads and can wait a second for; what an organiser has just changed and
/// expects to see, and whatever a decision rests on (counts, tokens, sessions, signing), read
/// with the namesakes, from the primary.
#[async_trait]
pub trait ReplicaStore: Send + Sync {
    /// [`super::SigningStore::public_signatures`]: the public signer lists.
    async fn replica_public_signatures(
        &self,
        campaign: CampaignId,
        after: Option<ListCursor>,
        limit: u32,
    ) -> StoreResult<Vec<PublicSignature>>;

    /// [`super::EndorsementStore::endorsements`]: the approved endorsements, as listed publicly.
    async fn replica_endorsements(&self, campaign: CampaignId) -> StoreResult<Vec<Endorsement>>;

    /// [`super::CampaignStore::public_campaigns`]: the public listings of campaigns.
    async fn replica_public_campaigns(&self) -> StoreResult<Vec<Campaign>>;
}
