//! The `undersigned` binary: command line, configuration, and wiring the store, the web layer
//! and (later) the workers together.

pub mod campaign_files;
pub mod cli;
pub mod config;
pub mod demo;
pub mod endorsements;
pub mod life;
pub mod listen;
pub mod mail;
pub mod outbox;
pub mod smtp;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Parser;
use tokio::net::TcpListener;
use undersigned_core::Store;
use undersigned_core::signature::MailBudget;
use undersigned_web::{AppState, WebConfig};

use crate::cli::{CampaignCommand, Cli, Command, ConfigCommand, UserCommand};
use crate::config::{Config, LogFormat};

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
        Command::Config(ConfigCommand::Example) => {
            print!("{}", config::example());
            Ok(())
        }
        Command::Campaign(CampaignCommand::Import { paths }) => {
            let store = open_store(&config).await?;
            for line in campaign_files::import_campaigns(store.as_ref(), &paths).await? {
                println!("{line}");
            }
            Ok(())
        }
        Command::User(UserCommand::Add { email, name, admin }) => {
            let password = match std::env::var("UNDERSIGNED_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin()
                        .read_line(&mut line)
                        .context("reading the password from standard input")?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let store = open_store(&config).await?;
            let user = add_user(store.as_ref(), &email, name.as_deref(), admin, &password).await?;
            println!("created the account {} (#{}){}", user.0, user.1, if admin { ", an admin" } else { "" });
            Ok(())
        }
        Command::Retention { dry_run } => {
            let store = open_store(&config).await?;
            print!("{}", retention(store.as_ref(), config.retention_days, dry_run).await?);
            Ok(())
        }
        Command::Mail(command) => {
            let store = open_store(&config).await?;
            print!("{}", outbox::run(store.as_ref(), command).await?);
            Ok(())
        }
        Command::Endorsement(command) => {
            let store = open_store(&config).await?;
            print!("{}", endorsements::run(store.as_ref(), command).await?);
            Ok(())
        }
        Command::Campaign(CampaignCommand::Export { slug, out }) => {
            let store = open_store(&config).await?;
            let out = out.unwrap_or_else(|| PathBuf::from(&slug));
            for path in campaign_files::export_campaign(store.as_ref(), &slug, &out).await? {
                println!("wrote {}", path.display());
            }
            Ok(())
        }
    }
}

fn init_tracing(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
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

/// Opens the database the URL names: `sqlite:` or `postgres:`/`postgresql:`.
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    let url = config.database.as_str();
    if url.starts_with("sqlite:") {
        private_data_dir(&config.data_dir)?;
        undersigned_store::open(url).await.with_context(|| format!("opening the SQLite database {url}"))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        undersigned_store::open(url).await.context("connecting to PostgreSQL")
    } else {
        bail!("the database URL must start with sqlite:// or postgres:// (it is {url})")
    }
}

/// Creates an account with a password (argon2id); returns its address and id.
pub async fn add_user(
    store: &dyn Store,
    email: &str,
    name: Option<&str>,
    admin: bool,
    password: &str,
) -> anyhow::Result<(String, i64)> {
    use undersigned_core::account::{account_email, account_name, check_password, hash_password};
    let email = account_email("email", email)?;
    let name = account_name("name", name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email)))?;
    check_password("password", password)?;
    let user = undersigned_core::store::NewUser {
        email: email.clone(),
        name,
        is_admin: admin,
        password_hash: Some(hash_password(password)),
    };
    match store.create_user(&user, undersigned_core::store::now()).await {
        Ok(id) => Ok((email, id)),
        Err(undersigned_core::StoreError::Conflict(_)) => bail!("there is an account for {email} already"),
        Err(e) => Err(e.into()),
    }
}

/// A server bound to its address, ready to run.
pub struct Server {
    listener: TcpListener,
    state: AppState,
    mail: Arc<mail::MailWorker>,
    ip_hash_days: i64,
    retention_days: i64,
    limits: listen::Limits,
    pub addr: SocketAddr,
    pub base_url: String,
}

impl Server {
    /// Opens the database (migrating it), loads the demo into an empty one, and binds the address.
    pub async fn start(config: Config) -> anyhow::Result<Self> {
        private_data_dir(&config.data_dir)?;
        let store = open_store(&config).await?;
        let secret = config.load_secret_key()?;
        if config.demo && store.has_no_campaigns().await? {
            store.import_campaigns(&[demo::campaign()]).await.context("loading the demo campaign")?;
            tracing::info!("loaded the demo campaign {}", demo::SLUG);
        }
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("listening on {}", config.listen))?;
        let addr = listener.local_addr()?;
        let base_url = config.base_url.clone().unwrap_or_else(|| format!("http://{addr}"));
        let web = WebConfig {
            max_body_bytes: config.max_body_bytes,
            trusted_proxies: config.trusted_proxies.clone(),
            sign_rate_limit: config.sign_rate_limit,
            token_ttl: time::Duration::hours(config.token_ttl_hours),
            mail_budget: MailBudget { max: config.mails_per_address, window: time::Duration::days(1) },
            retention_days: config.retention_days,
            page_cache: std::time::Duration::from_millis(config.page_cache_ms),
            mail_due_alarm: (config.healthz_mail_minutes > 0)
                .then(|| std::time::Duration::from_secs(config.healthz_mail_minutes * 60)),
            ..WebConfig::new(base_url.clone())
        };
        let token_ttl = web.token_ttl;
        let state = AppState::new(store, web, secret).map_err(|e| anyhow::anyhow!(e))?;
        let mail = Arc::new(mail::MailWorker {
            store: state.store.clone(),
            pages: state.pages.clone(),
            keys: state.keys.clone(),
            base_url: base_url.clone(),
            from: mail::sender(config.mail_from.as_deref(), &base_url)?,
            transport: mail::Transport::new(
                config.smtp_url.as_deref(),
                &config.data_dir,
                std::time::Duration::from_secs(config.smtp_timeout_seconds),
            )?,
            token_ttl,
            retry_base: std::time::Duration::from_secs(config.mail_retry_seconds),
            wake: state.mail_queued.clone(),
            concurrency: config.smtp_connections,
            campaigns: undersigned_web::cache::Kept::new(std::time::Duration::from_secs(1)),
            lease: time::Duration::seconds(config.mail_lease_seconds as i64),
            relay_down: Default::default(),
        });
        if config.smtp_url.is_none() {
            tracing::warn!(
                dir = %config.data_dir.join("mail").display(),
                "no SMTP server configured (--smtp-url): mail is written to files and its links are logged"
            );
        }
        tracing::info!(backend = state.store.backend(), %addr, "ready");
        Ok(Self {
            listener,
            state,
            mail,
            ip_hash_days: config.ip_hash_days,
            retention_days: config.retention_days,
            limits: listen::Limits {
                max_connections: config.max_connections,
                header_read_timeout: std::time::Duration::from_secs(config.header_read_timeout_seconds),
                // As long as a request may take (the router's own timeout), and a little more.
                shutdown_grace: std::time::Duration::from_secs(35),
            },
            addr,
            base_url,
        })
    }

    /// Serves until `shutdown` completes, then finishes the requests under way. The mail worker
    /// and the hourly clean-up run beside it.
    pub async fn run_until_shutdown(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let mail = tokio::spawn(self.mail.clone().run(stopped.clone()));
        let upkeep =
            tokio::spawn(upkeep(self.state.clone(), self.ip_hash_days, self.retention_days, stopped.clone()));
        let closing = tokio::spawn(life::close_ended(self.state.clone(), stopped.clone()));
        let counting = tokio::spawn(fold_counts(self.state.clone(), stopped));
        listen::serve(self.listener, undersigned_web::router(self.state), self.limits, shutdown).await;
        let _ = stop.send(true);
        let _ = tokio::join!(mail, upkeep, counting, closing);
        tracing::info!("stopped");
        Ok(())
    }
}

/// Anonymises (or, with `dry_run`, lists) the campaigns whose retention period is over.
pub async fn retention(store: &dyn Store, days: i64, dry_run: bool) -> anyhow::Result<String> {
    let before = undersigned_core::store::now() - time::Duration::days(days);
    let mut out = String::new();
    for due in store.retention_due(before).await? {
        let slug =
            store.campaign_by_id(due.campaign).await?.map(|c| c.content.slug.to_string()).unwrap_or_default();
        if dry_run {
            out.push_str(&format!(
                "{slug}: ended {}; would anonymise {} signatures and {} endorsement contacts\n",
                due.ended_at.date(),
                due.signatures,
                due.endorsements
            ));
        } else {
            let n = store.anonymise(due.campaign).await?;
            tracing::info!(campaign = %slug, signatures = n, "anonymised after the retention period");
            out.push_str(&format!("{slug}: anonymised {n} signatures\n"));
        }
    }
    if out.is_empty() {
        out = "nothing is due\n".to_owned();
    }
    Ok(out)
}

/// Hourly: forget the keyed IP hashes older than their time, anonymise campaigns whose retention
/// period is over, and forget the rate limiter's idle entries.
async fn upkeep(
    state: AppState,
    ip_hash_days: i64,
    retention_days: i64,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        if let Err(e) = retention(state.store.as_ref(), retention_days, false).await {
            tracing::warn!(error = %e, "could not anonymise ended campaigns");
        }
        let before = undersigned_core::store::now() - time::Duration::days(ip_hash_days);
        match state.store.forget_ip_hashes(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(forgotten = n, "forgot the IP hashes of older signatures"),
            Err(e) => tracing::warn!(error = %e, "could not forget old IP hashes"),
        }
        if let Some(limiter) = &state.sign_limiter {
            limiter.retain_recent();
        }
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Every second: fold the count journal into the aggregated counts (as the UK petitions site's
/// batch counter does), so that the journal a count reads stays short. Counts are exact whether
/// or not this has run; it only keeps them cheap.
async fn fold_counts(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
            _ = stop.changed() => return,
        }
        if let Err(e) = state.store.fold_counts().await {
            tracing::warn!(error = %e, "could not fold the count journal");
        }
    }
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
