//! The PostgreSQL backend: for several server instances sharing one database.
//!
//! Mail is claimed with `FOR UPDATE SKIP LOCKED`, so workers on several instances never send the
//! same mail twice; a second signature from one address waits on the first's row lock.

mod outbox;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{PgConnection, Postgres, Row, Transaction};
use time::OffsetDateTime;
use tokio::sync::mpsc;
use undersigned_core::account::{AuditEntry, NewUser, Role, User};
use undersigned_core::campaign::{CampaignStats, RetentionDue, TargetResponse};
use undersigned_core::comment::{Comment, CommentStatus, NewComment};
use undersigned_core::endorsement::{EndorsementContact, EndorsementRequest, EndorsementState};
use undersigned_core::moderation::{Invalidation, IpGroup, SignatureFilter};
use undersigned_core::outbox::{FailedMail, MailKind, QueuedMail};
use undersigned_core::records::CampaignImport;
use undersigned_core::signature::{
    Confirmation, Counts, ListCursor, MailBudget, NameDisplay, PublicSignature, SignOutcome, Signature,
    SignatureRecord,
};
use undersigned_core::store::{
    AccessStore, CampaignStore, CommentStore, CountStore, EndorsementStore, HealthStore, ImportStore,
    LifeStore, ModerationStore, OrganiserStore, OutboxStore, RetentionStore, SigningStore, StoreResult,
    UpdateStore,
};
use undersigned_core::update::{Update, UpdateText};
use undersigned_core::{
    Campaign, CampaignContent, CampaignId, CampaignSpec, CampaignStatus, Endorsement, EndorsementSpec,
    Revision, Slug, StoreError,
};

use crate::group_commit::{
    self, ConfirmJob, GROUP, Job, SignJob, SigningQueue, WriteHealth, answer, confirmations, split,
};
use crate::migrate::{self, Dialect};
use crate::rows::{
    CampaignRow, EndorsementRow, SignatureRow, VersionRow, comment_status, endorsement_state, public_name,
};

mod import;
mod life;

/// The advisory lock held by the one aggregator of counts (any fixed number of ours).
const COUNTS_LOCK: i64 = 0x756e_6465_7273_0001;

fn db(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => {
            StoreError::Unavailable(e.to_string())
        }
        e if server_unavailable(&e) => StoreError::Unavailable(e.to_string()),
        e => StoreError::Database(e.to_string()),
    }
}

/// Whether PostgreSQL failed for want of its disk or of itself rather than for what was written
/// (SQLSTATE classes 08 connection, 53 insufficient resources such as a full disk, 57P shutting
/// down or starting, 58 I/O error): the database is unavailable for the moment.
fn server_unavailable(e: &sqlx::Error) -> bool {
    let code = e.as_database_error().and_then(|d| d.code());
    code.is_some_and(|c| ["08", "53", "57P", "58"].iter().any(|class| c.starts_with(class)))
}

fn get<'r, T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>>(
    row: &'r PgRow,
    column: &str,
) -> StoreResult<T> {
    row.try_get(column).map_err(db)
}

fn time_at(row: &PgRow, column: &str) -> StoreResult<OffsetDateTime> {
    get(row, column)
}

fn opt_time_at(row: &PgRow, column: &str) -> StoreResult<Option<OffsetDateTime>> {
    get(row, column)
}

#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
    /// Signatures go to one task that commits them in groups (see `group_commit`).
    signing: SigningQueue,
}

impl PostgresStore {
    /// Connects to a `postgres://` URL and runs the migrations (one instance at a time: sqlx
    /// holds an advisory lock while it migrates).
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(3))
            .connect(url)
            .await?;
        migrate::migrator(Dialect::Postgres).run(&pool).await?;
        let (signing, jobs) = group_commit::queue();
        tokio::spawn(group_commit(pool.clone(), jobs, signing.health()));
        Ok(Self { pool, signing })
    }

    async fn versions(&self, campaign: CampaignId) -> StoreResult<Vec<VersionRow>> {
        let rows = sqlx::query(
            "SELECT lang, title, summary, target, body FROM campaign_versions WHERE campaign_id = $1 ORDER BY lang",
        )
        .bind(campaign)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let demands =
            sqlx::query("SELECT lang, text FROM demands WHERE campaign_id = $1 ORDER BY lang, position")
                .bind(campaign)
                .fetch_all(&self.pool)
                .await
                .map_err(db)?;
        rows.iter()
            .map(|r| {
                let lang: String = get(r, "lang")?;
                let demands = demands
                    .iter()
                    .filter(|d| get::<&str>(d, "lang").is_ok_and(|l| l == lang))
                    .map(|d| get(d, "text"))
                    .collect::<StoreResult<_>>()?;
                Ok(VersionRow {
                    lang,
                    title: get(r, "title")?,
                    summary: get(r, "summary")?,
                    target: get(r, "target")?,
                    body: get(r, "body")?,
                    demands,
                })
            })
            .collect()
    }

    async fn update_with_texts(&self, r: &PgRow) -> StoreResult<Update> {
        let id: i64 = get(r, "id")?;
        let texts =
            sqlx::query("SELECT lang, title, body FROM update_texts WHERE update_id = $1 ORDER BY lang")
                .bind(id)
                .fetch_all(&self.pool)
                .await
                .map_err(db)?;
        let texts = texts
            .iter()
            .map(|t| {
                Ok(UpdateText {
                    lang: undersigned_core::Lang::parse("lang", &get::<String>(t, "lang")?)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    title: get(t, "title")?,
                    body: get(t, "body")?,
                })
            })
            .collect::<StoreResult<_>>()?;
        Ok(Update {
            id,
            campaign_id: get(r, "campaign_id")?,
            author: get(r, "author")?,
            published_at: time_at(r, "published_at")?,
            texts,
        })
    }

    async fn campaign(&self, row: PgRow) -> StoreResult<Campaign> {
        let row = campaign_row(&row)?;
        let versions = self.versions(row.id).await?;
        row.into_campaign(versions)
    }
}

const CAMPAIGN_COLUMNS: &str = "id, slug, status, opens_at, closes_at, dated, contact_name, contact_email, signature_goal, default_lang, withdrawn_at";

fn campaign_row(r: &PgRow) -> StoreResult<CampaignRow> {
    Ok(CampaignRow {
        id: get(r, "id")?,
        slug: get(r, "slug")?,
        status: get(r, "status")?,
        opens_at: opt_time_at(r, "opens_at")?,
        closes_at: opt_time_at(r, "closes_at")?,
        dated: get(r, "dated")?,
        contact_name: get(r, "contact_name")?,
        contact_email: get(r, "contact_email")?,
        signature_goal: get(r, "signature_goal")?,
        default_lang: get(r, "default_lang")?,
        withdrawn_at: opt_time_at(r, "withdrawn_at")?,
    })
}

const ENDORSEMENT_COLUMNS: &str = "id, campaign_id, kind, name, org_type, website, individuals, country, \
     statement, source_note, offline, from_file, created_at, status, verified_at";

fn endorsement_row(r: &PgRow) -> StoreResult<(Endorsement, EndorsementState)> {
    let state = endorsement_state(
        &get::<String>(r, "status")?,
        get::<Option<OffsetDateTime>>(r, "verified_at")?.is_some(),
    )?;
    let row = EndorsementRow {
        id: get(r, "id")?,
        campaign_id: get(r, "campaign_id")?,
        kind: get(r, "kind")?,
        name: get(r, "name")?,
        org_type: get(r, "org_type")?,
        website: get(r, "website")?,
        individuals: get(r, "individuals")?,
        country: get(r, "country")?,
        statement: get(r, "statement")?,
        source_note: get(r, "source_note")?,
        offline: get(r, "offline")?,
        from_file: get(r, "from_file")?,
        created_at: time_at(r, "created_at")?,
    };
    Ok((row.into_endorsement()?, state))
}

const SIGNATURE_COLUMNS: &str = "id, campaign_id, email_key, email, name, country, city, affiliation, comment, \
     display, opt_in, lang, status, created_at, confirmed_at, revision";

fn signature_row(r: &PgRow) -> StoreResult<Signature> {
    SignatureRow {
        id: get(r, "id")?,
        campaign_id: get(r, "campaign_id")?,
        email_key: get(r, "email_key")?,
        email: get(r, "email")?,
        name: get(r, "name")?,
        country: get(r, "country")?,
        city: get(r, "city")?,
        affiliation: get(r, "affiliation")?,
        comment: get(r, "comment")?,
        display: get(r, "display")?,
        opt_in: get(r, "opt_in")?,
        lang: get(r, "lang")?,
        status: get(r, "status")?,
        created_at: time_at(r, "created_at")?,
        confirmed_at: opt_time_at(r, "confirmed_at")?,
        revision: get(r, "revision")?,
    }
    .into_signature()
}

/// One signature inside the caller's transaction: a new row and its confirmation mail, or, for an
/// address that signed already, its mail budget and the right mail.
async fn sign_one(
    conn: &mut PgConnection,
    s: &SignatureRecord,
    budget: MailBudget,
) -> StoreResult<SignOutcome> {
    let v = &s.signer;
    let now = s.now;
    let created: Option<i64> = sqlx::query_scalar(
        "INSERT INTO signatures (campaign_id, email_key, email, name, country, city, affiliation, comment, display, opt_in, lang, status, ip_key, mails_sent, mail_window_start, created_at, version_lang)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12, 1, $13, $14, $15)
         ON CONFLICT (email_key) DO NOTHING RETURNING id",
    )
    .bind(s.campaign_id)
    .bind(&s.email_key[..])
    .bind(v.email.as_str())
    .bind(&v.name)
    .bind(&v.country)
    .bind(&v.city)
    .bind(&v.affiliation)
    .bind(&v.comment)
    .bind(v.display.as_str())
    .bind(v.opt_in)
    .bind(v.lang.as_str())
    .bind(s.ip_key.as_ref().map(|k| &k[..]))
    .bind(now)
    .bind(now)
    .bind(s.version.as_str())
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    let outcome = if let Some(id) = created {
        enqueue(conn, MailKind::ConfirmSignature, id, s.now).await?;
        SignOutcome::Created { id }
    } else {
        let row = sqlx::query("SELECT id, status, mails_sent, mail_window_start FROM signatures WHERE email_key = $1 FOR UPDATE")
            .bind(&s.email_key[..])
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
        let id: i64 = get(&row, "id")?;
        let confirmed = get::<String>(&row, "status")? == "confirmed";
        if !confirmed {
            replace_pending(conn, id, s).await?;
        }
        let spent = budget.spend(get(&row, "mails_sent")?, time_at(&row, "mail_window_start")?, s.now);
        let mailed = spent.is_some();
        if let Some((sent, window_start)) = spent {
            sqlx::query("UPDATE signatures SET mails_sent = $1, mail_window_start = $2 WHERE id = $3")
                .bind(sent)
                .bind(window_start)
                .bind(id)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            let kind = if confirmed { MailKind::AlreadySigned } else { MailKind::ConfirmSignature };
            enqueue(conn, kind, id, s.now).await?;
        }
        if confirmed {
            SignOutcome::AlreadyConfirmed { id, mailed }
        } else {
            SignOutcome::StillPending { id, mailed }
        }
    };
    Ok(outcome)
}

/// A later submission from an address whose signature is still pending: the latest is what its
/// signer chose, so it replaces the fields (a new revision, which the confirmation page shows;
/// the same choices again make none, so that the link of either submission confirms them).
async fn replace_pending(conn: &mut PgConnection, id: i64, s: &SignatureRecord) -> StoreResult<()> {
    let v = &s.signer;
    sqlx::query(
        "UPDATE signatures SET name = $1, country = $2, city = $3, affiliation = $4, comment = $5, display = $6,
             opt_in = $7, lang = $8, version_lang = $10, revision = revision + 1
         WHERE id = $9 AND status = 'pending'
           AND (name, country, city, affiliation, comment, display, opt_in, lang)
               IS DISTINCT FROM ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&v.name)
    .bind(&v.country)
    .bind(&v.city)
    .bind(&v.affiliation)
    .bind(&v.comment)
    .bind(v.display.as_str())
    .bind(v.opt_in)
    .bind(v.lang.as_str())
    .bind(id)
    .bind(s.version.as_str())
    .execute(conn)
    .await
    .map_err(db)?;
    Ok(())
}

/// Forgets the addresses behind a campaign's comments (of one commenter, or of all): the comments
/// keep their name and text; those never confirmed, and their mails, go; an address no other
/// comment needs goes too. How many comments it touched.
async fn forget_comment_addresses(
    tx: &mut Transaction<'_, Postgres>,
    campaign: CampaignId,
    email_key: Option<&[u8]>,
) -> StoreResult<u64> {
    const OF: &str = "campaign_id = $1 AND commenter_id IN (SELECT id FROM commenters WHERE $2::BYTEA IS NULL OR email_key = $2)";
    sqlx::query(&format!(
        "DELETE FROM outbox WHERE kind = 'confirm-comment' AND ref_id IN (SELECT id FROM comments WHERE {OF} AND status = 'unverified')"
    ))
    .bind(campaign)
    .bind(email_key)
    .execute(&mut **tx)
    .await
    .map_err(db)?;
    let commenters: Vec<i64> =
        sqlx::query_scalar(&format!("SELECT DISTINCT commenter_id FROM comments WHERE {OF}"))
            .bind(campaign)
            .bind(email_key)
            .fetch_all(&mut **tx)
            .await
            .map_err(db)?;
    let deleted = sqlx::query(&format!("DELETE FROM comments WHERE {OF} AND status = 'unverified'"))
        .bind(campaign)
        .bind(email_key)
        .execute(&mut **tx)
        .await
        .map_err(db)?
        .rows_affected();
    let kept = sqlx::query(&format!("UPDATE comments SET commenter_id = NULL WHERE {OF}"))
        .bind(campaign)
        .bind(email_key)
        .execute(&mut **tx)
        .await
        .map_err(db)?
        .rows_affected();
    sqlx::query(
        "DELETE FROM commenters k WHERE k.id = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.commenter_id = k.id)",
    )
    .bind(&commenters)
    .execute(&mut **tx)
    .await
    .map_err(db)?;
    Ok(deleted + kept)
}

/// Group commit, as on SQLite: one task takes every signature waiting and writes them in one
/// transaction, answering each only after the COMMIT. The new rows go in with one `INSERT ...
/// SELECT FROM unnest(...)` and their mails with another, so a batch costs a few round trips and
/// one fsync whatever its size (PostgreSQL's own group commit alone gave about 1,800 signatures a
/// second here, with a transaction and four round trips each). Addresses that signed already (a
/// conflict on the unique key, from this batch or another instance) take the one-by-one path inside
/// the same transaction. If the batch fails as a whole, each signature is tried alone, so that one
/// bad row fails only itself.
async fn group_commit(pool: PgPool, mut jobs: mpsc::Receiver<Job>, health: Arc<WriteHealth>) {
    let mut taken = Vec::with_capacity(GROUP);
    while jobs.recv_many(&mut taken, GROUP).await > 0 {
        let (mut batch, mut confirms) = split(&mut taken);
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
    let mut created = std::collections::HashMap::with_capacity(rows.len());
    for row in &rows {
        created.insert(get::<Vec<u8>>(row, "email_key")?, get::<i64>(row, "id")?);
    }
    let mut outcomes = Vec::with_capacity(batch.len());
    let (mut mailed, mut mailed_at) = (Vec::with_capacity(rows.len()), Vec::with_capacity(rows.len()));
    for job in batch {
        if let Some(id) = created.remove(&job.record.email_key[..]) {
            mailed.push(id);
            mailed_at.push(job.record.now);
            outcomes.push(SignOutcome::Created { id });
        } else {
            outcomes.push(sign_one(&mut tx, &job.record, job.budget).await?);
        }
    }
    sqlx::query(
        "INSERT INTO outbox (kind, ref_id, next_attempt_at, created_at)
         SELECT $1, ref_id, queued_at, queued_at FROM unnest($2::BIGINT[], $3::TIMESTAMPTZ[]) AS m (ref_id, queued_at)",
    )
    .bind(MailKind::ConfirmSignature.as_str())
    .bind(mailed)
    .bind(mailed_at)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(outcomes)
}

async fn enqueue(
    conn: &mut PgConnection,
    kind: MailKind,
    ref_id: i64,
    now: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO outbox (kind, ref_id, next_attempt_at, created_at) VALUES ($1, $2, $3, $4)")
        .bind(kind.as_str())
        .bind(ref_id)
        .bind(now)
        .bind(now)
        .execute(conn)
        .await
        .map_err(db)?;
    Ok(())
}

async fn import_one(
    tx: &mut Transaction<'_, Postgres>,
    spec: &CampaignSpec,
    now: OffsetDateTime,
) -> StoreResult<CampaignId> {
    let c = &spec.content;
    let id: CampaignId = sqlx::query_scalar(
        "INSERT INTO campaigns (slug, status, opens_at, closes_at, dated, contact_name, contact_email, signature_goal, default_lang, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (slug) DO UPDATE SET status = excluded.status, opens_at = excluded.opens_at,
             closes_at = excluded.closes_at, dated = excluded.dated, contact_name = excluded.contact_name,
             contact_email = excluded.contact_email, signature_goal = excluded.signature_goal,
             default_lang = excluded.default_lang, updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(c.slug.as_str())
    .bind(c.status.as_str())
    .bind(c.opens_at)
    .bind(c.closes_at)
    .bind(c.dated)
    .bind(&c.contact.name)
    .bind(c.contact.email.as_ref().map(|e| e.as_str()))
    .bind(c.signature_goal.map(i64::from))
    .bind(c.default_lang.as_str())
    .bind(now)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(db)?;
    replace_versions(tx, id, &c.versions).await?;
    sqlx::query("DELETE FROM endorsements WHERE campaign_id = $1 AND from_file")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    for e in &spec.endorsements {
        insert_endorsement(tx, id, e, true, now).await?;
    }
    Ok(id)
}

/// Saves a campaign's settings, status and versions (see [`Store::save_campaign`]).
async fn save_in(
    tx: &mut Transaction<'_, Postgres>,
    id: CampaignId,
    content: &CampaignContent,
    keep_revisions: bool,
    now: OffsetDateTime,
) -> StoreResult<()> {
    let c = content;
    if keep_revisions {
        for old in stored_versions(tx, id).await? {
            let unchanged = c.versions.iter().any(|v| {
                v.lang.as_str() == old.lang
                    && v.title == old.title
                    && v.summary == old.summary
                    && v.target == old.target
                    && v.body == old.body
                    && v.demands == old.demands
            });
            if unchanged {
                continue;
            }
            sqlx::query(
                "INSERT INTO campaign_revisions (campaign_id, lang, title, summary, target, body, demands, replaced_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(&old.lang)
            .bind(&old.title)
            .bind(&old.summary)
            .bind(&old.target)
            .bind(&old.body)
            .bind(old.demands.join("\n"))
            .bind(now)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
        }
    }
    let updated = sqlx::query(
        // A withdrawn campaign keeps the status it had got to (see the migration 0013); one
        // that ends at its end date ended then.
        "UPDATE campaigns SET
             status = CASE WHEN $1 <> 'withdrawn' THEN $1 WHEN status IN ('closed', 'won') THEN status ELSE 'closed' END,
             opens_at = $2, closes_at = $3, dated = $4, contact_name = $5, contact_email = $6,
             signature_goal = $7, default_lang = $8, updated_at = $9,
             ended_at = CASE WHEN $1 IN ('closed', 'won', 'withdrawn') THEN coalesce(ended_at, least($9, coalesce($3, $9))) ELSE NULL END,
             withdrawn_at = CASE WHEN $1 = 'withdrawn' THEN coalesce(withdrawn_at, $9) END
         WHERE id = $10",
    )
    .bind(c.status.as_str())
    .bind(c.opens_at)
    .bind(c.closes_at)
    .bind(c.dated)
    .bind(&c.contact.name)
    .bind(c.contact.email.as_ref().map(|e| e.as_str()))
    .bind(c.signature_goal.map(i64::from))
    .bind(c.default_lang.as_str())
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(db)?
    .rows_affected();
    if updated == 0 {
        return Err(StoreError::NotFound);
    }
    replace_versions(tx, id, &c.versions).await
}

/// Stores an update and its texts, published at `at`; its id.
async fn insert_update(
    tx: &mut Transaction<'_, Postgres>,
    campaign: CampaignId,
    author: &str,
    texts: &[UpdateText],
    at: OffsetDateTime,
) -> StoreResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO updates (campaign_id, author, published_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(campaign)
    .bind(author)
    .bind(at)
    .fetch_one(&mut **tx)
    .await
    .map_err(db)?;
    for text in texts {
        sqlx::query("INSERT INTO update_texts (update_id, lang, title, body) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(text.lang.as_str())
            .bind(&text.title)
            .bind(&text.body)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
    }
    Ok(id)
}

/// Records (or replaces) the target's response.
async fn upsert_response<'e>(
    ex: impl sqlx::PgExecutor<'e>,
    campaign: CampaignId,
    r: &TargetResponse,
    now: OffsetDateTime,
) -> StoreResult<sqlx::postgres::PgQueryResult> {
    sqlx::query("INSERT INTO campaign_responses (campaign_id, text, responded_on, link, recorded_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (campaign_id) DO UPDATE SET text = excluded.text, responded_on = excluded.responded_on, link = excluded.link, recorded_at = excluded.recorded_at")
        .bind(campaign)
        .bind(&r.text)
        .bind(r.responded_on)
        .bind(&r.link)
        .bind(now)
        .execute(ex)
        .await
        .map_err(db)
}

async fn insert_audit<'e>(ex: impl sqlx::PgExecutor<'e>, entry: &AuditEntry) -> StoreResult<()> {
    sqlx::query("INSERT INTO audit_log (at, actor, campaign_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(entry.at)
        .bind(&entry.actor)
        .bind(entry.campaign_id)
        .bind(&entry.action)
        .bind(&entry.subject)
        .bind(&entry.detail)
        .execute(ex)
        .await
        .map_err(db)?;
    Ok(())
}

/// Replaces a campaign's language versions and their demands.
async fn replace_versions(
    tx: &mut Transaction<'_, Postgres>,
    id: CampaignId,
    versions: &[undersigned_core::CampaignVersion],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM campaign_versions WHERE campaign_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    for v in versions {
        sqlx::query(
            "INSERT INTO campaign_versions (campaign_id, lang, title, summary, target, body) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(v.lang.as_str())
        .bind(&v.title)
        .bind(&v.summary)
        .bind(&v.target)
        .bind(&v.body)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
        for (position, text) in v.demands.iter().enumerate() {
            sqlx::query("INSERT INTO demands (campaign_id, lang, position, text) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(v.lang.as_str())
                .bind(position as i64 + 1)
                .bind(text)
                .execute(&mut **tx)
                .await
                .map_err(db)?;
        }
    }
    Ok(())
}

/// The versions as stored now, inside a transaction (to keep what an edit replaces).
async fn stored_versions(tx: &mut Transaction<'_, Postgres>, id: CampaignId) -> StoreResult<Vec<VersionRow>> {
    let rows = sqlx::query(
        "SELECT lang, title, summary, target, body FROM campaign_versions WHERE campaign_id = $1",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await
    .map_err(db)?;
    let mut versions = Vec::with_capacity(rows.len());
    for r in &rows {
        let lang: String = get(r, "lang")?;
        let demands: Vec<String> = sqlx::query_scalar(
            "SELECT text FROM demands WHERE campaign_id = $1 AND lang = $2 ORDER BY position",
        )
        .bind(id)
        .bind(&lang)
        .fetch_all(&mut **tx)
        .await
        .map_err(db)?;
        versions.push(VersionRow {
            lang,
            title: get(r, "title")?,
            summary: get(r, "summary")?,
            target: get(r, "target")?,
            body: get(r, "body")?,
            demands,
        });
    }
    Ok(versions)
}

/// An endorsement collected offline: listed at once.
async fn insert_endorsement(
    conn: &mut PgConnection,
    campaign: CampaignId,
    e: &EndorsementSpec,
    from_file: bool,
    now: OffsetDateTime,
) -> StoreResult<i64> {
    insert_approved_endorsement(conn, campaign, e, true, from_file, now).await
}

/// An approved endorsement: collected offline (or with the files), or through the site.
async fn insert_approved_endorsement(
    conn: &mut PgConnection,
    campaign: CampaignId,
    e: &EndorsementSpec,
    offline: bool,
    from_file: bool,
    created_at: OffsetDateTime,
) -> StoreResult<i64> {
    let (kind, name, org_type, website, individuals) = e.endorser.parts();
    sqlx::query_scalar(
        "INSERT INTO endorsements (campaign_id, kind, name, org_type, website, individuals, country, statement, source_note, offline, from_file, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'approved', $12) RETURNING id",
    )
    .bind(campaign)
    .bind(kind)
    .bind(name)
    .bind(org_type)
    .bind(website)
    .bind(individuals)
    .bind(&e.country)
    .bind(&e.statement)
    .bind(&e.source_note)
    .bind(offline)
    .bind(from_file)
    .bind(created_at)
    .fetch_one(conn)
    .await
    .map_err(db)
}

const USER_COLUMNS: &str = "id, email, name, password_hash, is_admin";

fn user_row(r: &PgRow) -> StoreResult<(User, Option<String>)> {
    let user = User {
        id: get(r, "id")?,
        email: get(r, "email")?,
        name: get(r, "name")?,
        is_admin: get(r, "is_admin")?,
    };
    Ok((user, get(r, "password_hash")?))
}

/// Refuses (`Conflict`) to take away the last admin who can log in, if `user` is that admin. The
/// admins' rows stay locked until the transaction ends, so two admins demoting each other at once
/// cannot both succeed.
async fn keep_an_admin(conn: &mut sqlx::PgConnection, user: i64) -> StoreResult<()> {
    let admins: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE is_admin AND disabled_at IS NULL ORDER BY id FOR UPDATE",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    if admins == [user] {
        return Err(StoreError::Conflict("the last admin".into()));
    }
    Ok(())
}

async fn insert_user(conn: &mut PgConnection, user: &NewUser, now: OffsetDateTime) -> StoreResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, is_admin, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(&user.email)
    .bind(&user.name)
    .bind(&user.password_hash)
    .bind(user.is_admin)
    .bind(now)
    .fetch_optional(conn)
    .await
    .map_err(db)?
    .ok_or_else(|| StoreError::Conflict(format!("an account for {}", user.email)))
}

async fn upsert_role(
    conn: &mut PgConnection,
    campaign: CampaignId,
    user: i64,
    role: Role,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO campaign_roles (campaign_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (campaign_id, user_id) DO UPDATE SET role = excluded.role",
    )
    .bind(campaign)
    .bind(user)
    .bind(role.as_str())
    .execute(conn)
    .await
    .map_err(db)?;
    Ok(())
}

/// The conditions of a `SignatureFilter`, each skipped when not given; bound by `bind_filter`
/// (parameters $1 to $7, after which a query's own start at $8).
const FILTER: &str = "campaign_id = $1 AND invalidation_id IS NULL
    AND ($2::TEXT IS NULL OR lower(split_part(email, '@', 2)) = $2)
    AND ($3::TEXT IS NULL OR country = $3)
    AND ($4::TIMESTAMPTZ IS NULL OR created_at >= $4)
    AND ($5::TIMESTAMPTZ IS NULL OR created_at < $5)
    AND ($6::BYTEA IS NULL OR ip_key = $6)
    AND ($7::BIGINT IS NULL OR id = $7)";

type PgQuery<'q> = sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>;

fn bind_filter<'q>(q: PgQuery<'q>, campaign: CampaignId, f: &'q SignatureFilter) -> PgQuery<'q> {
    q.bind(campaign)
        .bind(f.email_domain.as_deref())
        .bind(f.country.as_deref())
        .bind(f.from)
        .bind(f.until)
        .bind(f.ip_key.as_deref())
        .bind(f.signature_id)
}

const COMMENT_COLUMNS: &str = "c.id, c.campaign_id, c.parent_id, c.name, c.website, c.body, c.organiser, c.status, c.reports, c.created_at";

fn comment_row(r: &PgRow) -> StoreResult<Comment> {
    Ok(Comment {
        id: get(r, "id")?,
        campaign_id: get(r, "campaign_id")?,
        parent_id: get(r, "parent_id")?,
        name: get(r, "name")?,
        website: get(r, "website")?,
        body: get(r, "body")?,
        organiser: get(r, "organiser")?,
        status: comment_status(&get::<String>(r, "status")?)?,
        reports: get(r, "reports")?,
        created_at: time_at(r, "created_at")?,
    })
}

#[async_trait]
impl HealthStore for PostgresStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(db)?;
        Ok(())
    }

    async fn heartbeat(&self, now: OffsetDateTime) -> StoreResult<()> {
        if !self.signing.is_running() {
            return Err(StoreError::Unavailable("the signing writer has stopped".into()));
        }
        self.signing.health().check()?;
        // In a transaction, as every write of the group commit is: its COMMIT is what fails on a
        // full disk.
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query(
            "INSERT INTO heartbeat (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at",
        )
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn missing_migrations(&self) -> StoreResult<Vec<i64>> {
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Ok(migrate::missing(&applied))
    }

    async fn oldest_due_mail(&self, now: OffsetDateTime) -> StoreResult<Option<OffsetDateTime>> {
        let due: Option<OffsetDateTime> = sqlx::query_scalar(
            "SELECT min(next_attempt_at) FROM outbox WHERE NOT failed AND next_attempt_at <= $1",
        )
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        Ok(due)
    }
}

#[async_trait]
impl CampaignStore for PostgresStore {
    async fn has_no_campaigns(&self) -> StoreResult<bool> {
        let any: Option<i64> = sqlx::query_scalar("SELECT id FROM campaigns LIMIT 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        Ok(any.is_none())
    }

    async fn campaign_by_slug(&self, slug: &Slug) -> StoreResult<Option<Campaign>> {
        let row = sqlx::query(&format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE slug = $1"))
            .bind(slug.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        match row {
            Some(row) => Ok(Some(self.campaign(row).await?)),
            None => Ok(None),
        }
    }

    async fn campaign_by_id(&self, id: CampaignId) -> StoreResult<Option<Campaign>> {
        let row = sqlx::query(&format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        match row {
            Some(row) => Ok(Some(self.campaign(row).await?)),
            None => Ok(None),
        }
    }

    async fn public_campaigns(&self) -> StoreResult<Vec<Campaign>> {
        let rows = sqlx::query(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE status <> 'draft' AND withdrawn_at IS NULL ORDER BY coalesce(opens_at, created_at) DESC, id DESC"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let mut campaigns = Vec::with_capacity(rows.len());
        for row in rows {
            campaigns.push(self.campaign(row).await?);
        }
        Ok(campaigns)
    }

    async fn all_campaigns(&self) -> StoreResult<Vec<Campaign>> {
        let rows = sqlx::query(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaigns ORDER BY coalesce(opens_at, created_at) DESC, id DESC"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let mut campaigns = Vec::with_capacity(rows.len());
        for row in rows {
            campaigns.push(self.campaign(row).await?);
        }
        Ok(campaigns)
    }

    async fn create_campaign(
        &self,
        content: &CampaignContent,
        owner: Option<i64>,
        now: OffsetDateTime,
    ) -> StoreResult<CampaignId> {
        let c = content;
        let mut tx = self.pool.begin().await.map_err(db)?;
        let id: Option<CampaignId> = sqlx::query_scalar(
            "INSERT INTO campaigns (slug, status, opens_at, closes_at, dated, contact_name, contact_email, signature_goal, default_lang, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (slug) DO NOTHING RETURNING id",
        )
        .bind(c.slug.as_str())
        .bind(c.status.as_str())
        .bind(c.opens_at)
        .bind(c.closes_at)
        .bind(c.dated)
        .bind(&c.contact.name)
        .bind(c.contact.email.as_ref().map(|e| e.as_str()))
        .bind(c.signature_goal.map(i64::from))
        .bind(c.default_lang.as_str())
        .bind(now)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let id = id.ok_or_else(|| StoreError::Conflict(format!("a campaign at {}", c.slug)))?;
        replace_versions(&mut tx, id, &c.versions).await?;
        if let Some(owner) = owner {
            upsert_role(&mut tx, id, owner, Role::Owner).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(id)
    }

    async fn save_campaign(
        &self,
        id: CampaignId,
        content: &CampaignContent,
        keep_revisions: bool,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        save_in(&mut tx, id, content, keep_revisions, now).await?;
        tx.commit().await.map_err(db)
    }

    async fn revisions(&self, campaign: CampaignId) -> StoreResult<Vec<Revision>> {
        let rows = sqlx::query(
            "SELECT lang, title, summary, target, body, demands, replaced_at FROM campaign_revisions
             WHERE campaign_id = $1 ORDER BY id DESC",
        )
        .bind(campaign)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                let demands: String = get(r, "demands")?;
                let row = VersionRow {
                    lang: get(r, "lang")?,
                    title: get(r, "title")?,
                    summary: get(r, "summary")?,
                    target: get(r, "target")?,
                    body: get(r, "body")?,
                    demands: demands.lines().map(str::to_owned).filter(|d| !d.is_empty()).collect(),
                };
                Ok(Revision { version: row.into_version()?, replaced_at: time_at(r, "replaced_at")? })
            })
            .collect()
    }

    async fn set_response(
        &self,
        campaign: CampaignId,
        response: Option<&TargetResponse>,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        match response {
            Some(r) => upsert_response(&self.pool, campaign, r, now).await?,
            None => sqlx::query("DELETE FROM campaign_responses WHERE campaign_id = $1")
                .bind(campaign)
                .execute(&self.pool)
                .await
                .map_err(db)?,
        };
        Ok(())
    }

    async fn response(&self, campaign: CampaignId) -> StoreResult<Option<TargetResponse>> {
        let row =
            sqlx::query("SELECT text, responded_on, link FROM campaign_responses WHERE campaign_id = $1")
                .bind(campaign)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        row.map(|r| {
            Ok(TargetResponse {
                text: get(&r, "text")?,
                responded_on: get(&r, "responded_on")?,
                link: get(&r, "link")?,
            })
        })
        .transpose()
    }
}

#[async_trait]
impl ImportStore for PostgresStore {
    async fn import_campaigns(&self, specs: &[CampaignSpec]) -> StoreResult<Vec<CampaignId>> {
        let now = undersigned_core::clock::now();
        let mut tx = self.pool.begin().await.map_err(db)?;
        let mut ids = Vec::with_capacity(specs.len());
        for spec in specs {
            ids.push(import_one(&mut tx, spec, now).await?);
        }
        tx.commit().await.map_err(db)?;
        Ok(ids)
    }

    async fn apply_import(&self, imports: &[CampaignImport]) -> StoreResult<Vec<CampaignId>> {
        import::apply(&self.pool, imports).await
    }
}

#[async_trait]
impl SigningStore for PostgresStore {
    async fn sign(&self, s: &SignatureRecord, budget: MailBudget) -> StoreResult<SignOutcome> {
        self.signing.sign(s, budget).await
    }

    async fn signature(&self, id: i64) -> StoreResult<Option<Signature>> {
        let row = sqlx::query(&format!("SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(signature_row).transpose()
    }

    async fn signatures(&self, ids: &[i64]) -> StoreResult<Vec<Signature>> {
        let rows = sqlx::query(&format!("SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE id = ANY($1)"))
            .bind(ids)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(signature_row).collect()
    }

    async fn confirm_signature(&self, id: i64, now: OffsetDateTime) -> StoreResult<Confirmation> {
        self.signing.confirm(id, None, now).await
    }

    async fn confirm_signature_revision(
        &self,
        id: i64,
        revision: i64,
        now: OffsetDateTime,
    ) -> StoreResult<Confirmation> {
        self.signing.confirm(id, Some(revision), now).await
    }

    async fn withdraw_signature(&self, id: i64) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let deleted = sqlx::query("DELETE FROM signatures WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        sqlx::query(
            "DELETE FROM outbox WHERE ref_id = $1 AND kind IN ('confirm-signature', 'already-signed')",
        )
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(deleted > 0)
    }

    async fn public_signatures(
        &self,
        campaign: CampaignId,
        after: Option<ListCursor>,
        limit: u32,
    ) -> StoreResult<Vec<PublicSignature>> {
        let (at, id) = after.map_or((None, i64::MAX), |c| (Some(c.confirmed_at), c.id));
        let rows = sqlx::query(
            "SELECT id, name, display, country, city, affiliation, comment, confirmed_at FROM signatures
             WHERE campaign_id = $1 AND status = 'confirmed' AND invalidation_id IS NULL AND display <> 'hidden'
               AND ($2::TIMESTAMPTZ IS NULL OR (confirmed_at <= $3 AND (confirmed_at < $3 OR id < $4)))
             ORDER BY confirmed_at DESC, id DESC LIMIT $5",
        )
        .bind(campaign)
        .bind(at)
        .bind(at)
        .bind(id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                let id: i64 = get(r, "id")?;
                Ok(PublicSignature {
                    id,
                    name: public_name(id, &get::<String>(r, "name")?, &get::<String>(r, "display")?)?,
                    country: get(r, "country")?,
                    city: get(r, "city")?,
                    affiliation: get(r, "affiliation")?,
                    comment: get(r, "comment")?,
                    confirmed_at: time_at(r, "confirmed_at")?,
                })
            })
            .collect()
    }

    async fn signature_by_key(&self, email_key: &[u8]) -> StoreResult<Option<Signature>> {
        let row = sqlx::query(&format!("SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE email_key = $1"))
            .bind(email_key)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(signature_row).transpose()
    }

    async fn update_signer_choices(
        &self,
        signature: i64,
        display: NameDisplay,
        opt_in: bool,
    ) -> StoreResult<bool> {
        let updated = sqlx::query("UPDATE signatures SET display = $1, opt_in = $2 WHERE id = $3")
            .bind(display.as_str())
            .bind(opt_in)
            .bind(signature)
            .execute(&self.pool)
            .await
            .map_err(db)?
            .rows_affected();
        Ok(updated > 0)
    }

    async fn signatures_for_export(
        &self,
        campaign: CampaignId,
        after: Option<ListCursor>,
        limit: u32,
    ) -> StoreResult<Vec<Signature>> {
        let (at, id) = after.map_or((None, i64::MIN), |c| (Some(c.confirmed_at), c.id));
        let rows = sqlx::query(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE campaign_id = $1 AND status = 'confirmed' AND invalidation_id IS NULL
               AND ($2::TIMESTAMPTZ IS NULL OR (confirmed_at >= $3 AND (confirmed_at > $3 OR id > $4)))
             ORDER BY confirmed_at, id LIMIT $5"
        ))
        .bind(campaign)
        .bind(at)
        .bind(at)
        .bind(id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(signature_row).collect()
    }
}

#[async_trait]
impl CountStore for PostgresStore {
    async fn counts(&self, campaign: CampaignId) -> StoreResult<Counts> {
        let signatures: i64 = sqlx::query_scalar(
            "SELECT ((SELECT coalesce(sum(n), 0) FROM signature_counts WHERE campaign_id = $1)
                  + (SELECT coalesce(sum(delta), 0) FROM count_journal WHERE campaign_id = $1))::BIGINT",
        )
        .bind(campaign)
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        let row = sqlx::query(
            "SELECT coalesce(sum(individuals), 0)::BIGINT AS individuals, count(*) FILTER (WHERE kind = 'organisation') AS organisations
             FROM endorsements WHERE campaign_id = $1 AND status = 'approved'",
        )
        .bind(campaign)
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        Ok(Counts {
            signatures,
            offline_individuals: get(&row, "individuals")?,
            organisations: get(&row, "organisations")?,
        })
    }

    async fn counts_by_country(&self, campaign: CampaignId) -> StoreResult<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT country, sum(n)::BIGINT AS n FROM (
                 SELECT country, n FROM signature_counts WHERE campaign_id = $1
                 UNION ALL SELECT country, delta FROM count_journal WHERE campaign_id = $1) AS counted
             GROUP BY country HAVING sum(n) <> 0 ORDER BY n DESC, country",
        )
        .bind(campaign)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(|r| Ok((get(r, "country")?, get(r, "n")?))).collect()
    }

    async fn fold_counts(&self) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        // One aggregator at a time across instances; the others skip this round. (Without the
        // lock the result would still be exact, each journal row being deleted once, but two
        // aggregators would wait on each other's rows.)
        let ours: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
            .bind(COUNTS_LOCK)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        if !ours {
            return Ok(0);
        }
        let folded: i64 = sqlx::query_scalar(
            "WITH folded AS (DELETE FROM count_journal RETURNING campaign_id, country, lang, delta),
                  sums AS (SELECT campaign_id, country, lang, sum(delta)::BIGINT AS n, count(*) AS entries
                           FROM folded GROUP BY campaign_id, country, lang),
                  added AS (INSERT INTO signature_counts (campaign_id, country, lang, n)
                            SELECT campaign_id, country, lang, n FROM sums
                            ON CONFLICT (campaign_id, country, lang) DO UPDATE SET n = signature_counts.n + excluded.n)
             SELECT coalesce(sum(entries), 0)::BIGINT FROM sums",
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(folded as u64)
    }

    async fn campaign_stats(&self, campaign: CampaignId) -> StoreResult<CampaignStats> {
        let days = sqlx::query(
            "SELECT (confirmed_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM signatures
             WHERE campaign_id = $1 AND status = 'confirmed' AND invalidation_id IS NULL GROUP BY day ORDER BY day",
        )
        .bind(campaign)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let per_day = days
            .iter()
            .map(|r| {
                let date: time::Date = get(r, "day")?;
                Ok((date, get::<i64>(r, "n")?))
            })
            .collect::<StoreResult<_>>()?;
        let langs = sqlx::query(
            "SELECT lang, sum(n)::BIGINT AS n FROM (
                 SELECT lang, n FROM signature_counts WHERE campaign_id = $1
                 UNION ALL SELECT lang, delta FROM count_journal WHERE campaign_id = $1) AS counted
             GROUP BY lang HAVING sum(n) <> 0 ORDER BY n DESC, lang",
        )
        .bind(campaign)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let by_lang =
            langs.iter().map(|r| Ok((get(r, "lang")?, get(r, "n")?))).collect::<StoreResult<_>>()?;
        let pending: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM signatures WHERE campaign_id = $1 AND status = 'pending'",
        )
        .bind(campaign)
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        Ok(CampaignStats { per_day, by_lang, pending })
    }
}

#[async_trait]
impl EndorsementStore for PostgresStore {
    async fn endorsements(&self, campaign: CampaignId) -> StoreResult<Vec<Endorsement>> {
        let rows = sqlx::query(&format!(
            "SELECT {ENDORSEMENT_COLUMNS} FROM endorsements WHERE campaign_id = $1 AND status = 'approved' ORDER BY id"
        ))
        .bind(campaign)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(|r| endorsement_row(r).map(|(e, _)| e)).collect()
    }

    async fn request_endorsement(&self, r: &EndorsementRequest) -> StoreResult<i64> {
        let (kind, name, org_type, website, individuals) = r.spec.endorser.parts();
        let mut tx = self.pool.begin().await.map_err(db)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO endorsements (campaign_id, kind, name, org_type, website, individuals, country, statement, offline, from_file, status, created_at, contact_name, contact_email, email_key, lang, ip_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, FALSE, FALSE, 'pending', $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(r.campaign_id)
        .bind(kind)
        .bind(name)
        .bind(org_type)
        .bind(website)
        .bind(individuals)
        .bind(&r.spec.country)
        .bind(&r.spec.statement)
        .bind(r.now)
        .bind(&r.contact_name)
        .bind(r.contact_email.as_str())
        .bind(&r.email_key[..])
        .bind(r.lang.as_str())
        .bind(r.ip_key.as_ref().map(|k| &k[..]))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        enqueue(&mut tx, MailKind::ConfirmEndorsement, id, r.now).await?;
        tx.commit().await.map_err(db)?;
        Ok(id)
    }

    async fn endorsement_contact(&self, id: i64) -> StoreResult<Option<EndorsementContact>> {
        let row = sqlx::query(
            "SELECT id, campaign_id, name, contact_name, contact_email, email_key, lang, status, verified_at
             FROM endorsements WHERE id = $1 AND contact_email IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(EndorsementContact {
            id: get(&r, "id")?,
            campaign_id: get(&r, "campaign_id")?,
            organisation: get::<Option<String>>(&r, "name")?.unwrap_or_default(),
            contact_name: get::<Option<String>>(&r, "contact_name")?.unwrap_or_default(),
            contact_email: get::<Option<String>>(&r, "contact_email")?.unwrap_or_default(),
            email_key: get::<Option<Vec<u8>>>(&r, "email_key")?.unwrap_or_default(),
            lang: get::<Option<String>>(&r, "lang")?.unwrap_or_default(),
            state: endorsement_state(
                &get::<String>(&r, "status")?,
                get::<Option<OffsetDateTime>>(&r, "verified_at")?.is_some(),
            )?,
        }))
    }

    async fn verify_endorsement(&self, id: i64, now: OffsetDateTime) -> StoreResult<bool> {
        let updated = sqlx::query(
            "UPDATE endorsements SET verified_at = coalesce(verified_at, $1) WHERE id = $2 AND contact_email IS NOT NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(db)?
        .rows_affected();
        Ok(updated > 0)
    }

    async fn endorsements_in(
        &self,
        campaign: Option<CampaignId>,
        state: EndorsementState,
    ) -> StoreResult<Vec<(Endorsement, EndorsementState)>> {
        let condition = match state {
            EndorsementState::Unverified => "status = 'pending' AND verified_at IS NULL",
            EndorsementState::AwaitingApproval => "status = 'pending' AND verified_at IS NOT NULL",
            EndorsementState::Approved => "status = 'approved'",
            EndorsementState::Rejected => "status = 'rejected'",
        };
        let rows = sqlx::query(&format!(
            "SELECT {ENDORSEMENT_COLUMNS} FROM endorsements WHERE {condition} AND ($1::BIGINT IS NULL OR campaign_id = $2) ORDER BY id"
        ))
        .bind(campaign)
        .bind(campaign)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(endorsement_row).collect()
    }

    async fn decide_endorsement(
        &self,
        id: i64,
        approve: bool,
        reason: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        let updated = sqlx::query(
            "UPDATE endorsements SET status = $1, reject_reason = $2, decided_at = $3
             WHERE id = $4 AND status = 'pending' AND verified_at IS NOT NULL",
        )
        .bind(if approve { "approved" } else { "rejected" })
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(db)?
        .rows_affected();
        if updated == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    async fn add_offline_endorsement(
        &self,
        campaign: CampaignId,
        spec: &EndorsementSpec,
    ) -> StoreResult<i64> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        insert_endorsement(&mut conn, campaign, spec, false, undersigned_core::clock::now()).await
    }

    async fn add_offline_endorsements(
        &self,
        campaign: CampaignId,
        specs: &[EndorsementSpec],
    ) -> StoreResult<Vec<i64>> {
        let now = undersigned_core::clock::now();
        let mut tx = self.pool.begin().await.map_err(db)?;
        let mut ids = Vec::with_capacity(specs.len());
        for spec in specs {
            ids.push(insert_endorsement(&mut tx, campaign, spec, false, now).await?);
        }
        tx.commit().await.map_err(db)?;
        Ok(ids)
    }
}

#[async_trait]
impl OutboxStore for PostgresStore {
    async fn claim_mail(
        &self,
        now: OffsetDateTime,
        lease: time::Duration,
        limit: u32,
    ) -> StoreResult<Vec<QueuedMail>> {
        outbox::claim(&self.pool, now, lease, limit).await
    }

    async fn mail_done(&self, mail: &QueuedMail) -> StoreResult<bool> {
        Ok(outbox::done(&self.pool, std::slice::from_ref(mail)).await? == 1)
    }

    async fn mails_done(&self, mails: &[QueuedMail]) -> StoreResult<()> {
        outbox::done(&self.pool, mails).await.map(drop)
    }

    async fn mail_failed(
        &self,
        mail: &QueuedMail,
        error: &str,
        retry_at: Option<OffsetDateTime>,
    ) -> StoreResult<bool> {
        outbox::failed(&self.pool, mail, error, retry_at, undersigned_core::clock::now()).await
    }

    async fn failed_mail(&self, limit: u32) -> StoreResult<Vec<FailedMail>> {
        outbox::given_up(&self.pool, limit).await
    }

    async fn retry_failed_mail(&self, ids: Option<&[i64]>, now: OffsetDateTime) -> StoreResult<u64> {
        outbox::retry(&self.pool, ids, now).await
    }

    async fn mail_progress(&self, job: &QueuedMail, cursor: i64, now: OffsetDateTime) -> StoreResult<()> {
        outbox::progress(&self.pool, job, cursor, now).await
    }

    async fn queue_mail(
        &self,
        kind: MailKind,
        ref_id: i64,
        cursor: Option<i64>,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query("INSERT INTO outbox (kind, ref_id, cursor, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(kind.as_str())
            .bind(ref_id)
            .bind(cursor)
            .bind(now)
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn take_mail_budget(
        &self,
        key: &[u8],
        budget: MailBudget,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        // A window that is over starts again with this mail.
        let sent: i64 = sqlx::query_scalar(
            "INSERT INTO mail_budgets AS b (budget_key, mails_sent, window_start) VALUES ($1, 1, $2)
             ON CONFLICT (budget_key) DO UPDATE SET
                 mails_sent = CASE WHEN $2 - b.window_start > $3 THEN 1 ELSE b.mails_sent + 1 END,
                 window_start = CASE WHEN $2 - b.window_start > $3 THEN $2 ELSE b.window_start END
             RETURNING mails_sent",
        )
        .bind(key)
        .bind(now)
        .bind(budget.window)
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        Ok(sent <= budget.max)
    }
}

#[async_trait]
impl OrganiserStore for PostgresStore {
    async fn create_user(&self, user: &NewUser, now: OffsetDateTime) -> StoreResult<i64> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        insert_user(&mut conn, user, now).await
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<(User, Option<String>)>> {
        // PostgreSQL's text holds no NUL, so no account's address has one: such an address (as
        // typed into the login form) is nobody's, not a database error.
        if email.contains('\0') {
            return Ok(None);
        }
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"))
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(user_row).transpose()
    }

    async fn user_by_id(&self, id: i64) -> StoreResult<Option<(User, Option<String>)>> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(user_row).transpose()
    }

    async fn users(&self) -> StoreResult<Vec<User>> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY email"))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(|r| user_row(r).map(|(u, _)| u)).collect()
    }

    async fn set_password(&self, user: i64, hash: &str) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let updated = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn invite(
        &self,
        user: &NewUser,
        role: Option<(CampaignId, Role)>,
        now: OffsetDateTime,
    ) -> StoreResult<i64> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let existing = sqlx::query("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(&user.email)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let (id, has_password) = match existing {
            Some(row) => (get::<i64>(&row, "id")?, get::<Option<String>>(&row, "password_hash")?.is_some()),
            None => (insert_user(&mut tx, user, now).await?, false),
        };
        if let Some((campaign, role)) = role {
            upsert_role(&mut tx, campaign, id, role).await?;
        }
        if !has_password {
            enqueue(&mut tx, MailKind::Invitation, id, now).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(id)
    }

    async fn request_password_reset(&self, email: &str, now: OffsetDateTime) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        if let Some(id) = id {
            enqueue(&mut tx, MailKind::PasswordReset, id, now).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(id.is_some())
    }

    async fn set_role(&self, campaign: CampaignId, user: i64, role: Option<Role>) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        match role {
            Some(role) => upsert_role(&mut conn, campaign, user, role).await,
            None => {
                sqlx::query("DELETE FROM campaign_roles WHERE campaign_id = $1 AND user_id = $2")
                    .bind(campaign)
                    .bind(user)
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
                Ok(())
            }
        }
    }

    async fn role(&self, campaign: CampaignId, user: i64) -> StoreResult<Option<Role>> {
        let role: Option<String> =
            sqlx::query_scalar("SELECT role FROM campaign_roles WHERE campaign_id = $1 AND user_id = $2")
                .bind(campaign)
                .bind(user)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        role.map(|r| crate::rows::role(&r)).transpose()
    }

    async fn campaigns_of(&self, user: i64) -> StoreResult<Vec<(CampaignId, Role)>> {
        let rows = sqlx::query(
            "SELECT campaign_id, role FROM campaign_roles WHERE user_id = $1 ORDER BY campaign_id",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| Ok((get(r, "campaign_id")?, crate::rows::role(&get::<String>(r, "role")?)?)))
            .collect()
    }

    async fn team(&self, campaign: CampaignId) -> StoreResult<Vec<(User, Role)>> {
        let rows = sqlx::query(
            "SELECT u.id, u.email, u.name, u.password_hash, u.is_admin, r.role FROM campaign_roles r
             JOIN users u ON u.id = r.user_id WHERE r.campaign_id = $1 ORDER BY u.email",
        )
        .bind(campaign)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(|r| Ok((user_row(r)?.0, crate::rows::role(&get::<String>(r, "role")?)?))).collect()
    }

    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        insert_audit(&self.pool, entry).await
    }

    async fn audit_log(&self, campaign: Option<CampaignId>, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT at, actor, campaign_id, action, subject, detail FROM audit_log
             WHERE ($1::BIGINT IS NULL OR campaign_id = $2) ORDER BY id DESC LIMIT $3",
        )
        .bind(campaign)
        .bind(campaign)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: time_at(r, "at")?,
                    actor: get(r, "actor")?,
                    campaign_id: get(r, "campaign_id")?,
                    action: get(r, "action")?,
                    subject: get(r, "subject")?,
                    detail: get(r, "detail")?,
                })
            })
            .collect()
    }
}

#[async_trait]
impl AccessStore for PostgresStore {
    async fn create_session(
        &self,
        token_hash: &[u8],
        user: i64,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user)
        .bind(now)
        .bind(expires)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn session_user(&self, token_hash: &[u8], now: OffsetDateTime) -> StoreResult<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE disabled_at IS NULL AND id = (SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2)"
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.as_ref().map(|r| user_row(r).map(|(u, _)| u)).transpose()
    }

    async fn end_session(&self, token_hash: &[u8]) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn end_sessions(&self, user: i64) -> StoreResult<u64> {
        let done =
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user).execute(&self.pool).await;
        Ok(done.map_err(db)?.rows_affected())
    }

    async fn set_admin(&self, user: i64, admin: bool) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        if !admin {
            keep_an_admin(&mut tx, user).await?;
        }
        let updated = sqlx::query("UPDATE users SET is_admin = $1 WHERE id = $2")
            .bind(admin)
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await.map_err(db)
    }

    async fn set_disabled(&self, user: i64, disabled: bool, now: OffsetDateTime) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        if disabled {
            keep_an_admin(&mut tx, user).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        let updated = sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
            .bind(disabled.then_some(now))
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await.map_err(db)
    }

    async fn disabled_users(&self) -> StoreResult<Vec<i64>> {
        sqlx::query_scalar("SELECT id FROM users WHERE disabled_at IS NOT NULL ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .map_err(db)
    }
}

#[async_trait]
impl ModerationStore for PostgresStore {
    async fn matching_signatures(&self, campaign: CampaignId, filter: &SignatureFilter) -> StoreResult<i64> {
        let sql = format!("SELECT count(*) FROM signatures WHERE {FILTER}");
        let q = sqlx::query_scalar::<_, i64>(&sql)
            .bind(campaign)
            .bind(filter.email_domain.as_deref())
            .bind(filter.country.as_deref())
            .bind(filter.from)
            .bind(filter.until)
            .bind(filter.ip_key.as_deref())
            .bind(filter.signature_id);
        q.fetch_one(&self.pool).await.map_err(db)
    }

    async fn invalidate(
        &self,
        campaign: CampaignId,
        filter: &SignatureFilter,
        actor: &str,
        now: OffsetDateTime,
    ) -> StoreResult<(i64, i64)> {
        if filter.is_empty() {
            return Err(StoreError::Database("an invalidation needs at least one condition".into()));
        }
        let mut tx = self.pool.begin().await.map_err(db)?;
        let id: i64 = sqlx::query_scalar("INSERT INTO invalidations (campaign_id, conditions, signatures, actor, created_at) VALUES ($1, $2, 0, $3, $4) RETURNING id")
            .bind(campaign)
            .bind(filter.describe())
            .bind(actor)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        let sql = format!("UPDATE signatures SET invalidation_id = $8 WHERE {FILTER}");
        let q = bind_filter(sqlx::query(&sql), campaign, filter).bind(id);
        let marked = q.execute(&mut *tx).await.map_err(db)?.rows_affected() as i64;
        sqlx::query("UPDATE invalidations SET signatures = $1 WHERE id = $2")
            .bind(marked)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok((id, marked))
    }

    async fn restore_invalidation(
        &self,
        campaign: CampaignId,
        id: i64,
        now: OffsetDateTime,
    ) -> StoreResult<i64> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let found = sqlx::query("UPDATE invalidations SET restored_at = $1 WHERE id = $2 AND campaign_id = $3 AND restored_at IS NULL")
            .bind(now)
            .bind(id)
            .bind(campaign)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        if found == 0 {
            return Err(StoreError::NotFound);
        }
        let restored = sqlx::query("UPDATE signatures SET invalidation_id = NULL WHERE invalidation_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected() as i64;
        tx.commit().await.map_err(db)?;
        Ok(restored)
    }

    async fn invalidations(&self, campaign: CampaignId) -> StoreResult<Vec<Invalidation>> {
        let rows = sqlx::query("SELECT id, conditions, signatures, actor, created_at, restored_at FROM invalidations WHERE campaign_id = $1 ORDER BY id DESC").bind(campaign).fetch_all(&self.pool).await.map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(Invalidation {
                    id: get(r, "id")?,
                    conditions: get(r, "conditions")?,
                    signatures: get(r, "signatures")?,
                    actor: get(r, "actor")?,
                    created_at: time_at(r, "created_at")?,
                    restored_at: opt_time_at(r, "restored_at")?,
                })
            })
            .collect()
    }

    async fn busy_ip_keys(&self, campaign: CampaignId, min: i64) -> StoreResult<Vec<IpGroup>> {
        let rows = sqlx::query("SELECT ip_key, count(*) AS n, min(created_at) AS first, max(created_at) AS last FROM signatures WHERE campaign_id = $1 AND ip_key IS NOT NULL AND invalidation_id IS NULL GROUP BY ip_key HAVING count(*) >= $2 ORDER BY n DESC LIMIT 50").bind(campaign).bind(min).fetch_all(&self.pool).await.map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(IpGroup {
                    ip_key: get(r, "ip_key")?,
                    signatures: get(r, "n")?,
                    first: time_at(r, "first")?,
                    last: time_at(r, "last")?,
                })
            })
            .collect()
    }

    async fn latest_signatures(&self, campaign: CampaignId, limit: u32) -> StoreResult<Vec<Signature>> {
        let rows = sqlx::query(&format!("SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE campaign_id = $1 AND invalidation_id IS NULL ORDER BY id DESC LIMIT $2")).bind(campaign).bind(i64::from(limit)).fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(signature_row).collect()
    }
}

#[async_trait]
impl UpdateStore for PostgresStore {
    async fn post_update(
        &self,
        campaign: CampaignId,
        author: &str,
        texts: &[UpdateText],
        mail: bool,
        now: OffsetDateTime,
    ) -> StoreResult<i64> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let id = insert_update(&mut tx, campaign, author, texts, now).await?;
        if mail {
            sqlx::query("INSERT INTO outbox (kind, ref_id, cursor, next_attempt_at, created_at) VALUES ($1, $2, 0, $3, $4)")
                .bind(MailKind::UpdateBatch.as_str())
                .bind(id)
                .bind(now)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(id)
    }

    async fn updates(&self, campaign: Option<CampaignId>, limit: u32) -> StoreResult<Vec<Update>> {
        let rows = sqlx::query(
            "SELECT id, campaign_id, author, published_at FROM updates WHERE ($1::BIGINT IS NULL OR campaign_id = $2)
             ORDER BY published_at DESC, id DESC LIMIT $3",
        )
        .bind(campaign)
        .bind(campaign)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let mut updates = Vec::with_capacity(rows.len());
        for r in &rows {
            updates.push(self.update_with_texts(r).await?);
        }
        Ok(updates)
    }

    async fn update(&self, id: i64) -> StoreResult<Option<Update>> {
        let row = sqlx::query("SELECT id, campaign_id, author, published_at FROM updates WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        match row {
            Some(r) => Ok(Some(self.update_with_texts(&r).await?)),
            None => Ok(None),
        }
    }

    async fn opted_in(&self, campaign: CampaignId, after: i64, limit: u32) -> StoreResult<Vec<Signature>> {
        let rows = sqlx::query(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE campaign_id = $1 AND opt_in AND status = 'confirmed'
             AND invalidation_id IS NULL AND id > $2 ORDER BY id LIMIT $3"
        ))
        .bind(campaign)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(signature_row).collect()
    }

    async fn unsubscribe(&self, signature: i64) -> StoreResult<bool> {
        let updated = sqlx::query("UPDATE signatures SET opt_in = FALSE WHERE id = $1")
            .bind(signature)
            .execute(&self.pool)
            .await
            .map_err(db)?
            .rows_affected();
        Ok(updated > 0)
    }
}

#[async_trait]
impl CommentStore for PostgresStore {
    async fn add_comment(&self, c: &NewComment) -> StoreResult<i64> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query("INSERT INTO commenters (email_key, email, created_at) VALUES ($1, $2, $3) ON CONFLICT (email_key) DO NOTHING")
            .bind(&c.email_key[..])
            .bind(c.email.as_str())
            .bind(c.now)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let commenter: i64 = sqlx::query_scalar("SELECT id FROM commenters WHERE email_key = $1")
            .bind(&c.email_key[..])
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        let status = CommentStatus::on_arrival();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO comments (campaign_id, parent_id, commenter_id, name, website, body, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(c.campaign_id)
        .bind(c.parent_id)
        .bind(commenter)
        .bind(&c.name)
        .bind(&c.website)
        .bind(&c.body)
        .bind(status.as_str())
        .bind(c.now)
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        enqueue(&mut tx, MailKind::ConfirmComment, id, c.now).await?;
        tx.commit().await.map_err(db)?;
        Ok(id)
    }

    async fn comment(&self, id: i64) -> StoreResult<Option<(Comment, Option<(Vec<u8>, String)>)>> {
        let row = sqlx::query(&format!(
            "SELECT {COMMENT_COLUMNS}, k.email_key, k.email FROM comments c LEFT JOIN commenters k ON k.id = c.commenter_id WHERE c.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        let Some(r) = row else { return Ok(None) };
        let key: Option<Vec<u8>> = get(&r, "email_key")?;
        let email: Option<String> = get(&r, "email")?;
        Ok(Some((comment_row(&r)?, key.zip(email))))
    }

    async fn confirm_comment(
        &self,
        comment: i64,
        pre_moderation: bool,
        now: OffsetDateTime,
    ) -> StoreResult<CommentStatus> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let commenter: Option<i64> = sqlx::query_scalar("SELECT commenter_id FROM comments WHERE id = $1")
            .bind(comment)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .flatten();
        let Some(commenter) = commenter else { return Err(StoreError::NotFound) };
        sqlx::query("UPDATE commenters SET verified_at = coalesce(verified_at, $1) WHERE id = $2")
            .bind(now)
            .bind(commenter)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let next = CommentStatus::on_verify(pre_moderation);
        // This comment only: others from the address have links of their own.
        sqlx::query("UPDATE comments SET status = $1 WHERE id = $2 AND status = 'unverified'")
            .bind(next.as_str())
            .bind(comment)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let status: String = sqlx::query_scalar("SELECT status FROM comments WHERE id = $1")
            .bind(comment)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        comment_status(&status)
    }

    async fn comments(&self, campaign: CampaignId, states: &[CommentStatus]) -> StoreResult<Vec<Comment>> {
        let rows = sqlx::query(&format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c WHERE c.campaign_id = $1 ORDER BY c.id"
        ))
        .bind(campaign)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let all = rows.iter().map(comment_row).collect::<StoreResult<Vec<_>>>()?;
        Ok(all.into_iter().filter(|c| states.contains(&c.status)).collect())
    }

    async fn set_comment_status(
        &self,
        campaign: CampaignId,
        id: i64,
        status: CommentStatus,
    ) -> StoreResult<bool> {
        let updated = sqlx::query("UPDATE comments SET status = $1, reports = 0 WHERE id = $2 AND campaign_id = $3 AND status <> 'unverified'")
            .bind(status.as_str())
            .bind(id)
            .bind(campaign)
            .execute(&self.pool)
            .await
            .map_err(db)?
            .rows_affected();
        Ok(updated > 0)
    }

    async fn delete_comment(&self, campaign: CampaignId, id: i64) -> StoreResult<bool> {
        let deleted = sqlx::query("DELETE FROM comments WHERE id = $1 AND campaign_id = $2")
            .bind(id)
            .bind(campaign)
            .execute(&self.pool)
            .await
            .map_err(db)?
            .rows_affected();
        Ok(deleted > 0)
    }

    async fn report_comment(&self, campaign: CampaignId, id: i64) -> StoreResult<bool> {
        let updated = sqlx::query("UPDATE comments SET reports = reports + 1 WHERE id = $1 AND campaign_id = $2 AND status = 'visible'")
            .bind(id)
            .bind(campaign)
            .execute(&self.pool)
            .await
            .map_err(db)?
            .rows_affected();
        Ok(updated > 0)
    }

    async fn add_organiser_reply(
        &self,
        campaign: CampaignId,
        parent: i64,
        name: &str,
        body: &str,
        now: OffsetDateTime,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO comments (campaign_id, parent_id, organiser, name, body, status, created_at)
             SELECT $1, $2, TRUE, $3, $4, 'visible', $5 WHERE EXISTS (SELECT 1 FROM comments WHERE id = $6 AND campaign_id = $7) RETURNING id",
        )
        .bind(campaign)
        .bind(parent)
        .bind(name)
        .bind(body)
        .bind(now)
        .bind(parent)
        .bind(campaign)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)
    }

    async fn pre_moderation(&self, campaign: CampaignId) -> StoreResult<bool> {
        let mode: Option<String> =
            sqlx::query_scalar("SELECT comment_moderation FROM campaigns WHERE id = $1")
                .bind(campaign)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        Ok(mode.as_deref() == Some("pre"))
    }

    async fn set_pre_moderation(&self, campaign: CampaignId, pre: bool) -> StoreResult<()> {
        sqlx::query("UPDATE campaigns SET comment_moderation = $1 WHERE id = $2")
            .bind(if pre { "pre" } else { "post" })
            .bind(campaign)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn forget_commenter(&self, campaign: CampaignId, email_key: &[u8]) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let forgotten = forget_comment_addresses(&mut tx, campaign, Some(email_key)).await?;
        tx.commit().await.map_err(db)?;
        Ok(forgotten)
    }
}

#[async_trait]
impl RetentionStore for PostgresStore {
    async fn forget_ip_hashes(&self, before: OffsetDateTime) -> StoreResult<u64> {
        let mut forgotten = 0;
        for table in ["signatures", "endorsements"] {
            forgotten += sqlx::query(&format!(
                "UPDATE {table} SET ip_key = NULL WHERE ip_key IS NOT NULL AND created_at < $1"
            ))
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(db)?
            .rows_affected();
        }
        sqlx::query("DELETE FROM ip_hash_keys WHERE day < $1")
            .bind(undersigned_core::keys::day_number(before))
            .execute(&self.pool)
            .await
            .map_err(db)?;
        sqlx::query("DELETE FROM mail_budgets WHERE window_start < $1")
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(forgotten)
    }

    async fn ip_hash_key(&self, day: i64, fresh: [u8; 32]) -> StoreResult<[u8; 32]> {
        // Two statements, so that the read sees a key another instance inserted meanwhile.
        sqlx::query("INSERT INTO ip_hash_keys (day, key) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING")
            .bind(day)
            .bind(&fresh[..])
            .execute(&self.pool)
            .await
            .map_err(db)?;
        let key: Vec<u8> = sqlx::query_scalar("SELECT key FROM ip_hash_keys WHERE day = $1")
            .bind(day)
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        key.try_into().map_err(|_| StoreError::Database("an IP hash key is not 32 bytes".into()))
    }

    async fn retention_due(&self, before: OffsetDateTime) -> StoreResult<Vec<RetentionDue>> {
        let rows = sqlx::query(
            "SELECT c.id, c.ended_at,
                 (SELECT count(*) FROM signatures s WHERE s.campaign_id = c.id AND NOT s.anonymised) AS signatures,
                 (SELECT count(*) FROM endorsements e WHERE e.campaign_id = c.id AND e.contact_email IS NOT NULL) AS endorsements,
                 EXISTS (SELECT 1 FROM comments k WHERE k.campaign_id = c.id AND k.commenter_id IS NOT NULL) AS commenters
             FROM campaigns c WHERE c.ended_at IS NOT NULL AND c.ended_at < $1 ORDER BY c.id",
        )
        .bind(before)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                let due = RetentionDue {
                    campaign: get(r, "id")?,
                    ended_at: time_at(r, "ended_at")?,
                    signatures: get(r, "signatures")?,
                    endorsements: get(r, "endorsements")?,
                };
                // Commenters' addresses are personal data too.
                Ok((due, get::<bool>(r, "commenters")?))
            })
            .filter(|d: &StoreResult<(RetentionDue, bool)>| {
                d.as_ref()
                    .map_or(true, |(d, commenters)| d.signatures > 0 || d.endorsements > 0 || *commenters)
            })
            .map(|d| d.map(|(d, _)| d))
            .collect()
    }

    async fn ended_at(&self, campaign: CampaignId) -> StoreResult<Option<OffsetDateTime>> {
        let at: Option<Option<OffsetDateTime>> = sqlx::query_scalar(
            "SELECT coalesce(ended_at, CASE WHEN status = 'open' AND closes_at <= now() THEN closes_at END)
                 FROM campaigns WHERE id = $1",
        )
        .bind(campaign)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        Ok(at.flatten())
    }

    async fn anonymise(&self, campaign: CampaignId) -> StoreResult<i64> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query(
            "DELETE FROM outbox WHERE ref_id IN (SELECT id FROM signatures WHERE campaign_id = $1)
             AND kind IN ('confirm-signature', 'already-signed', 'update-one', 'manage-signature')",
        )
        .bind(campaign)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        sqlx::query("DELETE FROM signatures WHERE campaign_id = $1 AND status = 'pending'")
            .bind(campaign)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        // The name as shown publicly survives (nothing for hidden names); the address, its hash
        // (replaced by random bytes, unique like it), the IP hash and what was never public go.
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, name, display FROM signatures WHERE campaign_id = $1 AND NOT anonymised",
        )
        .bind(campaign)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        for (id, name, display) in &rows {
            let shown = public_name(*id, name, display)?;
            let hidden = display == "hidden";
            sqlx::query(
                "UPDATE signatures SET name = $1, email = '', email_key = uuid_send(gen_random_uuid()), ip_key = NULL, opt_in = FALSE,
                     city = CASE WHEN $2::BOOLEAN THEN NULL ELSE city END,
                     affiliation = CASE WHEN $3::BOOLEAN THEN NULL ELSE affiliation END,
                     comment = CASE WHEN $4::BOOLEAN THEN NULL ELSE comment END,
                     anonymised = TRUE
                 WHERE id = $5",
            )
            .bind(shown)
            .bind(hidden)
            .bind(hidden)
            .bind(hidden)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        sqlx::query(
            "UPDATE endorsements SET contact_name = NULL, contact_email = NULL, email_key = NULL, ip_key = NULL
             WHERE campaign_id = $1",
        )
        .bind(campaign)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        forget_comment_addresses(&mut tx, campaign, None).await?;
        tx.commit().await.map_err(db)?;
        Ok(rows.len() as i64)
    }
}

#[async_trait]
impl LifeStore for PostgresStore {
    async fn close_ended_campaigns(&self, now: OffsetDateTime) -> StoreResult<Vec<CampaignId>> {
        life::close_ended(self, now).await
    }

    async fn has_signatures(&self, campaign: CampaignId) -> StoreResult<bool> {
        life::has_signatures(self, campaign).await
    }

    async fn unpublish_campaign(
        &self,
        campaign: CampaignId,
        now: OffsetDateTime,
    ) -> StoreResult<Option<CampaignStatus>> {
        life::unpublish(self, campaign, now).await
    }

    async fn delete_draft(&self, campaign: CampaignId) -> StoreResult<bool> {
        life::delete_draft(self, campaign).await
    }
}
