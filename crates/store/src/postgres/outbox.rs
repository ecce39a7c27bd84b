//! The outbox's SQL: a mail is finished or released only under the lease it was claimed with
//! (`locked_until`), and ids are never reused (an identity column), so a worker whose lease ran out
//! cannot touch a newer mail.

use sqlx::PgPool;
use sqlx::postgres::PgRow;
use time::OffsetDateTime;
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
    writer: &PgPool,
    now: OffsetDateTime,
    lease: time::Duration,
    limit: u32,
) -> StoreResult<Vec<QueuedMail>> {
    let rows = sqlx::query(
        "UPDATE outbox SET locked_until = $1, attempts = attempts + 1
         WHERE id IN (SELECT id FROM outbox WHERE NOT failed AND next_attempt_at <= $2
                      AND (locked_until IS NULL OR locked_until <= $3) ORDER BY next_attempt_at LIMIT $4
                      FOR UPDATE SKIP LOCKED)
         RETURNING id, kind, ref_id, attempts, cursor, created_at, locked_until",
    )
    .bind(now + lease)
    .bind(now)
    .bind(now)
    .bind(i64::from(limit))
    .fetch_all(writer)
    .await
    .map_err(db)?;
    rows.iter().map(queued).collect()
}

fn queued(r: &PgRow) -> StoreResult<QueuedMail> {
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

pub(crate) async fn done(writer: &PgPool, mails: &[QueuedMail]) -> StoreResult<u64> {
    if mails.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = mails.iter().map(|m| m.id).collect();
    let leases: Vec<OffsetDateTime> = mails.iter().map(|m| m.lease).collect();
    let query = sqlx::query(
        "DELETE FROM outbox USING unnest($1::BIGINT[], $2::TIMESTAMPTZ[]) AS done (id, lease)
         WHERE outbox.id = done.id AND outbox.locked_until = done.lease",
    )
    .bind(ids)
    .bind(leases);
    Ok(query.execute(writer).await.map_err(db)?.rows_affected())
}

pub(crate) async fn failed(
    writer: &PgPool,
    mail: &QueuedMail,
    error: &str,
    retry_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET last_error = $1, locked_until = NULL, next_attempt_at = coalesce($2, next_attempt_at),
             failed = $3, failed_at = CASE WHEN $3 THEN $4 END
         WHERE id = $5 AND locked_until = $6",
    )
    .bind(error)
    .bind(retry_at)
    .bind(retry_at.is_none())
    .bind(now)
    .bind(mail.id)
    .bind(mail.lease)
    .execute(writer)
    .await
    .map_err(db)?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn progress(
    writer: &PgPool,
    job: &QueuedMail,
    cursor: i64,
    now: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE outbox SET cursor = $1, locked_until = NULL, next_attempt_at = $2, attempts = 0
         WHERE id = $3 AND locked_until = $4",
    )
    .bind(cursor)
    .bind(now)
    .bind(job.id)
    .bind(job.lease)
    .execute(writer)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn given_up(reader: &PgPool, limit: u32) -> StoreResult<Vec<FailedMail>> {
    let rows = sqlx::query(&format!(
        "SELECT id, kind, created_at, failed_at, attempts, last_error, {CAMPAIGN_OF_MAIL} AS campaign
         FROM outbox WHERE failed ORDER BY coalesce(failed_at, created_at) DESC, id DESC LIMIT $1"
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

pub(crate) async fn retry(writer: &PgPool, ids: Option<&[i64]>, now: OffsetDateTime) -> StoreResult<u64> {
    let query = match ids {
        None => sqlx::query(
            "UPDATE outbox SET failed = FALSE, failed_at = NULL, attempts = 0, locked_until = NULL,
                 next_attempt_at = $1 WHERE failed",
        )
        .bind(now),
        Some(ids) => sqlx::query(
            "UPDATE outbox SET failed = FALSE, failed_at = NULL, attempts = 0, locked_until = NULL,
                 next_attempt_at = $1 WHERE failed AND id = ANY($2)",
        )
        .bind(now)
        .bind(ids),
    };
    Ok(query.execute(writer).await.map_err(db)?.rows_affected())
}
