//! The `undersigned` binary: command line, configuration, and wiring the store, the web layer
//! and (later) the workers together.

pub mod cli;
pub mod config;
pub mod demo;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Parser;
use tokio::net::TcpListener;
use undersigned_core::campaign_file::{self, FileError};
use undersigned_core::{CampaignSpec, EndorsementSource, Slug, Store};
use undersigned_store_postgres::PostgresStore;
use undersigned_store_sqlite::SqliteStore;
use undersigned_web::{AppState, WebConfig};

use crate::cli::{CampaignCommand, Cli, Command, ConfigCommand};
use crate::config::{Config, LogFormat};

/// Runs the command line; what `main` calls.
pub async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::resolve(cli.options, cli.config.as_deref())?;
    init_tracing(config.log_format);
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
            let imported = import_campaigns(store.as_ref(), &paths).await?;
            for spec in imported {
                println!(
                    "imported {} ({} language versions, {} endorsements)",
                    spec.content.slug,
                    spec.content.versions.len(),
                    spec.endorsements.len()
                );
            }
            Ok(())
        }
        Command::Campaign(CampaignCommand::Export { slug, out }) => {
            let store = open_store(&config).await?;
            let out = out.unwrap_or_else(|| PathBuf::from(&slug));
            for path in export_campaign(store.as_ref(), &slug, &out).await? {
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

/// Opens the database the URL names: `sqlite:` or `postgres:`/`postgresql:`.
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    let url = config.database.as_str();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating the data directory {}", config.data_dir.display()))?;
        let store =
            SqliteStore::connect(url).await.with_context(|| format!("opening the SQLite database {url}"))?;
        Ok(Arc::new(store))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = PostgresStore::connect(url).await.context("connecting to PostgreSQL")?;
        Ok(Arc::new(store))
    } else {
        bail!("the database URL must start with sqlite:// or postgres:// (it is {url})")
    }
}

/// Parses every folder first, then imports them all in one transaction: a bad file stops the
/// whole import before anything is written.
pub async fn import_campaigns(store: &dyn Store, paths: &[PathBuf]) -> anyhow::Result<Vec<CampaignSpec>> {
    let mut specs = Vec::new();
    let mut errors: Vec<FileError> = Vec::new();
    for path in paths {
        match campaign_file::parse_folder(path) {
            Ok(spec) => specs.push(spec),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        bail!("nothing was imported:\n  {}", list.join("\n  "));
    }
    store.import_campaigns(&specs).await.context("nothing was imported")?;
    Ok(specs)
}

/// Writes a campaign, with the endorsements that came with its files or by mail and paper, as a
/// folder.
pub async fn export_campaign(
    store: &dyn Store,
    slug: &str,
    out: &std::path::Path,
) -> anyhow::Result<Vec<PathBuf>> {
    let slug = Slug::parse("slug", slug)?;
    let Some(campaign) = store.campaign_by_slug(&slug).await? else {
        bail!("there is no campaign {slug}");
    };
    let endorsements = store
        .endorsements(campaign.id)
        .await?
        .into_iter()
        .filter(|e| e.source == EndorsementSource::CampaignFile)
        .map(|e| e.spec)
        .collect();
    let spec = CampaignSpec { content: campaign.content, endorsements };
    campaign_file::write_folder(&spec, out).with_context(|| format!("writing {}", out.display()))
}

/// A server bound to its address, ready to run.
pub struct Server {
    listener: TcpListener,
    state: AppState,
    pub addr: SocketAddr,
    pub base_url: String,
}

impl Server {
    /// Opens the database (migrating it), loads the demo into an empty one, and binds the address.
    pub async fn start(config: Config) -> anyhow::Result<Self> {
        let store = open_store(&config).await?;
        let _secret = config.load_secret_key()?;
        if config.demo && store.has_no_campaigns().await? {
            store.import_campaigns(&[demo::campaign()]).await.context("loading the demo campaign")?;
            tracing::info!("loaded the demo campaign {}", demo::SLUG);
        }
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("listening on {}", config.listen))?;
        let addr = listener.local_addr()?;
        let base_url = config.base_url.clone().unwrap_or_else(|| format!("http://{addr}"));
        let web = WebConfig { base_url: base_url.clone(), max_body_bytes: config.max_body_bytes };
        let state = AppState::new(store, web).map_err(|e| anyhow::anyhow!(e))?;
        tracing::info!(backend = state.store.backend(), %addr, "ready");
        Ok(Self { listener, state, addr, base_url })
    }

    /// Serves until `shutdown` completes, then finishes the requests under way.
    pub async fn run_until_shutdown(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let app = undersigned_web::router(self.state);
        axum::serve(self.listener, app).with_graceful_shutdown(shutdown).await?;
        tracing::info!("stopped");
        Ok(())
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
