//! The web interface: the router, the pages and the middleware around them.
//!
//! Handlers stay thin: they read the request into domain types, call the store, and render a
//! template or redirect. Every word a visitor reads comes from `locales/` through [`i18n`].

pub mod cache;
pub mod error;
pub mod forms;
pub mod html;
pub mod i18n;
pub mod ip_hash;
pub mod lookups;
pub mod mail;
pub mod markdown;
pub mod organise;
pub mod pages;
pub mod paths;
pub mod security;
pub mod visitor;

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use governor::{DefaultKeyedRateLimiter, Quota};
use tokio::sync::Notify;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use undersigned_core::Store;
use undersigned_core::keys::{Keys, ShortKey};
use undersigned_core::signature::MailBudget;

pub use error::AppError;
pub use pages::Pages;
pub use visitor::Visitor;

/// What the web layer needs to know of the server's configuration.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// The site's public address, without a trailing slash, for absolute links.
    pub base_url: String,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Reverse proxies whose `X-Forwarded-For` header is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Signatures and endorsements taken from one IP address per hour; 0: no limit.
    pub sign_rate_limit: u32,
    /// How long a link in a confirmation mail works.
    pub token_ttl: time::Duration,
    /// How many mails one address gets about one campaign in a day.
    pub mail_budget: MailBudget,
    /// Days after a campaign ends before its signers are anonymised.
    pub retention_days: i64,
    /// How long a rendered campaign page is served again; zero renders every request.
    pub page_cache: Duration,
    /// How long a mail may be due before `/healthz` answers 503; `None`: not checked.
    pub mail_due_alarm: Option<Duration>,
}

impl WebConfig {
    pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
    pub const DEFAULT_SIGN_RATE_LIMIT: u32 = 30;
    pub const DEFAULT_TOKEN_TTL_HOURS: i64 = 7 * 24;
    pub const DEFAULT_MAIL_DUE_ALARM: Duration = Duration::from_secs(15 * 60);

    /// The defaults, for a site at `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
            trusted_proxies: Vec::new(),
            sign_rate_limit: Self::DEFAULT_SIGN_RATE_LIMIT,
            token_ttl: time::Duration::hours(Self::DEFAULT_TOKEN_TTL_HOURS),
            mail_budget: MailBudget::default(),
            retention_days: 180,
            page_cache: cache::TTL,
            mail_due_alarm: Some(Self::DEFAULT_MAIL_DUE_ALARM),
        }
    }

    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// A cookie's name as this site sets and reads it: on https with the `__Host-` prefix, which a
    /// browser keeps only when it came from a secure page with `Secure`, `Path=/` and no `Domain`,
    /// so neither a subdomain nor a plain-http page can plant or replace it.
    pub fn cookie_name(&self, name: &str) -> String {
        if self.is_https() { format!("__Host-{name}") } else { name.to_owned() }
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
    /// Per-IP limit on signing, keyed by the IP's keyed hash (the address itself is not kept).
    pub sign_limiter: Option<Arc<DefaultKeyedRateLimiter<ShortKey>>>,
    /// Woken when mail is queued, so the outbox worker sends it at once.
    pub mail_queued: Arc<Notify>,
    /// Login attempts per account and per IP address.
    pub login_limiter: Arc<LoginLimiter>,
    /// Password hashes (argon2, 19 MiB each) running at once: beyond it requests wait briefly,
    /// then get a 503, so that a crowd of logins cannot take the server's memory.
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// Rendered campaign pages, for a second.
    pub page_cache: Arc<cache::PageCache>,
    /// `/healthz`'s last answer, for a second.
    pub health: Arc<html::health::HealthCache>,
    /// Today's key for the IP hashes kept in the database.
    pub ip_day_key: Arc<ip_hash::DayKey>,
    /// Manage-link and password-reset requests, looked up in the background.
    pub lookups: lookups::Lookups,
}

/// Login attempts allowed per hour: per account from one network (against guessing one
/// password), per account from everywhere (looser, against guessing from many networks), and per
/// network (against trying many accounts). Failures from elsewhere so do not lock the real
/// organiser out: only as many networks as `PER_ACCOUNT / PER_ACCOUNT_FROM_ONE_NETWORK` could.
pub struct LoginLimiter {
    pub per_account_and_ip: DefaultKeyedRateLimiter<(ShortKey, Option<ShortKey>)>,
    pub per_account: DefaultKeyedRateLimiter<ShortKey>,
    pub per_ip: DefaultKeyedRateLimiter<ShortKey>,
}

impl LoginLimiter {
    pub const PER_ACCOUNT_FROM_ONE_NETWORK: u32 = 10;
    pub const PER_ACCOUNT: u32 = 100;
    pub const PER_IP: u32 = 30;

    fn new() -> Self {
        let quota = |n| Quota::per_hour(NonZeroU32::new(n).expect("a positive quota"));
        Self {
            per_account_and_ip: DefaultKeyedRateLimiter::keyed(quota(Self::PER_ACCOUNT_FROM_ONE_NETWORK)),
            per_account: DefaultKeyedRateLimiter::keyed(quota(Self::PER_ACCOUNT)),
            per_ip: DefaultKeyedRateLimiter::keyed(quota(Self::PER_IP)),
        }
    }

    /// Whether an attempt on `account` from `ip` may go ahead (and counts it).
    pub fn allow(&self, account: ShortKey, ip: Option<ShortKey>) -> bool {
        let ip_ok = ip.is_none_or(|ip| self.per_ip.check_key(&ip).is_ok());
        ip_ok
            && self.per_account_and_ip.check_key(&(account, ip)).is_ok()
            && self.per_account.check_key(&account).is_ok()
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
        let sign_limiter = NonZeroU32::new(config.sign_rate_limit)
            .map(|n| Arc::new(DefaultKeyedRateLimiter::keyed(Quota::per_hour(n))));
        let keys = Arc::new(Keys::new(secret));
        let mail_queued = Arc::new(Notify::new());
        let lookups = lookups::Lookups::start(lookups::LookupWorker {
            store: store.clone(),
            keys: keys.clone(),
            budget: config.mail_budget,
            mail_queued: mail_queued.clone(),
        });
        Ok(Self(Arc::new(Shared {
            store,
            pages: Arc::new(pages),
            config: Arc::new(config),
            keys,
            sign_limiter,
            mail_queued,
            login_limiter: Arc::new(LoginLimiter::new()),
            hashing: Arc::new(tokio::sync::Semaphore::new(hash_permits())),
            page_cache,
            health: Arc::default(),
            ip_day_key: Arc::default(),
            lookups,
        })))
    }
}

pub fn router(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    // Spreadsheets of paper endorsements are larger than any form: a limit of their own (the
    // confirmation carries the file again, URL-encoded, so up to three times its size).
    let import_limit = organise::import::MAX_BYTES * 3;
    let imports = Router::new()
        .route(
            "/organise/c/{slug}/endorsements/import",
            get(organise::import::page).post(organise::import::check),
        )
        .route("/organise/c/{slug}/endorsements/import/confirm", post(organise::import::import))
        .layer(DefaultBodyLimit::max(import_limit))
        .layer(RequestBodyLimitLayer::new(import_limit));
    let router = Router::new()
        .route("/", get(html::home::show))
        .route("/c/{slug}", get(html::campaign::show))
        .route("/c/{slug}/sign", post(html::signing::sign))
        .route("/c/{slug}/check-email", get(html::signing::check_email))
        .route("/c/{slug}/thanks", get(html::signing::thanks))
        .route("/c/{slug}/withdrawn", get(html::signing::withdrawn))
        .route("/c/{slug}/endorse", get(html::endorse::form).post(html::endorse::submit))
        .route("/c/{slug}/signatures", get(html::signatures::list))
        .route("/c/{slug}/count.json", get(html::signatures::count))
        .route("/c/{slug}/history", get(html::history::show))
        .route("/c/{slug}/share/mastodon", get(html::share::mastodon))
        .route("/c/{slug}/qr.svg", get(html::share::qr))
        .route("/c/{slug}/updates.atom", get(html::updates::campaign_feed))
        .route("/updates.atom", get(html::updates::site_feed))
        .route("/c/{slug}/comments", get(html::comments::page).post(html::comments::post))
        .route("/c/{slug}/comments/{id}/report", post(html::comments::report))
        .route("/k/confirm/{token}", get(html::comments::confirm_page).post(html::comments::confirm))
        .route("/organise/c/{slug}/comments/mode", post(organise::comments::mode))
        .route("/organise/c/{slug}/comments/{id}/{action}", post(organise::comments::act))
        .route("/c/{slug}/manage", get(html::manage::request_page).post(html::manage::request))
        .route("/s/manage/{token}", get(html::manage::page).post(html::manage::save))
        .route("/s/manage/{token}/data.json", get(html::manage::data))
        .route("/s/manage/{token}/withdraw", post(html::manage::withdraw))
        .route(
            "/s/unsubscribe/{token}",
            get(html::updates::unsubscribe_page).post(html::updates::unsubscribe),
        )
        .route("/organise/c/{slug}/updates", get(organise::updates::page).post(organise::updates::post))
        .route("/organise/c/{slug}/response", get(organise::response::page).post(organise::response::save))
        .route("/s/confirm/{token}", get(html::signing::confirm_page).post(html::signing::confirm))
        .route("/s/withdraw/{token}", get(html::signing::withdraw_page).post(html::signing::withdraw))
        .route("/e/confirm/{token}", get(html::endorse::confirm_page).post(html::endorse::confirm))
        .route("/login", get(organise::account::login_page).post(organise::account::login))
        .route("/logout", post(organise::account::logout))
        .route("/account/forgot", get(organise::account::forgot_page).post(organise::account::forgot))
        .route(
            "/account/password/{token}",
            get(organise::account::password_page).post(organise::account::set_password),
        )
        .route("/organise", get(organise::site::home))
        .route("/organise/audit", get(organise::site::audit_log))
        .route("/organise/mail", get(organise::outbox::failed_mail))
        .route("/organise/mail/retry", post(organise::outbox::retry))
        .route("/organise/invite", get(organise::site::invite_page).post(organise::site::invite))
        .route("/organise/new", get(organise::editor::new_page).post(organise::editor::create))
        .route("/organise/c/{slug}", get(organise::campaign::dashboard))
        .route(
            "/organise/c/{slug}/edit",
            get(organise::editor::settings_page).post(organise::editor::save_settings),
        )
        .route("/organise/c/{slug}/add-version", get(organise::editor::add_version))
        .route(
            "/organise/c/{slug}/edit/{lang}",
            get(organise::editor::version_page).post(organise::editor::save_version),
        )
        .route("/organise/c/{slug}/status", post(organise::editor::change_status))
        .route(
            "/organise/c/{slug}/unpublish",
            get(organise::life::unpublish_page).post(organise::life::unpublish),
        )
        .route(
            "/organise/c/{slug}/republish",
            get(organise::life::republish_page).post(organise::life::republish),
        )
        .route("/organise/c/{slug}/delete", get(organise::life::delete_page).post(organise::life::delete))
        .route("/organise/c/{slug}/moderation", get(organise::campaign::moderation))
        .route("/organise/c/{slug}/endorsements/{id}/decide", post(organise::campaign::decide))
        .route(
            "/organise/c/{slug}/invalidate",
            get(organise::signatures::preview).post(organise::signatures::invalidate),
        )
        .route("/organise/c/{slug}/invalidations/{id}/restore", post(organise::signatures::restore))
        .route(
            "/organise/c/{slug}/endorsements/new",
            get(organise::campaign::offline_page).post(organise::campaign::add_offline),
        )
        .route(
            "/organise/c/{slug}/team",
            get(organise::campaign::team).post(organise::campaign::invite_to_team),
        )
        .route("/organise/c/{slug}/team/{user}/remove", post(organise::people::remove_from_team))
        .route("/organise/people", get(organise::people::page))
        .route("/organise/people/{id}/{action}", post(organise::people::act))
        .route("/organise/c/{slug}/export.csv", post(organise::export::csv))
        .route("/organise/c/{slug}/delivery/{lang}", post(organise::delivery::document))
        .route("/healthz", get(html::health::check))
        .route("/static/{file}", get(html::assets::serve))
        .fallback(html::not_found)
        .layer(axum::middleware::from_fn(security::strip_nul))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(RequestBodyLimitLayer::new(max_body))
        .merge(imports)
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), cache::forget_changed_campaigns))
        // Outside the limits, so that their refusals are rendered as pages too.
        .layer(axum::middleware::from_fn_with_state(state.clone(), visitor::middleware));
    let router = security::headers(router).layer(axum::middleware::from_fn(security::no_store));
    security::strict_transport(router, state.config.is_https()).layer(security::trace()).with_state(state)
}
