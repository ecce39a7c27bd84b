//! A hot standby in front of the primary, for the reads that may lag (`ReplicaStore`): its pool,
//! and when to ask it. A read goes to the standby while it answers; when it fails (down, cut off,
//! slow, in error) that read and the next ones go to the primary, the failure is logged once, and
//! after [`RETRY`] one read tries the standby again, which is logged once too when it answers.
//!
//! Generic over the store it wraps (`S`: the PostgreSQL store, on the standby's pool), so that
//! this module needs nothing of `store`, which holds it.

use std::fmt::Display;
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use undersigned_core::store::StoreResult;

/// How long after a failure the standby is tried again. Reads meanwhile cost the primary what
/// they cost without a standby.
pub(super) const RETRY: Duration = Duration::from_secs(5);

/// The longest a read waits for the standby before it asks the primary (a list takes
/// milliseconds: a standby this slow is failing). Also the standby's `statement_timeout`.
const WAIT: Duration = Duration::from_secs(2);

/// How long a read waits for a connection to the standby (a standby that refuses connections
/// costs a read this much, once every [`RETRY`]).
const CONNECT_WAIT: Duration = Duration::from_secs(1);

/// The standby's pool: connected on first use (the server starts while its standby is down),
/// read-only, each statement cut off after [`WAIT`].
pub(super) fn pool(url: &str) -> Result<PgPool, sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?.options([
        ("default_transaction_read_only", "on".to_owned()),
        ("statement_timeout", WAIT.as_millis().to_string()),
    ]);
    Ok(PgPoolOptions::new().max_connections(16).acquire_timeout(CONNECT_WAIT).connect_lazy_with(options))
}

pub(super) struct Standby<S> {
    /// The store reading from the standby.
    store: S,
    /// When reads last turned to the primary (at a failure, or when a read tried the standby
    /// again); `None` while the standby serves.
    failed_at: Mutex<Option<Instant>>,
}

impl<S> Standby<S> {
    pub(super) fn new(store: S) -> Self {
        Self { store, failed_at: Mutex::new(None) }
    }

    /// Runs `read` on the standby's store if it is the standby's turn, else (or if it fails) on
    /// `primary`.
    pub(super) async fn read<'a, T, F, R>(&'a self, primary: &'a S, read: F) -> StoreResult<T>
    where
        F: Fn(&'a S) -> R,
        R: Future<Output = StoreResult<T>>,
    {
        if let Some(started) = self.turn() {
            match tokio::time::timeout(WAIT, read(&self.store)).await {
                Ok(Ok(answer)) => {
                    self.answered(started);
                    return Ok(answer);
                }
                Ok(Err(e)) => self.failed(&e),
                Err(_) => self.failed(&format_args!("no answer within {} s", WAIT.as_secs())),
            }
        }
        read(primary).await
    }

    /// Whether this read goes to the standby (when it started): while it serves, or, RETRY
    /// after it failed, for one read (the others go on to the primary meanwhile).
    fn turn(&self) -> Option<Instant> {
        let mut failed_at = self.failed_at.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        match *failed_at {
            None => Some(now),
            Some(at) if now.duration_since(at) >= RETRY => {
                *failed_at = Some(now);
                Some(now)
            }
            Some(_) => None,
        }
    }

    fn failed(&self, error: &dyn Display) {
        let mut failed_at = self.failed_at.lock().unwrap_or_else(PoisonError::into_inner);
        if failed_at.is_none() {
            tracing::warn!(
                error = %error,
                "the database replica failed: the public lists are read from the primary, and the replica \
                 is tried again every {} s",
                RETRY.as_secs()
            );
        } else {
            tracing::debug!(error = %error, "the database replica still fails");
        }
        *failed_at = Some(Instant::now());
    }

    /// A read that started at `started` was answered: if it was the one trying the standby again
    /// (a read started before the failure says nothing of the standby since), it serves again.
    fn answered(&self, started: Instant) {
        let mut failed_at = self.failed_at.lock().unwrap_or_else(PoisonError::into_inner);
        if failed_at.is_some_and(|at| started >= at) {
            *failed_at = None;
            tracing::info!("the database replica answers again: the public lists are read from it");
        }
    }
}
