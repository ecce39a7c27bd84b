//! Whether the database is there and can write.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::store::{Gauges, HealthStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, get};
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

    async fn gauges(&self, now: OffsetDateTime) -> StoreResult<Gauges> {
        // One pass over the outbox (it holds what is still to send and what was given up, not
        // what went out) and one over the journal (folded about once a second).
        let outbox = sqlx::query(&format!(
            "SELECT count(*) FILTER (WHERE failed = {f}) AS waiting,
                    count(*) FILTER (WHERE failed = {f} AND next_attempt_at <= $1) AS due,
                    count(*) FILTER (WHERE failed <> {f}) AS given_up
             FROM outbox",
            f = dialect::FALSE
        ))
        .bind(dialect::at(now))
        .fetch_one(self.reader())
        .await
        .map_err(db)?;
        let count_journal: i64 = sqlx::query_scalar("SELECT count(*) FROM count_journal")
            .fetch_one(self.reader())
            .await
            .map_err(db)?;
        Ok(Gauges {
            mails_waiting: get(&outbox, "waiting")?,
            mails_due: get(&outbox, "due")?,
            mails_given_up: get(&outbox, "given_up")?,
            oldest_due_mail: self.oldest_due_mail(now).await?,
            count_journal,
            signing_queue: self.signing.waiting(),
            pools: self.pools(),
        })
    }
}
