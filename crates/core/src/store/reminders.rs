//! Reminders to signers who have not confirmed, and addresses that mail cannot reach.

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};

use super::error::StoreResult;
use crate::campaign::CampaignId;
use crate::signature::MailBudget;

#[async_trait]
pub trait ReminderStore: Send + Sync {
    /// Whether the campaign reminds its signers who have not confirmed (off unless chosen).
    async fn reminds(&self, campaign: CampaignId) -> StoreResult<bool>;

    async fn set_reminds(&self, campaign: CampaignId, remind: bool) -> StoreResult<()>;

    /// Queues a reminder (`MailKind::RemindSignature`) to each pending signature of a campaign
    /// that reminds, signed between `after` + `within` and `after` ago, not reminded before and
    /// within its address's mail budget (which the reminder is counted against), at most `limit`:
    /// each claimed once, whichever instance gets it first. The signatures reminded.
    async fn queue_reminders(
        &self,
        after: Duration,
        within: Duration,
        budget: MailBudget,
        now: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<i64>>;

    /// Which of these address keys (`Keys::undeliverable_key`) are of addresses that mail failed
    /// to reach for good: one read for a batch of mails rather than one a mail.
    async fn undeliverable(&self, address_keys: &[&[u8]]) -> StoreResult<Vec<Vec<u8>>>;

    /// Marks an address undeliverable after the mail `outbox_id` to it failed for good (sending it
    /// again lifts the mark, see `OutboxStore::retry_failed_mail`), and the signatures made with
    /// it (by their keys, `signature_keys`: one per campaign) with it, for the dashboards' count.
    async fn mark_undeliverable(
        &self,
        address_key: &[u8],
        outbox_id: i64,
        signature_keys: &[Vec<u8>],
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    /// How many of a campaign's signers have an address that mail cannot reach.
    async fn undeliverable_signers(&self, campaign: CampaignId) -> StoreResult<i64>;

    /// The ids of every campaign, for the keys of an address's signatures.
    async fn campaign_ids(&self) -> StoreResult<Vec<CampaignId>>;
}
