//! SQLite's group-commit writer: the task behind the signing queue (`crate::group_commit`).

use std::sync::Arc;

use sqlx::{Sqlite, SqlitePool, Transaction};
use time::OffsetDateTime;
use tokio::sync::mpsc;
use undersigned_core::clock::micros;
use undersigned_core::outbox::MailKind;
use undersigned_core::signature::{Confirmation, SignOutcome};
use undersigned_core::store::{StoreError, StoreResult};

use super::portable::{db, get, sign_one};
use crate::group_commit::{ConfirmJob, GROUP, Job, SignJob, WriteHealth, answer, confirmations, split};

/// Group commit: one task takes every signature waiting and writes them in one transaction, and
/// answers each only after the COMMIT. With `synchronous=FULL` a commit costs an fsync; sharing it
/// between all the signatures that arrived meanwhile is what lets one small disk keep up with a
/// crowd. The new rows go in with one statement (`INSERT ... SELECT FROM json_each(?)`) and their
/// mails with another: each statement is a hand-off to sqlx's SQLite thread and back, which the
/// profile showed costing more than SQLite's own work, so a batch makes a few whatever its size.
/// Addresses that signed already take the one-by-one path, each in a savepoint; if the batch
/// statement fails, every signature takes that path, so that one bad row fails only itself.
pub(super) async fn group_commit(
    writer: SqlitePool,
    mut jobs: mpsc::Receiver<Job>,
    health: Arc<WriteHealth>,
) {
    let mut taken = Vec::with_capacity(GROUP);
    while jobs.recv_many(&mut taken, GROUP).await > 0 {
        let (mut batch, mut confirms) = split(&mut taken);
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut confirmed = Vec::with_capacity(confirms.len());
        let committed = async {
            let mut tx = writer.begin().await.map_err(db)?;
            let mut created = match insert_new(&mut tx, &batch).await {
                Ok(created) => created,
                // SQLite may have rolled the transaction back: the batch fails as a whole.
                Err(e @ StoreError::Unavailable(_)) => return Err(e),
                Err(_) => Default::default(),
            };
            let mut mails = Vec::with_capacity(created.len());
            for job in &batch {
                if let Some(id) = created.remove(&job.record.email_key[..]) {
                    mails.push((id, micros(job.record.now)));
                    outcomes.push(Ok(SignOutcome::Created { id }));
                    continue;
                }
                let mut savepoint = sqlx::Acquire::begin(&mut tx).await.map_err(db)?;
                let outcome = sign_one(&mut savepoint, &job.record, job.budget).await;
                if outcome.is_ok() {
                    savepoint.commit().await.map_err(db)?;
                } else {
                    savepoint.rollback().await.map_err(db)?;
                }
                outcomes.push(outcome);
            }
            if !mails.is_empty() {
                let queued =
                    serde_json::to_string(&mails).map_err(|e| StoreError::Database(e.to_string()))?;
                sqlx::query(
                    "INSERT INTO outbox (kind, ref_id, next_attempt_at, created_at)
                     SELECT ?, value ->> 0, value ->> 1, value ->> 1 FROM json_each(?)",
                )
                .bind(MailKind::ConfirmSignature.as_str())
                .bind(queued)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            }
            if let Some(first) = confirms.first() {
                confirmed = confirm_all(&mut tx, &confirms, first.now).await?;
            }
            tx.commit().await.map_err(db)
        }
        .await;
        health.record(&committed);
        if let Err(e) = committed {
            tracing::warn!(error = %e, "a batch of signatures could not be written");
            outcomes = batch.iter().map(|_| Err(e.clone())).collect();
            confirmed = confirms.iter().map(|_| Err(e.clone())).collect();
        }
        answer(&mut batch, outcomes);
        answer(&mut confirms, confirmed);
    }
}

/// The batch's confirmations in two statements: pending signatures become confirmed (at the
/// batch's time), and those not pending are looked up to tell "already" from "not found".
async fn confirm_all(
    tx: &mut Transaction<'_, Sqlite>,
    confirms: &[ConfirmJob],
    now: OffsetDateTime,
) -> StoreResult<Vec<StoreResult<Confirmation>>> {
    let jobs = serde_json::to_string(&confirms.iter().map(|c| (c.id, c.revision)).collect::<Vec<_>>())
        .map_err(|e| StoreError::Database(e.to_string()))?;
    // A job with a revision confirms only that revision (what its signer was shown).
    let confirmed: Vec<i64> = sqlx::query_scalar(
        "UPDATE signatures SET status = 'confirmed', confirmed_at = ?
         WHERE id IN (SELECT value ->> 0 FROM json_each(?2)) AND status = 'pending'
           AND EXISTS (SELECT 1 FROM json_each(?2) j WHERE j.value ->> 0 = signatures.id
                       AND (j.value ->> 1 IS NULL OR j.value ->> 1 = signatures.revision))
         RETURNING id",
    )
    .bind(micros(now))
    .bind(&jobs)
    .fetch_all(&mut **tx)
    .await
    .map_err(db)?;
    let existing: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, status FROM signatures WHERE id IN (SELECT value ->> 0 FROM json_each(?))",
    )
    .bind(&jobs)
    .fetch_all(&mut **tx)
    .await
    .map_err(db)?;
    let pending = existing.iter().filter(|(_, status)| status == "pending").map(|(id, _)| *id).collect();
    let existing = existing.into_iter().map(|(id, _)| id).collect();
    Ok(confirmations(confirms, confirmed.into_iter().collect(), &existing, &pending))
}

/// Inserts the batch's new signatures in one statement; the ids of those created, by address key.
/// (An address twice in the batch is created once; its second comes back as a repeat.)
async fn insert_new(
    tx: &mut Transaction<'_, Sqlite>,
    batch: &[SignJob],
) -> StoreResult<std::collections::HashMap<Vec<u8>, i64>> {
    let rows: Vec<serde_json::Value> = batch
        .iter()
        .map(|job| {
            let (s, v) = (&job.record, &job.record.signer);
            serde_json::json!([
                s.campaign_id,
                hex::encode(s.email_key),
                v.email.as_str(),
                v.name,
                v.country,
                v.city,
                v.affiliation,
                v.comment,
                v.display.as_str(),
                v.opt_in,
                v.lang.as_str(),
                s.ip_key.map(hex::encode),
                micros(s.now),
                s.version.as_str(),
            ])
        })
        .collect();
    let rows = serde_json::to_string(&rows).map_err(|e| StoreError::Database(e.to_string()))?;
    let created = sqlx::query(
        "INSERT INTO signatures (campaign_id, email_key, email, name, country, city, affiliation, comment, display, opt_in, lang, status, ip_key, mails_sent, mail_window_start, created_at, version_lang)
         SELECT value ->> 0, unhex(value ->> 1), value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
                value ->> 8, value ->> 9, value ->> 10, 'pending', unhex(value ->> 11), 1, value ->> 12, value ->> 12, value ->> 13
         FROM json_each(?) WHERE true
         ON CONFLICT (email_key) DO NOTHING RETURNING id, email_key",
    )
    .bind(rows)
    .fetch_all(&mut **tx)
    .await
    .map_err(db)?;
    created.iter().map(|r| Ok((get::<Vec<u8>>(r, "email_key")?, get::<i64>(r, "id")?))).collect()
}
