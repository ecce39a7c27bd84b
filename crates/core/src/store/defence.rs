//! Bot defence: the "under attack" mode, proof-of-work solutions taken, block lists, the signing
//! tallies behind the automatic switch and the trending alert, and the alerts' mails. Times are
//! whole seconds, minutes or hours since 1970.

use async_trait::async_trait;

use super::error::StoreResult;
use crate::defence::{BlockKind, Pace, Tally, Trend, TrendAlert, UnderAttack};

#[async_trait]
pub trait DefenceStore: Send + Sync {
    /// The scopes (campaigns' ids, [`crate::defence::SITE`]) that have the mode on.
    async fn under_attack(&self) -> StoreResult<Vec<UnderAttack>>;

    /// Turns the mode on (`Some`, replacing what was there) or off for a scope.
    async fn set_under_attack(&self, scope: i64, mode: Option<&UnderAttack>) -> StoreResult<()>;

    /// Takes a proof-of-work solution (its challenge's hash) once: false when any instance took
    /// it before. Forgets those expired before `now`.
    async fn spend_solution(&self, challenge: &[u8], expires_at: i64, now: i64) -> StoreResult<bool>;

    /// Every block list: (scope, kind, entry).
    async fn block_lists(&self) -> StoreResult<Vec<(i64, BlockKind, String)>>;

    /// Replaces a scope's list of a kind.
    async fn set_block_list(&self, scope: i64, kind: BlockKind, entries: &[String]) -> StoreResult<()>;

    /// Adds an instance's tallies, and forgets those older than `keep_from` (a minute).
    async fn add_tallies(&self, tallies: &[Tally], keep_from: i64) -> StoreResult<()>;

    /// A campaign's signatures and distinct IP hashes in the minutes from `from` on.
    async fn pace(&self, campaign: i64, from: i64) -> StoreResult<Pace>;

    /// A campaign's keys of `kind` ("ip", "domain") among `keys` with at least `at_least`
    /// signatures in the minutes from `from` on, with their counts.
    async fn busy_keys(
        &self,
        campaign: i64,
        kind: &str,
        keys: &[String],
        from: i64,
        at_least: i64,
    ) -> StoreResult<Vec<(String, i64)>>;

    /// Counts one signature without a proof of work in a campaign's minute: the count with it.
    async fn take_unsolved(&self, campaign: i64, minute: i64) -> StoreResult<i64>;

    /// Records a trending key for its hour (once; its count raised after), and when `notify`,
    /// queues its mail to each of the campaign's owners and moderators, once.
    async fn record_trend(&self, trend: &Trend, notify: bool, now: time::OffsetDateTime) -> StoreResult<()>;

    /// A campaign's alerts from the hour `from` on, the latest first.
    async fn trend_alerts(&self, campaign: i64, from: i64) -> StoreResult<Vec<TrendAlert>>;

    /// An alert's mail (the outbox's `ref_id`): the alert and the organiser it goes to.
    async fn trend_alert_mail(&self, id: i64) -> StoreResult<Option<(TrendAlert, i64)>>;
}
