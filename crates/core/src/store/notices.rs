//! Organisers' notices (`crate::notice`): their choices, and the daily digests.

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};

use super::error::StoreResult;
use crate::notice::NoticeSettings;
use crate::outbox::MailKind;

#[async_trait]
pub trait NoticeStore: Send + Sync {
    async fn notice_settings(&self, user: i64) -> StoreResult<NoticeSettings>;

    async fn save_notice_settings(&self, user: i64, settings: &NoticeSettings) -> StoreResult<()>;

    /// Queues a digest for each organiser whose oldest notice kept for one is `every` old, with
    /// all their notices kept (so that none waits longer, and an organiser gets at most one a
    /// period), each named by the digest that carries it, in one transaction. How many were
    /// queued.
    async fn queue_digests(&self, every: Duration, now: OffsetDateTime) -> StoreResult<u64>;

    /// The notices a digest carries (`mail`: its id in the outbox), oldest first: the mail each
    /// would have been, and the row it is about.
    async fn digest_items(&self, mail: i64) -> StoreResult<Vec<(MailKind, i64)>>;
}
