//! What a store answers when a use case cannot be done: `Clone`, so that one failure can
//! answer a whole group-commit batch.

#[derive(Clone, Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique value taken already (an account's address).
    #[error("already exists: {0}")]
    Conflict(String),
    /// The database answered with an error.
    #[error("database error: {0}")]
    Database(String),
    /// The database cannot be reached (restarting, network down, no free connection in time).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Stored data that does not parse back into domain types (a bug or a hand edit).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;
