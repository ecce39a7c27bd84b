//! SQLite's group-commit writer: the task behind the signing queue (`crate::group_commit`).

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::{Sqlite, SqlitePool, Transaction};
use time::OffsetDateTime;
use tokio::sync::mpsc;
use undersigned_core::clock::micros;
use undersigned_core::signature::{Confirmation, SignOutcome};
use undersigned_core::store::{StoreError, StoreResult};

use super::dialect::{db, span};
use super::portable::common::get;
use super::portable::log_append::{self, RECORD_COLUMNS};
use super::portable::sign_batch::{
    INSERTED_COLUMNS, batch_outcomes, consenting, mail_of, on_conflict, seal_batch, sign_one, write_consents,
};
use super::portable::webhook_events;
use crate::group_commit::{
    BatchMetrics, ConfirmJob, Job, SignJob, WriteHealth, answer, confirmations, next_batch,
};
use crate::owner_sealing::Sealing;

/// Group commit: one task takes every signature waiting and writes them in one transaction, and
/// answers each only after the COMMIT. With `synchronous=FULL` a commit costs an fsync; sharing it
/// between all the signatures that arrived meanwhile is what lets one small disk keep up with a
/// crowd. The signatures go in with one statement (`INSERT ... VALUES ... ON CONFLICT DO UPDATE`,
/// for new and known addresses alike: see [`on_conflict`] and [`sign_sql`]) and every mail with
/// another: each statement is a hand-off to sqlx's SQLite thread and back, which the profile showed
/// costing more than SQLite's own work, so a batch makes a few whatever its size and whatever it
/// holds. A batch holds each address once (see [`crate::group_commit::next_batch`]). If the
/// statement fails, the batch's signatures take the one-by-one path, each in a savepoint, so that
/// one bad row fails only itself. A batch of confirmations alone makes no signing statement.
pub(super) async fn group_commit(
    writer: SqlitePool,
    mut jobs: mpsc::Receiver<Job>,
    health: Arc<WriteHealth>,
    sealing: Sealing,
) {
    let mut held = Vec::new();
    let mut statements = HashMap::new();
    let observed = BatchMetrics::default();
    while let Some((mut batch, mut confirms)) = next_batch(&mut jobs, &mut held).await {
        let started = std::time::Instant::now();
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut confirmed = Vec::with_capacity(confirms.len());
        let committed = async {
            seal_batch(&writer, &sealing, &mut batch).await?;
            let mut tx = writer.begin().await.map_err(db)?;
            let signed = match batch.is_empty() {
                true => Some(Vec::new()),
                false => match sign_all(&mut tx, &batch, &mut statements).await {
                    Ok(signed) => Some(signed),
                    // SQLite may have rolled the transaction back: the batch fails as a whole.
                    Err(e @ StoreError::Unavailable(_)) => return Err(e),
                    Err(_) => None,
                },
            };
            let mut mails = Vec::with_capacity(batch.len());
            match signed {
                Some(signed) => {
                    write_consents(&mut tx, &consenting(&batch, &signed)).await?;
                    for (job, outcome) in batch.iter().zip(signed) {
                        if let Some((kind, id)) = mail_of(outcome) {
                            mails.push((kind.as_str(), id, micros(job.record.now)));
                        }
                        outcomes.push(Ok(outcome));
                    }
                }
                // One by one, each in a savepoint (`sign_one` queues its own mail).
                None => {
                    for job in &batch {
                        let mut savepoint = sqlx::Acquire::begin(&mut tx).await.map_err(db)?;
                        let outcome = sign_one(&mut savepoint, job).await;
                        if outcome.is_ok() {
                            savepoint.commit().await.map_err(db)?;
                        } else {
                            savepoint.rollback().await.map_err(db)?;
                        }
                        outcomes.push(outcome);
                    }
                }
            }
            // Even with no mail to queue, so that a signature over its address's mail budget
            // takes as long as one within it.
            if !batch.is_empty() {
                let queued =
                    serde_json::to_string(&mails).map_err(|e| StoreError::Database(e.to_string()))?;
                sqlx::query(
                    "INSERT INTO outbox (kind, ref_id, next_attempt_at, created_at)
                     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 2 FROM json_each(?)",
                )
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
        observed.written(batch.len(), confirms.len(), started);
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
/// batch's time), and those not pending are looked up to tell "already" from "not found"; a third
/// queues the webhooks' deliveries of those it confirmed.
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
    let returned = sqlx::query(&format!(
        "UPDATE signatures SET status = 'confirmed', confirmed_at = ?1
         FROM (SELECT value ->> 0 AS id, value ->> 1 AS revision FROM json_each(?2)) AS j
         WHERE signatures.id = j.id AND signatures.status = 'pending'
           AND (j.revision IS NULL OR j.revision = signatures.revision)
         RETURNING signatures.id, {RECORD_COLUMNS}"
    ))
    .bind(micros(now))
    .bind(&jobs)
    .fetch_all(&mut **tx)
    .await
    .map_err(db)?;
    let confirmed = log_append::records_of(&returned)?;
    let hooked: Vec<(i64, i64)> = confirmed.iter().map(|(id, campaign, _)| (*id, *campaign)).collect();
    let confirmed = log_append::append_confirmed(tx, confirmed).await?;
    // The webhooks' deliveries, in the same transaction: one statement for the batch, and none
    // when it confirmed nothing.
    if !hooked.is_empty() {
        let rows = serde_json::to_string(&hooked).map_err(|e| StoreError::Database(e.to_string()))?;
        sqlx::query(&webhook_events::confirmed_sql(
            "(SELECT value ->> 0 AS id, value ->> 1 AS campaign_id FROM json_each(?2))",
            "?1",
        ))
        .bind(micros(now))
        .bind(rows)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    }
    let existing: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, status FROM signatures WHERE id IN (SELECT value ->> 0 FROM json_each(?))",
    )
    .bind(&jobs)
    .fetch_all(&mut **tx)
    .await
    .map_err(db)?;
    let pending = existing.iter().filter(|(_, status)| status == "pending").map(|(id, _)| *id).collect();
    let existing = existing.into_iter().map(|(id, _)| id).collect();
    Ok(confirmations(confirms, confirmed, &existing, &pending))
}

/// The values of one signature row bound (of [`INSERTED_COLUMNS`]; `status` and `mails_sent`
/// are written in the statement).
const SIGN_VALUES: usize = 19;
/// The batch sizes whose statement is kept (sqlx keeps as many prepared per connection).
const KEPT_SIGN_STATEMENTS: usize = 100;

/// The batch's insert for `rows` signatures: `VALUES` with each value bound, then the mail
/// budget's window (twice). Made once per batch size, and kept.
///
/// Bound rather than read from one JSON parameter with `json_each` (as the other batch statements
/// do): a signature row carries five blobs and the sealed address, and writing them as hex in
/// JSON, then parsing, unhexing and copying them in SQLite, was a measurable share of each
/// signature's cost (callgrind, session 11). The parameters are anonymous (`?`): sqlx asks SQLite
/// the name of each numbered one (`?NNN`), which SQLite finds by a walk through all of them, so
/// numbered parameters cost a batch the square of its size. SQLite allows 32,766 values per
/// statement; a batch holds at most `GROUP` (1,000) signatures of 19.
fn sign_sql(rows: usize) -> String {
    let row = format!("({}, 'pending', ?, 1, {})", ["?"; 10].join(", "), ["?"; SIGN_VALUES - 11].join(", "));
    format!(
        "INSERT INTO signatures AS s ({INSERTED_COLUMNS}) VALUES {}
         {}
         RETURNING id, email_key, status, mails_sent, created_at",
        vec![row; rows].join(",\n"),
        on_conflict("?")
    )
}

/// The batch's signatures in one statement: new addresses make new rows, known ones are handled
/// as [`on_conflict`] says. The outcome of each, in the batch's order.
///
/// SQLite cannot say which rows an upsert inserted, but the rows can: a row is new if it was
/// created at its job's time with one mail counted. One it updated has counted two at least then:
/// its window began no earlier than it was created (it only moves to a later attempt's time), so
/// an attempt at the time it was created is within the window and adds one to the count.
async fn sign_all(
    tx: &mut Transaction<'_, Sqlite>,
    batch: &[SignJob],
    statements: &mut HashMap<usize, String>,
) -> StoreResult<Vec<SignOutcome>> {
    // Kept for the sizes a crowd makes often (a statement's text grows with its rows: kept for
    // every size up to 1,000, they would take 65 MB); a larger batch makes its own, its cost
    // shared by as many signatures.
    let made;
    let sql = match batch.len() {
        n if n <= KEPT_SIGN_STATEMENTS => statements.entry(n).or_insert_with(|| sign_sql(n)).as_str(),
        n => {
            made = sign_sql(n);
            made.as_str()
        }
    };
    let mut query = sqlx::query(sql);
    for job in batch {
        let (s, v) = (&job.record, &job.record.signer);
        query = query
            .bind(s.campaign_id)
            .bind(&s.email_key[..])
            .bind(job.email.as_str())
            .bind(job.name.as_str())
            .bind(v.country.as_str())
            .bind(job.private.as_deref())
            .bind(job.private_digest.as_deref())
            .bind(v.display.as_str())
            .bind(v.opt_in)
            .bind(v.lang.as_str())
            .bind(job.ip_key.as_deref())
            .bind(micros(s.now))
            .bind(micros(s.now))
            .bind(s.version.as_str())
            .bind(&s.leaf.salt[..])
            .bind(s.leaf.digests().to_vec())
            .bind(job.private_key_ids.as_deref())
            .bind(s.source.via)
            .bind(s.source.src.as_deref());
    }
    // `on_conflict` writes the window twice.
    let window = batch.first().map_or(0, |job| span(job.budget.window));
    query = query.bind(window).bind(window);
    let returned = query.fetch_all(&mut **tx).await.map_err(db)?;
    batch_outcomes(batch, &returned, |job, row| {
        Ok(get::<i64>(row, "created_at")? == micros(job.record.now) && get::<i64>(row, "mails_sent")? == 1)
    })
}
