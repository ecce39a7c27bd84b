//! The storage of Undersigned: the [`Store`] port of `undersigned-core`, on SQLite (the embedded
//! default: one file in the data directory) or on PostgreSQL (several server instances sharing
//! one database). [`open`] picks the backend from the database URL.
//!
//! Signers' addresses and the stored IP hashes are sealed under the data key on their way in and
//! opened on their way out (`sealed`): the domain types keep plain values, and a copy of the
//! database holds none.

mod error;
mod group_commit;
mod migrate;
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
}

/// Opens the database a URL names, `sqlite://…` (created if missing) or `postgres://…`
/// (`postgresql://…`), and brings its tables up to date (the migrations this binary knows).
///
/// `data_key` chooses the data key, told the id of the key the database's rows are sealed with
/// (`None` for a database that has none yet, which then takes the key chosen): it loads it from
/// where it is kept (or makes it, for a new database), or says why it cannot. A key other than
/// the database's is refused.
pub async fn open<K>(url: &str, data_key: K) -> Result<Arc<dyn Store>, OpenError>
where
    K: FnOnce(Option<&str>) -> Result<DataKey, String> + Send,
{
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::connect(url, data_key).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PostgresStore::connect(url, data_key).await?))
    } else {
        Err(OpenError::Database(sqlx::Error::Configuration(
            format!("the database URL must start with sqlite:// or postgres:// (it is {url})").into(),
        )))
    }
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
