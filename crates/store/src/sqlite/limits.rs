//! The rate limits' shared counts on SQLite: there for the conformance suite and the same port
//! as PostgreSQL's, but not used by the server, which counts in memory on a database of one
//! instance ([`LimitStore::shares_limits`] is false). Each count is added in its own statement,
//! all in one transaction through the one writer.

use async_trait::async_trait;
use undersigned_core::store::{Hits, LimitStore, StoreResult};

use super::dialect::db;
use super::store::SqliteStore;

#[async_trait]
impl LimitStore for SqliteStore {
    fn shares_limits(&self) -> bool {
        false
    }

    async fn add_hits(&self, hits: &[Hits]) -> StoreResult<Vec<i64>> {
        if hits.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.writer().begin().await.map_err(db)?;
        let mut totals = Vec::with_capacity(hits.len());
        for h in hits {
            let total: i64 = sqlx::query_scalar(
                "INSERT INTO rate_limits (kind, key, ends_at, count) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (kind, key, ends_at) DO UPDATE SET count = rate_limits.count + excluded.count
                 RETURNING count",
            )
            .bind(h.kind)
            .bind(&h.key[..])
            .bind(h.ends_at)
            .bind(h.count)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
            totals.push(total);
        }
        tx.commit().await.map_err(db)?;
        Ok(totals)
    }

    async fn forget_hits(&self, now: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM rate_limits WHERE ends_at < $1")
            .bind(now)
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(done.rows_affected())
    }
}
