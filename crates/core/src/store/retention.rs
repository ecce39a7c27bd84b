//! Retention: personal data goes when its time is over (IP hashes and their daily keys, signers'
//! and endorsers' data after a campaign ended).

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::{CampaignId, RetentionDue};

#[async_trait]
pub trait RetentionStore: Send + Sync {
    /// Forgets the keyed IP hashes of signatures and endorsements made before `before`, the mail
    /// budgets whose window began before it, and then the daily keys of the days that ended by then (see `ip_hash_key`): a hash that was kept
    /// elsewhere (a backup) can no longer be recomputed from an address.
    async fn forget_ip_hashes(&self, before: OffsetDateTime) -> StoreResult<u64>;

    /// The key of the IP hashes made on `day` (days since 1970-01-01, UTC): the one kept, or
    /// `fresh` kept now when there is none. Every instance gets the same key for a day.
    async fn ip_hash_key(&self, day: i64, fresh: [u8; 32]) -> StoreResult<[u8; 32]>;

    /// Campaigns that ended (closed or won) before `before` and still hold personal data: their
    /// id, when they ended, and how many signatures and endorsements would be anonymised.
    async fn retention_due(&self, before: OffsetDateTime) -> StoreResult<Vec<RetentionDue>>;

    /// When a campaign ended, if it has (an open campaign whose end date has passed ended then).
    async fn ended_at(&self, campaign: CampaignId) -> StoreResult<Option<OffsetDateTime>>;

    /// Anonymises a campaign's signers and endorsers: counts, countries and the names as publicly
    /// shown stay; addresses, hashes and private fields go; unconfirmed signatures are deleted.
    /// Returns how many signatures were anonymised.
    async fn anonymise(&self, campaign: CampaignId) -> StoreResult<i64>;
}
