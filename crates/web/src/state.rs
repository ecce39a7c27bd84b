//! What the application keeps between requests ([`AppState`]: the store, the templates, the keys,
//! the limits and caches) and what it needs to know of the server's configuration ([`WebConfig`]).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};

use governor::{DefaultKeyedRateLimiter, Quota};
use tokio::sync::Notify;
use undersigned_core::Store;
use undersigned_core::keys::Keys;
use undersigned_core::signature::MailBudget;

use crate::render::pages::Pages;
use crate::{cache, i18n, ip_hash, lookups};

/// What the web layer needs to know of the server's configuration.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// The site's public address, without a trailing slash, for absolute links.
    pub base_url: String,
    /// The site's origin as browsers name it in `Origin`, when its address was configured;
    /// `None`: each request's `Host` is taken as ours ([`crate::security::from_elsewhere`]).
    pub origin: Option<String>,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Reverse proxies whose `X-Forwarded-For` header is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Signatures and endorsements taken from one IP address per hour; 0: no limit.
    pub sign_rate_limit: u32,
    /// Requests one API token may make per minute; 0: no limit.
    pub api_rate_limit: u32,
    /// How long a link in a confirmation mail works.
    pub token_ttl: time::Duration,
    /// How many mails one address gets about one campaign in a day.
    pub mail_budget: MailBudget,
    /// Days after a campaign ends before its signers are anonymised.
    pub retention_days: i64,
    /// Days the keyed hashes of IP addresses are kept (what the privacy notice says).
    pub ip_hash_days: i64,
    /// How long a rendered campaign page is served again; zero renders every request.
    pub page_cache: Duration,
    /// How long a mail may be due before `/healthz` answers 503; `None`: not checked.
    pub mail_due_alarm: Option<Duration>,
    /// Webhooks may point at this server's own networks (loopback, RFC 1918, link-local, ...), and
    /// use plain http: for tests and a receiver on the same machine (`--webhook-allow-private`).
    pub webhook_allow_private: bool,
    /// Bot defence: the proof of work, the no-JavaScript limits, the switch, the trending alert.
    pub defence: crate::defence::DefenceConfig,
    /// The font of the delivery PDF: the bundled one, or the operator's (`--delivery-font`).
    pub delivery_font: undersigned_pdf::FontFile,
    /// Requests are timed for `/metrics` (`crate::http_metrics`): set when the server exposes them.
    pub metrics: bool,
    /// The OpenID Connect providers one may sign in with (`[[oidc]]` in the configuration file).
    pub oidc: Vec<crate::oidc::Provider>,
}

impl WebConfig {
    pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
    pub const DEFAULT_SIGN_RATE_LIMIT: u32 = 30;
    /// Ten a second on average: a sync pulling pages as fast as it reads them, not a flood.
    pub const DEFAULT_API_RATE_LIMIT: u32 = 600;
    pub const DEFAULT_TOKEN_TTL_HOURS: i64 = 7 * 24;
    pub const DEFAULT_MAIL_DUE_ALARM: Duration = Duration::from_secs(15 * 60);

    /// The defaults, for a site at `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            origin: None,
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
            trusted_proxies: Vec::new(),
            sign_rate_limit: Self::DEFAULT_SIGN_RATE_LIMIT,
            api_rate_limit: Self::DEFAULT_API_RATE_LIMIT,
            token_ttl: time::Duration::hours(Self::DEFAULT_TOKEN_TTL_HOURS),
            mail_budget: MailBudget::default(),
            retention_days: 180,
            ip_hash_days: 7,
            page_cache: cache::TTL,
            mail_due_alarm: Some(Self::DEFAULT_MAIL_DUE_ALARM),
            webhook_allow_private: false,
            defence: Default::default(),
            delivery_font: undersigned_pdf::FontFile::bundled(),
            metrics: false,
            oidc: Vec::new(),
        }
    }

    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// A cookie's name as this site sets and reads it: on https with the `__Host-` prefix, which a
    /// browser keeps only when it came from a secure page with `Secure`, `Path=/` and no `Domain`,
    /// so neither a subdomain nor a plain-http page can plant or replace it.
    pub fn cookie_name(&self, name: &'static str) -> std::borrow::Cow<'static, str> {
        use crate::extract::visitor::{CSRF_COOKIE, LANG_COOKIE};
        match (self.is_https(), name) {
            (false, _) => name.into(),
            // Read with every request: no allocation for these.
            (true, LANG_COOKIE) => "__Host-lang".into(),
            (true, CSRF_COOKIE) => "__Host-csrf".into(),
            (true, _) => format!("__Host-{name}").into(),
        }
    }
}

/// What every handler shares. It is cloned for each layer and handler a request passes through,
/// so it is one `Arc` (one reference count to touch, not one per field: with a dozen fields the
/// cores fought over the counters and the campaign page served about a fifth fewer requests).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The fields of [`AppState`].
pub struct Shared {
    pub store: Arc<dyn Store>,
    pub pages: Arc<Pages>,
    pub config: Arc<WebConfig>,
    pub keys: Arc<Keys>,
    /// The rate limits' counts: signing per address, logins, signatures without a proof of
    /// work; shared with the other instances on PostgreSQL ([`crate::rate_limit`]).
    pub limits: Arc<crate::rate_limit::Limits>,
    /// Woken when mail is queued, so the outbox worker sends it at once.
    pub mail_queued: Arc<Notify>,
    /// Woken when an organiser queues a webhook delivery (a test, a retry), so that the worker
    /// sends it at once; events are found by the worker's next look (every second).
    pub webhooks_queued: Arc<Notify>,
    /// Requests per API token, and when each token's use was last recorded.
    pub api_limiter: Arc<ApiLimiter>,
    /// Password hashes (argon2, 19 MiB each) running at once: beyond it requests wait briefly,
    /// then get a 503, so that a crowd of logins cannot take the server's memory.
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// Rendered campaign pages, for a second.
    pub page_cache: Arc<cache::PageCache>,
    /// `/healthz`'s last answer, for a second.
    pub health: Arc<HealthCache>,
    /// Today's key for the IP hashes kept in the database.
    pub ip_day_key: Arc<ip_hash::DayKey>,
    /// Manage-link and password-reset requests, looked up in the background.
    pub lookups: lookups::Lookups,
    /// The "under attack" mode and block lists as last read, and this instance's signing tallies.
    pub defence: Arc<crate::defence::Defence>,
    /// The hash of each language version's text that signatures commit to, as last computed.
    pub version_hashes: Arc<crate::signing::VersionHashes>,
    /// The OpenID Connect providers, with their discovery documents as last fetched.
    pub oidc: Arc<crate::oidc::Providers>,
}

/// What API tokens may do in a minute, and when this instance last recorded each token's use.
pub struct ApiLimiter {
    per_token: Option<DefaultKeyedRateLimiter<i64>>,
    recorded: std::sync::Mutex<std::collections::HashMap<i64, Instant>>,
}

impl ApiLimiter {
    fn new(per_minute: u32) -> Self {
        Self {
            per_token: NonZeroU32::new(per_minute)
                .map(|n| DefaultKeyedRateLimiter::keyed(Quota::per_minute(n))),
            recorded: Default::default(),
        }
    }

    /// Whether the token may make one more request now (and counts it); the seconds to wait if not.
    pub fn wait(&self, token: i64) -> Option<u64> {
        use governor::clock::{Clock, DefaultClock};
        let limiter = self.per_token.as_ref()?;
        limiter
            .check_key(&token)
            .err()
            .map(|not_until| not_until.wait_time_from(DefaultClock::default().now()).as_secs() + 1)
    }

    /// Whether this instance is to record the token's use now: not if it did within `every`.
    pub fn record_use(&self, token: i64, every: Duration) -> bool {
        let now = Instant::now();
        let mut recorded = self.recorded.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if recorded.get(&token).is_some_and(|at| now.duration_since(*at) < every) {
            return false;
        }
        // Forget what is too old to matter, so that the map stays as small as the tokens in use.
        if recorded.len() > 1_000 {
            recorded.retain(|_, at| now.duration_since(*at) < every);
        }
        recorded.insert(token, now);
        true
    }
}

/// How many password hashes run at once: one per core, at least two.
pub fn hash_permits() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().max(2))
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: WebConfig, secret: [u8; 32]) -> Result<Self, String> {
        let pages = Pages::new(Arc::new(i18n::Localizer::embedded()?)).map_err(|e| e.to_string())?;
        let page_cache = Arc::new(cache::PageCache::new(config.page_cache));
        let keys = Arc::new(Keys::new(secret));
        let limits = Arc::new(crate::rate_limit::Limits::new(store.clone(), keys.clone()));
        let api_limiter = Arc::new(ApiLimiter::new(config.api_rate_limit));
        let mail_queued = Arc::new(Notify::new());
        let defence = Arc::new(crate::defence::Defence::new(config.defence.clone()));
        let lookups = lookups::Lookups::start(lookups::LookupWorker {
            store: store.clone(),
            keys: keys.clone(),
            budget: config.mail_budget,
            mail_queued: mail_queued.clone(),
        });
        let oidc = Arc::new(crate::oidc::Providers::new(config.oidc.clone()));
        Ok(Self(Arc::new(Shared {
            store,
            pages: Arc::new(pages),
            config: Arc::new(config),
            keys,
            limits,
            mail_queued,
            webhooks_queued: Arc::new(Notify::new()),
            api_limiter,
            hashing: Arc::new(tokio::sync::Semaphore::new(hash_permits())),
            page_cache,
            health: Arc::default(),
            ip_day_key: Arc::default(),
            lookups,
            defence,
            version_hashes: Arc::default(),
            oidc,
        })))
    }
}

/// `/healthz`'s last answer (when it was made, whether all was well, its body), given again for a
/// second.
#[derive(Default)]
pub struct HealthCache(pub(crate) tokio::sync::Mutex<Option<(Instant, bool, String)>>);
