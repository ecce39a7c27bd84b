//! The organisers' own keys (see [`crate::owner_key`]): registered and activated with their audit
//! entries in one transaction; a campaign's recipients read at sealing time.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::account::AuditEntry;
use crate::owner_key::{CampaignRecipients, NewOwnerKey, OwnerKey};

#[async_trait]
pub trait OwnerKeyStore: Send + Sync {
    /// Stores a key waiting for its challenge and writes `audit` (the subject prefixed with
    /// `key #ID `), in one transaction; the key's id.
    async fn register_owner_key(&self, key: &NewOwnerKey, audit: &AuditEntry) -> StoreResult<i64>;

    /// One organiser's keys, newest first.
    async fn owner_keys(&self, user_id: i64) -> StoreResult<Vec<OwnerKey>>;

    /// Activates the organiser's key `id` if it waits and `code_hash` is its challenge's, retires
    /// the key that was active, and writes `audit`, in one transaction; whether it was activated.
    async fn activate_owner_key(
        &self,
        user_id: i64,
        id: i64,
        code_hash: &[u8; 32],
        now: OffsetDateTime,
        audit: &AuditEntry,
    ) -> StoreResult<bool>;

    /// The active keys of the campaign's owners, by key id.
    async fn campaign_recipients(&self, campaign_id: i64) -> StoreResult<CampaignRecipients>;
}
