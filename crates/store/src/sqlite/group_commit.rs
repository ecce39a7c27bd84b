//! SQLite's group-commit writer: the task behind the signing queue (`crate::group_commit`).

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::{Sqlite, SqlitePool, Transaction};
use time::OffsetDateTime;
use tokio::sync::mpsc;
use undersigned_core::clock::micros;
use undersigned_core::outbox::MailKind;
use undersigned_core::signature::{Confirmation, SignOutcome};
use undersigned_core::store::{StoreError, StoreResult};

use super::dialect::{db, span};
use super::portable::common::get;
use super::portable::sign_batch::{batch_outcome, mail_of, repeated, repeated_outcomes, sign_one};
use crate::group_commit::{ConfirmJob, Job, SignJob, WriteHealth, answer, confirmations, next_batch};

/// Group commit: one task takes every signature waiting and writes them in one transaction, and
/// answers each only after the COMMIT. With `synchronous=FULL` a commit costs an fsync; sharing it
/// between all the signatures that arrived meanwhile is what lets one small disk keep up with a
/// crowd. The new rows go in with one statement (`INSERT ... SELECT FROM json_each(?)`), the
/// addresses that signed already are handled with two more, and every mail goes in with a fourth:
/// each statement is a hand-off to sqlx's SQLite thread and back, which the profile showed costing
/// more than SQLite's own work, so a batch makes a few whatever its size. These statements run
/// whatever the batch holds, so that a signature takes the same time whether its address signed
/// before or not (issue 11: one-by-one work for a known address made it 0.5 ms slower here, 2 ms on
/// PostgreSQL). A batch holds each address once (see [`crate::group_commit::next_batch`]). If a
/// batch statement fails, its signatures take the one-by-one path, each in a savepoint, so that one
/// bad row fails only itself.
pub(super) async fn group_commit(
    writer: SqlitePool,
    mut jobs: mpsc::Receiver<Job>,
    health: Arc<WriteHealth>,
) {
    let mut held = Vec::new();
    while let Some((mut batch, mut confirms)) = next_batch(&mut jobs, &mut held).await {
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut confirmed = Vec::with_capacity(confirms.len());
        let committed = async {
            let mut tx = writer.begin().await.map_err(db)?;
            let created = match insert_new(&mut tx, &batch).await {
                Ok(created) => Some(created),
                // SQLite may have rolled the transaction back: the batch fails as a whole.
                Err(e @ StoreError::Unavailable(_)) => return Err(e),
                Err(_) => None,
            };
            let repeated = match &created {
                Some(created) => match sign_repeated(&mut tx, &repeated(&batch, created)).await {
                    Ok(repeated) => Some(repeated),
                    Err(e @ StoreError::Unavailable(_)) => return Err(e),
                    Err(_) => None,
                },
                None => None,
            };
            let mut mails = Vec::with_capacity(batch.len());
            for job in &batch {
                let at = micros(job.record.now);
                if let (Some(created), Some(repeated)) = (&created, &repeated) {
                    let outcome = batch_outcome(job, created, repeated);
                    if let Some((kind, id)) = outcome.as_ref().ok().and_then(|o| mail_of(*o)) {
                        mails.push((kind.as_str(), id, at));
                    }
                    outcomes.push(outcome);
                    continue;
                }
                if let Some(&id) = created.as_ref().and_then(|created| created.get(&job.record.email_key[..]))
                {
                    mails.push((MailKind::ConfirmSignature.as_str(), id, at));
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
            // Even with no mail to queue, so that a signature over its address's mail budget
            // takes as long as one within it.
            let queued = serde_json::to_string(&mails).map_err(|e| StoreError::Database(e.to_string()))?;
            sqlx::query(
                "INSERT INTO outbox (kind, ref_id, next_attempt_at, created_at)
                 SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 2 FROM json_each(?)",
            )
            .bind(queued)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
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

/// The batch's signatures from addresses that signed already (those `insert_new` did not create,
/// see [`repeated`]), in two statements run whatever their number (none too): a pending signature
/// takes the latest choices (a new revision if they differ, as `replace_pending`), and each is
/// counted against its address's mail budget. The outcome of each, by address key.
async fn sign_repeated(
    tx: &mut Transaction<'_, Sqlite>,
    repeated: &[&SignJob],
) -> StoreResult<HashMap<Vec<u8>, SignOutcome>> {
    let rows: Vec<serde_json::Value> = repeated
        .iter()
        .map(|job| {
            let (s, v) = (&job.record, &job.record.signer);
            serde_json::json!([
                hex::encode(s.email_key),
                v.name,
                v.country,
                v.city,
                v.affiliation,
                v.comment,
                v.display.as_str(),
                v.opt_in,
                v.lang.as_str(),
                s.version.as_str(),
                micros(s.now),
                span(job.budget.window),
            ])
        })
        .collect();
    let rows = serde_json::to_string(&rows).map_err(|e| StoreError::Database(e.to_string()))?;
    sqlx::query(
        "UPDATE signatures SET name = r.name, country = r.country, city = r.city, affiliation = r.affiliation,
             comment = r.comment, display = r.display, opt_in = r.opt_in, lang = r.lang,
             version_lang = r.version_lang, revision = signatures.revision + 1
         FROM (SELECT unhex(value ->> 0) AS email_key, value ->> 1 AS name, value ->> 2 AS country,
                      value ->> 3 AS city, value ->> 4 AS affiliation, value ->> 5 AS comment,
                      value ->> 6 AS display, value ->> 7 AS opt_in, value ->> 8 AS lang,
                      value ->> 9 AS version_lang
               FROM json_each(?)) AS r
         WHERE signatures.email_key = r.email_key AND signatures.status = 'pending'
           AND (signatures.name IS NOT r.name OR signatures.country IS NOT r.country
                OR signatures.city IS NOT r.city OR signatures.affiliation IS NOT r.affiliation
                OR signatures.comment IS NOT r.comment OR signatures.display IS NOT r.display
                OR signatures.opt_in IS NOT r.opt_in OR signatures.lang IS NOT r.lang)",
    )
    .bind(&rows)
    .execute(&mut **tx)
    .await
    .map_err(db)?;
    // Every attempt counts (as `MailBudget::spend`): a mail goes if the count stays within the
    // budget; a window that is over starts again with this attempt.
    let counted = sqlx::query(
        "UPDATE signatures SET
             mails_sent = CASE WHEN r.at - signatures.mail_window_start > r.budget_window THEN 1
                               ELSE signatures.mails_sent + 1 END,
             mail_window_start = CASE WHEN r.at - signatures.mail_window_start > r.budget_window THEN r.at
                                      ELSE signatures.mail_window_start END
         FROM (SELECT unhex(value ->> 0) AS email_key, value ->> 10 AS at, value ->> 11 AS budget_window
               FROM json_each(?)) AS r
         WHERE signatures.email_key = r.email_key
         RETURNING id, email_key, status, mails_sent",
    )
    .bind(&rows)
    .fetch_all(&mut **tx)
    .await
    .map_err(db)?;
    repeated_outcomes(&counted, repeated)
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
    // A job with a revision confirms only that revision (what its signer was shown). A join, not
    // a correlated EXISTS: that read the batch's JSON again for every row (5 ms for 128 jobs,
    // against 1 ms).
    let confirmed: Vec<i64> = sqlx::query_scalar(
        "UPDATE signatures SET status = 'confirmed', confirmed_at = ?1
         FROM (SELECT value ->> 0 AS id, value ->> 1 AS revision FROM json_each(?2)) AS j
         WHERE signatures.id = j.id AND signatures.status = 'pending'
           AND (j.revision IS NULL OR j.revision = signatures.revision)
         RETURNING signatures.id",
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
/// (A batch holds each address once; one that signed already comes back as a repeat.)
async fn insert_new(
    tx: &mut Transaction<'_, Sqlite>,
    batch: &[SignJob],
) -> StoreResult<HashMap<Vec<u8>, i64>> {
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
