//! The rate limits that must hold across every instance behind a load balancer (issue 17):
//! signatures and endorsements per address, signatures without a proof of work per address, and
//! login attempts. Before, each instance kept its own limiter in memory, so that three instances
//! let a client through three times.
//!
//! One rule, here, for both databases: a limit is so many per key (a keyed hash of an address, an
//! account, or both) in a fixed window of time (the clock's hour, UTC), and `Retry-After` is the
//! time to the window's end. On SQLite (one instance by design) the counts are kept in memory
//! only, as before. On PostgreSQL each instance counts in memory too, and adds what it counted to
//! the database every second in one statement ([`Limits::flush`], from the upkeep), reading back
//! the totals of every instance; a request is checked against the total last read plus what this
//! instance has not yet added. So that no instance can let much through on a total it read a
//! while ago, an instance takes at most [`Limit::unasked`] requests of a key before it asks
//! the database: the next request of that key adds the unadded ones and itself in one statement and
//! is answered by the new total (signing: one; logins: none, every attempt asks, as they are
//! rare). A crowd of people, each from their own address, so costs no round trip; a client
//! sending many from one address costs one per request beyond the first each second, up to the
//! limit, and none once the total read says the window is full.
//!
//! The bound (docs/operating.md): with N instances, a key gets at most `limit + (N - 1)` in one
//! window (`unasked` = 1; `limit + N × unasked - 1` for more, exactly `limit` for none). Each
//! instance adds one key's counts one addition at a time (a flush or a request asking; the key's
//! other requests wait for its answer), so the answer to a request that asks counts everything taken anywhere except what
//! the other instances took without asking and have not added yet: `unasked` each at most. Once
//! the counts added reach the limit, every instance's next answer says so, and until then it takes
//! no more than `unasked` without asking.
//!
//! Why one implementation over the store rather than two limiters: the window, the counting and
//! `Retry-After` are the same on both databases, and the in-memory half is the whole of it on
//! SQLite; only the asking differs, by [`undersigned_core::store::LimitStore::shares_limits`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;
use undersigned_core::Store;
use undersigned_core::keys::{Keys, ShortKey};
use undersigned_core::store::{Hits, StoreResult, now};

/// One limit: how many per key in a window.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// Its name in the shared counts ("sign", ...).
    pub kind: &'static str,
    /// How many a key may make in one window; 0: no limit.
    pub per_window: u32,
    /// The window's length in seconds; windows start at multiples of it since 1970 (UTC).
    pub window: i64,
    /// How many requests of one key an instance takes without asking the database, between two
    /// additions (when several instances share it): what each other instance may let through
    /// beyond the limit at most.
    pub unasked: i64,
}

impl Limit {
    pub const HOUR: i64 = 3600;

    /// Signatures and endorsements from one address (`--sign-rate-limit`); also manage-link
    /// requests, comments and proposals.
    pub const fn sign(per_hour: u32) -> Self {
        Self { kind: "sign", per_window: per_hour, window: Self::HOUR, unasked: 1 }
    }

    /// Signatures without a proof of work from one address, in the mode (`--unsolved-per-ip-hour`).
    pub const fn unsolved(per_hour: u32) -> Self {
        Self { kind: "unsolved", per_window: per_hour, window: Self::HOUR, unasked: 1 }
    }

    /// Login attempts per network (and password-reset requests).
    pub const LOGIN_IP: Self = Self::login("login-ip", 30);
    /// Login attempts on one account from one network.
    pub const LOGIN_ACCOUNT_IP: Self = Self::login("login-account-ip", 10);
    /// Login attempts on one account from everywhere.
    pub const LOGIN_ACCOUNT: Self = Self::login("login-account", 100);

    const fn login(kind: &'static str, per_hour: u32) -> Self {
        Self { kind, per_window: per_hour, window: Self::HOUR, unasked: 0 }
    }
}

/// What this instance knows of one key's window.
#[derive(Default)]
struct Count {
    /// The total over every instance, as last read from the database.
    known: i64,
    /// Taken here and not yet added to the database.
    unadded: i64,
    /// Taken here and being added now (by a flush, or by a request asking).
    adding: i64,
    /// Whether a flush or a request is adding this key's counts now: the key's next request
    /// waits for its answer. One addition at a time per key and instance is what keeps the bound:
    /// a request's answer then counts everything this instance took of the key.
    busy: bool,
    /// The limit's `per_window`.
    limit: i64,
}

impl Count {
    fn seen(&self) -> i64 {
        self.known + self.unadded + self.adding
    }

    /// Whether the database holds all this instance knows of the key (then, if the window still
    /// has room, it may be forgotten here: read again when next asked, and meanwhile no more than
    /// [`Limit::unasked`] taken on the total it forgot, which the bound allows for).
    fn settled(&self) -> bool {
        self.unadded == 0 && self.adding == 0 && !self.busy && self.known < self.limit
    }
}

/// (limit, the key as counted, the window's end).
type Id = (&'static str, ShortKey, i64);

/// The counts of every limit, for one instance.
pub struct Limits {
    store: Arc<dyn Store>,
    keys: Arc<Keys>,
    /// Whether other instances share the database: then counts are added to it and read back.
    shared: bool,
    counts: Mutex<HashMap<Id, Count>>,
    /// Told whenever an addition is answered (a key is no longer busy).
    answered: Notify,
    /// One flush at a time.
    flushing: tokio::sync::Mutex<()>,
}

impl Limits {
    pub fn new(store: Arc<dyn Store>, keys: Arc<Keys>) -> Self {
        let shared = store.shares_limits();
        Self {
            store,
            keys,
            shared,
            counts: Mutex::default(),
            answered: Notify::new(),
            flushing: tokio::sync::Mutex::new(()),
        }
    }

    fn counts(&self) -> std::sync::MutexGuard<'_, HashMap<Id, Count>> {
        self.counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts one request of `key` (the parts that make it: an address's keyed hash, an
    /// account's, ...) against `limit` if there is room: `None`, or the seconds until the window
    /// ends, when there is none.
    pub async fn take(&self, limit: &Limit, key: &[&[u8]]) -> StoreResult<Option<u64>> {
        if limit.per_window == 0 {
            return Ok(None);
        }
        let now = now().unix_timestamp();
        let ends_at = (now.div_euclid(limit.window) + 1) * limit.window;
        let wait = (ends_at - now).max(1) as u64;
        let id = (limit.kind, self.keys.limit_key(limit.kind, ends_at, key), ends_at);
        let per_window = i64::from(limit.per_window);
        let unadded = loop {
            let answered = {
                let mut counts = self.counts();
                let count = counts.entry(id).or_default();
                count.limit = per_window;
                if count.seen() >= per_window {
                    return Ok(Some(wait));
                }
                if !count.busy {
                    if !self.shared || count.unadded < limit.unasked {
                        count.unadded += 1;
                        return Ok(None);
                    }
                    count.busy = true;
                    let unadded = std::mem::take(&mut count.unadded);
                    count.adding += unadded;
                    break unadded;
                }
                // Made before the lock is let go: it is told of an answer from then on.
                self.answered.notified()
            };
            answered.await;
        };
        // Ask: this request and those taken here before it, added in one statement. Should the
        // request be dropped meanwhile (its client gone), `asking` puts the counts back.
        let mut asking = Asking { limits: self, id, unadded, total: None };
        let hits = [Hits { kind: id.0, key: id.1, ends_at, count: unadded + 1 }];
        let total = match self.store.add_hits(&hits).await?.first() {
            Some(total) => *total,
            None => {
                return Err(undersigned_core::store::StoreError::Database(
                    "no total for a rate limit".into(),
                ));
            }
        };
        asking.total = Some(total);
        drop(asking);
        // Over the limit: refused, and counted all the same (the key has no room left in this
        // window either way).
        Ok((total > per_window).then_some(wait))
    }

    /// Adds what this instance counted to the shared counts and reads back their totals (every
    /// second, from the upkeep; on SQLite, where there is nothing to add, it only forgets), and
    /// forgets the windows that ended.
    pub async fn flush(&self) -> StoreResult<()> {
        let _one = self.flushing.lock().await;
        let now = now().unix_timestamp();
        let hits: Vec<Hits> = {
            let mut counts = self.counts();
            counts.retain(|(_, _, ends_at), count| *ends_at > now || count.busy);
            if !self.shared {
                return Ok(());
            }
            counts
                .iter_mut()
                .filter(|(_, count)| count.unadded > 0 && !count.busy)
                .map(|(&(kind, key, ends_at), count)| {
                    let n = std::mem::take(&mut count.unadded);
                    count.adding += n;
                    count.busy = true;
                    Hits { kind, key, ends_at, count: n }
                })
                .collect()
        };
        if hits.is_empty() {
            return Ok(());
        }
        let added = self.store.add_hits(&hits).await;
        {
            let mut counts = self.counts();
            let totals = match &added {
                Ok(totals) if totals.len() == hits.len() => Some(totals),
                _ => None,
            };
            for (i, hit) in hits.iter().enumerate() {
                let count = counts.entry((hit.kind, hit.key, hit.ends_at)).or_default();
                count.adding -= hit.count;
                count.busy = false;
                match totals {
                    Some(totals) => count.known = count.known.max(totals[i]),
                    // Added again at the next flush.
                    None => count.unadded += hit.count,
                }
            }
            // What the database holds need not be kept here too: only the keys with counts of
            // their own, and those whose window is full (refused here without asking), so that a
            // crowd of addresses signing once each takes no memory beyond the second.
            counts.retain(|_, count| !count.settled());
        }
        self.answered.notify_waiters();
        added.map(|_| ())
    }

    /// The keys counted here now, for the tests of memory.
    pub fn len(&self) -> usize {
        self.counts().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A request asking the database: until it is answered, its key is busy and its counts are being
/// added; dropped unanswered (an error, or the request given up), the counts go back to be added
/// by the next flush.
struct Asking<'a> {
    limits: &'a Limits,
    id: Id,
    unadded: i64,
    /// The total answered.
    total: Option<i64>,
}

impl Drop for Asking<'_> {
    fn drop(&mut self) {
        {
            let mut counts = self.limits.counts();
            let count = counts.entry(self.id).or_default();
            count.adding -= self.unadded;
            count.busy = false;
            match self.total {
                Some(total) => count.known = count.known.max(total),
                None => count.unadded += self.unadded,
            }
        }
        self.limits.answered.notify_waiters();
    }
}

impl Limits {
    /// Counts a login attempt on `account` from the network `ip` against the three login limits,
    /// in order, each only if the one before had room (so that attempts refused for one network
    /// do not use up the account's limit for everyone): `None`, or the seconds to wait.
    ///
    /// Per account from one network (against guessing one password), per account from everywhere
    /// (looser, against guessing from many networks), and per network (against trying many
    /// accounts). Failures from elsewhere so do not lock the real organiser out: only as many
    /// networks as `LOGIN_ACCOUNT / LOGIN_ACCOUNT_IP` could.
    pub async fn login(&self, account: &ShortKey, ip: Option<&ShortKey>) -> StoreResult<Option<u64>> {
        if let Some(ip) = ip
            && let Some(wait) = self.take(&Limit::LOGIN_IP, &[ip]).await?
        {
            return Ok(Some(wait));
        }
        let network: &[u8] = ip.map_or(&[], |ip| &ip[..]);
        if let Some(wait) = self.take(&Limit::LOGIN_ACCOUNT_IP, &[account, network]).await? {
            return Ok(Some(wait));
        }
        self.take(&Limit::LOGIN_ACCOUNT, &[account]).await
    }
}
