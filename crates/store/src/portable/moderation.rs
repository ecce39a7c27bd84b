//! Moderating signatures: invalidating in bulk (previewed, recorded, reversible) and the abuse
//! rule's flags.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::CampaignId;
use undersigned_core::moderation::{Invalidation, IpGroup, SignatureFilter};
use undersigned_core::signature::Signature;
use undersigned_core::store::{ModerationStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{SIGNATURE_COLUMNS, db, dialect, get, signature_row};
use super::log_append;

/// The conditions of a `SignatureFilter`, each skipped when not given; bound by `bind_filter`
/// (parameters $1 to $7, after which a query's own start at $8).
fn filter_sql() -> String {
    format!(
        "campaign_id = $1 AND invalidation_id IS NULL
    AND ($2 IS NULL OR {} = $2)
    AND ($3 IS NULL OR country = $3)
    AND ($4 IS NULL OR created_at >= $4)
    AND ($5 IS NULL OR created_at < $5)
    AND ($6 IS NULL OR ip_key = $6)
    AND ($7 IS NULL OR id = $7)",
        dialect::EMAIL_DOMAIN
    )
}

fn bind_filter<'q>(
    q: dialect::Query<'q>,
    campaign: CampaignId,
    f: &'q SignatureFilter,
) -> dialect::Query<'q> {
    q.bind(campaign)
        .bind(f.email_domain.as_deref())
        .bind(f.country.as_deref())
        .bind(f.from.map(dialect::at))
        .bind(f.until.map(dialect::at))
        .bind(f.ip_key.as_deref())
        .bind(f.signature_id)
}

#[async_trait]
impl ModerationStore for Backend {
    async fn matching_signatures(&self, campaign: CampaignId, filter: &SignatureFilter) -> StoreResult<i64> {
        let sql = format!("SELECT count(*) AS n FROM signatures WHERE {}", filter_sql());
        let row =
            bind_filter(sqlx::query(&sql), campaign, filter).fetch_one(self.reader()).await.map_err(db)?;
        get(&row, "n")
    }

    async fn invalidate(
        &self,
        campaign: CampaignId,
        filter: &SignatureFilter,
        actor: &str,
        now: OffsetDateTime,
    ) -> StoreResult<(i64, i64)> {
        if filter.is_empty() {
            return Err(StoreError::Database("an invalidation needs at least one condition".into()));
        }
        let mut tx = self.writer().begin().await.map_err(db)?;
        let id: i64 = sqlx::query_scalar("INSERT INTO invalidations (campaign_id, conditions, signatures, actor, created_at) VALUES ($1, $2, 0, $3, $4) RETURNING id")
            .bind(campaign)
            .bind(filter.describe())
            .bind(actor)
            .bind(dialect::at(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        let sql = format!("UPDATE signatures SET invalidation_id = $8 WHERE {}", filter_sql());
        let q = bind_filter(sqlx::query(&sql), campaign, filter).bind(id);
        let marked = q.execute(&mut *tx).await.map_err(db)?.rows_affected() as i64;
        // Their entries in the signature log stay; entries that revoke them are appended.
        log_append::revoke_invalidated(&mut tx, id, now).await?;
        sqlx::query("UPDATE invalidations SET signatures = $1 WHERE id = $2")
            .bind(marked)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok((id, marked))
    }

    async fn restore_invalidation(
        &self,
        campaign: CampaignId,
        id: i64,
        now: OffsetDateTime,
    ) -> StoreResult<i64> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let found = sqlx::query("UPDATE invalidations SET restored_at = $1 WHERE id = $2 AND campaign_id = $3 AND restored_at IS NULL")
            .bind(dialect::at(now))
            .bind(id)
            .bind(campaign)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        if found == 0 {
            return Err(StoreError::NotFound);
        }
        // Valid again: each gets a new entry in the log (the old one stays revoked).
        log_append::restore_invalidated(&mut tx, id).await?;
        let restored = sqlx::query("UPDATE signatures SET invalidation_id = NULL WHERE invalidation_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected() as i64;
        tx.commit().await.map_err(db)?;
        Ok(restored)
    }

    async fn invalidations(&self, campaign: CampaignId) -> StoreResult<Vec<Invalidation>> {
        let rows = sqlx::query(
            "SELECT id, conditions, signatures, actor, created_at, restored_at FROM invalidations
             WHERE campaign_id = $1 ORDER BY id DESC",
        )
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(Invalidation {
                    id: get(r, "id")?,
                    conditions: get(r, "conditions")?,
                    signatures: get(r, "signatures")?,
                    actor: get(r, "actor")?,
                    created_at: dialect::time_at(r, "created_at")?,
                    restored_at: dialect::opt_time_at(r, "restored_at")?,
                })
            })
            .collect()
    }

    async fn busy_ip_keys(&self, campaign: CampaignId, min: i64) -> StoreResult<Vec<IpGroup>> {
        let rows = sqlx::query(
            "SELECT ip_key, count(*) AS n, min(created_at) AS first, max(created_at) AS last FROM signatures
             WHERE campaign_id = $1 AND ip_key IS NOT NULL AND invalidation_id IS NULL
             GROUP BY ip_key HAVING count(*) >= $2 ORDER BY n DESC LIMIT 50",
        )
        .bind(campaign)
        .bind(min)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(IpGroup {
                    ip_key: get(r, "ip_key")?,
                    signatures: get(r, "n")?,
                    first: dialect::time_at(r, "first")?,
                    last: dialect::time_at(r, "last")?,
                })
            })
            .collect()
    }

    async fn latest_signatures(&self, campaign: CampaignId, limit: u32) -> StoreResult<Vec<Signature>> {
        let rows = sqlx::query(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE campaign_id = $1 AND invalidation_id IS NULL
             ORDER BY id DESC LIMIT $2"
        ))
        .bind(campaign)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(signature_row).collect()
    }
}
