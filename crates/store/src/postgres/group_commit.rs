//! PostgreSQL's group-commit writer: the task behind the signing queue (`crate::group_commit`).

use std::sync::Arc;
use std::time::Instant;

use sqlx::PgPool;
use tokio::sync::mpsc;
use undersigned_core::signature::{Confirmation, SignOutcome};
use undersigned_core::store::{StoreError, StoreResult};

use super::dialect::db;
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

/// Group commit, as on SQLite: one task takes every signature waiting and writes them in one
/// transaction, answering each only after the COMMIT. The signatures go in with one `INSERT ...
/// SELECT FROM unnest(...) ... ON CONFLICT DO UPDATE` (new and known addresses alike, from before
/// or from another instance: see [`on_conflict`]) and their mails with another, so a batch costs a
/// few round trips and one fsync whatever its size and whatever it holds (PostgreSQL's own group
/// commit alone gave about 1,800 signatures a second here, with a transaction and four round trips
/// each). A batch holds each address once (see [`crate::group_commit::next_batch`]). If the batch
/// fails as a whole, each signature is tried alone, so that one bad row fails only itself.
pub(super) async fn group_commit(
    pool: PgPool,
    mut jobs: mpsc::Receiver<Job>,
    health: Arc<WriteHealth>,
    sealing: Sealing,
) {
    let mut held = Vec::new();
    let observed = BatchMetrics::default();
    while let Some((mut batch, mut confirms)) = next_batch(&mut jobs, &mut held).await {
        if !confirms.is_empty() {
            let started = Instant::now();
            let written = confirm_batch(&pool, &confirms).await;
            health.record(&written);
            observed.written(0, confirms.len(), started);
            let outcomes = match written {
                Ok(outcomes) => outcomes,
                Err(e) => confirms.iter().map(|_| Err(e.clone())).collect(),
            };
            answer(&mut confirms, outcomes);
        }
        if batch.is_empty() {
            continue;
        }
        let started = Instant::now();
        if let Err(e) = seal_batch(&pool, &sealing, &mut batch).await {
            tracing::warn!(error = %e, "the owners' keys of a batch's campaigns could not be read");
            let outcomes = batch.iter().map(|_| Err(e.clone())).collect();
            answer(&mut batch, outcomes);
            continue;
        }
        let written = sign_batch(&pool, &batch).await;
        health.record(&written);
        observed.written(batch.len(), 0, started);
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
                    outcomes.push(sign_alone(&pool, job).await);
                }
                outcomes
            }
        };
        answer(&mut batch, outcomes);
    }
}

/// The batch's confirmations in one transaction: pending signatures become confirmed (at the
/// batch's time) and the webhooks' deliveries of those are queued, in one statement; those not
/// pending are looked up to tell "already" from "not found".
async fn confirm_batch(
    pool: &PgPool,
    confirms: &[ConfirmJob],
) -> StoreResult<Vec<StoreResult<Confirmation>>> {
    let ids: Vec<i64> = confirms.iter().map(|c| c.id).collect();
    let revisions: Vec<Option<i64>> = confirms.iter().map(|c| c.revision).collect();
    let mut tx = pool.begin().await.map_err(db)?;
    // A job with a revision confirms only that revision (what its signer was shown).
    // The webhooks' deliveries go in with the confirmations, in the same statement.
    let returned = sqlx::query(&format!(
        "WITH confirmed AS (
             UPDATE signatures s SET status = 'confirmed', confirmed_at = $1
             WHERE s.id = ANY($2) AND s.status = 'pending'
               AND EXISTS (SELECT 1 FROM unnest($2::BIGINT[], $3::BIGINT[]) AS j (id, revision)
                           WHERE j.id = s.id AND (j.revision IS NULL OR j.revision = s.revision))
             RETURNING s.id, {RECORD_COLUMNS}),
         hooks AS ({})
         SELECT id, {RECORD_COLUMNS} FROM confirmed",
        webhook_events::confirmed_sql("confirmed", "$1")
    ))
    .bind(confirms[0].now)
    .bind(&ids)
    .bind(&revisions)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let confirmed = log_append::records_of(&returned)?;
    let confirmed = log_append::append_confirmed(&mut tx, confirmed).await?;
    let existing: Vec<(i64, String)> = sqlx::query_as("SELECT id, status FROM signatures WHERE id = ANY($1)")
        .bind(&ids)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
    tx.commit().await.map_err(db)?;
    let pending = existing.iter().filter(|(_, status)| status == "pending").map(|(id, _)| *id).collect();
    let existing = existing.into_iter().map(|(id, _)| id).collect();
    Ok(confirmations(confirms, confirmed, &existing, &pending))
}

async fn sign_alone(pool: &PgPool, job: &SignJob) -> StoreResult<SignOutcome> {
    let mut tx = pool.begin().await.map_err(db)?;
    let outcome = sign_one(&mut tx, job).await?;
    tx.commit().await.map_err(db)?;
    Ok(outcome)
}

async fn sign_batch(pool: &PgPool, batch: &[SignJob]) -> StoreResult<Vec<SignOutcome>> {
    let records = || batch.iter().map(|job| &job.record);
    let signers = || records().map(|r| &r.signer);
    let mut tx = pool.begin().await.map_err(db)?;
    let rows = sqlx::query(&format!(
        "INSERT INTO signatures AS s ({INSERTED_COLUMNS})
         SELECT campaign_id, email_key, email, name, country, private_sealed, private_digest, display, opt_in, lang, 'pending', ip_key, 1, signed_at, signed_at, version_lang, log_salt, log_digests, private_key_ids, via, src
         FROM unnest($1::BIGINT[], $2::BYTEA[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::BYTEA[], $8::TEXT[], $9::BOOLEAN[], $10::TEXT[], $11::BYTEA[], $12::TIMESTAMPTZ[], $13::TEXT[], $15::BYTEA[], $16::BYTEA[], $17::TEXT[], $18::BIGINT[], $19::TEXT[])
             AS n (campaign_id, email_key, email, name, country, private_sealed, private_digest, display, opt_in, lang, ip_key, signed_at, version_lang, log_salt, log_digests, private_key_ids, via, src)
         {}
         RETURNING id, email_key, status, mails_sent, (xmax = 0) AS created",
        on_conflict("$14")
    ))
    .bind(records().map(|r| r.campaign_id).collect::<Vec<_>>())
    .bind(records().map(|r| r.email_key.to_vec()).collect::<Vec<_>>())
    .bind(batch.iter().map(|job| job.email.as_str()).collect::<Vec<_>>())
    .bind(batch.iter().map(|job| job.name.as_str()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.country.as_str()).collect::<Vec<_>>())
    .bind(batch.iter().map(|job| job.private.as_deref()).collect::<Vec<_>>())
    .bind(batch.iter().map(|job| job.private_digest.as_deref()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.display.as_str()).collect::<Vec<_>>())
    .bind(signers().map(|v| v.opt_in).collect::<Vec<_>>())
    .bind(signers().map(|v| v.lang.as_str()).collect::<Vec<_>>())
    .bind(batch.iter().map(|job| job.ip_key.as_deref()).collect::<Vec<_>>())
    .bind(records().map(|r| r.now).collect::<Vec<_>>())
    .bind(records().map(|r| r.version.as_str()).collect::<Vec<_>>())
    .bind(batch[0].budget.window)
    .bind(records().map(|r| r.leaf.salt.to_vec()).collect::<Vec<_>>())
    .bind(records().map(|r| r.leaf.digests().to_vec()).collect::<Vec<_>>())
    .bind(batch.iter().map(|job| job.private_key_ids.as_deref()).collect::<Vec<_>>())
    .bind(records().map(|r| r.source.via).collect::<Vec<_>>())
    .bind(records().map(|r| r.source.src.as_deref()).collect::<Vec<_>>())
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    // A row PostgreSQL inserted has no deleting transaction yet; one it updated has this one.
    let signed = batch_outcomes(batch, &rows, |_, row| get::<bool>(row, "created"))?;
    write_consents(&mut tx, &consenting(batch, &signed)).await?;
    let (mut kinds, mut mailed, mut mailed_at) =
        (Vec::with_capacity(batch.len()), Vec::with_capacity(batch.len()), Vec::with_capacity(batch.len()));
    for (job, &outcome) in batch.iter().zip(&signed) {
        if let Some((kind, id)) = mail_of(outcome) {
            kinds.push(kind.as_str());
            mailed.push(id);
            mailed_at.push(job.record.now);
        }
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
    Ok(signed)
}
