//! The storage of Undersigned: the [`Store`] port of `undersigned-core`, on SQLite (the embedded
//! default: one file in the data directory) or on PostgreSQL (several server instances sharing
//! one database). [`open`] picks the backend from the database URL.
//!
//! Signers' addresses and the stored IP hashes are sealed under the data key on their way in and
//! opened on their way out (`sealed`): the domain types keep plain values, and a copy of the
//! database holds none.

pub mod backup;
mod error;
mod group_commit;
pub mod migrate;
mod owner_sealing;
mod postgres;
mod rows;
mod sealed;
mod sqlite;

use std::sync::Arc;

use undersigned_core::Store;
use undersigned_core::data_key::DataKey;

/// The names of the metrics the group commit keeps (see `docs/operating.md`, "Metrics").
pub use group_commit::names as metric_names;

/// Why a database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// The data key is missing, or is not the one the database's rows are sealed with (in the
    /// words of whoever chose the key, which knows where it looked).
    #[error("{0}")]
    DataKey(String),
    /// Migrations that lose data are pending, the database holds data, and nobody said it was
    /// backed up: nothing was changed.
    #[error("{}", lossy_refusal(.0))]
    Lossy(Vec<migrate::Lossy>),
    /// The database was migrated by a newer binary: versions it has that this one does not know.
    #[error(
        "the database was migrated by a newer version of Undersigned: it has migration {}, which this \
         version does not know (it knows migrations up to {known}). Downgrades are not supported: run the \
         newer version, or restore the backup taken before the upgrade. Nothing was changed",
        unknown.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    )]
    Newer { unknown: Vec<i64>, known: i64 },
}

fn lossy_refusal(lossy: &[migrate::Lossy]) -> String {
    let mut text =
        String::from("the database holds data, and this version's migrations would lose some of it:");
    for m in lossy {
        text.push_str(&format!("\n  migration {} ({}) {}", m.version, m.name, m.loses));
    }
    text.push_str("\nNothing was changed.");
    text
}

/// How opening a database may migrate it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Upgrade {
    /// The operator has backed the database up: migrations that lose data may run.
    pub backed_up: bool,
}

/// Opens the database a URL names, `sqlite://…` (created if missing) or `postgres://…`
/// (`postgresql://…`), and brings its tables up to date (the migrations this binary knows).
///
/// `data_key` chooses the data key, told the id of the key the database's rows are sealed with
/// (`None` for a database that has none yet, which then takes the key chosen): it loads it from
/// where it is kept (or makes it, for a new database), or says why it cannot. A key other than
/// the database's is refused.
///
/// Migrations that lose data are not run on a database that holds data ([`OpenError::Lossy`]):
/// see [`open_with`].
pub async fn open<K>(url: &str, data_key: K) -> Result<Arc<dyn Store>, OpenError>
where
    K: FnOnce(Option<&str>) -> Result<DataKey, String> + Send,
{
    open_with(url, None, data_key, Upgrade::default()).await
}

/// As [`open`], migrating as `upgrade` allows, and with a `replica` (a PostgreSQL hot standby of
/// the PostgreSQL database `url` names): the reads that may lag
/// (`undersigned_core::store::ReplicaStore`) go to the replica while it answers, and to the
/// database when it does not.
pub async fn open_with<K>(
    url: &str,
    replica: Option<&str>,
    data_key: K,
    upgrade: Upgrade,
) -> Result<Arc<dyn Store>, OpenError>
where
    K: FnOnce(Option<&str>) -> Result<DataKey, String> + Send,
{
    let postgres = |url: &str| url.starts_with("postgres://") || url.starts_with("postgresql://");
    if replica.is_some_and(|replica| !postgres(replica) || !postgres(url)) {
        // Not the URLs themselves: they may hold passwords.
        return Err(OpenError::Database(sqlx::Error::Configuration(
            "a database replica must be a PostgreSQL hot standby (postgres://) of a PostgreSQL database"
                .into(),
        )));
    }
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::connect(url, data_key, upgrade).await?))
    } else if postgres(url) {
        Ok(Arc::new(postgres::PostgresStore::connect(url, replica, data_key, upgrade).await?))
    } else {
        Err(bad_url(url))
    }
}

fn bad_url(url: &str) -> OpenError {
    OpenError::Database(sqlx::Error::Configuration(
        format!("the database URL must start with sqlite:// or postgres:// (it is {url})").into(),
    ))
}

/// Applies `migrations` (in their order) that the database at `url` lacks, as opening it would,
/// and nothing else: no data key, no store. For tests that build a database as an older version
/// left it (a prefix of [`migrate::MIGRATIONS`]), or that try a migration of their own.
pub async fn migrate(
    url: &str,
    migrations: &[migrate::Migration],
    upgrade: Upgrade,
) -> Result<(), OpenError> {
    if url.starts_with("sqlite:") {
        let pool = sqlite::SqliteStore::writer_pool(url).await?;
        migrate::run(&mut *pool.acquire().await?, migrate::Dialect::Sqlite, migrations, upgrade.backed_up)
            .await?;
        pool.close().await;
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(url).await?;
        migrate::run(&mut *pool.acquire().await?, migrate::Dialect::Postgres, migrations, upgrade.backed_up)
            .await?;
        pool.close().await;
    } else {
        return Err(bad_url(url));
    }
    Ok(())
}

/// A pool's use, for `/metrics`.
fn pool_use<DB: sqlx::Database>(pool: &'static str, of: &sqlx::Pool<DB>) -> undersigned_core::store::PoolUse {
    undersigned_core::store::PoolUse {
        pool,
        size: of.size(),
        idle: u32::try_from(of.num_idle()).unwrap_or(u32::MAX),
        max: of.options().get_max_connections(),
    }
}
