//! PostgreSQL's group-commit writer: the task behind the signing queue (`crate::group_commit`).

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::{PgPool, Postgres, Transaction};
use tokio::sync::mpsc;
use undersigned_core::signature::{Confirmation, MailBudget, SignOutcome, SignatureRecord};
use undersigned_core::store::{StoreError, StoreResult};

use super::dialect::db;
use super::portable::common::get;
use super::portable::sign_batch::{batch_outcome, mail_of, repeated, repeated_outcomes, sign_one};
use crate::group_commit::{ConfirmJob, Job, SignJob, WriteHealth, answer, confirmations, next_batch};

/// Group commit, as on SQLite: one task takes every signature waiting and writes them in one
/// transaction, answering each only after the COMMIT. The new rows go in with one `INSERT ...
/// SELECT FROM unnest(...)` and their mails with another, so a batch costs a few round trips and
/// one fsync whatever its size (PostgreSQL's own group commit alone gave about 1,800 signatures a
/// second here, with a transaction and four round trips each). Addresses that signed already (a
/// conflict on the unique key, from before or from another instance) take two more statements,
/// which run whatever the batch holds, so that a signature takes the same time whether its address
/// signed before or not (issue 11: one-by-one work for a known address made it 2 ms slower here).
/// A batch holds each address once (see [`crate::group_commit::next_batch`]). If the batch fails
/// as a whole, each signature is tried alone, so that one bad row fails only itself.
pub(super) async fn group_commit(pool: PgPool, mut jobs: mpsc::Receiver<Job>, health: Arc<WriteHealth>) {
    let mut held = Vec::new();
    while let Some((mut batch, mut confirms)) = next_batch(&mut jobs, &mut held).await {
        if !confirms.is_empty() {
            let written = confirm_batch(&pool, &confirms).await;
            health.record(&written);
            let outcomes = match written {
                Ok(outcomes) => outcomes,
                Err(e) => confirms.iter().map(|_| Err(e.clone())).collect(),
            };
            answer(&mut confirms, outcomes);
        }
        if batch.is_empty() {
            continue;
        }
        let written = sign_batch(&pool, &batch).await;
        health.record(&written);
        let outcomes: Vec<StoreResult<SignOutcome>> = match written {
            Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
            // The database is away (restarting, say): every signature waiting fails at once (the
            // signer is asked to try again), rather than each waiting for a connection in turn.
            Err(StoreError::Unavailable(e)) => {
                batch.iter().map(|_| Err(StoreError::Unavailable(e.clone()))).collect()
            }
            Err(_) => {
                let mut outcomes = Vec::with_capacity(batch.len());
                for job in &batch {
                    outcomes.push(sign_alone(&pool, &job.record, job.budget).await);
                }
                outcomes
            }
        };
        answer(&mut batch, outcomes);
    }
}

/// The batch's confirmations in one transaction: pending signatures become confirmed (at the
/// batch's time), and those not pending are looked up to tell "already" from "not found".
async fn confirm_batch(
    pool: &PgPool,
    confirms: &[ConfirmJob],
) -> StoreResult<Vec<StoreResult<Confirmation>>> {
    let ids: Vec<i64> = confirms.iter().map(|c| c.id).collect();
    let revisions: Vec<Option<i64>> = confirms.iter().map(|c| c.revision).collect();
    let mut tx = pool.begin().await.map_err(db)?;
    // A job with a revision confirms only that revision (what its signer was shown).
    let confirmed: Vec<i64> = sqlx::query_scalar(
        "UPDATE signatures s SET status = 'confirmed', confirmed_at = $1
         WHERE s.id = ANY($2) AND s.status = 'pending'
           AND EXISTS (SELECT 1 FROM unnest($2::BIGINT[], $3::BIGINT[]) AS j (id, revision)
                       WHERE j.id = s.id AND (j.revision IS NULL OR j.revision = s.revision))
         RETURNING s.id",
    )
    .bind(confirms[0].now)
    .bind(&ids)
    .bind(&revisions)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let existing: Vec<(i64, String)> = sqlx::query_as("SELECT id, status FROM signatures WHERE id = ANY($1)")
        .bind(&ids)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
    tx.commit().await.map_err(db)?;
    let pending = existing.iter().filter(|(_, status)| status == "pending").map(|(id, _)| *id).collect();
    let existing = existing.into_iter().map(|(id, _)| id).collect();
    Ok(confirmations(confirms, confirmed.into_iter().collect(), &existing, &pending))
}

async fn sign_alone(pool: &PgPool, s: &SignatureRecord, budget: MailBudget) -> StoreResult<SignOutcome> {
    let mut tx = pool.begin().await.map_err(db)?;
    let outcome = sign_one(&mut tx, s, budget).await?;
    tx.commit().await.map_err(db)?;
    Ok(outcome)
}

/// The batch's signatures from addresses that signed already (those the batch's INSERT did not
/// create, see [`repeated`]), in two statements run whatever their number (none too): a pending
/// signature takes the latest choices (a new revision if they differ, as `replace_pending`), and
/// each is counted against its address's mail budget. The outcome of each, by address key.
async fn sign_repeated(
    tx: &mut Transaction<'_, Postgres>,
    repeated: &[&SignJob],
) -> StoreResult<HashMap<Vec<u8>, SignOutcome>> {
    let records = || repeated.iter().map(|job| &job.record);
    let signers = || records().map(|r| &r.signer);
    let keys: Vec<Vec<u8>> = records().map(|r| r.email_key.to_vec()).collect();
    sqlx::query(
        "UPDATE signatures s SET name = r.name, country = r.country, city = r.city, affiliation = r.affiliation,
             comment = r.comment, display = r.display, opt_in = r.opt_in, lang = r.lang,
             version_lang = r.version_lang, revision = s.revision + 1
         FROM unnest($1::BYTEA[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::BOOLEAN[], $9::TEXT[], $10::TEXT[])
             AS r (email_key, name, country, city, affiliation, comment, display, opt_in, lang, version_lang)
         WHERE s.email_key = r.email_key AND s.status = 'pending'
           AND (s.name, s.country, s.city, s.affiliation, s.comment, s.display, s.opt_in, s.lang)
               IS DISTINCT FROM (r.name, r.country, r.city, r.affiliation, r.comment, r.display, r.opt_in, r.lang)",
    )
    .bind(&keys)
    .bind(signers().map(|v| v.name.as_str()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.country.as_str()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.city.as_deref()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.affiliation.as_deref()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.comment.as_deref()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.display.as_str()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.opt_in).collect::<Vec<_>>())
    .bind(signers().map(|v| v.lang.as_str()).collect::<Vec<_>>())
    .bind(records().map(|r| r.version.as_str()).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await
    .map_err(db)?;
    // Every attempt counts (as `MailBudget::spend`): a mail goes if the count stays within the
    // budget; a window that is over starts again with this attempt.
    let counted = sqlx::query(
        "UPDATE signatures s SET
             mails_sent = CASE WHEN r.at - s.mail_window_start > r.budget_window THEN 1 ELSE s.mails_sent + 1 END,
             mail_window_start = CASE WHEN r.at - s.mail_window_start > r.budget_window THEN r.at ELSE s.mail_window_start END
         FROM unnest($1::BYTEA[], $2::TIMESTAMPTZ[], $3::INTERVAL[]) AS r (email_key, at, budget_window)
         WHERE s.email_key = r.email_key
         RETURNING s.id, s.email_key, s.status, s.mails_sent",
    )
    .bind(&keys)
    .bind(records().map(|r| r.now).collect::<Vec<_>>())
    .bind(repeated.iter().map(|job| job.budget.window).collect::<Vec<_>>())
    .fetch_all(&mut **tx)
    .await
    .map_err(db)?;
    repeated_outcomes(&counted, repeated)
}

async fn sign_batch(pool: &PgPool, batch: &[SignJob]) -> StoreResult<Vec<SignOutcome>> {
    let records = || batch.iter().map(|job| &job.record);
    let signers = || records().map(|r| &r.signer);
    let mut tx = pool.begin().await.map_err(db)?;
    let rows = sqlx::query(
        "INSERT INTO signatures (campaign_id, email_key, email, name, country, city, affiliation, comment, display, opt_in, lang, status, ip_key, mails_sent, mail_window_start, created_at, version_lang)
         SELECT campaign_id, email_key, email, name, country, city, affiliation, comment, display, opt_in, lang, 'pending', ip_key, 1, signed_at, signed_at, version_lang
         FROM unnest($1::BIGINT[], $2::BYTEA[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[], $9::TEXT[], $10::BOOLEAN[], $11::TEXT[], $12::BYTEA[], $13::TIMESTAMPTZ[], $14::TEXT[])
             AS s (campaign_id, email_key, email, name, country, city, affiliation, comment, display, opt_in, lang, ip_key, signed_at, version_lang)
         ON CONFLICT (email_key) DO NOTHING RETURNING id, email_key",
    )
    .bind(records().map(|r| r.campaign_id).collect::<Vec<_>>())
    .bind(records().map(|r| r.email_key.to_vec()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.email.as_str()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.name.as_str()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.country.as_str()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.city.as_deref()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.affiliation.as_deref()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.comment.as_deref()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.display.as_str()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.opt_in).collect::<Vec<_>>())
    .bind(signers().map(|v| v.lang.as_str()).collect::<Vec<_>>())
    .bind(records().map(|r| r.ip_key.map(|k| k.to_vec())).collect::<Vec<_>>())
    .bind(records().map(|r| r.now).collect::<Vec<_>>())
    .bind(records().map(|r| r.version.as_str()).collect::<Vec<_>>())
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let mut created = HashMap::with_capacity(rows.len());
    for row in &rows {
        created.insert(get::<Vec<u8>>(row, "email_key")?, get::<i64>(row, "id")?);
    }
    let repeated = sign_repeated(&mut tx, &repeated(batch, &created)).await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    let (mut kinds, mut mailed, mut mailed_at) =
        (Vec::with_capacity(batch.len()), Vec::with_capacity(batch.len()), Vec::with_capacity(batch.len()));
    for job in batch {
        let outcome = batch_outcome(job, &created, &repeated)?;
        if let Some((kind, id)) = mail_of(outcome) {
            kinds.push(kind.as_str());
            mailed.push(id);
            mailed_at.push(job.record.now);
        }
        outcomes.push(outcome);
    }
    // Even with no mail to queue, so that a signature over its address's mail budget takes as
    // long as one within it.
    sqlx::query(
        "INSERT INTO outbox (kind, ref_id, next_attempt_at, created_at)
         SELECT kind, ref_id, queued_at, queued_at
         FROM unnest($1::TEXT[], $2::BIGINT[], $3::TIMESTAMPTZ[]) AS m (kind, ref_id, queued_at)",
    )
    .bind(kinds)
    .bind(mailed)
    .bind(mailed_at)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(outcomes)
}
