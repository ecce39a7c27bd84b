//! The command line's commands other than `serve`: each runs against the database once and
//! returns what it prints.

pub mod backup;
pub mod campaign;
pub mod data;
pub mod defence;
pub mod endorsement;
pub mod mail;
pub mod retention;
pub mod user;
pub mod verify;

use std::path::PathBuf;
use std::sync::Arc;

use undersigned_core::Store;

use crate::cli::{self, CampaignCommand, Command, ConfigCommand, DataCommand, UserCommand};
use crate::config::Config;

/// Runs `command`; what it prints. The database is opened with `open` only by the commands that
/// need it, and only once their input is read (a password, say).
pub async fn run<F>(command: Command, config: &Config, open: impl FnOnce() -> F) -> anyhow::Result<String>
where
    F: Future<Output = anyhow::Result<Arc<dyn Store>>>,
{
    let lines = |lines: Vec<String>| lines.into_iter().map(|l| l + "\n").collect::<String>();
    match command {
        Command::Serve => anyhow::bail!("`serve` runs the server: it is not a command of this module"),
        Command::Config(ConfigCommand::Example) => Ok(cli::example()),
        Command::Campaign(CampaignCommand::Import { paths }) => {
            let store = open().await?;
            Ok(lines(campaign::import_campaigns(store.as_ref(), &paths).await?))
        }
        Command::Campaign(CampaignCommand::Export { slug, out }) => {
            let store = open().await?;
            let out = out.unwrap_or_else(|| PathBuf::from(&slug));
            let written = campaign::export_campaign(store.as_ref(), &slug, &out).await?;
            Ok(lines(written.iter().map(|path| format!("wrote {}", path.display())).collect()))
        }
        Command::User(UserCommand::Add { email, name, admin }) => {
            let password = user::password()?;
            let store = open().await?;
            let (email, id) =
                user::add_user(store.as_ref(), &email, name.as_deref(), admin, &password).await?;
            Ok(format!("created the account {email} (#{id}){}\n", if admin { ", an admin" } else { "" }))
        }
        Command::Retention { dry_run } => {
            let store = open().await?;
            retention::run(store.as_ref(), config.retention_days, dry_run).await
        }
        // Neither opens the store, which would migrate the database.
        Command::Backup { out, include_data_key } => backup::backup(config, &out, include_data_key).await,
        Command::Restore { file } => backup::restore(config, &file).await,
        Command::Verify { file, key } => verify::run(&file, key.as_deref()),
        Command::Mail(command) => mail::run(open().await?.as_ref(), command).await,
        Command::UnderAttack { mode, campaign } => {
            defence::under_attack(open().await?.as_ref(), &mode, campaign.as_deref()).await
        }
        Command::Endorsement(command) => endorsement::run(open().await?.as_ref(), command).await,
        Command::Data(DataCommand::Seal { batch_size, limit }) => {
            data::seal(open().await?.as_ref(), batch_size, limit).await
        }
    }
}
