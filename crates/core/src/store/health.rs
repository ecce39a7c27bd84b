//! Whether the database is there and can write, for `/healthz` and the logs.

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
}
