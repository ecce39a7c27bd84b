//! The outbox: mail waiting to be sent, leased by a worker, finished, retried or given up; and
//! the budgets that limit the mail one address gets.

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};

use super::error::StoreResult;
use crate::outbox::{FailedMail, MailKind, QueuedMail};
use crate::signature::MailBudget;

#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Takes up to `limit` mails that are due, leasing them for `lease` so that no other worker
    /// sends them meanwhile.
    async fn claim_mail(
        &self,
        now: OffsetDateTime,
        lease: Duration,
        limit: u32,
    ) -> StoreResult<Vec<QueuedMail>>;

    /// The mail went out (or is moot): drop it from the outbox, if the lease it was claimed with
    /// still holds it (a worker whose lease ran out finishes nothing). Whether it did.
    async fn mail_done(&self, mail: &QueuedMail) -> StoreResult<bool>;

    /// Several mails went out: drop them in one transaction (one write for a whole batch), each
    /// only under the lease it was claimed with.
    async fn mails_done(&self, mails: &[QueuedMail]) -> StoreResult<()>;

    /// The mail failed: try again at `retry_at`, or never (`None`), keeping the error (an SMTP
    /// code and class, never the server's text); only under the lease it was claimed with.
    async fn mail_failed(
        &self,
        mail: &QueuedMail,
        error: &str,
        retry_at: Option<OffsetDateTime>,
    ) -> StoreResult<bool>;

    /// Mails given up, newest first (for the admin pages).
    async fn failed_mail(&self, limit: u32) -> StoreResult<Vec<FailedMail>>;

    /// Puts mails given up back in the outbox, due at `now`: those with these ids, or all
    /// (`None`). How many.
    async fn retry_failed_mail(&self, ids: Option<&[i64]>, now: OffsetDateTime) -> StoreResult<u64>;

    /// A batch job went `cursor` far: it is due again at once (if its lease still holds it).
    async fn mail_progress(&self, job: &QueuedMail, cursor: i64, now: OffsetDateTime) -> StoreResult<()>;

    /// Queues one mail of a kind for a row, with a cursor (an update to one signer, again).
    async fn queue_mail(
        &self,
        kind: MailKind,
        ref_id: i64,
        cursor: Option<i64>,
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    /// Counts one mail against the budget of `key` (a keyed hash of a purpose and an address):
    /// whether it was within the budget, so that the mail may go. Counts even when it was not.
    async fn take_mail_budget(
        &self,
        key: &[u8],
        budget: MailBudget,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;
}
