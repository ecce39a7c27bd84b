//! The storage of Undersigned: the [`Store`] port of `undersigned-core`, on SQLite (the embedded
//! default: one file in the data directory) or on PostgreSQL (several server instances sharing
//! one database). [`open`] picks the backend from the database URL.

mod error;
mod group_commit;
mod migrate;
mod postgres;
mod rows;
mod sqlite;

use std::sync::Arc;

use undersigned_core::Store;

/// Opens the database a URL names, `sqlite://…` (created if missing) or `postgres://…`
/// (`postgresql://…`), and brings its tables up to date (the migrations this binary knows).
pub async fn open(url: &str) -> Result<Arc<dyn Store>, sqlx::Error> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::connect(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PostgresStore::connect(url).await?))
    } else {
        Err(sqlx::Error::Configuration(
            format!("the database URL must start with sqlite:// or postgres:// (it is {url})").into(),
        ))
    }
}
