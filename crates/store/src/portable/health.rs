//! Whether the database is there and can write.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::store::{HealthStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect};
use crate::migrate;

#[async_trait]
impl HealthStore for Backend {
    fn backend(&self) -> &'static str {
        dialect::NAME
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(self.reader()).await.map_err(db)?;
        Ok(())
    }

    async fn heartbeat(&self, now: OffsetDateTime) -> StoreResult<()> {
        if !self.signing.is_running() {
            return Err(StoreError::Unavailable("the signing writer has stopped".into()));
        }
        self.signing.health().check()?;
        // In a transaction, as every write of the group commit is: its COMMIT is what fails on a
        // full disk.
        let mut tx = self.writer().begin().await.map_err(db)?;
        sqlx::query(
            "INSERT INTO heartbeat (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at",
        )
        .bind(dialect::at(now))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn missing_migrations(&self) -> StoreResult<Vec<i64>> {
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(self.reader())
            .await
            .map_err(db)?;
        Ok(migrate::missing(&applied))
    }

    async fn oldest_due_mail(&self, now: OffsetDateTime) -> StoreResult<Option<OffsetDateTime>> {
        let due: Option<dialect::Time> = sqlx::query_scalar(&format!(
            "SELECT min(next_attempt_at) FROM outbox WHERE failed = {} AND next_attempt_at <= $1",
            dialect::FALSE
        ))
        .bind(dialect::at(now))
        .fetch_one(self.reader())
        .await
        .map_err(db)?;
        due.map(dialect::from_time).transpose()
    }
}
