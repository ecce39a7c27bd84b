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
//! The bound (docs/operating.md): with N instances, a key gets at most `limit + (N - 1) ×
//! unasked` in one window. A request is taken either on the database's answer (the total then
//! holds every request taken anywhere, except what each other instance took without asking and
//! has not added yet: at most `unasked` each), or without asking, at most `unasked` at a time
//! per instance, on a total that said there was room.
//!
//! Why one implementation over the store rather than two limiters: the window, the counting and
//! `Retry-After` are the same on both databases, and the in-memory half is the whole of it on
//! SQLite; only the asking differs, by [`undersigned_core::store::LimitStore::shares_limits`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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
}

impl Count {
    fn seen(&self) -> i64 {
        self.known + self.unadded + self.adding
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
    /// One flush at a time.
    flushing: tokio::sync::Mutex<()>,
}

impl Limits {
    pub fn new(store: Arc<dyn Store>, keys: Arc<Keys>) -> Self {
        let shared = store.shares_limits();
        Self { store, keys, shared, counts: Mutex::default(), flushing: tokio::sync::Mutex::new(()) }
    }

    fn counts(&self) -> std::sync::MutexGuard<'_, HashMap<Id, Count>> {
        self.counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts one request of `key` (the parts that make it: an address's keyed hash, an
    /// account's, ...) against `limit` if there is room: `None`, or the seconds until the window
    /// ends, when there is none (the request is then not counted).
    pub async fn take(&self, limit: &Limit, key: &[&[u8]]) -> StoreResult<Option<u64>> {
        if limit.per_window == 0 {
            return Ok(None);
        }
        let now = now().unix_timestamp();
        let ends_at = (now.div_euclid(limit.window) + 1) * limit.window;
        let wait = (ends_at - now).max(1) as u64;
        let id = (limit.kind, self.keys.limit_key(limit.kind, ends_at, key), ends_at);
        let per_window = i64::from(limit.per_window);
        let unadded = {
            let mut counts = self.counts();
            let count = counts.entry(id).or_default();
            if count.seen() >= per_window {
                return Ok(Some(wait));
            }
            if !self.shared || count.unadded + count.adding < limit.unasked {
                count.unadded += 1;
                return Ok(None);
            }
            let unadded = std::mem::take(&mut count.unadded);
            count.adding += unadded;
            unadded
        };
        // Ask: this request and those taken here before it, added in one statement.
        let hits = [Hits { kind: id.0, key: id.1, ends_at, count: unadded + 1 }];
        let added = self.store.add_hits(&hits).await;
        let mut counts = self.counts();
        let count = counts.entry(id).or_default();
        count.adding -= unadded;
        match added.map(|totals| totals.first().copied()) {
            Ok(Some(total)) => {
                count.known = count.known.max(total);
                // Over the limit: refused, and counted all the same (the key has no room left in
                // this window either way).
                Ok((total > per_window).then_some(wait))
            }
            Ok(None) => {
                count.unadded += unadded;
                Err(undersigned_core::store::StoreError::Database("no total for a rate limit".into()))
            }
            Err(error) => {
                count.unadded += unadded;
                Err(error)
            }
        }
    }

    /// Adds what this instance counted to the shared counts and reads back their totals (every
    /// second, from the upkeep; at once on SQLite, where there is nothing to add), and forgets
    /// the windows that ended.
    pub async fn flush(&self) -> StoreResult<()> {
        let _one = self.flushing.lock().await;
        let now = now().unix_timestamp();
        let hits: Vec<Hits> = {
            let mut counts = self.counts();
            counts.retain(|(_, _, ends_at), count| *ends_at > now || count.adding > 0);
            if !self.shared {
                return Ok(());
            }
            counts
                .iter_mut()
                .filter(|(_, count)| count.unadded > 0)
                .map(|(&(kind, key, ends_at), count)| {
                    let n = std::mem::take(&mut count.unadded);
                    count.adding += n;
                    Hits { kind, key, ends_at, count: n }
                })
                .collect()
        };
        if hits.is_empty() {
            return Ok(());
        }
        let added = self.store.add_hits(&hits).await;
        let mut counts = self.counts();
        let totals = match &added {
            Ok(totals) if totals.len() == hits.len() => Some(totals),
            _ => None,
        };
        for (i, hit) in hits.iter().enumerate() {
            let count = counts.entry((hit.kind, hit.key, hit.ends_at)).or_default();
            count.adding -= hit.count;
            match totals {
                Some(totals) => count.known = count.known.max(totals[i]),
                // Added again at the next flush.
                None => count.unadded += hit.count,
            }
        }
        added.map(|_| ())
    }

    /// The keys counted here now, for the upkeep's log and the tests of memory.
    pub fn len(&self) -> usize {
        self.counts().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
