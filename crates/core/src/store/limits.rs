//! The rate limits' counts shared by every server instance on one database (issue 17): each
//! instance counts in memory and adds what it counted here, reading back the totals of every
//! instance. What a limit allows, and when it asks, is the web layer's (`undersigned_web::rate_limit`).

use async_trait::async_trait;

use super::error::StoreResult;
use crate::keys::ShortKey;

/// Requests counted against one limit, for one key, in one window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hits {
    /// The limit's name ("sign", "login-ip", ...).
    pub kind: &'static str,
    /// A keyed hash of what is limited (an address's, an account's): never the thing itself.
    pub key: ShortKey,
    /// When the window ends, in seconds since 1970.
    pub ends_at: i64,
    /// How many to add.
    pub count: i64,
}

#[async_trait]
pub trait LimitStore: Send + Sync {
    /// Whether several server instances may share this database (PostgreSQL), so that rate
    /// limits must be counted in it; on a database of one instance (SQLite) they are counted in
    /// memory and the methods below are not needed (they work all the same).
    fn shares_limits(&self) -> bool;

    /// Adds the counts (in one statement where the database can) and gives each one's total over
    /// every instance after the addition, in the order given. Each (kind, key, window) is given
    /// once.
    async fn add_hits(&self, hits: &[Hits]) -> StoreResult<Vec<i64>>;

    /// Forgets the windows that ended before `now` (seconds since 1970): how many.
    async fn forget_hits(&self, now: i64) -> StoreResult<u64>;
}
