//! The `undersigned` command line: its commands and their arguments, and `config example`, the
//! options written out as a TOML file.

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

use crate::config::{Options, defaults};

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
    /// Endorsements: review those sent through the site, record those that came by email or on paper.
    #[command(subcommand)]
    Endorsement(EndorsementCommand),
    /// Organisers' accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// The outbox: mail given up.
    #[command(subcommand)]
    Mail(MailCommand),
    /// The data key: what signers' addresses and IP hashes are sealed under.
    #[command(subcommand)]
    Data(DataCommand),
    /// Copy the database and the secret key into one file, while the server runs (it writes
    /// nothing to the database, and migrates nothing). The data key is left out unless asked for
    /// (docs/operating.md, "Backups").
    Backup {
        /// The file to write; it must not exist.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Put the data key in the file too: whoever has the file can then read every signer's
        /// address.
        #[arg(long)]
        include_data_key: bool,
    },
    /// Restore a backup into an empty database (--database) and an empty data directory
    /// (--data-dir). The file is checked whole before anything is written.
    Restore {
        /// The file `undersigned backup` wrote.
        file: PathBuf,
    },
    /// Check a campaign's CSV export against the signed checkpoint of its signature log: says
    /// which row fails, or OK. Needs no database (docs/verifying.md).
    Verify {
        /// The export (`…-signatures.csv`).
        file: PathBuf,
        /// The site's verifier key (as /log/key shows it), or a file holding it; without it the
        /// key the file names is used, and the output says so.
        #[arg(long, value_name = "VERIFIER_KEY")]
        key: Option<String>,
    },
    /// Anonymise the signers of campaigns that ended more than --retention-days ago (the server
    /// also does it by itself, hourly).
    Retention {
        /// Only list what would be anonymised.
        #[arg(long)]
        dry_run: bool,
    },
    /// The "under attack" mode: signing needs a proof of work done in the browser (or, without
    /// JavaScript, is held to a stricter limit). Site-wide, or for one campaign.
    UnderAttack {
        /// on, off, or status.
        #[arg(value_parser = ["on", "off", "status"])]
        mode: String,
        /// Only this campaign (default: the whole site).
        #[arg(long, value_name = "SLUG")]
        campaign: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account, such as the first admin. The password is read from UNDERSIGNED_PASSWORD,
    /// else from the first line of standard input; never from the command line.
    Add {
        email: String,
        /// The organiser's name (default: the part of the address before @).
        #[arg(long)]
        name: Option<String>,
        /// An admin sees and may do everything on every campaign.
        #[arg(long)]
        admin: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum EndorsementCommand {
    /// List endorsements (by default those awaiting approval).
    List {
        /// Only this campaign's.
        #[arg(long, value_name = "SLUG")]
        campaign: Option<String>,
        /// unverified, awaiting-approval, approved or rejected.
        #[arg(long, default_value = "awaiting-approval")]
        state: String,
    },
    /// Approve a confirmed endorsement: it is listed and counted.
    Approve { id: i64 },
    /// Reject a confirmed endorsement.
    Reject {
        id: i64,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Record an endorsement that came by email or on paper: an organisation, or a number of
    /// individuals ("15 individuals").
    Add {
        #[arg(long, value_name = "SLUG")]
        campaign: String,
        /// The organisation's name.
        #[arg(long, conflicts_with = "individuals", required_unless_present_any = ["individuals", "person"])]
        organisation: Option<String>,
        /// trade-union, ngo, media or other.
        #[arg(long = "type", default_value = "other")]
        org_type: String,
        #[arg(long)]
        website: Option<String>,
        /// How many people, names not listed.
        #[arg(long)]
        individuals: Option<i64>,
        /// One person, named.
        #[arg(long, conflicts_with_all = ["organisation", "individuals"])]
        person: Option<String>,
        /// ISO 3166 code of the country or region it is listed under (HK, TW, GB...).
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        statement: Option<String>,
        /// Where it came from ("by email, 12 February 2004", "paper forms, May Day rally").
        #[arg(long, value_name = "NOTE")]
        source: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum DataCommand {
    /// Seal the addresses and IP hashes a version before the data key left in clear. Each batch
    /// commits: it can be stopped and run again, and the server may run meanwhile.
    Seal {
        /// Rows sealed in one transaction.
        #[arg(long, default_value_t = 1000, value_name = "N")]
        batch_size: u32,
        /// Stop after sealing this many rows (run it again for the rest).
        #[arg(long, value_name = "N")]
        limit: Option<u64>,
    },
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

#[derive(Subcommand, Debug)]
pub enum MailCommand {
    /// List mail given up: kind, when, SMTP code and class, campaign (never the address).
    Failed,
    /// Put mail given up back in the outbox, to be sent at once: those with these ids, or all.
    Retry {
        #[arg(required_unless_present = "all", value_name = "ID")]
        ids: Vec<i64>,
        /// Every mail given up.
        #[arg(long, conflicts_with = "ids")]
        all: bool,
    },
}

/// A TOML file naming every option with its meaning (its help on the command line), environment
/// variable and default.
pub fn example() -> String {
    let defaults = defaults();
    let mut out = String::from(
        "# Undersigned configuration. Pass this file with --config FILE (or UNDERSIGNED_CONFIG).\n\
         # Every option is optional; the values shown are the defaults. Environment variables and\n\
         # command-line options override the file.\n",
    );
    let command = Cli::command();
    for arg in command.get_arguments() {
        let id = arg.get_id().as_str();
        let key = id.replace('-', "_");
        let Some((_, default)) = defaults.iter().find(|(k, _)| *k == key) else {
            continue;
        };
        let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        out.push('\n');
        for line in textwrap(&help, 96) {
            out.push_str(&format!("# {line}\n"));
        }
        let env = arg.get_env().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
        out.push_str(&format!("# (--{} / {env})\n#{key} = {default}\n", id.replace('_', "-")));
    }
    out.push_str(crate::oidc_config::EXAMPLE);
    out
}

fn textwrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(word.to_owned());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DEFAULT_LISTEN;

    #[test]
    fn the_example_names_every_option_and_parses_back() {
        let text = example();
        for key in [
            "listen",
            "database",
            "data_dir",
            "base_url",
            "no_demo",
            "backed_up",
            "secret_key",
            "max_body_bytes",
            "log_format",
            "smtp_url",
            "mail_from",
            "sign_rate_limit",
            "api_rate_limit",
            "trusted_proxies",
            "token_ttl_hours",
            "ip_hash_days",
            "mails_per_address",
            "mail_retry_seconds",
            "digest_seconds",
            "remind_after_seconds",
            "smtp_connections",
            "smtp_timeout_seconds",
            "mail_lease_seconds",
            "retention_days",
            "page_cache_ms",
            "healthz_mail_minutes",
            "max_connections",
            "header_read_timeout_seconds",
            "webhook_allow_private",
            "webhook_retry_schedule",
            "webhook_timeout_seconds",
            "webhook_lease_seconds",
            "pow_max_number",
            "pow_minutes",
            "unsolved_per_ip_hour",
            "unsolved_per_campaign_minute",
            "under_attack_signatures",
            "under_attack_addresses",
            "under_attack_quiet_minutes",
            "trending_log_per_hour",
            "trending_notify_per_hour",
            "defence_tally_seconds",
            "delivery_font",
            "metrics_listen",
            "metrics_token",
        ] {
            assert!(text.contains(&format!("\n#{key} = ")), "{key} missing from:\n{text}");
        }
        assert!(text.contains("UNDERSIGNED_LISTEN"));
        // Uncommented, the example is a valid config file.
        // (The `[[oidc]]` tables, after every option, are an example of their own.)
        let (options_part, oidc_part) = text.split_once("\n# OpenID Connect").unwrap();
        let oidc: String = oidc_part
            .lines()
            .filter_map(|l| l.strip_prefix('#').filter(|l| l.starts_with("[[") || l.contains(" = ")))
            .map(|l| format!("{l}\n"))
            .collect();
        let options: Options = toml::from_str(&oidc).unwrap();
        assert_eq!(options.oidc.len(), 1, "uncommented, the [[oidc]] example is a provider");
        assert!(options.oidc[0].client_secret_file.is_some() && options.oidc[0].organiser_domains.len() == 1);
        let uncommented: String = options_part
            .lines()
            .filter_map(|l| l.strip_prefix('#').filter(|l| l.contains(" = ")))
            .map(|l| format!("{l}\n"))
            .collect();
        let options: Options = toml::from_str(&uncommented).unwrap();
        assert_eq!(options.listen, Some(DEFAULT_LISTEN.parse().unwrap()));
    }
}
