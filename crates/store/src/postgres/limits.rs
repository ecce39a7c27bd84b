//! The rate limits' shared counts on PostgreSQL: every instance's counts added in one statement
//! (`unnest` of arrays), the totals read back in the same one. Written to the primary only: the
//! table is UNLOGGED (see migration 0043), which a standby does not have.

use std::collections::BTreeMap;

use async_trait::async_trait;
use sqlx::Row as _;
use undersigned_core::store::{Hits, LimitStore, StoreResult};

use super::dialect::db;
use super::store::PostgresStore;

#[async_trait]
impl LimitStore for PostgresStore {
    fn shares_limits(&self) -> bool {
        true
    }

    async fn add_hits(&self, hits: &[Hits]) -> StoreResult<Vec<i64>> {
        if hits.is_empty() {
            return Ok(Vec::new());
        }
        // One row per (kind, key, window), in one order for every instance: two flushes with keys
        // in common lock their rows in the same order, so they wait for each other and never
        // deadlock (and one statement may not touch a row twice).
        let mut sums: BTreeMap<(&str, [u8; 16], i64), i64> = BTreeMap::new();
        for h in hits {
            *sums.entry((h.kind, h.key, h.ends_at)).or_default() += h.count;
        }
        let (mut kinds, mut keys, mut ends, mut counts) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for ((kind, key, ends_at), count) in &sums {
            kinds.push(*kind);
            keys.push(key.to_vec());
            ends.push(*ends_at);
            counts.push(*count);
        }
        let rows = sqlx::query(
            "INSERT INTO rate_limits (kind, key, ends_at, count)
             SELECT * FROM unnest($1::TEXT[], $2::BYTEA[], $3::BIGINT[], $4::BIGINT[])
             ON CONFLICT (kind, key, ends_at) DO UPDATE SET count = rate_limits.count + excluded.count
             RETURNING kind, key, ends_at, count",
        )
        .bind(&kinds)
        .bind(&keys)
        .bind(&ends)
        .bind(&counts)
        .fetch_all(self.writer())
        .await
        .map_err(db)?;
        let mut totals: BTreeMap<(String, Vec<u8>, i64), i64> = BTreeMap::new();
        for r in &rows {
            let kind: String = r.try_get("kind").map_err(db)?;
            let key: Vec<u8> = r.try_get("key").map_err(db)?;
            totals.insert((kind, key, r.try_get("ends_at").map_err(db)?), r.try_get("count").map_err(db)?);
        }
        hits.iter()
            .map(|h| {
                totals.get(&(h.kind.to_owned(), h.key.to_vec(), h.ends_at)).copied().ok_or_else(|| {
                    undersigned_core::store::StoreError::Database(
                        "a rate limit's total was not returned".into(),
                    )
                })
            })
            .collect()
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
