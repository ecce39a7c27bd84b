//! The SQLite backend: the embedded default, one file in the data directory.
//!
//! Writes go through a pool of one connection, so that transactions never contend for SQLite's
//! single write lock; reads use a pool of their own (WAL mode lets them run beside the writer).
//! Times are stored as microseconds since 1970 (UTC), which sort and compare as numbers.

mod outbox;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, SqliteConnection, Transaction};
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

fn db(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => {
            StoreError::Unavailable(e.to_string())
        }
        e if cannot_write(&e) => StoreError::Unavailable(e.to_string()),
        e => StoreError::Database(e.to_string()),
    }
}

/// Whether SQLite failed for want of its disk (full, an I/O error, out of memory, locked for
/// longer than the busy timeout) rather than for what was written: the database is unavailable for
/// the moment, and SQLite may have rolled the whole transaction back by itself.
fn cannot_write(e: &sqlx::Error) -> bool {
    const BUSY: i32 = 5;
    const NOMEM: i32 = 7;
    const IOERR: i32 = 10;
    const FULL: i32 = 13;
    const CANTOPEN: i32 = 14;
    let code = e.as_database_error().and_then(|d| d.code()).and_then(|c| c.parse::<i32>().ok());
    code.is_some_and(|c| matches!(c & 0xff, BUSY | NOMEM | IOERR | FULL | CANTOPEN))
}

/// Called as each write connection goes back to the pool. After a write error SQLite may have
/// rolled the transaction back by itself (a full disk, an I/O error): the ROLLBACK that sqlx then
/// sends fails, and sqlx still counts the connection as inside a transaction, so that every later
/// `begin()` would be a SAVEPOINT that never commits, and every later write would be acknowledged
/// and lost. A connection handed back inside a transaction is closed instead (which rolls back
/// whatever is left of it), and the pool opens a new one for the next write.
async fn fit_for_reuse(conn: &mut SqliteConnection) -> Result<bool, sqlx::Error> {
    // The ROLLBACK of a transaction dropped on an error is queued on the connection: wait for it.
    sqlx::Connection::ping(conn).await?;
    if sqlx::Connection::is_in_transaction(conn) {
        tracing::warn!(
            "a write failed and left the writer connection inside a transaction: opening a new one"
        );
        return Ok(false);
    }
    Ok(true)
}

fn get<'r, T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>>(
    row: &'r SqliteRow,
    column: &str,
) -> StoreResult<T> {
    row.try_get(column).map_err(db)
}

use undersigned_core::clock::micros;

/// A time as SQLite keeps it (microseconds since 1970) read back.
fn from_micros(micros: i64) -> StoreResult<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .map_err(|e| StoreError::Corrupt(format!("time {micros}: {e}")))
}

fn time_at(row: &SqliteRow, column: &str) -> StoreResult<OffsetDateTime> {
    from_micros(get(row, column)?)
}

fn opt_time_at(row: &SqliteRow, column: &str) -> StoreResult<Option<OffsetDateTime>> {
    get::<Option<i64>>(row, column)?.map(from_micros).transpose()
}

#[derive(Clone)]
pub struct SqliteStore {
    reader: SqlitePool,
    writer: SqlitePool,
    /// Signatures go to one task that commits them in groups (see `group_commit`).
    signing: SigningQueue,
    /// The CSV export's reader (see `ExportReader`); none for a database in memory.
    export: Option<Arc<ExportReader>>,
}

/// Reads the CSV export's pages straight through SQLite's C API (rusqlite) in a blocking task.
/// sqlx hands each row from its SQLite thread to the async task and copies every value of it,
/// which the profile of an export of a million signatures showed costing more than SQLite's own
/// work (6.6 s, against the 5 s); here a page of rows costs one hand-off. Same SQL, same
/// rows; its connections are read-only, and keep a small cache (2 MB): an export reads each page
/// once, in order, so the OS's file cache serves it as well, and the server stays small.
struct ExportReader {
    path: std::path::PathBuf,
    idle: std::sync::Mutex<Vec<rusqlite::Connection>>,
}

const EXPORT_PAGE: &str = "SELECT id, campaign_id, email_key, email, name, country, city, affiliation, comment, display, opt_in, lang, status, created_at, confirmed_at, revision
     FROM signatures WHERE campaign_id = ?1 AND status = 'confirmed' AND invalidation_id IS NULL
       AND confirmed_at >= ?2 AND (confirmed_at > ?2 OR id > ?3)
     ORDER BY confirmed_at, id LIMIT ?4";

impl ExportReader {
    fn page(&self, campaign: CampaignId, at: i64, id: i64, limit: u32) -> StoreResult<Vec<Signature>> {
        let failed = |e: rusqlite::Error| StoreError::Database(e.to_string());
        let conn = match self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            Some(conn) => conn,
            None => {
                let conn = rusqlite::Connection::open_with_flags(
                    &self.path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(failed)?;
                conn.busy_timeout(Duration::from_secs(10)).map_err(failed)?;
                conn.pragma_update(None, "cache_size", -2048).map_err(failed)?;
                conn
            }
        };
        let rows = (|| {
            let mut statement = conn.prepare_cached(EXPORT_PAGE)?;
            let rows = statement.query_map(rusqlite::params![campaign, at, id, i64::from(limit)], |r| {
                Ok((
                    SignatureRow {
                        id: r.get(0)?,
                        campaign_id: r.get(1)?,
                        email_key: r.get(2)?,
                        email: r.get(3)?,
                        name: r.get(4)?,
                        country: r.get(5)?,
                        city: r.get(6)?,
                        affiliation: r.get(7)?,
                        comment: r.get(8)?,
                        display: r.get(9)?,
                        opt_in: r.get(10)?,
                        lang: r.get(11)?,
                        status: r.get(12)?,
                        created_at: OffsetDateTime::UNIX_EPOCH,
                        confirmed_at: None,
                        revision: r.get(15)?,
                    },
                    r.get::<_, i64>(13)?,
                    r.get::<_, Option<i64>>(14)?,
                ))
            })?;
            rows.collect::<Result<Vec<_>, _>>()
        })()
        .map_err(failed)?;
        if let Ok(mut idle) = self.idle.lock()
            && idle.is_empty()
        {
            idle.push(conn);
        }
        rows.into_iter()
            .map(|(mut row, created_at, confirmed_at)| {
                row.created_at = from_micros(created_at)?;
                row.confirmed_at = confirmed_at.map(from_micros).transpose()?;
                row.into_signature()
            })
            .collect()
    }
}

/// Group commit: one task takes every signature waiting and writes them in one transaction, and
/// answers each only after the COMMIT. With `synchronous=FULL` a commit costs an fsync; sharing it
/// between all the signatures that arrived meanwhile is what lets one small disk keep up with a
/// crowd. The new rows go in with one statement (`INSERT ... SELECT FROM json_each(?)`) and their
/// mails with another: each statement is a hand-off to sqlx's SQLite thread and back, which the
/// profile showed costing more than SQLite's own work, so a batch makes a few whatever its size.
/// Addresses that signed already take the one-by-one path, each in a savepoint; if the batch
/// statement fails, every signature takes that path, so that one bad row fails only itself.
async fn group_commit(writer: SqlitePool, mut jobs: mpsc::Receiver<Job>, health: Arc<WriteHealth>) {
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
                let outcome = sign_in(&mut savepoint, &job.record, job.budget).await;
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

impl SqliteStore {
    /// Opens (creating if needed) the database at a `sqlite://` URL and runs its migrations.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: an acknowledged write survives power loss, not only a crash of the process.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-32768");
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .after_release(|conn, _| Box::pin(fit_for_reuse(conn)))
            .connect_with(options.clone())
            .await?;
        migrate::migrator(Dialect::Sqlite).run(&writer).await?;
        // The writer keeps a generous cache (32 MB: the unique index that every signature probes,
        // about 30 MB at a million signatures); the readers keep 8 MB each and lean on the OS's
        // file cache, so that the server stays small however many signatures a campaign has.
        let readers = options.read_only(true).pragma("cache_size", "-8192");
        let reader = SqlitePoolOptions::new().max_connections(4).connect_with(readers.clone()).await?;
        let (signing, jobs) = group_commit::queue();
        tokio::spawn(group_commit(writer.clone(), jobs, signing.health()));
        let path = readers.get_filename();
        let export = (!path.as_os_str().is_empty() && path.as_os_str() != ":memory:").then(|| {
            Arc::new(ExportReader { path: path.to_owned(), idle: std::sync::Mutex::new(Vec::new()) })
        });
        Ok(Self { reader, writer, signing, export })
    }

    async fn versions(&self, campaign: CampaignId) -> StoreResult<Vec<VersionRow>> {
        let rows = sqlx::query(
            "SELECT lang, title, summary, target, body FROM campaign_versions WHERE campaign_id = ? ORDER BY lang",
        )
        .bind(campaign)
        .fetch_all(&self.reader)
        .await
        .map_err(db)?;
        let demands =
            sqlx::query("SELECT lang, text FROM demands WHERE campaign_id = ? ORDER BY lang, position")
                .bind(campaign)
                .fetch_all(&self.reader)
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

    async fn update_with_texts(&self, r: &SqliteRow) -> StoreResult<Update> {
        let id: i64 = get(r, "id")?;
        let texts =
            sqlx::query("SELECT lang, title, body FROM update_texts WHERE update_id = ? ORDER BY lang")
                .bind(id)
                .fetch_all(&self.reader)
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

    async fn campaign(&self, row: SqliteRow) -> StoreResult<Campaign> {
        let row = campaign_row(&row)?;
        let versions = self.versions(row.id).await?;
        row.into_campaign(versions)
    }
}

const CAMPAIGN_COLUMNS: &str = "id, slug, status, opens_at, closes_at, dated, contact_name, contact_email, signature_goal, default_lang, withdrawn_at";

fn campaign_row(r: &SqliteRow) -> StoreResult<CampaignRow> {
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

fn endorsement_row(r: &SqliteRow) -> StoreResult<(Endorsement, EndorsementState)> {
    let state =
        endorsement_state(&get::<String>(r, "status")?, get::<Option<i64>>(r, "verified_at")?.is_some())?;
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

fn signature_row(r: &SqliteRow) -> StoreResult<Signature> {
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

async fn enqueue(
    conn: &mut SqliteConnection,
    kind: MailKind,
    ref_id: i64,
    now: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO outbox (kind, ref_id, next_attempt_at, created_at) VALUES (?, ?, ?, ?)")
        .bind(kind.as_str())
        .bind(ref_id)
        .bind(micros(now))
        .bind(micros(now))
        .execute(conn)
        .await
        .map_err(db)?;
    Ok(())
}

async fn import_one(
    tx: &mut Transaction<'_, Sqlite>,
    spec: &CampaignSpec,
    now: OffsetDateTime,
) -> StoreResult<CampaignId> {
    let c = &spec.content;
    let id: CampaignId = sqlx::query_scalar(
        "INSERT INTO campaigns (slug, status, opens_at, closes_at, dated, contact_name, contact_email, signature_goal, default_lang, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (slug) DO UPDATE SET status = excluded.status, opens_at = excluded.opens_at,
             closes_at = excluded.closes_at, dated = excluded.dated, contact_name = excluded.contact_name,
             contact_email = excluded.contact_email, signature_goal = excluded.signature_goal,
             default_lang = excluded.default_lang, updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(c.slug.as_str())
    .bind(c.status.as_str())
    .bind(c.opens_at.map(micros))
    .bind(c.closes_at.map(micros))
    .bind(c.dated)
    .bind(&c.contact.name)
    .bind(c.contact.email.as_ref().map(|e| e.as_str()))
    .bind(c.signature_goal.map(i64::from))
    .bind(c.default_lang.as_str())
    .bind(micros(now))
    .bind(micros(now))
    .fetch_one(&mut **tx)
    .await
    .map_err(db)?;
    replace_versions(tx, id, &c.versions).await?;
    sqlx::query("DELETE FROM endorsements WHERE campaign_id = ? AND from_file = 1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    for e in &spec.endorsements {
        insert_endorsement(tx, id, e, true, now).await?;
    }
    Ok(id)
}

/// Replaces a campaign's language versions and their demands.
async fn replace_versions(
    tx: &mut Transaction<'_, Sqlite>,
    id: CampaignId,
    versions: &[undersigned_core::CampaignVersion],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM campaign_versions WHERE campaign_id = ?")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    for v in versions {
        sqlx::query(
            "INSERT INTO campaign_versions (campaign_id, lang, title, summary, target, body) VALUES (?, ?, ?, ?, ?, ?)",
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
            sqlx::query("INSERT INTO demands (campaign_id, lang, position, text) VALUES (?, ?, ?, ?)")
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

/// Saves a campaign's settings, status and versions (see [`Store::save_campaign`]).
async fn save_in(
    tx: &mut Transaction<'_, Sqlite>,
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
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(&old.lang)
            .bind(&old.title)
            .bind(&old.summary)
            .bind(&old.target)
            .bind(&old.body)
            .bind(old.demands.join("\n"))
            .bind(micros(now))
            .execute(&mut **tx)
            .await
            .map_err(db)?;
        }
    }
    let updated = sqlx::query(
        // A withdrawn campaign keeps the status it had got to (see the migration 0013); one
        // that ends at its end date ended then.
        "UPDATE campaigns SET
             status = CASE WHEN ?1 <> 'withdrawn' THEN ?1 WHEN status IN ('closed', 'won') THEN status ELSE 'closed' END,
             opens_at = ?2, closes_at = ?3, dated = ?4, contact_name = ?5, contact_email = ?6,
             signature_goal = ?7, default_lang = ?8, updated_at = ?9,
             ended_at = CASE WHEN ?1 IN ('closed', 'won', 'withdrawn') THEN coalesce(ended_at, min(?9, coalesce(?3, ?9))) ELSE NULL END,
             withdrawn_at = CASE WHEN ?1 = 'withdrawn' THEN coalesce(withdrawn_at, ?9) END
         WHERE id = ?10",
    )
    .bind(c.status.as_str())
    .bind(c.opens_at.map(micros))
    .bind(c.closes_at.map(micros))
    .bind(c.dated)
    .bind(&c.contact.name)
    .bind(c.contact.email.as_ref().map(|e| e.as_str()))
    .bind(c.signature_goal.map(i64::from))
    .bind(c.default_lang.as_str())
    .bind(micros(now))
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
    tx: &mut Transaction<'_, Sqlite>,
    campaign: CampaignId,
    author: &str,
    texts: &[UpdateText],
    at: OffsetDateTime,
) -> StoreResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO updates (campaign_id, author, published_at) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(campaign)
    .bind(author)
    .bind(micros(at))
    .fetch_one(&mut **tx)
    .await
    .map_err(db)?;
    for text in texts {
        sqlx::query("INSERT INTO update_texts (update_id, lang, title, body) VALUES (?, ?, ?, ?)")
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
    ex: impl sqlx::SqliteExecutor<'e>,
    campaign: CampaignId,
    r: &TargetResponse,
    now: OffsetDateTime,
) -> StoreResult<sqlx::sqlite::SqliteQueryResult> {
    sqlx::query("INSERT INTO campaign_responses (campaign_id, text, responded_on, link, recorded_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (campaign_id) DO UPDATE SET text = excluded.text, responded_on = excluded.responded_on, link = excluded.link, recorded_at = excluded.recorded_at")
        .bind(campaign)
        .bind(&r.text)
        .bind(r.responded_on)
        .bind(&r.link)
        .bind(micros(now))
        .execute(ex)
        .await
        .map_err(db)
}

async fn insert_audit<'e>(ex: impl sqlx::SqliteExecutor<'e>, entry: &AuditEntry) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, campaign_id, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(micros(entry.at))
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

/// The versions as stored now, inside a transaction (to keep what an edit replaces).
async fn stored_versions(tx: &mut Transaction<'_, Sqlite>, id: CampaignId) -> StoreResult<Vec<VersionRow>> {
    let rows =
        sqlx::query("SELECT lang, title, summary, target, body FROM campaign_versions WHERE campaign_id = ?")
            .bind(id)
            .fetch_all(&mut **tx)
            .await
            .map_err(db)?;
    let mut versions = Vec::with_capacity(rows.len());
    for r in &rows {
        let lang: String = get(r, "lang")?;
        let demands: Vec<String> = sqlx::query_scalar(
            "SELECT text FROM demands WHERE campaign_id = ? AND lang = ? ORDER BY position",
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

async fn sign_in(
    tx: &mut Transaction<'_, Sqlite>,
    s: &SignatureRecord,
    budget: MailBudget,
) -> StoreResult<SignOutcome> {
    let v = &s.signer;
    let now = micros(s.now);
    let created: Option<i64> = sqlx::query_scalar(
        "INSERT INTO signatures (campaign_id, email_key, email, name, country, city, affiliation, comment, display, opt_in, lang, status, ip_key, mails_sent, mail_window_start, created_at, version_lang)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, 1, ?, ?, ?)
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
    .fetch_optional(&mut **tx)
    .await
    .map_err(db)?;
    let outcome = if let Some(id) = created {
        enqueue(tx, MailKind::ConfirmSignature, id, s.now).await?;
        SignOutcome::Created { id }
    } else {
        let row = sqlx::query(
            "SELECT id, status, mails_sent, mail_window_start FROM signatures WHERE email_key = ?",
        )
        .bind(&s.email_key[..])
        .fetch_one(&mut **tx)
        .await
        .map_err(db)?;
        let id: i64 = get(&row, "id")?;
        let confirmed = get::<String>(&row, "status")? == "confirmed";
        if !confirmed {
            replace_pending(tx, id, s).await?;
        }
        let spent = budget.spend(get(&row, "mails_sent")?, time_at(&row, "mail_window_start")?, s.now);
        let mailed = spent.is_some();
        if let Some((sent, window_start)) = spent {
            sqlx::query("UPDATE signatures SET mails_sent = ?, mail_window_start = ? WHERE id = ?")
                .bind(sent)
                .bind(micros(window_start))
                .bind(id)
                .execute(&mut **tx)
                .await
                .map_err(db)?;
            let kind = if confirmed { MailKind::AlreadySigned } else { MailKind::ConfirmSignature };
            enqueue(tx, kind, id, s.now).await?;
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
async fn replace_pending(conn: &mut SqliteConnection, id: i64, s: &SignatureRecord) -> StoreResult<()> {
    let v = &s.signer;
    sqlx::query(
        "UPDATE signatures SET name = ?1, country = ?2, city = ?3, affiliation = ?4, comment = ?5, display = ?6,
             opt_in = ?7, lang = ?8, version_lang = ?10, revision = revision + 1
         WHERE id = ?9 AND status = 'pending'
           AND (name IS NOT ?1 OR country IS NOT ?2 OR city IS NOT ?3 OR affiliation IS NOT ?4
                OR comment IS NOT ?5 OR display IS NOT ?6 OR opt_in IS NOT ?7 OR lang IS NOT ?8)",
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
    tx: &mut Transaction<'_, Sqlite>,
    campaign: CampaignId,
    email_key: Option<&[u8]>,
) -> StoreResult<u64> {
    const OF: &str =
        "campaign_id = ?1 AND commenter_id IN (SELECT id FROM commenters WHERE ?2 IS NULL OR email_key = ?2)";
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
        "DELETE FROM commenters WHERE id IN (SELECT value FROM json_each(?))
         AND NOT EXISTS (SELECT 1 FROM comments WHERE commenter_id = commenters.id)",
    )
    .bind(serde_json::to_string(&commenters).map_err(|e| StoreError::Database(e.to_string()))?)
    .execute(&mut **tx)
    .await
    .map_err(db)?;
    Ok(deleted + kept)
}

/// An endorsement collected offline: listed at once.
async fn insert_endorsement(
    conn: &mut SqliteConnection,
    campaign: CampaignId,
    e: &EndorsementSpec,
    from_file: bool,
    now: OffsetDateTime,
) -> StoreResult<i64> {
    insert_approved_endorsement(conn, campaign, e, true, from_file, now).await
}

/// An approved endorsement: collected offline (or with the files), or through the site.
async fn insert_approved_endorsement(
    conn: &mut SqliteConnection,
    campaign: CampaignId,
    e: &EndorsementSpec,
    offline: bool,
    from_file: bool,
    created_at: OffsetDateTime,
) -> StoreResult<i64> {
    let (kind, name, org_type, website, individuals) = e.endorser.parts();
    sqlx::query_scalar(
        "INSERT INTO endorsements (campaign_id, kind, name, org_type, website, individuals, country, statement, source_note, offline, from_file, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'approved', ?) RETURNING id",
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
    .bind(micros(created_at))
    .fetch_one(conn)
    .await
    .map_err(db)
}

const USER_COLUMNS: &str = "id, email, name, password_hash, is_admin";

fn user_row(r: &SqliteRow) -> StoreResult<(User, Option<String>)> {
    let user = User {
        id: get(r, "id")?,
        email: get(r, "email")?,
        name: get(r, "name")?,
        is_admin: get(r, "is_admin")?,
    };
    Ok((user, get(r, "password_hash")?))
}

/// Refuses (`Conflict`) to take away the last admin who can log in, if `user` is that admin.
async fn keep_an_admin(conn: &mut sqlx::SqliteConnection, user: i64) -> StoreResult<()> {
    let others: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE is_admin = 1 AND disabled_at IS NULL AND id <> ?",
    )
    .bind(user)
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    let is_admin: Option<bool> = sqlx::query_scalar("SELECT is_admin FROM users WHERE id = ?")
        .bind(user)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    if others == 0 && is_admin == Some(true) {
        return Err(StoreError::Conflict("the last admin".into()));
    }
    Ok(())
}

async fn insert_user(conn: &mut SqliteConnection, user: &NewUser, now: OffsetDateTime) -> StoreResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(&user.email)
    .bind(&user.name)
    .bind(&user.password_hash)
    .bind(user.is_admin)
    .bind(micros(now))
    .fetch_optional(conn)
    .await
    .map_err(db)?
    .ok_or_else(|| StoreError::Conflict(format!("an account for {}", user.email)))
}

async fn upsert_role(
    conn: &mut SqliteConnection,
    campaign: CampaignId,
    user: i64,
    role: Role,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO campaign_roles (campaign_id, user_id, role) VALUES (?, ?, ?)
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

/// The conditions of a `SignatureFilter`, each skipped when not given; bound by `bind_filter`.
const FILTER: &str = "campaign_id = ? AND invalidation_id IS NULL
    AND (? IS NULL OR lower(substr(email, instr(email, '@') + 1)) = ?)
    AND (? IS NULL OR country = ?)
    AND (? IS NULL OR created_at >= ?)
    AND (? IS NULL OR created_at < ?)
    AND (? IS NULL OR ip_key = ?)
    AND (? IS NULL OR id = ?)";

type SqliteQuery<'q> = sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

fn bind_filter<'q>(q: SqliteQuery<'q>, campaign: CampaignId, f: &'q SignatureFilter) -> SqliteQuery<'q> {
    let domain = f.email_domain.as_deref();
    let from = f.from.map(micros);
    let until = f.until.map(micros);
    let ip = f.ip_key.as_deref();
    q.bind(campaign)
        .bind(domain)
        .bind(domain)
        .bind(f.country.as_deref())
        .bind(f.country.as_deref())
        .bind(from)
        .bind(from)
        .bind(until)
        .bind(until)
        .bind(ip)
        .bind(ip)
        .bind(f.signature_id)
        .bind(f.signature_id)
}

const COMMENT_COLUMNS: &str = "c.id, c.campaign_id, c.parent_id, c.name, c.website, c.body, c.organiser, c.status, c.reports, c.created_at";

fn comment_row(r: &SqliteRow) -> StoreResult<Comment> {
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
impl HealthStore for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await.map_err(db)?;
        Ok(())
    }

    async fn heartbeat(&self, now: OffsetDateTime) -> StoreResult<()> {
        if !self.signing.is_running() {
            return Err(StoreError::Unavailable("the signing writer has stopped".into()));
        }
        self.signing.health().check()?;
        // In a transaction, as every write of the group commit is: its COMMIT is what fails on a
        // full disk.
        let mut tx = self.writer.begin().await.map_err(db)?;
        sqlx::query(
            "INSERT INTO heartbeat (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at",
        )
        .bind(micros(now))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn missing_migrations(&self) -> StoreResult<Vec<i64>> {
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        Ok(migrate::missing(&applied))
    }

    async fn oldest_due_mail(&self, now: OffsetDateTime) -> StoreResult<Option<OffsetDateTime>> {
        let due: Option<i64> = sqlx::query_scalar(
            "SELECT min(next_attempt_at) FROM outbox WHERE failed = 0 AND next_attempt_at <= ?",
        )
        .bind(micros(now))
        .fetch_one(&self.reader)
        .await
        .map_err(db)?;
        due.map(from_micros).transpose()
    }
}

#[async_trait]
impl CampaignStore for SqliteStore {
    async fn has_no_campaigns(&self) -> StoreResult<bool> {
        let any: Option<i64> = sqlx::query_scalar("SELECT id FROM campaigns LIMIT 1")
            .fetch_optional(&self.reader)
            .await
            .map_err(db)?;
        Ok(any.is_none())
    }

    async fn campaign_by_slug(&self, slug: &Slug) -> StoreResult<Option<Campaign>> {
        let row = sqlx::query(&format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE slug = ?"))
            .bind(slug.as_str())
            .fetch_optional(&self.reader)
            .await
            .map_err(db)?;
        match row {
            Some(row) => Ok(Some(self.campaign(row).await?)),
            None => Ok(None),
        }
    }

    async fn campaign_by_id(&self, id: CampaignId) -> StoreResult<Option<Campaign>> {
        let row = sqlx::query(&format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.reader)
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
        .fetch_all(&self.reader)
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
        .fetch_all(&self.reader)
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
        let mut tx = self.writer.begin().await.map_err(db)?;
        let id: Option<CampaignId> = sqlx::query_scalar(
            "INSERT INTO campaigns (slug, status, opens_at, closes_at, dated, contact_name, contact_email, signature_goal, default_lang, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING RETURNING id",
        )
        .bind(c.slug.as_str())
        .bind(c.status.as_str())
        .bind(c.opens_at.map(micros))
        .bind(c.closes_at.map(micros))
        .bind(c.dated)
        .bind(&c.contact.name)
        .bind(c.contact.email.as_ref().map(|e| e.as_str()))
        .bind(c.signature_goal.map(i64::from))
        .bind(c.default_lang.as_str())
        .bind(micros(now))
        .bind(micros(now))
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
        let mut tx = self.writer.begin().await.map_err(db)?;
        save_in(&mut tx, id, content, keep_revisions, now).await?;
        tx.commit().await.map_err(db)
    }

    async fn revisions(&self, campaign: CampaignId) -> StoreResult<Vec<Revision>> {
        let rows = sqlx::query(
            "SELECT lang, title, summary, target, body, demands, replaced_at FROM campaign_revisions
             WHERE campaign_id = ? ORDER BY id DESC",
        )
        .bind(campaign)
        .fetch_all(&self.reader)
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
            Some(r) => upsert_response(&self.writer, campaign, r, now).await?,
            None => sqlx::query("DELETE FROM campaign_responses WHERE campaign_id = ?")
                .bind(campaign)
                .execute(&self.writer)
                .await
                .map_err(db)?,
        };
        Ok(())
    }

    async fn response(&self, campaign: CampaignId) -> StoreResult<Option<TargetResponse>> {
        let row =
            sqlx::query("SELECT text, responded_on, link FROM campaign_responses WHERE campaign_id = ?")
                .bind(campaign)
                .fetch_optional(&self.reader)
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
impl ImportStore for SqliteStore {
    async fn import_campaigns(&self, specs: &[CampaignSpec]) -> StoreResult<Vec<CampaignId>> {
        let now = undersigned_core::clock::now();
        let mut tx = self.writer.begin().await.map_err(db)?;
        let mut ids = Vec::with_capacity(specs.len());
        for spec in specs {
            ids.push(import_one(&mut tx, spec, now).await?);
        }
        tx.commit().await.map_err(db)?;
        Ok(ids)
    }

    async fn apply_import(&self, imports: &[CampaignImport]) -> StoreResult<Vec<CampaignId>> {
        import::apply(&self.writer, imports).await
    }
}

#[async_trait]
impl SigningStore for SqliteStore {
    async fn sign(&self, s: &SignatureRecord, budget: MailBudget) -> StoreResult<SignOutcome> {
        self.signing.sign(s, budget).await
    }

    async fn signature(&self, id: i64) -> StoreResult<Option<Signature>> {
        let row = sqlx::query(&format!("SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(db)?;
        row.as_ref().map(signature_row).transpose()
    }

    async fn signatures(&self, ids: &[i64]) -> StoreResult<Vec<Signature>> {
        let rows = sqlx::query(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE id IN (SELECT value FROM json_each(?))"
        ))
        .bind(serde_json::to_string(ids).map_err(|e| StoreError::Database(e.to_string()))?)
        .fetch_all(&self.reader)
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
        let mut tx = self.writer.begin().await.map_err(db)?;
        let deleted = sqlx::query("DELETE FROM signatures WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        sqlx::query(
            "DELETE FROM outbox WHERE ref_id = ? AND kind IN ('confirm-signature', 'already-signed')",
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
        let (at, id) = after.map_or((i64::MAX, i64::MAX), |c| (micros(c.confirmed_at), c.id));
        let rows = sqlx::query(
            "SELECT id, name, display, country, city, affiliation, comment, confirmed_at FROM signatures
             WHERE campaign_id = ? AND status = 'confirmed' AND invalidation_id IS NULL AND display <> 'hidden'
               AND confirmed_at <= ? AND (confirmed_at < ? OR id < ?)
             ORDER BY confirmed_at DESC, id DESC LIMIT ?",
        )
        .bind(campaign)
        .bind(at)
        .bind(at)
        .bind(id)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
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
        let row = sqlx::query(&format!("SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE email_key = ?"))
            .bind(email_key)
            .fetch_optional(&self.reader)
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
        let updated = sqlx::query("UPDATE signatures SET display = ?, opt_in = ? WHERE id = ?")
            .bind(display.as_str())
            .bind(opt_in)
            .bind(signature)
            .execute(&self.writer)
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
        let (at, id) = after.map_or((i64::MIN, i64::MIN), |c| (micros(c.confirmed_at), c.id));
        if let Some(export) = &self.export {
            let export = export.clone();
            return tokio::task::spawn_blocking(move || export.page(campaign, at, id, limit))
                .await
                .map_err(|e| StoreError::Database(e.to_string()))?;
        }
        let rows = sqlx::query(EXPORT_PAGE)
            .bind(campaign)
            .bind(at)
            .bind(id)
            .bind(i64::from(limit))
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        rows.iter().map(signature_row).collect()
    }
}

#[async_trait]
impl CountStore for SqliteStore {
    async fn counts(&self, campaign: CampaignId) -> StoreResult<Counts> {
        let signatures: i64 = sqlx::query_scalar(
            "SELECT (SELECT coalesce(sum(n), 0) FROM signature_counts WHERE campaign_id = ?1)
                  + (SELECT coalesce(sum(delta), 0) FROM count_journal WHERE campaign_id = ?1)",
        )
        .bind(campaign)
        .fetch_one(&self.reader)
        .await
        .map_err(db)?;
        let row = sqlx::query(
            "SELECT coalesce(sum(individuals), 0) AS individuals, count(*) FILTER (WHERE kind = 'organisation') AS organisations
             FROM endorsements WHERE campaign_id = ? AND status = 'approved'",
        )
        .bind(campaign)
        .fetch_one(&self.reader)
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
            "SELECT country, sum(n) AS n FROM (
                 SELECT country, n FROM signature_counts WHERE campaign_id = ?1
                 UNION ALL SELECT country, delta FROM count_journal WHERE campaign_id = ?1)
             GROUP BY country HAVING sum(n) <> 0 ORDER BY n DESC, country",
        )
        .bind(campaign)
        .fetch_all(&self.reader)
        .await
        .map_err(db)?;
        rows.iter().map(|r| Ok((get(r, "country")?, get(r, "n")?))).collect()
    }

    async fn fold_counts(&self) -> StoreResult<u64> {
        // The one writer connection makes this the only aggregator: no lock needed.
        let mut tx = self.writer.begin().await.map_err(db)?;
        let last: Option<i64> =
            sqlx::query_scalar("SELECT max(id) FROM count_journal").fetch_one(&mut *tx).await.map_err(db)?;
        let Some(last) = last else { return Ok(0) };
        sqlx::query(
            "INSERT INTO signature_counts (campaign_id, country, lang, n)
             SELECT campaign_id, country, lang, sum(delta) FROM count_journal WHERE id <= ?
             GROUP BY campaign_id, country, lang
             ON CONFLICT (campaign_id, country, lang) DO UPDATE SET n = n + excluded.n",
        )
        .bind(last)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        let folded = sqlx::query("DELETE FROM count_journal WHERE id <= ?")
            .bind(last)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        tx.commit().await.map_err(db)?;
        Ok(folded)
    }

    async fn campaign_stats(&self, campaign: CampaignId) -> StoreResult<CampaignStats> {
        let days = sqlx::query(
            "SELECT confirmed_at / 86400000000 AS day, count(*) AS n FROM signatures
             WHERE campaign_id = ? AND status = 'confirmed' AND invalidation_id IS NULL GROUP BY day ORDER BY day",
        )
        .bind(campaign)
        .fetch_all(&self.reader)
        .await
        .map_err(db)?;
        let per_day = days
            .iter()
            .map(|r| {
                let day: i64 = get(r, "day")?;
                let date = from_micros(day * 86_400_000_000)?.date();
                Ok((date, get::<i64>(r, "n")?))
            })
            .collect::<StoreResult<_>>()?;
        let langs = sqlx::query(
            "SELECT lang, sum(n) AS n FROM (
                 SELECT lang, n FROM signature_counts WHERE campaign_id = ?1
                 UNION ALL SELECT lang, delta FROM count_journal WHERE campaign_id = ?1)
             GROUP BY lang HAVING sum(n) <> 0 ORDER BY n DESC, lang",
        )
        .bind(campaign)
        .fetch_all(&self.reader)
        .await
        .map_err(db)?;
        let by_lang =
            langs.iter().map(|r| Ok((get(r, "lang")?, get(r, "n")?))).collect::<StoreResult<_>>()?;
        let pending: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM signatures WHERE campaign_id = ? AND status = 'pending'",
        )
        .bind(campaign)
        .fetch_one(&self.reader)
        .await
        .map_err(db)?;
        Ok(CampaignStats { per_day, by_lang, pending })
    }
}

#[async_trait]
impl EndorsementStore for SqliteStore {
    async fn endorsements(&self, campaign: CampaignId) -> StoreResult<Vec<Endorsement>> {
        let rows = sqlx::query(&format!(
            "SELECT {ENDORSEMENT_COLUMNS} FROM endorsements WHERE campaign_id = ? AND status = 'approved' ORDER BY id"
        ))
        .bind(campaign)
        .fetch_all(&self.reader)
        .await
        .map_err(db)?;
        rows.iter().map(|r| endorsement_row(r).map(|(e, _)| e)).collect()
    }

    async fn request_endorsement(&self, r: &EndorsementRequest) -> StoreResult<i64> {
        let (kind, name, org_type, website, individuals) = r.spec.endorser.parts();
        let mut tx = self.writer.begin().await.map_err(db)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO endorsements (campaign_id, kind, name, org_type, website, individuals, country, statement, offline, from_file, status, created_at, contact_name, contact_email, email_key, lang, ip_key)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 'pending', ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(r.campaign_id)
        .bind(kind)
        .bind(name)
        .bind(org_type)
        .bind(website)
        .bind(individuals)
        .bind(&r.spec.country)
        .bind(&r.spec.statement)
        .bind(micros(r.now))
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
             FROM endorsements WHERE id = ? AND contact_email IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(&self.reader)
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
                get::<Option<i64>>(&r, "verified_at")?.is_some(),
            )?,
        }))
    }

    async fn verify_endorsement(&self, id: i64, now: OffsetDateTime) -> StoreResult<bool> {
        let updated = sqlx::query(
            "UPDATE endorsements SET verified_at = coalesce(verified_at, ?) WHERE id = ? AND contact_email IS NOT NULL",
        )
        .bind(micros(now))
        .bind(id)
        .execute(&self.writer)
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
            "SELECT {ENDORSEMENT_COLUMNS} FROM endorsements WHERE {condition} AND (? IS NULL OR campaign_id = ?) ORDER BY id"
        ))
        .bind(campaign)
        .bind(campaign)
        .fetch_all(&self.reader)
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
            "UPDATE endorsements SET status = ?, reject_reason = ?, decided_at = ?
             WHERE id = ? AND status = 'pending' AND verified_at IS NOT NULL",
        )
        .bind(if approve { "approved" } else { "rejected" })
        .bind(reason)
        .bind(micros(now))
        .bind(id)
        .execute(&self.writer)
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
        let mut conn = self.writer.acquire().await.map_err(db)?;
        insert_endorsement(&mut conn, campaign, spec, false, undersigned_core::clock::now()).await
    }

    async fn add_offline_endorsements(
        &self,
        campaign: CampaignId,
        specs: &[EndorsementSpec],
    ) -> StoreResult<Vec<i64>> {
        let now = undersigned_core::clock::now();
        let mut tx = self.writer.begin().await.map_err(db)?;
        let mut ids = Vec::with_capacity(specs.len());
        for spec in specs {
            ids.push(insert_endorsement(&mut tx, campaign, spec, false, now).await?);
        }
        tx.commit().await.map_err(db)?;
        Ok(ids)
    }
}

#[async_trait]
impl OutboxStore for SqliteStore {
    async fn claim_mail(
        &self,
        now: OffsetDateTime,
        lease: time::Duration,
        limit: u32,
    ) -> StoreResult<Vec<QueuedMail>> {
        outbox::claim(&self.writer, now, lease, limit).await
    }

    async fn mail_done(&self, mail: &QueuedMail) -> StoreResult<bool> {
        Ok(outbox::done(&self.writer, std::slice::from_ref(mail)).await? == 1)
    }

    async fn mails_done(&self, mails: &[QueuedMail]) -> StoreResult<()> {
        outbox::done(&self.writer, mails).await.map(drop)
    }

    async fn mail_failed(
        &self,
        mail: &QueuedMail,
        error: &str,
        retry_at: Option<OffsetDateTime>,
    ) -> StoreResult<bool> {
        outbox::failed(&self.writer, mail, error, retry_at, undersigned_core::clock::now()).await
    }

    async fn failed_mail(&self, limit: u32) -> StoreResult<Vec<FailedMail>> {
        outbox::given_up(&self.reader, limit).await
    }

    async fn retry_failed_mail(&self, ids: Option<&[i64]>, now: OffsetDateTime) -> StoreResult<u64> {
        outbox::retry(&self.writer, ids, now).await
    }

    async fn mail_progress(&self, job: &QueuedMail, cursor: i64, now: OffsetDateTime) -> StoreResult<()> {
        outbox::progress(&self.writer, job, cursor, now).await
    }

    async fn queue_mail(
        &self,
        kind: MailKind,
        ref_id: i64,
        cursor: Option<i64>,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO outbox (kind, ref_id, cursor, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(kind.as_str())
        .bind(ref_id)
        .bind(cursor)
        .bind(micros(now))
        .bind(micros(now))
        .execute(&self.writer)
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
            "INSERT INTO mail_budgets (budget_key, mails_sent, window_start) VALUES (?1, 1, ?2)
             ON CONFLICT (budget_key) DO UPDATE SET
                 mails_sent = CASE WHEN ?2 - window_start > ?3 THEN 1 ELSE mails_sent + 1 END,
                 window_start = CASE WHEN ?2 - window_start > ?3 THEN ?2 ELSE window_start END
             RETURNING mails_sent",
        )
        .bind(key)
        .bind(micros(now))
        .bind(micros_of(budget.window))
        .fetch_one(&self.writer)
        .await
        .map_err(db)?;
        Ok(sent <= budget.max)
    }
}

#[async_trait]
impl OrganiserStore for SqliteStore {
    async fn create_user(&self, user: &NewUser, now: OffsetDateTime) -> StoreResult<i64> {
        let mut conn = self.writer.acquire().await.map_err(db)?;
        insert_user(&mut conn, user, now).await
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<(User, Option<String>)>> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?"))
            .bind(email)
            .fetch_optional(&self.reader)
            .await
            .map_err(db)?;
        row.as_ref().map(user_row).transpose()
    }

    async fn user_by_id(&self, id: i64) -> StoreResult<Option<(User, Option<String>)>> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(db)?;
        row.as_ref().map(user_row).transpose()
    }

    async fn users(&self) -> StoreResult<Vec<User>> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY email"))
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        rows.iter().map(|r| user_row(r).map(|(u, _)| u)).collect()
    }

    async fn set_password(&self, user: i64, hash: &str) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let updated = sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(hash)
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = ?")
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
        let mut tx = self.writer.begin().await.map_err(db)?;
        let existing = sqlx::query("SELECT id, password_hash FROM users WHERE email = ?")
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
        let mut tx = self.writer.begin().await.map_err(db)?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = ?")
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
        let mut conn = self.writer.acquire().await.map_err(db)?;
        match role {
            Some(role) => upsert_role(&mut conn, campaign, user, role).await,
            None => {
                sqlx::query("DELETE FROM campaign_roles WHERE campaign_id = ? AND user_id = ?")
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
            sqlx::query_scalar("SELECT role FROM campaign_roles WHERE campaign_id = ? AND user_id = ?")
                .bind(campaign)
                .bind(user)
                .fetch_optional(&self.reader)
                .await
                .map_err(db)?;
        role.map(|r| crate::rows::role(&r)).transpose()
    }

    async fn campaigns_of(&self, user: i64) -> StoreResult<Vec<(CampaignId, Role)>> {
        let rows = sqlx::query(
            "SELECT campaign_id, role FROM campaign_roles WHERE user_id = ? ORDER BY campaign_id",
        )
        .bind(user)
        .fetch_all(&self.reader)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| Ok((get(r, "campaign_id")?, crate::rows::role(&get::<String>(r, "role")?)?)))
            .collect()
    }

    async fn team(&self, campaign: CampaignId) -> StoreResult<Vec<(User, Role)>> {
        let rows = sqlx::query(
            "SELECT u.id, u.email, u.name, u.password_hash, u.is_admin, r.role FROM campaign_roles r
             JOIN users u ON u.id = r.user_id WHERE r.campaign_id = ? ORDER BY u.email",
        )
        .bind(campaign)
        .fetch_all(&self.reader)
        .await
        .map_err(db)?;
        rows.iter().map(|r| Ok((user_row(r)?.0, crate::rows::role(&get::<String>(r, "role")?)?))).collect()
    }

    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        insert_audit(&self.writer, entry).await
    }

    async fn audit_log(&self, campaign: Option<CampaignId>, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT at, actor, campaign_id, action, subject, detail FROM audit_log
             WHERE (? IS NULL OR campaign_id = ?) ORDER BY id DESC LIMIT ?",
        )
        .bind(campaign)
        .bind(campaign)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
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
impl AccessStore for SqliteStore {
    async fn create_session(
        &self,
        token_hash: &[u8],
        user: i64,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= ?")
            .bind(micros(now))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .bind(token_hash)
            .bind(user)
            .bind(micros(now))
            .bind(micros(expires))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn session_user(&self, token_hash: &[u8], now: OffsetDateTime) -> StoreResult<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE disabled_at IS NULL AND id = (SELECT user_id FROM sessions WHERE token_hash = ? AND expires_at > ?)"
        ))
        .bind(token_hash)
        .bind(micros(now))
        .fetch_optional(&self.reader)
        .await
        .map_err(db)?;
        row.as_ref().map(|r| user_row(r).map(|(u, _)| u)).transpose()
    }

    async fn end_session(&self, token_hash: &[u8]) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.writer)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn end_sessions(&self, user: i64) -> StoreResult<u64> {
        let done =
            sqlx::query("DELETE FROM sessions WHERE user_id = ?").bind(user).execute(&self.writer).await;
        Ok(done.map_err(db)?.rows_affected())
    }

    async fn set_admin(&self, user: i64, admin: bool) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        if !admin {
            keep_an_admin(&mut tx, user).await?;
        }
        let updated = sqlx::query("UPDATE users SET is_admin = ? WHERE id = ?")
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
        let mut tx = self.writer.begin().await.map_err(db)?;
        if disabled {
            keep_an_admin(&mut tx, user).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = ?")
                .bind(user)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        let updated = sqlx::query("UPDATE users SET disabled_at = ? WHERE id = ?")
            .bind(disabled.then(|| micros(now)))
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
            .fetch_all(&self.reader)
            .await
            .map_err(db)
    }
}

#[async_trait]
impl ModerationStore for SqliteStore {
    async fn matching_signatures(&self, campaign: CampaignId, filter: &SignatureFilter) -> StoreResult<i64> {
        let sql = format!("SELECT count(*) FROM signatures WHERE {FILTER}");
        let q = sqlx::query_scalar::<_, i64>(&sql);
        let q = q
            .bind(campaign)
            .bind(filter.email_domain.as_deref())
            .bind(filter.email_domain.as_deref())
            .bind(filter.country.as_deref())
            .bind(filter.country.as_deref())
            .bind(filter.from.map(micros))
            .bind(filter.from.map(micros))
            .bind(filter.until.map(micros))
            .bind(filter.until.map(micros))
            .bind(filter.ip_key.as_deref())
            .bind(filter.ip_key.as_deref())
            .bind(filter.signature_id)
            .bind(filter.signature_id);
        q.fetch_one(&self.reader).await.map_err(db)
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
        let mut tx = self.writer.begin().await.map_err(db)?;
        let id: i64 = sqlx::query_scalar("INSERT INTO invalidations (campaign_id, conditions, signatures, actor, created_at) VALUES (?, ?, 0, ?, ?) RETURNING id")
            .bind(campaign)
            .bind(filter.describe())
            .bind(actor)
            .bind(micros(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        let sql = format!("UPDATE signatures SET invalidation_id = ? WHERE {FILTER}");
        let q = sqlx::query(&sql).bind(id);
        let marked =
            bind_filter(q, campaign, filter).execute(&mut *tx).await.map_err(db)?.rows_affected() as i64;
        sqlx::query("UPDATE invalidations SET signatures = ? WHERE id = ?")
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
        let mut tx = self.writer.begin().await.map_err(db)?;
        let found = sqlx::query("UPDATE invalidations SET restored_at = ? WHERE id = ? AND campaign_id = ? AND restored_at IS NULL")
            .bind(micros(now))
            .bind(id)
            .bind(campaign)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        if found == 0 {
            return Err(StoreError::NotFound);
        }
        let restored = sqlx::query("UPDATE signatures SET invalidation_id = NULL WHERE invalidation_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected() as i64;
        tx.commit().await.map_err(db)?;
        Ok(restored)
    }

    async fn invalidations(&self, campaign: CampaignId) -> StoreResult<Vec<Invalidation>> {
        let rows = sqlx::query("SELECT id, conditions, signatures, actor, created_at, restored_at FROM invalidations WHERE campaign_id = ? ORDER BY id DESC").bind(campaign).fetch_all(&self.reader).await.map_err(db)?;
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
        let rows = sqlx::query("SELECT ip_key, count(*) AS n, min(created_at) AS first, max(created_at) AS last FROM signatures WHERE campaign_id = ? AND ip_key IS NOT NULL AND invalidation_id IS NULL GROUP BY ip_key HAVING count(*) >= ? ORDER BY n DESC LIMIT 50").bind(campaign).bind(min).fetch_all(&self.reader).await.map_err(db)?;
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
        let rows = sqlx::query(&format!("SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE campaign_id = ? AND invalidation_id IS NULL ORDER BY id DESC LIMIT ?")).bind(campaign).bind(i64::from(limit)).fetch_all(&self.reader).await.map_err(db)?;
        rows.iter().map(signature_row).collect()
    }
}

#[async_trait]
impl UpdateStore for SqliteStore {
    async fn post_update(
        &self,
        campaign: CampaignId,
        author: &str,
        texts: &[UpdateText],
        mail: bool,
        now: OffsetDateTime,
    ) -> StoreResult<i64> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let id = insert_update(&mut tx, campaign, author, texts, now).await?;
        if mail {
            sqlx::query("INSERT INTO outbox (kind, ref_id, cursor, next_attempt_at, created_at) VALUES (?, ?, 0, ?, ?)")
                .bind(MailKind::UpdateBatch.as_str())
                .bind(id)
                .bind(micros(now))
                .bind(micros(now))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(id)
    }

    async fn updates(&self, campaign: Option<CampaignId>, limit: u32) -> StoreResult<Vec<Update>> {
        let rows = sqlx::query(
            "SELECT id, campaign_id, author, published_at FROM updates WHERE (? IS NULL OR campaign_id = ?)
             ORDER BY published_at DESC, id DESC LIMIT ?",
        )
        .bind(campaign)
        .bind(campaign)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .map_err(db)?;
        let mut updates = Vec::with_capacity(rows.len());
        for r in &rows {
            updates.push(self.update_with_texts(r).await?);
        }
        Ok(updates)
    }

    async fn update(&self, id: i64) -> StoreResult<Option<Update>> {
        let row = sqlx::query("SELECT id, campaign_id, author, published_at FROM updates WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(db)?;
        match row {
            Some(r) => Ok(Some(self.update_with_texts(&r).await?)),
            None => Ok(None),
        }
    }

    async fn opted_in(&self, campaign: CampaignId, after: i64, limit: u32) -> StoreResult<Vec<Signature>> {
        let rows = sqlx::query(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE campaign_id = ? AND opt_in = 1 AND status = 'confirmed'
             AND invalidation_id IS NULL AND id > ? ORDER BY id LIMIT ?"
        ))
        .bind(campaign)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .map_err(db)?;
        rows.iter().map(signature_row).collect()
    }

    async fn unsubscribe(&self, signature: i64) -> StoreResult<bool> {
        let updated = sqlx::query("UPDATE signatures SET opt_in = 0 WHERE id = ?")
            .bind(signature)
            .execute(&self.writer)
            .await
            .map_err(db)?
            .rows_affected();
        Ok(updated > 0)
    }
}

#[async_trait]
impl CommentStore for SqliteStore {
    async fn add_comment(&self, c: &NewComment) -> StoreResult<i64> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        sqlx::query("INSERT INTO commenters (email_key, email, created_at) VALUES (?, ?, ?) ON CONFLICT (email_key) DO NOTHING")
            .bind(&c.email_key[..])
            .bind(c.email.as_str())
            .bind(micros(c.now))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let commenter: i64 = sqlx::query_scalar("SELECT id FROM commenters WHERE email_key = ?")
            .bind(&c.email_key[..])
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        let status = CommentStatus::on_arrival();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO comments (campaign_id, parent_id, commenter_id, name, website, body, status, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(c.campaign_id)
        .bind(c.parent_id)
        .bind(commenter)
        .bind(&c.name)
        .bind(&c.website)
        .bind(&c.body)
        .bind(status.as_str())
        .bind(micros(c.now))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        enqueue(&mut tx, MailKind::ConfirmComment, id, c.now).await?;
        tx.commit().await.map_err(db)?;
        Ok(id)
    }

    async fn comment(&self, id: i64) -> StoreResult<Option<(Comment, Option<(Vec<u8>, String)>)>> {
        let row = sqlx::query(&format!(
            "SELECT {COMMENT_COLUMNS}, k.email_key, k.email FROM comments c LEFT JOIN commenters k ON k.id = c.commenter_id WHERE c.id = ?"
        ))
        .bind(id)
        .fetch_optional(&self.reader)
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
        let mut tx = self.writer.begin().await.map_err(db)?;
        let commenter: Option<i64> = sqlx::query_scalar("SELECT commenter_id FROM comments WHERE id = ?")
            .bind(comment)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .flatten();
        let Some(commenter) = commenter else { return Err(StoreError::NotFound) };
        sqlx::query("UPDATE commenters SET verified_at = coalesce(verified_at, ?) WHERE id = ?")
            .bind(micros(now))
            .bind(commenter)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let next = CommentStatus::on_verify(pre_moderation);
        // This comment only: others from the address have links of their own.
        sqlx::query("UPDATE comments SET status = ? WHERE id = ? AND status = 'unverified'")
            .bind(next.as_str())
            .bind(comment)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let status: String = sqlx::query_scalar("SELECT status FROM comments WHERE id = ?")
            .bind(comment)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        comment_status(&status)
    }

    async fn comments(&self, campaign: CampaignId, states: &[CommentStatus]) -> StoreResult<Vec<Comment>> {
        let rows = sqlx::query(&format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c WHERE c.campaign_id = ? ORDER BY c.id"
        ))
        .bind(campaign)
        .fetch_all(&self.reader)
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
        let updated = sqlx::query("UPDATE comments SET status = ?, reports = 0 WHERE id = ? AND campaign_id = ? AND status <> 'unverified'")
            .bind(status.as_str())
            .bind(id)
            .bind(campaign)
            .execute(&self.writer)
            .await
            .map_err(db)?
            .rows_affected();
        Ok(updated > 0)
    }

    async fn delete_comment(&self, campaign: CampaignId, id: i64) -> StoreResult<bool> {
        let deleted = sqlx::query("DELETE FROM comments WHERE id = ? AND campaign_id = ?")
            .bind(id)
            .bind(campaign)
            .execute(&self.writer)
            .await
            .map_err(db)?
            .rows_affected();
        Ok(deleted > 0)
    }

    async fn report_comment(&self, campaign: CampaignId, id: i64) -> StoreResult<bool> {
        let updated = sqlx::query("UPDATE comments SET reports = reports + 1 WHERE id = ? AND campaign_id = ? AND status = 'visible'")
            .bind(id)
            .bind(campaign)
            .execute(&self.writer)
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
             SELECT ?, ?, 1, ?, ?, 'visible', ? WHERE EXISTS (SELECT 1 FROM comments WHERE id = ? AND campaign_id = ?) RETURNING id",
        )
        .bind(campaign)
        .bind(parent)
        .bind(name)
        .bind(body)
        .bind(micros(now))
        .bind(parent)
        .bind(campaign)
        .fetch_optional(&self.writer)
        .await
        .map_err(db)?
        .ok_or(StoreError::NotFound)
    }

    async fn pre_moderation(&self, campaign: CampaignId) -> StoreResult<bool> {
        let mode: Option<String> =
            sqlx::query_scalar("SELECT comment_moderation FROM campaigns WHERE id = ?")
                .bind(campaign)
                .fetch_optional(&self.reader)
                .await
                .map_err(db)?;
        Ok(mode.as_deref() == Some("pre"))
    }

    async fn set_pre_moderation(&self, campaign: CampaignId, pre: bool) -> StoreResult<()> {
        sqlx::query("UPDATE campaigns SET comment_moderation = ? WHERE id = ?")
            .bind(if pre { "pre" } else { "post" })
            .bind(campaign)
            .execute(&self.writer)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn forget_commenter(&self, campaign: CampaignId, email_key: &[u8]) -> StoreResult<u64> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let forgotten = forget_comment_addresses(&mut tx, campaign, Some(email_key)).await?;
        tx.commit().await.map_err(db)?;
        Ok(forgotten)
    }
}

#[async_trait]
impl RetentionStore for SqliteStore {
    async fn forget_ip_hashes(&self, before: OffsetDateTime) -> StoreResult<u64> {
        let mut forgotten = 0;
        for table in ["signatures", "endorsements"] {
            forgotten += sqlx::query(&format!(
                "UPDATE {table} SET ip_key = NULL WHERE ip_key IS NOT NULL AND created_at < ?"
            ))
            .bind(micros(before))
            .execute(&self.writer)
            .await
            .map_err(db)?
            .rows_affected();
        }
        sqlx::query("DELETE FROM ip_hash_keys WHERE day < ?")
            .bind(undersigned_core::keys::day_number(before))
            .execute(&self.writer)
            .await
            .map_err(db)?;
        sqlx::query("DELETE FROM mail_budgets WHERE window_start < ?")
            .bind(micros(before))
            .execute(&self.writer)
            .await
            .map_err(db)?;
        Ok(forgotten)
    }

    async fn ip_hash_key(&self, day: i64, fresh: [u8; 32]) -> StoreResult<[u8; 32]> {
        sqlx::query("INSERT INTO ip_hash_keys (day, key) VALUES (?, ?) ON CONFLICT (day) DO NOTHING")
            .bind(day)
            .bind(&fresh[..])
            .execute(&self.writer)
            .await
            .map_err(db)?;
        let key: Vec<u8> = sqlx::query_scalar("SELECT key FROM ip_hash_keys WHERE day = ?")
            .bind(day)
            .fetch_one(&self.writer)
            .await
            .map_err(db)?;
        key.try_into().map_err(|_| StoreError::Database("an IP hash key is not 32 bytes".into()))
    }

    async fn retention_due(&self, before: OffsetDateTime) -> StoreResult<Vec<RetentionDue>> {
        let rows = sqlx::query(
            "SELECT c.id, c.ended_at,
                 (SELECT count(*) FROM signatures s WHERE s.campaign_id = c.id AND s.anonymised = 0) AS signatures,
                 (SELECT count(*) FROM endorsements e WHERE e.campaign_id = c.id AND e.contact_email IS NOT NULL) AS endorsements,
                 EXISTS (SELECT 1 FROM comments k WHERE k.campaign_id = c.id AND k.commenter_id IS NOT NULL) AS commenters
             FROM campaigns c WHERE c.ended_at IS NOT NULL AND c.ended_at < ? ORDER BY c.id",
        )
        .bind(micros(before))
        .fetch_all(&self.reader)
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
        let at: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT coalesce(ended_at, CASE WHEN status = 'open' AND closes_at <= ? THEN closes_at END)
             FROM campaigns WHERE id = ?",
        )
        .bind(micros(undersigned_core::clock::now()))
        .bind(campaign)
        .fetch_optional(&self.reader)
        .await
        .map_err(db)?;
        at.flatten().map(from_micros).transpose()
    }

    async fn anonymise(&self, campaign: CampaignId) -> StoreResult<i64> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        sqlx::query(
            "DELETE FROM outbox WHERE ref_id IN (SELECT id FROM signatures WHERE campaign_id = ?)
             AND kind IN ('confirm-signature', 'already-signed', 'update-one', 'manage-signature')",
        )
        .bind(campaign)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        sqlx::query("DELETE FROM signatures WHERE campaign_id = ? AND status = 'pending'")
            .bind(campaign)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        // The name as shown publicly survives (nothing for hidden names); the address, its hash
        // (replaced by random bytes, unique like it), the IP hash and what was never public go.
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, name, display FROM signatures WHERE campaign_id = ? AND anonymised = 0",
        )
        .bind(campaign)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        for (id, name, display) in &rows {
            let shown = public_name(*id, name, display)?;
            let hidden = display == "hidden";
            sqlx::query(
                "UPDATE signatures SET name = ?, email = '', email_key = randomblob(16), ip_key = NULL, opt_in = 0,
                     city = CASE WHEN ? THEN NULL ELSE city END,
                     affiliation = CASE WHEN ? THEN NULL ELSE affiliation END,
                     comment = CASE WHEN ? THEN NULL ELSE comment END,
                     anonymised = 1
                 WHERE id = ?",
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
             WHERE campaign_id = ?",
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
impl LifeStore for SqliteStore {
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

fn micros_of(d: time::Duration) -> i64 {
    d.whole_microseconds() as i64
}
