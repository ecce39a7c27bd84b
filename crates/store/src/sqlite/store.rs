//! The SQLite store: its two pools (one writer connection, four readers), the signing queue and
//! the export reader; connecting, and the use cases SQLite runs its own way (folding counts and
//! finishing mails through the one writer; the export's pages are in `export_page`).

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::SqliteConnection;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use undersigned_core::clock::micros;
use undersigned_core::data_key::DataKey;
use undersigned_core::outbox::QueuedMail;
use undersigned_core::store::StoreResult;

use super::dialect::db;
use super::export::ExportReader;
use super::group_commit;
use super::portable::{data_key, webhook_events};
use crate::OpenError;
use crate::group_commit::SigningQueue;
use crate::migrate::{self, Dialect};
use crate::owner_sealing::{RecipientCache, Sealing};

/// The store the portable use cases are compiled for.
pub(super) type Backend = SqliteStore;

pub struct SqliteStore {
    pub(super) reader: SqlitePool,
    writer: SqlitePool,
    /// Signatures go to one task that commits them in groups (see `group_commit`).
    pub(super) signing: SigningQueue,
    /// The CSV export's reader (see `ExportReader`); none for a database in memory.
    pub(super) export: Option<Arc<ExportReader>>,
    /// What addresses and IP hashes are sealed under (`crate::sealed`).
    data_key: Arc<DataKey>,
    /// The owners' keys of campaigns, as private fields are sealed to them (`crate::owner_sealing`).
    recipients: Arc<RecipientCache>,
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

impl SqliteStore {
    /// Opens (creating if needed) the database at a `sqlite://` URL, runs its migrations, and
    /// takes the data key `choose` gives if it is the database's (see `crate::open`).
    pub async fn connect<K>(url: &str, choose: K, upgrade: crate::Upgrade) -> Result<Self, OpenError>
    where
        K: FnOnce(Option<&str>) -> Result<DataKey, String>,
    {
        let options = Self::options(url)?;
        let writer = Self::writer_pool_with(options.clone()).await?;
        migrate::run(&mut *writer.acquire().await?, Dialect::Sqlite, migrate::MIGRATIONS, upgrade.backed_up)
            .await?;
        let data_key = Arc::new(data_key::check(&mut *writer.acquire().await?, choose).await?);
        // The writer keeps a generous cache (32 MB: the unique index that every signature probes,
        // about 30 MB at a million signatures); the readers keep 8 MB each and lean on the OS's
        // file cache, so that the server stays small however many signatures a campaign has.
        let readers = options.read_only(true).pragma("cache_size", "-8192");
        let reader = SqlitePoolOptions::new().max_connections(4).connect_with(readers.clone()).await?;
        let (signing, jobs) = crate::group_commit::queue(data_key.clone());
        let recipients = Arc::new(RecipientCache::default());
        let sealing = Sealing { data_key: data_key.clone(), recipients: recipients.clone() };
        tokio::spawn(group_commit::group_commit(writer.clone(), jobs, signing.health(), sealing));
        let path = readers.get_filename();
        let export = (!path.as_os_str().is_empty() && path.as_os_str() != ":memory:").then(|| {
            Arc::new(ExportReader {
                path: path.to_owned(),
                idle: std::sync::Mutex::new(Vec::new()),
                data_key: data_key.clone(),
            })
        });
        Ok(Self { reader, writer, signing, export, data_key, recipients })
    }

    /// The options every connection opens the file with.
    fn options(url: &str) -> Result<SqliteConnectOptions, sqlx::Error> {
        Ok(SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: an acknowledged write survives power loss, not only a crash of the process.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-32768"))
    }

    /// The pool of the one writer connection of the database at `url` (what migrations run on).
    pub(crate) async fn writer_pool(url: &str) -> Result<SqlitePool, sqlx::Error> {
        Self::writer_pool_with(Self::options(url)?).await
    }

    async fn writer_pool_with(options: SqliteConnectOptions) -> Result<SqlitePool, sqlx::Error> {
        SqlitePoolOptions::new()
            .max_connections(1)
            .after_release(|conn, _| Box::pin(fit_for_reuse(conn)))
            .connect_with(options)
            .await
    }

    pub(super) fn data_key(&self) -> &DataKey {
        &self.data_key
    }

    pub(super) fn recipient_cache(&self) -> &RecipientCache {
        &self.recipients
    }

    pub(super) fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    pub(super) fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    /// A read that may lag (`portable/replica.rs`): SQLite has no standby, so this store serves it.
    pub(super) async fn lagging<'a, T, F, R>(&'a self, read: F) -> StoreResult<T>
    where
        F: FnOnce(&'a Self) -> R,
        R: Future<Output = StoreResult<T>>,
    {
        read(self).await
    }

    /// The pools' use, for `/metrics`.
    pub(super) fn pools(&self) -> Vec<undersigned_core::store::PoolUse> {
        vec![crate::pool_use("writer", &self.writer), crate::pool_use("reader", &self.reader)]
    }

    /// Folds the count journal into the aggregated counts. The one writer connection makes this
    /// the only aggregator: no lock needed.
    pub(super) async fn fold(&self) -> StoreResult<u64> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let last: Option<i64> =
            sqlx::query_scalar("SELECT max(id) FROM count_journal").fetch_one(&mut *tx).await.map_err(db)?;
        let Some(last) = last else { return Ok(0) };
        let watched = webhook_events::milestones_before(&mut tx).await?;
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
        webhook_events::milestones_after(&mut tx, &watched, undersigned_core::clock::now()).await?;
        let folded = sqlx::query("DELETE FROM count_journal WHERE id <= ?")
            .bind(last)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        tx.commit().await.map_err(db)?;
        Ok(folded)
    }

    /// Drops finished mails from the outbox, each only under the lease it was claimed with; how
    /// many.
    pub(super) async fn finish(&self, mails: &[QueuedMail]) -> StoreResult<u64> {
        if mails.is_empty() {
            return Ok(0);
        }
        let pairs = vec!["(?, ?)"; mails.len()].join(", ");
        let sql = format!("DELETE FROM outbox WHERE (id, locked_until) IN (VALUES {pairs})");
        let mut query = sqlx::query(&sql);
        for mail in mails {
            query = query.bind(mail.id).bind(micros(mail.lease));
        }
        Ok(query.execute(&self.writer).await.map_err(db)?.rows_affected())
    }
}
