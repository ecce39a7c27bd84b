//! The `undersigned` binary: the command line (`cli`, `config`, `commands`), and the server
//! wired together: the store, the web layer, the outbox (`mail`), the webhooks' deliveries
//! (`webhooks`), the upkeep (`workers`) and the operators' `/metrics` (`scrape`).

pub mod archive;
pub mod cli;
pub mod commands;
pub mod config;
pub mod data_key;
pub mod demo;
pub mod listen;
pub mod mail;
pub mod oidc_config;
pub mod scrape;
pub mod smtp;
pub mod tls;
pub mod webhooks;
pub mod workers;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Parser;
use tokio::net::TcpListener;
use undersigned_core::Store;
use undersigned_core::signature::MailBudget;
use undersigned_web::mail::Composer;
use undersigned_web::{AppState, WebConfig};

use crate::cli::{Cli, Command};
pub use crate::commands::user::add_user;
use crate::config::{Config, LogFormat};
use crate::workers::upkeep;

/// Runs the command line; what `main` calls.
pub async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::resolve(cli.options, cli.config.as_deref())?;
    init_tracing(config.log_format);
    private_files();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let server = Server::start(config).await?;
            tracing::info!("Undersigned is running at {}", server.base_url);
            server.run_until_shutdown(shutdown_signal()).await
        }
        command => {
            print!("{}", commands::run(command, &config, || open_store(&config)).await?);
            Ok(())
        }
    }
}

fn init_tracing(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only for a person at a terminal: a log file or the journal gets plain text (and each
    // request's span is formatted without escape codes, a tenth of a cached page's cost otherwise).
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Every file and directory the process makes from now on is its owner's only (umask 077): the
/// database with its WAL, the secret key, mail with live links. Set once at start, before any
/// thread that makes files.
fn private_files() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}

/// Creates the data directory readable by its owner only, or makes an existing one so (with a log
/// line): it holds the signers' addresses, the secret key and mail with live links.
pub fn private_data_dir(dir: &std::path::Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating the data directory {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .with_context(|| format!("making the data directory {} private", dir.display()))?;
            tracing::warn!(
                dir = %dir.display(),
                was = format!("{mode:o}"),
                "the data directory could be read by others: it is now its owner's only (700)"
            );
        }
    }
    Ok(())
}

/// Opens the database the URL names, `sqlite:` or `postgres:`/`postgresql:`, with its data key
/// (see [`data_key::choose`]).
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    let url = config.database.as_str();
    let what = if url.starts_with("sqlite:") {
        private_data_dir(&config.data_dir)?;
        format!("opening the SQLite database {url}")
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        "connecting to PostgreSQL".to_owned()
    } else {
        bail!("the database URL must start with sqlite:// or postgres:// (it is {url})")
    };
    let upgrade = undersigned_store::Upgrade { backed_up: config.backed_up };
    let replica = config.database_replica.as_deref();
    match undersigned_store::open_with(url, replica, |recorded| data_key::choose(config, recorded), upgrade)
        .await
    {
        Ok(store) => Ok(store),
        // Said as it is: the words name the file and the key, and what to do.
        Err(undersigned_store::OpenError::DataKey(refused)) => Err(anyhow::anyhow!(refused)),
        // What the migrations would lose, and how to go on.
        Err(lossy @ undersigned_store::OpenError::Lossy(_)) => Err(anyhow::anyhow!(
            "{lossy}\nBack the database up first with `undersigned backup --out FILE` and keep the copy; \
             then start again with --backed-up (UNDERSIGNED_BACKED_UP=true), which lets them run \
             (docs/operating.md, \"Upgrading\")"
        )),
        Err(newer @ undersigned_store::OpenError::Newer { .. }) => Err(anyhow::anyhow!(newer)),
        Err(e) => Err(anyhow::Error::new(e).context(what)),
    }
}

/// A server bound to its address, ready to run.
pub struct Server {
    listener: TcpListener,
    state: AppState,
    mail: Arc<mail::MailWorker>,
    webhooks: Arc<webhooks::WebhookWorker>,
    ip_hash_days: i64,
    retention_days: i64,
    /// How often an organiser may get a digest of their notices.
    digest_every: time::Duration,
    /// How long after signing a signer who has not confirmed is reminded.
    remind_after: time::Duration,
    limits: listen::Limits,
    /// `/metrics`, when it is served (`--metrics-token`, `--metrics-listen`).
    metrics: Option<Arc<scrape::Metrics>>,
    /// The listener of its own for `/metrics` (`--metrics-listen`).
    metrics_listener: Option<TcpListener>,
    pub addr: SocketAddr,
    /// Where `--metrics-listen` listens, once bound.
    pub metrics_addr: Option<SocketAddr>,
    pub base_url: String,
}

impl Server {
    /// Opens the database (migrating it), loads the demo into an empty one, and binds the address.
    pub async fn start(config: Config) -> anyhow::Result<Self> {
        private_data_dir(&config.data_dir)?;
        // Before the store and the caches are made: they register their metrics as they are.
        let recorder = config.metrics_on().then(scrape::install);
        let store = open_store(&config).await?;
        // In the background: it reads every row, which a big database takes a while to do.
        let counted = store.clone();
        tokio::spawn(async move {
            match counted.rows_in_clear().await {
                Ok(0) => {}
                Ok(rows) => tracing::warn!(
                    rows,
                    "rows of the database still hold addresses or IP hashes in clear, from before the data \
                     key: run `undersigned data seal` (the server reads them meanwhile)"
                ),
                Err(e) => tracing::warn!(error = %e, "could not count the rows still in clear"),
            }
            match counted.rows_to_reseal().await {
                Ok(0) => {}
                Ok(rows) => tracing::warn!(
                    rows,
                    "rows hold private fields sealed under the data key while their campaign's owners have \
                     keys now: run `undersigned data seal` to seal them to those keys"
                ),
                Err(e) => tracing::warn!(error = %e, "could not count the rows to seal to the owners' keys"),
            }
        });
        let secret = config.load_secret_key()?;
        if config.demo && store.has_no_campaigns().await? {
            store.import_campaigns(&[demo::campaign()]).await.context("loading the demo campaign")?;
            tracing::info!("loaded the demo campaign {}", demo::SLUG);
        }
        // Endorsements listed before the signature log took them get their leaves, once, so that
        // the exports of an older database verify.
        match store.log_endorsements_listed_before().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                endorsements = n,
                "appended to the signature logs the endorsements listed before"
            ),
            Err(e) => {
                tracing::warn!(error = %e, "could not append the endorsements listed before the signature log took them")
            }
        }
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("listening on {}", config.listen))?;
        let addr = listener.local_addr()?;
        let metrics_listener = match config.metrics_listen {
            Some(at) => {
                Some(TcpListener::bind(at).await.with_context(|| format!("listening for /metrics on {at}"))?)
            }
            None => None,
        };
        let metrics_addr = metrics_listener.as_ref().map(TcpListener::local_addr).transpose()?;
        let base_url = config.base_url.clone().unwrap_or_else(|| format!("http://{addr}"));
        let web = WebConfig {
            max_body_bytes: config.max_body_bytes,
            trusted_proxies: config.trusted_proxies.clone(),
            sign_rate_limit: config.sign_rate_limit,
            api_rate_limit: config.api_rate_limit,
            token_ttl: time::Duration::hours(config.token_ttl_hours),
            mail_budget: MailBudget { max: config.mails_per_address, window: time::Duration::days(1) },
            retention_days: config.retention_days,
            ip_hash_days: config.ip_hash_days,
            page_cache: std::time::Duration::from_millis(config.page_cache_ms),
            mail_due_alarm: (config.healthz_mail_minutes > 0)
                .then(|| std::time::Duration::from_secs(config.healthz_mail_minutes * 60)),
            origin: config.base_url.as_deref().map(undersigned_web::security::origin_of),
            webhook_allow_private: config.webhook_allow_private,
            defence: config.defence.clone(),
            delivery_font: match &config.delivery_font {
                Some(path) => undersigned_pdf::FontFile::load(path, 0)?,
                None => undersigned_pdf::FontFile::bundled(),
            },
            metrics: recorder.is_some(),
            oidc: config.oidc.clone(),
            ..WebConfig::new(base_url.clone())
        };
        let state = AppState::new(store, web, secret).map_err(|e| anyhow::anyhow!(e))?;
        let mail = Arc::new(mail::MailWorker {
            store: state.store.clone(),
            composer: Composer::new(&state),
            keys: state.keys.clone(),
            from: mail::sender(config.mail_from.as_deref(), &base_url)?,
            transport: mail::Transport::new(
                config.smtp_url.as_deref(),
                &config.data_dir,
                std::time::Duration::from_secs(config.smtp_timeout_seconds),
            )?,
            retry_base: std::time::Duration::from_secs(config.mail_retry_seconds),
            wake: state.mail_queued.clone(),
            concurrency: config.smtp_connections,
            lease: time::Duration::seconds(config.mail_lease_seconds as i64),
            relay_down: Default::default(),
        });
        let webhooks = Arc::new(webhooks::WebhookWorker {
            store: state.store.clone(),
            payloads: undersigned_web::webhooks::Payloads::new(&state),
            client: webhooks::client::Client::new(std::time::Duration::from_secs(
                config.webhook_timeout_seconds,
            )),
            schedule: config.webhook_retry_schedule.clone(),
            lease: time::Duration::seconds(config.webhook_lease_seconds as i64),
            allow_private: config.webhook_allow_private,
            wake: state.webhooks_queued.clone(),
        });
        if config.webhook_allow_private {
            tracing::warn!(
                "webhooks may point at this server's own networks (--webhook-allow-private): \
                 for tests and a receiver on the same machine only"
            );
        }
        if config.smtp_url.is_none() {
            tracing::warn!(
                dir = %config.data_dir.join("mail").display(),
                "no SMTP server configured (--smtp-url): mail is written to files and its links are logged"
            );
        }
        let metrics = recorder.map(|handle| {
            Arc::new(scrape::Metrics::new(handle, config.metrics_token.as_deref(), state.store.clone()))
        });
        if let Some(at) = metrics_addr {
            tracing::info!(%at, token = config.metrics_token.is_some(), "/metrics is served on an address of its own");
        }
        tracing::info!(backend = state.store.backend(), %addr, "ready");
        Ok(Self {
            listener,
            state,
            mail,
            webhooks,
            ip_hash_days: config.ip_hash_days,
            retention_days: config.retention_days,
            digest_every: time::Duration::seconds(i64::try_from(config.digest_seconds).unwrap_or(i64::MAX)),
            remind_after: time::Duration::seconds(
                i64::try_from(config.remind_after_seconds).unwrap_or(i64::MAX),
            ),
            limits: listen::Limits {
                max_connections: config.max_connections,
                header_read_timeout: std::time::Duration::from_secs(config.header_read_timeout_seconds),
                // As long as a request may take (the router's own timeout), and a little more.
                shutdown_grace: std::time::Duration::from_secs(35),
            },
            metrics,
            metrics_listener,
            addr,
            metrics_addr,
            base_url,
        })
    }

    /// Serves until `shutdown` completes, then finishes the requests under way. The mail and
    /// webhook workers and the hourly clean-up run beside it.
    pub async fn run_until_shutdown(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let mail = tokio::spawn(self.mail.clone().run(stopped.clone()));
        let webhooks = tokio::spawn(self.webhooks.clone().run(stopped.clone()));
        let hourly = tokio::spawn(upkeep::hourly(
            self.state.clone(),
            self.ip_hash_days,
            self.retention_days,
            stopped.clone(),
        ));
        let closing = tokio::spawn(upkeep::close_ended(self.state.clone(), stopped.clone()));
        let crossing =
            tokio::spawn(upkeep::thresholds(self.state.clone(), self.digest_every, stopped.clone()));
        let site_pages = tokio::spawn(upkeep::read_site_pages(self.state.clone(), stopped.clone()));
        let reminding = tokio::spawn(upkeep::remind(self.state.clone(), self.remind_after, stopped.clone()));
        let limits = tokio::spawn(upkeep::flush_limits(self.state.clone(), stopped.clone()));
        let counting = tokio::spawn(upkeep::fold_counts(self.state.clone(), stopped.clone()));
        let metrics =
            tokio::spawn(serve_metrics(self.metrics.clone(), self.metrics_listener, self.limits, stopped));
        let site = scrape::on_main_address(undersigned_web::router(self.state), self.metrics.as_ref());
        listen::serve(self.listener, site, self.limits, shutdown).await;
        let _ = stop.send(true);
        let _ = tokio::join!(
            mail, webhooks, hourly, counting, closing, crossing, site_pages, reminding, limits, metrics
        );
        tracing::info!("stopped");
        Ok(())
    }
}

/// Until `stop`: the recorder's upkeep every few seconds (what the histograms gathered, drained so
/// that their memory stays bounded between scrapes), and `/metrics` on its own listener if there is one.
async fn serve_metrics(
    metrics: Option<Arc<scrape::Metrics>>,
    listener: Option<TcpListener>,
    limits: listen::Limits,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let Some(metrics) = metrics else { return };
    let upkeep = {
        let (metrics, mut stop) = (metrics.clone(), stop.clone());
        async move {
            loop {
                tokio::select! {
                    () = tokio::time::sleep(std::time::Duration::from_secs(5)) => metrics.upkeep(),
                    _ = stop.changed() => return,
                }
            }
        }
    };
    let Some(listener) = listener else { return upkeep.await };
    // A monitoring system's few connections; a scrape is quick.
    let limits =
        listen::Limits { max_connections: 64, shutdown_grace: std::time::Duration::from_secs(5), ..limits };
    let stopped = async move {
        let _ = stop.changed().await;
    };
    tokio::join!(upkeep, listen::serve(listener, scrape::own_address(metrics), limits, stopped));
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing the requests under way");
}
