//! What integrations read: a campaign's confirmed, valid signatures in the order they last
//! changed (`coalesce(modified_at, confirmed_at)`, kept by a trigger; see migration 19), by
//! offset or after a cursor, with the filters the OSDI API allows; and a campaign's dates.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::CampaignId;
use undersigned_core::data_key::DataKey;
use undersigned_core::store::{StoreResult, SyncStore};
use undersigned_core::sync::{SyncDate, SyncFilter, SyncStart, SyncedSignature};

use super::super::store::Backend;
use super::common::{SIGNATURE_COLUMNS, db, dialect, get, signature_row};

/// When a signature last changed, as the index `signatures_synced` has it.
const MODIFIED: &str = "coalesce(modified_at, confirmed_at)";

/// The conditions of `filter` on a campaign (`$1`), its parameters numbered from `$2`; the next
/// parameter's number.
fn conditions(filter: &SyncFilter) -> (String, usize) {
    let mut sql = String::from("campaign_id = $1 AND status = 'confirmed' AND invalidation_id IS NULL");
    let mut n = 2;
    for (date, compare, _) in &filter.dates {
        let column = match date {
            SyncDate::Modified => MODIFIED,
            SyncDate::Created => "created_at",
        };
        sql.push_str(&format!(" AND {column} {} ${n}", compare.sql()));
        n += 1;
    }
    if filter.email_key.is_some() {
        sql.push_str(&format!(" AND email_key = ${n}"));
        n += 1;
    }
    (sql, n)
}

/// Binds the campaign and the filter's values, in the order of [`conditions`].
fn bind_filter<'q>(
    query: dialect::Query<'q>,
    campaign: CampaignId,
    filter: &'q SyncFilter,
) -> dialect::Query<'q> {
    let mut query = query.bind(campaign);
    for (_, _, at) in &filter.dates {
        query = query.bind(dialect::at(*at));
    }
    if let Some(key) = &filter.email_key {
        query = query.bind(&key[..]);
    }
    query
}

fn synced_row(key: &DataKey, r: &dialect::Row) -> StoreResult<SyncedSignature> {
    Ok(SyncedSignature { signature: signature_row(key, r)?, modified_at: dialect::time_at(r, "modified")? })
}

#[async_trait]
impl SyncStore for Backend {
    async fn signatures_for_sync(
        &self,
        campaign: CampaignId,
        filter: &SyncFilter,
        start: SyncStart,
        limit: u32,
    ) -> StoreResult<Vec<SyncedSignature>> {
        let (mut sql, n) = conditions(filter);
        let (offset, after) = match start {
            SyncStart::Offset(offset) => (offset, None),
            SyncStart::After(cursor) => (0, Some(cursor)),
        };
        if after.is_some() {
            let (at, id) = (n + 2, n + 3);
            sql.push_str(&format!(" AND ({MODIFIED} > ${at} OR ({MODIFIED} = ${at} AND id > ${id}))"));
        }
        let sql = format!(
            "SELECT {SIGNATURE_COLUMNS}, {MODIFIED} AS modified FROM signatures WHERE {sql}
             ORDER BY {MODIFIED}, id LIMIT ${n} OFFSET ${}",
            n + 1
        );
        let mut query = bind_filter(sqlx::query(&sql), campaign, filter)
            .bind(i64::from(limit))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX));
        if let Some(cursor) = after {
            query = query.bind(dialect::at(cursor.confirmed_at)).bind(cursor.id);
        }
        let rows = query.fetch_all(self.reader()).await.map_err(db)?;
        rows.iter().map(|r| synced_row(self.data_key(), r)).collect()
    }

    async fn count_for_sync(&self, campaign: CampaignId, filter: &SyncFilter) -> StoreResult<i64> {
        let (sql, _) = conditions(filter);
        let sql = format!("SELECT count(*) AS n FROM signatures WHERE {sql}");
        let count: i64 = bind_filter(sqlx::query(&sql), campaign, filter)
            .fetch_one(self.reader())
            .await
            .map_err(db)
            .and_then(|r| get(&r, "n"))?;
        Ok(count)
    }

    async fn synced_signature(&self, id: i64) -> StoreResult<Option<SyncedSignature>> {
        let row = sqlx::query(&format!(
            "SELECT {SIGNATURE_COLUMNS}, {MODIFIED} AS modified FROM signatures WHERE id = $1 AND status = 'confirmed'"
        ))
        .bind(id)
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        row.as_ref().map(|r| synced_row(self.data_key(), r)).transpose()
    }

    async fn campaign_dates(
        &self,
        campaign: CampaignId,
    ) -> StoreResult<Option<(OffsetDateTime, OffsetDateTime)>> {
        let row = sqlx::query("SELECT created_at, updated_at FROM campaigns WHERE id = $1")
            .bind(campaign)
            .fetch_optional(self.reader())
            .await
            .map_err(db)?;
        row.map(|r| Ok((dialect::time_at(&r, "created_at")?, dialect::time_at(&r, "updated_at")?)))
            .transpose()
    }
}
