//! The outbox's SQL: a mail is finished or released only under the lease it was claimed with
//! (`locked_until`), and ids are never reused (migration 14), so a worker whose lease ran out
//! cannot touch a newer mail.

use sqlx::SqlitePool;
use sqlx::sqlite::SqliteRow;
use time::OffsetDateTime;
use undersigned_core::clock::micros;
use undersigned_core::outbox::{FailedMail, QueuedMail};
use undersigned_core::store::StoreResult;

use crate::rows::mail_kind;

use super::{db, get, opt_time_at, time_at};

/// Which campaign a mail is about, by its kind (an SQL expression over `outbox`).
const CAMPAIGN_OF_MAIL: &str = "(SELECT slug FROM campaigns WHERE id = CASE
        WHEN kind IN ('confirm-signature', 'already-signed', 'manage-signature', 'update-one')
            THEN (SELECT campaign_id FROM signatures WHERE id = outbox.ref_id)
        WHEN kind = 'confirm-endorsement' THEN (SELECT campaign_id FROM endorsements WHERE id = outbox.ref_id)
        WHEN kind = 'confirm-comment' THEN (SELECT campaign_id FROM comments WHERE id = outbox.ref_id)
        WHEN kind = 'update-batch' THEN (SELECT campaign_id FROM updates WHERE id = outbox.ref_id)
    END)";

pub(crate) async fn claim(
    writer: &SqlitePool,
    now: OffsetDateTime,
    lease: time::Duration,
    limit: u32,
) -> StoreResult<Vec<QueuedMail>> {
    let rows = sqlx::query(
        "UPDATE outbox SET locked_until = ?, attempts = attempts + 1
         WHERE id IN (SELECT id FROM outbox WHERE failed = 0 AND next_attempt_at <= ?
                      AND (locked_until IS NULL OR locked_until <= ?) ORDER BY next_attempt_at LIMIT ?)
         RETURNING id, kind, ref_id, attempts, cursor, created_at, locked_until",
    )
    .bind(micros(now + lease))
    .bind(micros(now))
    .bind(micros(now))
    .bind(i64::from(limit))
    .fetch_all(writer)
    .await
    .map_err(db)?;
    rows.iter().map(queued).collect()
}

fn queued(r: &SqliteRow) -> StoreResult<QueuedMail> {
    Ok(QueuedMail {
        id: get(r, "id")?,
        kind: mail_kind(&get::<String>(r, "kind")?)?,
        ref_id: get(r, "ref_id")?,
        attempts: get(r, "attempts")?,
        cursor: get(r, "cursor")?,
        created_at: time_at(r, "created_at")?,
        lease: time_at(r, "locked_until")?,
    })
}

pub(crate) async fn done(writer: &SqlitePool, mails: &[QueuedMail]) -> StoreResult<u64> {
    if mails.is_empty() {
        return Ok(0);
    }
    let pairs = vec!["(?, ?)"; mails.len()].join(", ");
    let sql = format!("DELETE FROM outbox WHERE (id, locked_until) IN (VALUES {pairs})");
    let mut query = sqlx::query(&sql);
    for mail in mails {
        query = query.bind(mail.id).bind(micros(mail.lease));
    }
    Ok(query.execute(writer).await.map_err(db)?.rows_affected())
}

pub(crate) async fn failed(
    writer: &SqlitePool,
    mail: &QueuedMail,
    error: &str,
    retry_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET last_error = ?, locked_until = NULL, next_attempt_at = coalesce(?, next_attempt_at),
             failed = ?, failed_at = CASE WHEN ? IS NULL THEN ? END
         WHERE id = ? AND locked_until = ?",
    )
    .bind(error)
    .bind(retry_at.map(micros))
    .bind(retry_at.is_none())
    .bind(retry_at.map(micros))
    .bind(micros(now))
    .bind(mail.id)
    .bind(micros(mail.lease))
    .execute(writer)
    .await
    .map_err(db)?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn progress(
    writer: &SqlitePool,
    job: &QueuedMail,
    cursor: i64,
    now: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE outbox SET cursor = ?, locked_until = NULL, next_attempt_at = ?, attempts = 0
         WHERE id = ? AND locked_until = ?",
    )
    .bind(cursor)
    .bind(micros(now))
    .bind(job.id)
    .bind(micros(job.lease))
    .execute(writer)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn given_up(reader: &SqlitePool, limit: u32) -> StoreResult<Vec<FailedMail>> {
    let rows = sqlx::query(&format!(
        "SELECT id, kind, created_at, failed_at, attempts, last_error, {CAMPAIGN_OF_MAIL} AS campaign
         FROM outbox WHERE failed = 1 ORDER BY coalesce(failed_at, created_at) DESC, id DESC LIMIT ?"
    ))
    .bind(i64::from(limit))
    .fetch_all(reader)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            Ok(FailedMail {
                id: get(r, "id")?,
                kind: mail_kind(&get::<String>(r, "kind")?)?,
                created_at: time_at(r, "created_at")?,
                failed_at: opt_time_at(r, "failed_at")?,
                attempts: get(r, "attempts")?,
                error: get(r, "last_error")?,
                campaign: get(r, "campaign")?,
            })
        })
        .collect()
}

pub(crate) async fn retry(writer: &SqlitePool, ids: Option<&[i64]>, now: OffsetDateTime) -> StoreResult<u64> {
    let chosen = match ids {
        None => String::new(),
        Some([]) => return Ok(0),
        Some(ids) => format!(" AND id IN ({})", vec!["?"; ids.len()].join(", ")),
    };
    let sql = format!(
        "UPDATE outbox SET failed = 0, failed_at = NULL, attempts = 0, locked_until = NULL, next_attempt_at = ?
         WHERE failed = 1{chosen}"
    );
    let mut query = sqlx::query(&sql).bind(micros(now));
    for id in ids.unwrap_or_default() {
        query = query.bind(id);
    }
    Ok(query.execute(writer).await.map_err(db)?.rows_affected())
}
