//! The `undersigned` command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Options;

#[derive(Parser, Debug)]
#[command(name = "undersigned", version, about = "A self-hosted signature-campaign platform")]
pub struct Cli {
    /// A TOML configuration file (see `undersigned config example`).
    #[arg(long, global = true, env = "UNDERSIGNED_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub options: Options,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (what runs when no command is given).
    Serve,
    /// Configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Campaigns as text files: import and export.
    #[command(subcommand)]
    Campaign(CampaignCommand),
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print every option with its default and meaning, as a TOML file.
    Example,
}

#[derive(Subcommand, Debug)]
pub enum CampaignCommand {
    /// Create or update campaigns from their folders (campaign.toml and one <lang>.md per
    /// language). All or nothing: one bad file and nothing is imported.
    Import {
        /// Campaign folders, or the campaign.toml in them.
        #[arg(required = true, value_name = "FOLDER")]
        paths: Vec<PathBuf>,
    },
    /// Write a campaign out as a folder of files that `import` reads back.
    Export {
        slug: String,
        /// The folder to write (default: ./SLUG).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}
