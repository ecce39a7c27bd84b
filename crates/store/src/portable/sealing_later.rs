//! The steps of `undersigned data seal` for what was sealed after the data key came: the contact
//! names of endorsements written before they were sealed, the identifiers imports came with (kept
//! as keyed digests since), the IP hashes trending alerts named and those block lists held.
//!
//! Each batch is its own transaction and writes a row back only if it is still as read, as the
//! other steps (`sealing`). The identifiers and the block lists have no id to keep a cursor on:
//! their batches take the first rows still in clear, which the batch before sealed away.

use undersigned_core::store::StoreResult;

use super::super::store::Backend;
use super::common::{db, dialect, get};
use crate::sealed::{
    BLOCKED_IP_HASH, IMPORTED_IDENTIFIER, TREND_IP_HASH, digest, not_digest, scope_row, seal_ip_text,
    seal_private,
};
use undersigned_core::private_fields::PrivateFields;

/// One of the later steps.
pub(super) enum Later {
    /// `endorsements.contact_name` into `contact_name_sealed`.
    ContactNames,
    /// `imported_identifiers.identifier` into its keyed digest.
    Identifiers,
    /// `trend_alerts.shown` of an IP hash into `shown_sealed`, its digest left in `shown`.
    Trends,
    /// `block_list.value` of an IP hash, sealed in place.
    Blocks,
}

/// (rows sealed, the cursor's next value if rows were read, rows read)
type Batch = (u64, Option<i64>, usize);

impl Later {
    /// The condition of a row still in clear, and its table.
    fn in_clear(&self) -> (&'static str, String) {
        match self {
            Self::ContactNames => ("endorsements", "contact_name IS NOT NULL".into()),
            Self::Identifiers => ("imported_identifiers", not_digest("identifier")),
            Self::Trends => ("trend_alerts", "kind = 'ip_hash' AND shown_sealed IS NULL".into()),
            Self::Blocks => ("block_list", "kind = 'ip_hash' AND length(value) = 32".into()),
        }
    }

    /// Up to `limit` rows still in clear, after the cursor where the table has ids (else the
    /// first ones: those before were sealed away); their `columns`.
    async fn read(
        &self,
        tx: &mut dialect::Conn,
        columns: &str,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<dialect::Row>> {
        let (table, clear) = self.in_clear();
        let (cursor, order) = match self {
            Self::ContactNames | Self::Trends => ("id > $1", "id"),
            Self::Identifiers => ("$1 = 0", "campaign_id, identifier"),
            Self::Blocks => ("$1 = 0", "scope, value"),
        };
        sqlx::query(&format!(
            "SELECT {columns} FROM {table} WHERE {cursor} AND {clear} ORDER BY {order} LIMIT $2"
        ))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(tx)
        .await
        .map_err(db)
    }

    pub(super) async fn count(&self, conn: &mut dialect::Conn) -> StoreResult<i64> {
        let (table, clear) = self.in_clear();
        sqlx::query_scalar(&format!("SELECT count(*) FROM {table} WHERE {clear}"))
            .fetch_one(conn)
            .await
            .map_err(db)
    }

    pub(super) async fn batch(&self, b: &Backend, after: i64, limit: u32) -> StoreResult<Batch> {
        let mut tx = b.writer().begin().await.map_err(db)?;
        let done = match self {
            Self::ContactNames => contact_names(b, &mut tx, after, limit).await?,
            Self::Identifiers => identifiers(b, &mut tx, limit).await?,
            Self::Trends => trends(b, &mut tx, after, limit).await?,
            Self::Blocks => blocks(b, &mut tx, limit).await?,
        };
        tx.commit().await.map_err(db)?;
        Ok(done)
    }
}

async fn contact_names(b: &Backend, tx: &mut dialect::Conn, after: i64, limit: u32) -> StoreResult<Batch> {
    let rows = Later::ContactNames.read(tx, "id, email_key, contact_name", after, limit).await?;
    let mut sealed = 0;
    let mut last = None;
    for r in &rows {
        let (id, name): (i64, String) = (get(r, "id")?, get(r, "contact_name")?);
        let row = get::<Option<Vec<u8>>>(r, "email_key")?.unwrap_or_default();
        let (private, _) = seal_private(b.data_key(), &row, &PrivateFields::of_contact(&name));
        sealed += sqlx::query(
            "UPDATE endorsements SET contact_name_sealed = coalesce(contact_name_sealed, $1), contact_name = NULL
             WHERE id = $2 AND contact_name = $3",
        )
        .bind(private)
        .bind(id)
        .bind(&name)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        last = Some(id);
    }
    Ok((sealed, last, rows.len()))
}

async fn identifiers(b: &Backend, tx: &mut dialect::Conn, limit: u32) -> StoreResult<Batch> {
    let rows = Later::Identifiers.read(tx, "campaign_id, identifier", 0, limit).await?;
    let mut sealed = 0;
    for r in &rows {
        let (campaign, identifier): (i64, String) = (get(r, "campaign_id")?, get(r, "identifier")?);
        let digested = digest(b.data_key(), IMPORTED_IDENTIFIER, &identifier);
        // Imported again under its digest meanwhile: that row stands for both.
        let twin =
            "EXISTS (SELECT 1 FROM imported_identifiers t WHERE t.campaign_id = $1 AND t.identifier = $3)";
        for sql in [
            format!("DELETE FROM imported_identifiers WHERE campaign_id = $1 AND identifier = $2 AND {twin}"),
            "UPDATE imported_identifiers SET identifier = $3 WHERE campaign_id = $1 AND identifier = $2"
                .into(),
        ] {
            sealed += sqlx::query(&sql)
                .bind(campaign)
                .bind(&identifier)
                .bind(&digested)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
        }
    }
    Ok((sealed, (!rows.is_empty()).then_some(0), rows.len()))
}

async fn trends(b: &Backend, tx: &mut dialect::Conn, after: i64, limit: u32) -> StoreResult<Batch> {
    let rows = Later::Trends.read(tx, "id, campaign_id, shown", after, limit).await?;
    let (key, mut sealed, mut last) = (b.data_key(), 0, None);
    for r in &rows {
        let (id, campaign, shown): (i64, i64, String) =
            (get(r, "id")?, get(r, "campaign_id")?, get(r, "shown")?);
        let updated = sqlx::query(
            "UPDATE trend_alerts SET shown = $1, shown_sealed = $2
             WHERE id = $3 AND shown = $4 AND shown_sealed IS NULL
               AND NOT EXISTS (SELECT 1 FROM trend_alerts t WHERE t.campaign_id = trend_alerts.campaign_id
                               AND t.kind = 'ip_hash' AND t.shown = $1 AND t.hour = trend_alerts.hour)",
        )
        .bind(digest(key, TREND_IP_HASH, &shown))
        .bind(seal_ip_text(key, TREND_IP_HASH, &scope_row(campaign), &shown))
        .bind(id)
        .bind(&shown)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        // Raised again in the same hour since the upgrade, sealed: that alert stands for both.
        let twin_kept = match updated {
            0 => {
                sqlx::query("DELETE FROM trend_alerts WHERE id = $1 AND shown = $2 AND shown_sealed IS NULL")
                    .bind(id)
                    .bind(&shown)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected()
            }
            _ => 0,
        };
        sealed += updated + twin_kept;
        last = Some(id);
    }
    Ok((sealed, last, rows.len()))
}

async fn blocks(b: &Backend, tx: &mut dialect::Conn, limit: u32) -> StoreResult<Batch> {
    let rows = Later::Blocks.read(tx, "scope, value", 0, limit).await?;
    let mut sealed = 0;
    for r in &rows {
        let (scope, value): (i64, String) = (get(r, "scope")?, get(r, "value")?);
        sealed += sqlx::query(
            "UPDATE block_list SET value = $1 WHERE scope = $2 AND kind = 'ip_hash' AND value = $3",
        )
        .bind(seal_ip_text(b.data_key(), BLOCKED_IP_HASH, &scope_row(scope), &value))
        .bind(scope)
        .bind(&value)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
    }
    Ok((sealed, (!rows.is_empty()).then_some(0), rows.len()))
}
