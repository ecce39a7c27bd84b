//! A database error, as the port tells it: the mapping both dialects share, each naming which of
//! its own errors mean that the database is unavailable for the moment (`dialect::unavailable`).

use undersigned_core::store::StoreError;

/// A database error, as the port tells it, given the dialect's test for "unavailable".
pub(crate) fn db(e: sqlx::Error, unavailable: fn(&sqlx::Error) -> bool) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => {
            StoreError::Unavailable(e.to_string())
        }
        e if unavailable(&e) => StoreError::Unavailable(e.to_string()),
        e => StoreError::Database(e.to_string()),
    }
}
