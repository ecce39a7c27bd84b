//! Moderating signatures: invalidating in bulk (previewed, recorded, reversible) and the abuse
//! rule's flags.

use std::collections::HashMap;

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::CampaignId;
use undersigned_core::data_key::DataKey;
use undersigned_core::keys::ShortKey;
use undersigned_core::moderation::{Invalidation, IpGroup, SignatureFilter};
use undersigned_core::signature::Signature;
use undersigned_core::store::{ModerationStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{SIGNATURE_COLUMNS, db, dialect, get, signature_row};
use super::log_append;
use crate::sealed::{SIGNATURE_EMAIL, SIGNATURE_IP, open_email, open_ip};

/// The conditions of a `SignatureFilter` that SQL can check, each skipped when not given; bound
/// by `bind_filter` (parameters $1 to $6, after which a query's own start at $7). The address's
/// domain and the IP hash are sealed: the rows these conditions match are opened and checked by
/// [`matching_ids`] (with `$6`, only rows that still have an IP hash are read).
const FILTER: &str = "campaign_id = $1 AND invalidation_id IS NULL
    AND ($2 IS NULL OR country = $2)
    AND ($3 IS NULL OR created_at >= $3)
    AND ($4 IS NULL OR created_at < $4)
    AND ($5 IS NULL OR id = $5)
    AND (NOT $6 OR ip_key IS NOT NULL)";

fn bind_filter<'q>(
    q: dialect::Query<'q>,
    campaign: CampaignId,
    f: &'q SignatureFilter,
) -> dialect::Query<'q> {
    q.bind(campaign)
        .bind(f.country.as_deref())
        .bind(f.from.map(dialect::at))
        .bind(f.until.map(dialect::at))
        .bind(f.signature_id)
        .bind(f.ip_key.is_some())
}

/// Whether the filter has conditions on what is sealed, which only the server can check.
fn on_sealed(f: &SignatureFilter) -> bool {
    f.email_domain.is_some() || f.ip_key.is_some()
}

/// The ids of the signatures the filter matches, read in `conn` (the transaction that acts on
/// them, for an invalidation): those SQL's conditions match, opened and checked for the rest.
/// Every row of the campaign for a domain (a moderator's rare and deliberate step); only the few
/// days' rows that still have an IP hash for one.
async fn matching_ids(
    conn: &mut dialect::Conn,
    key: &DataKey,
    campaign: CampaignId,
    f: &SignatureFilter,
) -> StoreResult<Vec<i64>> {
    let email = if f.email_domain.is_some() { ", email" } else { "" };
    let sql = format!("SELECT id, email_key, ip_key{email} FROM signatures WHERE {FILTER}");
    let rows = bind_filter(sqlx::query(&sql), campaign, f).fetch_all(conn).await.map_err(db)?;
    let mut ids = Vec::new();
    for r in &rows {
        let row: Vec<u8> = get(r, "email_key")?;
        if let Some(domain) = &f.email_domain {
            let address = open_email(key, SIGNATURE_EMAIL, &row, &get::<String>(r, "email")?)?;
            if address.rsplit_once('@').is_none_or(|(_, d)| d.to_lowercase() != *domain) {
                continue;
            }
        }
        if let Some(ip) = &f.ip_key {
            let stored: Option<Vec<u8>> = get(r, "ip_key")?;
            let opened = stored.map(|s| open_ip(key, SIGNATURE_IP, &row, &s)).transpose()?;
            if opened.is_none_or(|o| o[..] != ip[..]) {
                continue;
            }
        }
        ids.push(get(r, "id")?);
    }
    Ok(ids)
}

#[async_trait]
impl ModerationStore for Backend {
    async fn matching_signatures(&self, campaign: CampaignId, filter: &SignatureFilter) -> StoreResult<i64> {
        if on_sealed(filter) {
            let mut conn = self.reader().acquire().await.map_err(db)?;
            return Ok(matching_ids(&mut conn, self.data_key(), campaign, filter).await?.len() as i64);
        }
        let sql = format!("SELECT count(*) AS n FROM signatures WHERE {FILTER}");
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
        let marked = if on_sealed(filter) {
            let ids = matching_ids(&mut tx, self.data_key(), campaign, filter).await?;
            sqlx::query(&format!(
                "UPDATE signatures SET invalidation_id = $1 WHERE {}",
                dialect::in_ids("id", "$2")
            ))
            .bind(id)
            .bind(dialect::ids(&ids)?)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected() as i64
        } else {
            let sql = format!("UPDATE signatures SET invalidation_id = $7 WHERE {FILTER}");
            let q = bind_filter(sqlx::query(&sql), campaign, filter).bind(id);
            q.execute(&mut *tx).await.map_err(db)?.rows_affected() as i64
        };
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
        // The hashes are sealed (each differently), so SQL cannot group them: the rows that still
        // have one (a few days' worth) are opened and grouped here.
        let rows = sqlx::query(
            "SELECT email_key, ip_key, created_at FROM signatures
             WHERE campaign_id = $1 AND ip_key IS NOT NULL AND invalidation_id IS NULL",
        )
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        let mut groups: HashMap<ShortKey, IpGroup> = HashMap::new();
        for r in &rows {
            let row: Vec<u8> = get(r, "email_key")?;
            let ip = open_ip(self.data_key(), SIGNATURE_IP, &row, &get::<Vec<u8>>(r, "ip_key")?)?;
            let at = dialect::time_at(r, "created_at")?;
            let group = groups.entry(ip).or_insert_with(|| IpGroup {
                ip_key: ip.to_vec(),
                signatures: 0,
                first: at,
                last: at,
            });
            group.signatures += 1;
            group.first = group.first.min(at);
            group.last = group.last.max(at);
        }
        let mut flagged: Vec<IpGroup> = groups.into_values().filter(|g| g.signatures >= min).collect();
        flagged.sort_by(|a, b| b.signatures.cmp(&a.signatures).then(a.first.cmp(&b.first)));
        flagged.truncate(50);
        Ok(flagged)
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
        rows.iter().map(|r| signature_row(self.data_key(), r)).collect()
    }
}
