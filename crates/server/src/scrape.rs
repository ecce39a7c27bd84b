//! `/metrics` for operators, in Prometheus' text format: the `metrics` facade's recorder
//! (`metrics-exporter-prometheus`) rendered by a route of our own. Never public by default: it is
//! served on a listener of its own (`--metrics-listen`, nothing else there), and on the main
//! address only to a request that carries the bearer token (`--metrics-token`). With neither,
//! no recorder is installed, every count in the code is a no-op, and `/metrics` is a 404 like any
//! page that does not exist.
//!
//! What is counted where: requests in `undersigned_web::http_metrics`, the caches' hits in
//! `undersigned_web::cache`, signatures, confirmations and the group commit's batches in the
//! store's `group_commit`, mails in `crate::mail`, the count fold in `crate::workers::upkeep`;
//! what waits (the outbox, the count journal, the signing queue, the pools) is read from the
//! store at each scrape ([`Metrics::read_gauges`]). Every name, label and meaning is listed in
//! docs/operating.md ("Metrics"). No label carries a campaign, an address, an IP or a token.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use undersigned_core::Store;
use undersigned_core::outbox::MailKind;
use undersigned_store::metric_names as store_names;
use undersigned_web::cache::CACHE_REQUESTS;
use undersigned_web::http_metrics;

/// The names of the metrics kept here and by the mail worker and the upkeep.
pub mod names {
    pub const BUILD_INFO: &str = "undersigned_build_info";
    pub const START_TIME: &str = "process_start_time_seconds";
    pub const OPEN_FDS: &str = "process_open_fds";
    pub const MAX_FDS: &str = "process_max_fds";
    pub const RESIDENT_MEMORY: &str = "process_resident_memory_bytes";
    pub const MAILS_SENT: &str = "undersigned_mails_sent_total";
    pub const MAILS_FAILED: &str = "undersigned_mails_failed_total";
    pub const OUTBOX_MAILS: &str = "undersigned_outbox_mails";
    pub const OUTBOX_OLDEST_DUE: &str = "undersigned_outbox_oldest_due_age_seconds";
    pub const COUNT_JOURNAL: &str = "undersigned_count_journal_entries";
    pub const COUNT_FOLDED: &str = "undersigned_count_fold_entries_total";
    pub const COUNT_FOLD_FAILURES: &str = "undersigned_count_fold_failures_total";
    pub const COUNT_FOLD_LAST: &str = "undersigned_count_fold_last_success_timestamp_seconds";
    pub const SIGNING_QUEUE: &str = "undersigned_signing_queue_jobs";
    pub const POOL_CONNECTIONS: &str = "undersigned_db_pool_connections";
    pub const POOL_MAX: &str = "undersigned_db_pool_max_connections";
    pub const DATABASE_READ: &str = "undersigned_scrape_database_ok";
}

/// Latencies, from a cached page's (under a millisecond) to the router's timeout (30 s).
const SECONDS: [f64; 14] =
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0];
/// The group commit's batch sizes, up to its largest (1,000).
const SIZES: [f64; 11] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 800.0, 1000.0];

/// How long a scrape waits for the database's gauges before it answers without them.
const PATIENCE: Duration = Duration::from_secs(5);

static RECORDER: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the recorder, once per process (a second server in the same process, as in the tests,
/// shares it), before anything registers a metric: the store's group commit and the caches take
/// their handles when they are made.
pub fn install() -> PrometheusHandle {
    RECORDER
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets(&SECONDS)
                .and_then(|b| b.set_buckets_for_metric(Matcher::Full(store_names::BATCH_SIZE.into()), &SIZES))
                .expect("the buckets are given")
                .build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!(
                    "another metrics recorder was installed first: /metrics shows none of the counts"
                );
            }
            describe();
            handle
        })
        .clone()
}

/// The help line of each metric, and the ones known from the start at zero (so that a dashboard
/// shows 0, not nothing, for what has not happened yet).
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    use names::*;
    describe_gauge!(BUILD_INFO, "Always 1; the label version is the server's version.");
    metrics::gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
    describe_gauge!(START_TIME, "When the server started, in seconds since the Unix epoch.");
    let started = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
    metrics::gauge!(START_TIME).set(started);
    describe_gauge!(OPEN_FDS, "File descriptors the process has open (connections, database files).");
    describe_gauge!(MAX_FDS, "The most file descriptors the process may open (ulimit -n).");
    describe_gauge!(RESIDENT_MEMORY, "The process's resident memory, in bytes.");
    describe_histogram!(
        http_metrics::REQUEST_SECONDS,
        "Requests answered, by route pattern, method and status (none: ended unanswered), and how long each took."
    );
    describe_gauge!(http_metrics::IN_FLIGHT, "Requests being answered now.");
    describe_counter!(
        store_names::SIGNATURES,
        "Signatures the group commit wrote, by outcome: created (a new pending signature), pending_again, already_confirmed, failed."
    );
    describe_counter!(
        store_names::CONFIRMATIONS,
        "Confirmations the group commit answered, by outcome: confirmed, already_confirmed, changed, not_found, failed."
    );
    describe_histogram!(
        store_names::WAIT,
        "How long a signature (kind sign) or a confirmation (kind confirm) waited for the COMMIT that holds it."
    );
    describe_histogram!(
        store_names::BATCH_SIZE,
        "Signatures (kind sign) and confirmations (kind confirm) per group-commit batch."
    );
    describe_histogram!(
        store_names::TRANSACTION,
        "How long each group-commit transaction took, sealing to COMMIT."
    );
    describe_counter!(MAILS_SENT, "Mails handed to the SMTP relay (or written to files), by kind.");
    for kind in MailKind::ALL {
        metrics::counter!(MAILS_SENT, "kind" => kind.as_str()).absolute(0);
    }
    describe_counter!(
        MAILS_FAILED,
        "Mails that failed, by kind, class (relay, recipient, message, transient, permanent, undeliverable) and outcome (retry or given_up)."
    );
    describe_gauge!(
        OUTBOX_MAILS,
        "Mails in the outbox, by state: waiting (not given up), due (of those, due now), given_up."
    );
    describe_gauge!(
        OUTBOX_OLDEST_DUE,
        "How long the mail that has waited longest has been due (0: none due)."
    );
    describe_gauge!(COUNT_JOURNAL, "Count journal entries not yet folded into the aggregated counts.");
    describe_counter!(COUNT_FOLDED, "Count journal entries this server folded into the aggregated counts.");
    describe_counter!(COUNT_FOLD_FAILURES, "Folds of the count journal that failed.");
    describe_gauge!(
        COUNT_FOLD_LAST,
        "When this server last folded the count journal without an error, in seconds since the Unix epoch."
    );
    describe_gauge!(SIGNING_QUEUE, "Signatures and confirmations waiting for the group-commit writer.");
    describe_gauge!(POOL_CONNECTIONS, "Database connections open, by pool and state (idle, in_use).");
    describe_gauge!(POOL_MAX, "The most connections each database pool opens.");
    describe_gauge!(
        DATABASE_READ,
        "1 when the last scrape read the outbox, journal and pools; 0 when the database did not answer."
    );
    describe_counter!(CACHE_REQUESTS, "Reads of the short-lived caches, by cache and result (hit or miss).");
}

/// What `/metrics` answers with, and to whom.
pub struct Metrics {
    handle: PrometheusHandle,
    /// The token's SHA-256, compared in constant time with the one of what a request carries
    /// (so that neither its bytes nor its length show in the time a refusal takes).
    token: Option<[u8; 32]>,
    store: Arc<dyn Store>,
}

impl Metrics {
    pub fn new(handle: PrometheusHandle, token: Option<&str>, store: Arc<dyn Store>) -> Self {
        Self { handle, token: token.map(digest), store }
    }

    /// Whether the main address serves `/metrics` (only with a token).
    pub fn on_main_address(&self) -> bool {
        self.token.is_some()
    }

    /// Drains what the histograms gathered since (bounds their memory between scrapes).
    pub fn upkeep(&self) {
        self.handle.run_upkeep();
    }

    /// `Ok` when the token is not asked for or `headers` carry it; otherwise whether a token was
    /// carried at all (a wrong one is said so).
    fn check(&self, headers: &HeaderMap) -> Result<(), bool> {
        let Some(expected) = &self.token else { return Ok(()) };
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim());
        let Some(given) = given else { return Err(false) };
        match bool::from(digest(given).ct_eq(expected)) {
            true => Ok(()),
            false => Err(true),
        }
    }

    /// What waits, read now: the database's counts, the signing queue, the pools, the process.
    async fn read_gauges(&self) {
        use names::*;
        let now = undersigned_core::store::now();
        match tokio::time::timeout(PATIENCE, self.store.gauges(now)).await {
            Ok(Ok(g)) => {
                metrics::gauge!(OUTBOX_MAILS, "state" => "waiting").set(g.mails_waiting as f64);
                metrics::gauge!(OUTBOX_MAILS, "state" => "due").set(g.mails_due as f64);
                metrics::gauge!(OUTBOX_MAILS, "state" => "given_up").set(g.mails_given_up as f64);
                let oldest = g.oldest_due_mail.map_or(0.0, |due| (now - due).as_seconds_f64().max(0.0));
                metrics::gauge!(OUTBOX_OLDEST_DUE).set(oldest);
                metrics::gauge!(COUNT_JOURNAL).set(g.count_journal as f64);
                metrics::gauge!(SIGNING_QUEUE).set(g.signing_queue as f64);
                for pool in g.pools {
                    let in_use = pool.size.saturating_sub(pool.idle);
                    metrics::gauge!(POOL_CONNECTIONS, "pool" => pool.pool, "state" => "idle").set(pool.idle);
                    metrics::gauge!(POOL_CONNECTIONS, "pool" => pool.pool, "state" => "in_use").set(in_use);
                    metrics::gauge!(POOL_MAX, "pool" => pool.pool).set(pool.max);
                }
                metrics::gauge!(DATABASE_READ).set(1.0);
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "/metrics: the outbox, journal and pools could not be read");
                metrics::gauge!(DATABASE_READ).set(0.0);
            }
            Err(_) => {
                tracing::warn!("/metrics: the database did not answer within {} s", PATIENCE.as_secs());
                metrics::gauge!(DATABASE_READ).set(0.0);
            }
        }
        process::read();
    }
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// `GET /metrics`.
async fn scrape(State(metrics): State<Arc<Metrics>>, headers: HeaderMap) -> Response {
    if let Err(wrong) = metrics.check(&headers) {
        return unauthorized(wrong);
    }
    metrics.read_gauges().await;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    (headers, metrics.handle.render()).into_response()
}

/// 401 with the challenge (RFC 6750): none carried, or `wrong`.
fn unauthorized(wrong: bool) -> Response {
    let (challenge, body) = match wrong {
        false => (
            "Bearer realm=\"metrics\"",
            "401 Unauthorized: /metrics needs the header Authorization: Bearer TOKEN (--metrics-token)\n",
        ),
        true => (
            "Bearer realm=\"metrics\", error=\"invalid_token\"",
            "401 Unauthorized: the token is not this server's --metrics-token\n",
        ),
    };
    let headers = [
        (header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge)),
        (header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    (StatusCode::UNAUTHORIZED, headers, body).into_response()
}

/// The site's router, with `/metrics` in front of it when the token opens it there; otherwise the
/// site's own 404 page answers `/metrics` as any page that does not exist.
pub fn on_main_address(site: Router, metrics: Option<&Arc<Metrics>>) -> Router {
    match metrics.filter(|m| m.on_main_address()) {
        Some(metrics) => Router::new().route("/metrics", get(scrape)).with_state(metrics.clone()).merge(site),
        None => site,
    }
}

/// The router of `--metrics-listen`: `/metrics`, and nothing else.
pub fn own_address(metrics: Arc<Metrics>) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .fallback(|| async { (StatusCode::NOT_FOUND, "404 Not Found: this address serves /metrics only\n") })
        .with_state(metrics)
}

/// The process's open files and memory, where the system tells them cheaply (Linux's /proc).
mod process {
    pub fn read() {
        #[cfg(target_os = "linux")]
        {
            use super::names::{OPEN_FDS, RESIDENT_MEMORY};
            if let Ok(fds) = std::fs::read_dir("/proc/self/fd") {
                metrics::gauge!(OPEN_FDS).set(fds.count() as f64);
            }
            let status = std::fs::read_to_string("/proc/self/status").ok();
            if let Some(kb) = status.as_deref().and_then(resident_kb) {
                metrics::gauge!(RESIDENT_MEMORY).set(kb as f64 * 1024.0);
            }
        }
        #[cfg(unix)]
        if let Some(max) = rustix::process::getrlimit(rustix::process::Resource::Nofile).current {
            metrics::gauge!(super::names::MAX_FDS).set(max as f64);
        }
    }

    /// `VmRSS:    1234 kB` in /proc/self/status.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    pub fn resident_kb(status: &str) -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    #[cfg(test)]
    #[test]
    fn resident_memory_is_read_from_its_line() {
        assert_eq!(resident_kb("Name:\tundersigned\nVmRSS:\t   51234 kB\nThreads: 4\n"), Some(51_234));
        assert_eq!(resident_kb("Name:\tundersigned\n"), None);
    }
}
