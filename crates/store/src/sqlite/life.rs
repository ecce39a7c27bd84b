//! A campaign's life on SQLite: closing at its end date, unpublishing and deleting drafts. The
//! rules are the core's ([`CampaignStatus::unpublished`], [`CampaignStatus::may_delete`]); here
//! they are read and applied in one transaction.

use sqlx::{Sqlite, Transaction};
use time::OffsetDateTime;
use undersigned_core::CampaignStatus;
use undersigned_core::account::AuditEntry;
use undersigned_core::clock::micros;
use undersigned_core::store::StoreResult;

use super::{SqliteStore, db, get, insert_audit, time_at};

pub(crate) async fn close_ended(store: &SqliteStore, now: OffsetDateTime) -> StoreResult<Vec<i64>> {
    // A read first: nearly always nothing is due, and the one writer is not taken for nothing.
    let due: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM campaigns WHERE status = 'open' AND withdrawn_at IS NULL AND closes_at <= ? LIMIT 1",
    )
    .bind(micros(now))
    .fetch_optional(&store.reader)
    .await
    .map_err(db)?;
    if due.is_none() {
        return Ok(Vec::new());
    }
    let mut tx = store.writer.begin().await.map_err(db)?;
    let closed = sqlx::query(
        "UPDATE campaigns SET status = 'closed', ended_at = coalesce(ended_at, closes_at), updated_at = ?1
         WHERE status = 'open' AND withdrawn_at IS NULL AND closes_at <= ?1 RETURNING id, slug, closes_at",
    )
    .bind(micros(now))
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let mut ids = Vec::new();
    for row in &closed {
        let id: i64 = get(row, "id")?;
        let slug: String = get(row, "slug")?;
        insert_audit(&mut *tx, &AuditEntry::closed_at_end_date(id, &slug, time_at(row, "closes_at")?, now))
            .await?;
        ids.push(id);
    }
    tx.commit().await.map_err(db)?;
    Ok(ids)
}

/// The campaign's status as stored (not as read at a time: a campaign past its end date that the
/// upkeep has not closed yet is still open here, and unpublishes like one) and whether anyone
/// signed it.
async fn stored_status(
    tx: &mut Transaction<'_, Sqlite>,
    campaign: i64,
) -> StoreResult<(CampaignStatus, bool)> {
    let row = sqlx::query(
        "SELECT status, withdrawn_at, EXISTS (SELECT 1 FROM signatures WHERE campaign_id = ?1) AS signed
         FROM campaigns WHERE id = ?1",
    )
    .bind(campaign)
    .fetch_one(&mut **tx)
    .await
    .map_err(db)?;
    let status = if get::<Option<i64>>(&row, "withdrawn_at")?.is_some() {
        CampaignStatus::Withdrawn
    } else {
        let status: String = get(&row, "status")?;
        CampaignStatus::parse("status", &status)
            .map_err(|e| undersigned_core::StoreError::Corrupt(format!("campaign {campaign}: {e}")))?
    };
    Ok((status, get(&row, "signed")?))
}

pub(crate) async fn has_signatures(store: &SqliteStore, campaign: i64) -> StoreResult<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM signatures WHERE campaign_id = ?)")
        .bind(campaign)
        .fetch_one(&store.reader)
        .await
        .map_err(db)
}

pub(crate) async fn unpublish(
    store: &SqliteStore,
    campaign: i64,
    now: OffsetDateTime,
) -> StoreResult<Option<CampaignStatus>> {
    let mut tx = store.writer.begin().await.map_err(db)?;
    let (status, signed) = stored_status(&mut tx, campaign).await?;
    let Some(next) = status.unpublished(signed) else { return Ok(None) };
    let sql = if next == CampaignStatus::Withdrawn {
        // It has ended: its retention period runs from its end date, or from now.
        "UPDATE campaigns SET status = CASE WHEN status = 'open' THEN 'closed' ELSE status END,
             ended_at = coalesce(ended_at, min(?1, coalesce(closes_at, ?1))), withdrawn_at = ?1, updated_at = ?1
         WHERE id = ?2"
    } else {
        "UPDATE campaigns SET status = 'draft', ended_at = NULL, updated_at = ?1 WHERE id = ?2"
    };
    sqlx::query(sql).bind(micros(now)).bind(campaign).execute(&mut *tx).await.map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(Some(next))
}

pub(crate) async fn delete_draft(store: &SqliteStore, campaign: i64) -> StoreResult<bool> {
    let mut tx = store.writer.begin().await.map_err(db)?;
    let (status, signed) = stored_status(&mut tx, campaign).await?;
    if !status.may_delete(signed) {
        return Ok(false);
    }
    for sql in [
        "DELETE FROM count_journal WHERE campaign_id = ?",
        "DELETE FROM signature_counts WHERE campaign_id = ?",
        "DELETE FROM campaigns WHERE id = ?",
    ] {
        sqlx::query(sql).bind(campaign).execute(&mut *tx).await.map_err(db)?;
    }
    tx.commit().await.map_err(db)?;
    Ok(true)
}
