//! Whether the database is there and can write, for `/healthz` and the logs; what it holds in
//! waiting, for `/metrics`.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;

#[async_trait]
pub trait HealthStore: Send + Sync {
    /// The backend's name for logs ("sqlite", "postgres").
    fn backend(&self) -> &'static str;

    /// Answers when the database does (for `/healthz`).
    async fn ping(&self) -> StoreResult<()>;

    /// A small real write through the path every write takes (a heartbeat row), for `/healthz`:
    /// fails while the database cannot write (a full disk), where a read would still answer.
    async fn heartbeat(&self, now: OffsetDateTime) -> StoreResult<()>;

    /// The migrations this binary knows that the database has not applied, for `/healthz`.
    async fn missing_migrations(&self) -> StoreResult<Vec<i64>>;

    /// Since when the mail that has waited longest has been due (not given up), for `/healthz`.
    async fn oldest_due_mail(&self, now: OffsetDateTime) -> StoreResult<Option<OffsetDateTime>>;

    /// What is waiting, for `/metrics` at each scrape: a few counts (no rows read out), the
    /// signing queue and the connection pools.
    async fn gauges(&self, now: OffsetDateTime) -> StoreResult<Gauges>;
}

/// What is waiting in the database and in front of it, read at a scrape of `/metrics`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gauges {
    /// Mails in the outbox that are not given up, due now or later (a retry's time).
    pub mails_waiting: i64,
    /// Of those, the ones due now.
    pub mails_due: i64,
    /// Mails given up (kept for an administrator to send again).
    pub mails_given_up: i64,
    /// Since when the mail that has waited longest has been due (as for `/healthz`).
    pub oldest_due_mail: Option<OffsetDateTime>,
    /// Entries of the count journal not yet folded into the aggregated counts (what the fold,
    /// about once a second, has still to do; the counts shown add them, so they are exact anyway).
    pub count_journal: i64,
    /// Signatures and confirmations handed to the group commit and not yet taken by its writer.
    pub signing_queue: usize,
    /// The database connection pools.
    pub pools: Vec<PoolUse>,
}

/// One connection pool: how many connections it has open, how many of those are idle, and
/// the most it opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolUse {
    /// "reader" or "writer" (SQLite's two), or "main" (PostgreSQL's one).
    pub pool: &'static str,
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}
