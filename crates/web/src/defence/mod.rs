//! Bots stopped without a third party (issue 14): what the sign form passes besides
//! [`crate::limits`].
//!
//! - The "under attack" mode, per campaign or site-wide, kept in the database so that every
//!   instance agrees; each instance reads it (and the block lists) at most every
//!   [`Defence::FRESH`], and at once after its own change. In the mode a signature needs a proof
//!   of work ([`altcha`]) solved in the browser by our own script (`static/altcha.js`), which
//!   fetches its challenge from `/c/{slug}/challenge` (the campaign page is the same bytes for
//!   everyone, so it cannot carry one). Without one (no JavaScript) it is taken within a stricter
//!   limit: per IP address an hour and per campaign a minute (both shared by the instances).
//! - Block lists of email domains, IP ranges (checked against the request's address, in memory;
//!   nothing about the signer is kept) and IP hashes. A blocked signature is answered as any other
//!   ("check your email") and dropped: nothing is stored or mailed, so a bot learns nothing.
//! - OSDI's record signature helper: without a token, held to all of it as the sign form is (in
//!   the mode, as a browser without JavaScript: the stricter limit); with an organiser's token,
//!   to the block lists only, refused with a word ([`block_of`]).
//! - The automatic switch and the trending alert ([`watch`]), from tallies each instance adds to
//!   the database.

pub mod altcha;
pub mod assets;
mod watch;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use fluent_bundle::FluentArgs;
use undersigned_core::defence::{BlockKind, IpRange, SITE, UnderAttack, domain_blocked};
use undersigned_core::keys::ShortKey;
use undersigned_core::store::{StoreResult, now};
use undersigned_core::{Campaign, Store};

use crate::render::campaign::public_campaign;
use crate::{AppError, AppState, Visitor};

/// The settings (each an option of the server, documented in docs/operating.md).
#[derive(Clone, Debug)]
pub struct DefenceConfig {
    /// The proof of work's `maxnumber`: the browser tries half of it on average.
    pub pow_max_number: u64,
    /// How long a challenge may be solved and sent, in minutes.
    pub pow_minutes: i64,
    /// Signatures without a proof of work taken from one IP address per hour, in the mode.
    pub unsolved_per_ip_hour: u32,
    /// Signatures without a proof of work taken per campaign per minute, in the mode.
    pub unsolved_per_campaign_minute: i64,
    /// The automatic switch: signatures in the current and the previous minute (0: no switch)...
    pub auto_signatures: i64,
    /// ...from at least this many IP hashes.
    pub auto_distinct_ips: i64,
    /// Minutes below the switch's rate before the automatic mode goes off.
    pub quiet_minutes: i64,
    /// Signatures in an hour from one email domain or IP hash that are logged and shown...
    pub trend_log: i64,
    /// ...and that are mailed to the organisers (once an hour per domain or hash).
    pub trend_notify: i64,
    /// How often an instance adds its tallies to the database (zero: after each signature).
    pub tally_every: Duration,
}

impl Default for DefenceConfig {
    fn default() -> Self {
        Self {
            pow_max_number: 500_000,
            pow_minutes: 20,
            unsolved_per_ip_hour: 3,
            unsolved_per_campaign_minute: 20,
            auto_signatures: 600,
            auto_distinct_ips: 50,
            quiet_minutes: 30,
            trend_log: 100,
            trend_notify: 200,
            tally_every: Duration::from_secs(5),
        }
    }
}

/// The modes and block lists as last read.
#[derive(Default)]
pub struct Snapshot {
    modes: HashMap<i64, UnderAttack>,
    domains: HashMap<i64, Vec<String>>,
    ranges: HashMap<i64, Vec<IpRange>>,
    hashes: HashMap<i64, Vec<String>>,
}

impl Snapshot {
    /// The mode that holds for a campaign: its own, else the site's.
    pub fn under_attack(&self, campaign: i64) -> Option<&UnderAttack> {
        self.modes.get(&campaign).or_else(|| self.modes.get(&SITE))
    }

    pub fn mode_of(&self, scope: i64) -> Option<&UnderAttack> {
        self.modes.get(&scope)
    }

    fn blocks(
        &self,
        campaign: i64,
        domain: &str,
        ip: Option<IpAddr>,
        ip_key: Option<&ShortKey>,
    ) -> Option<BlockKind> {
        let scopes = [campaign, SITE];
        fn list(map: &HashMap<i64, Vec<String>>, scopes: [i64; 2]) -> impl Iterator<Item = &String> {
            scopes.into_iter().flat_map(move |s| map.get(&s)).flatten()
        }
        if list(&self.domains, scopes).any(|b| domain_blocked(domain, b)) {
            return Some(BlockKind::Domain);
        }
        if let Some(ip) = ip
            && scopes.iter().flat_map(|s| self.ranges.get(s)).flatten().any(|r| r.contains(ip))
        {
            return Some(BlockKind::IpRange);
        }
        // Written out only where a list of hashes is there to compare it with.
        let mut hashes = list(&self.hashes, scopes).peekable();
        match ip_key {
            Some(key) if hashes.peek().is_some() => {
                let hash = hex::encode(key);
                hashes.any(|b| *b == hash).then_some(BlockKind::IpHash)
            }
            _ => None,
        }
    }
}

/// What an instance keeps of the defence: the last snapshot and its tallies not yet added to the
/// database.
pub struct Defence {
    pub config: DefenceConfig,
    snapshot: RwLock<Option<(Instant, Arc<Snapshot>)>>,
    reading: tokio::sync::Mutex<()>,
    watch: watch::Watch,
}

impl Defence {
    /// How long a snapshot is trusted: another instance's change is seen this much later.
    pub const FRESH: Duration = Duration::from_secs(2);

    pub fn new(config: DefenceConfig) -> Self {
        Self {
            config,
            snapshot: RwLock::default(),
            reading: tokio::sync::Mutex::new(()),
            watch: watch::Watch::default(),
        }
    }

    /// Forgets the snapshot, after a change made here.
    pub fn changed(&self) {
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn fresh(&self) -> Option<Arc<Snapshot>> {
        let kept = self.snapshot.read().unwrap_or_else(|e| e.into_inner());
        kept.as_ref().filter(|(at, _)| at.elapsed() < Self::FRESH).map(|(_, s)| s.clone())
    }

    /// The modes and lists, read again when older than [`Self::FRESH`]; an automatic mode quiet
    /// for the quiet period is turned off on the way.
    pub async fn snapshot(&self, store: &dyn Store) -> StoreResult<Arc<Snapshot>> {
        if let Some(snapshot) = self.fresh() {
            return Ok(snapshot);
        }
        let _one = self.reading.lock().await;
        if let Some(snapshot) = self.fresh() {
            return Ok(snapshot);
        }
        let mut snapshot = Snapshot::default();
        let quiet = now().unix_timestamp() - self.config.quiet_minutes * 60;
        for mode in store.under_attack().await? {
            if watch::quiet(store, &mode, quiet).await? {
                continue;
            }
            snapshot.modes.insert(mode.scope, mode);
        }
        for (scope, kind, value) in store.block_lists().await? {
            match kind {
                BlockKind::Domain => snapshot.domains.entry(scope).or_default().push(value),
                BlockKind::IpHash => snapshot.hashes.entry(scope).or_default().push(value),
                BlockKind::IpRange => {
                    if let Ok(range) = IpRange::parse(&value) {
                        snapshot.ranges.entry(scope).or_default().push(range);
                    }
                }
            }
        }
        let snapshot = Arc::new(snapshot);
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), snapshot.clone()));
        Ok(snapshot)
    }
}

/// Why the sign form is refused by the defence: the status, the message above the form, and when
/// to come back.
pub struct Refused {
    pub status: StatusCode,
    pub message: String,
    pub retry_after: Option<u64>,
}

/// The sign form's check in the mode: a proof of work that verifies and was not used before, or,
/// without one, room within the stricter limits. `None`: the signature may go on.
pub async fn admit(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    solution: &str,
) -> Result<Option<Refused>, AppError> {
    let defence = &state.defence;
    if defence.snapshot(&*state.store).await?.under_attack(campaign.id).is_none() {
        return Ok(None);
    }
    let t = |key: &str, args: Option<&FluentArgs>| state.pages.i18n.t(&visitor.ui, key, args);
    let refuse = |key: &str| Refused {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        message: t(key, None),
        retry_after: None,
    };
    let now = now().unix_timestamp();
    if !solution.trim().is_empty() {
        return match altcha::verify(&state.keys.pow_key(), solution, now) {
            Err(altcha::Unverified::Wrong) => Ok(Some(refuse("sign-error-pow-wrong"))),
            Err(altcha::Unverified::Forged) => Ok(Some(refuse("sign-error-pow-forged"))),
            Err(altcha::Unverified::Expired) => Ok(Some(refuse("sign-error-pow-expired"))),
            Ok(verified) => match state.store.spend_solution(&verified.spent, verified.expires, now).await? {
                true => Ok(None),
                false => Ok(Some(refuse("sign-error-pow-replayed"))),
            },
        };
    }
    // Without a proof: the address's hour (shared by the instances), then the campaign's minute.
    let wait = match visitor.ip_key(&state.keys) {
        Some(ip) => {
            let limit = crate::rate_limit::Limit::unsolved(defence.config.unsolved_per_ip_hour);
            state.limits.take(&limit, &[&ip]).await?
        }
        None => None,
    };
    let wait = match wait {
        Some(wait) => Some(wait),
        None => {
            let minute = now.div_euclid(60);
            let taken = state.store.take_unsolved(campaign.id, minute).await?;
            (taken > defence.config.unsolved_per_campaign_minute).then(|| (60 - now.rem_euclid(60)) as u64)
        }
    };
    Ok(wait.map(|seconds| {
        let mut args = FluentArgs::new();
        args.set("minutes", seconds.div_ceil(60).max(1));
        Refused {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: t("sign-error-unsolved", Some(&args)),
            retry_after: Some(seconds),
        }
    }))
}

/// The domain of an address, as block lists and tallies name it.
pub fn email_domain(email: &undersigned_core::Email) -> String {
    domain_of_canonical(&email.canonical()).to_owned()
}

/// The domain of an address already made canonical (`Email::canonical`).
pub fn domain_of_canonical(canonical: &str) -> &str {
    canonical.rsplit_once('@').map(|(_, d)| d).unwrap_or_default()
}

/// Whether a block list of the campaign or the site names the signer's domain, address or IP hash.
pub async fn blocked(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    domain: &str,
    ip_key: Option<&ShortKey>,
) -> StoreResult<bool> {
    let blocked = block_of(state, visitor, campaign, domain, ip_key).await?;
    if let Some(kind) = blocked {
        tracing::info!(
            campaign = campaign.id,
            list = kind.as_str(),
            "a signature on a block list was dropped"
        );
    }
    Ok(blocked.is_some())
}

/// Which block list of the campaign or the site names the email domain `domain` (empty: none
/// given), the request's address or its IP hash, if one does.
///
/// Every entrance that records a signature passes the block lists: the sign form and OSDI's
/// record signature helper without a token drop what they name without a word (a bot learns
/// nothing); an import with an organiser's token is refused, saying which list (an organiser's
/// program must know what was not recorded). The proof of work and its stricter limit are for
/// browsers and the anonymous API ([`admit`]), not for a token's imports: a token is an
/// organiser's, given by an owner, and its imports are in the audit log.
pub async fn block_of(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    domain: &str,
    ip_key: Option<&ShortKey>,
) -> StoreResult<Option<BlockKind>> {
    let snapshot = state.defence.snapshot(&*state.store).await?;
    Ok(snapshot.blocks(campaign.id, domain, visitor.ip(), ip_key))
}

/// Counts a signature taken, for the automatic switch and the trending alert, and adds the
/// tallies to the database when they are due. A failure there is logged: the signature stands.
pub async fn signed(state: &AppState, campaign: &Campaign, domain: &str, ip_key: Option<&ShortKey>) {
    state.defence.watch.count(campaign.id, now().unix_timestamp().div_euclid(60), domain, ip_key);
    if let Err(error) = watch::flush_if_due(state).await {
        tracing::warn!(%error, "the signing tallies could not be added");
    }
}

/// `GET /c/{slug}/challenge`: a proof-of-work challenge while the campaign is under attack (JSON,
/// never cached), 204 otherwise: the sign form's script asks while the person types.
pub async fn challenge(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let no_store = [(header::CACHE_CONTROL, "no-store")];
    if state.defence.snapshot(&*state.store).await?.under_attack(campaign.id).is_none() {
        return Ok((StatusCode::NO_CONTENT, no_store).into_response());
    }
    let config = &state.defence.config;
    let expires = now().unix_timestamp() + config.pow_minutes * 60;
    let challenge = altcha::challenge(&state.keys.pow_key(), config.pow_max_number, expires);
    Ok((no_store, axum::Json(challenge)).into_response())
}
