//! Configuration: built-in defaults, then an optional TOML file, then environment variables, then
//! command-line options (each later one wins). `undersigned config example` prints every option.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use serde::Deserialize;

use undersigned_core::webhook::RetrySchedule;
use undersigned_web::WebConfig;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Lines for people.
    #[default]
    Text,
    /// One JSON object a line, for log collectors.
    Json,
}

/// The options, as given on the command line or in the environment. Each is also a key of the
/// TOML file (with `_` for `-`).
#[derive(Args, Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Address and port the server listens on.
    #[arg(long, global = true, env = "UNDERSIGNED_LISTEN", value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// The database: sqlite://PATH or postgres://USER@HOST/DB. Default: a SQLite file in the data
    /// directory.
    #[arg(long, global = true, env = "UNDERSIGNED_DATABASE", value_name = "URL")]
    pub database: Option<String>,
    /// A PostgreSQL hot standby of --database (postgres://USER@HOST/DB), which serves the public
    /// lists (signers, endorsements, campaigns; in pages and the API) a moment behind; while it
    /// fails they are read from --database. Only with a PostgreSQL --database.
    #[arg(
        long,
        global = true,
        env = "UNDERSIGNED_DATABASE_REPLICA",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_replica: Option<String>,
    /// Where the server keeps its files: the SQLite database, the secret key, outgoing mail when no
    /// SMTP server is set.
    #[arg(long, global = true, env = "UNDERSIGNED_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The site's public address, used in links and mails. Default: http:// and the listen address.
    #[arg(long, global = true, env = "UNDERSIGNED_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// The database has been backed up (`undersigned backup --out FILE`): migrations that lose data
    /// may run on it. Without it, a start that would run one on a database holding data refuses
    /// and names it. Meant for the one start after the backup.
    #[arg(long, global = true, env = "UNDERSIGNED_BACKED_UP")]
    #[serde(default)]
    pub backed_up: bool,
    /// Do not load the demo campaign into an empty database.
    #[arg(long, global = true, env = "UNDERSIGNED_NO_DEMO")]
    #[serde(default)]
    pub no_demo: bool,
    /// The secret that signs tokens and cookies, 64 hex digits. Default: generated on first start
    /// into DATA_DIR/secret.key.
    #[arg(long, global = true, env = "UNDERSIGNED_SECRET_KEY", value_name = "HEX", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// The data key, 64 hex digits: what signers' addresses and IP hashes are sealed under in the
    /// database. Kept apart from the database's backups (see docs/operating.md). Default: read
    /// from --data-key-file.
    #[arg(long, global = true, env = "UNDERSIGNED_DATA_KEY", value_name = "HEX", hide_env_values = true)]
    pub data_key: Option<String>,
    /// The file that holds the data key, such as one on another volume than the database's.
    /// Default: DATA_DIR/data.key, generated on first start.
    #[arg(long, global = true, env = "UNDERSIGNED_DATA_KEY_FILE", value_name = "PATH")]
    pub data_key_file: Option<PathBuf>,
    /// The largest request body accepted, in bytes.
    #[arg(long, global = true, env = "UNDERSIGNED_MAX_BODY_BYTES", value_name = "BYTES")]
    pub max_body_bytes: Option<usize>,
    /// How logs are written: text or json. The level is set with RUST_LOG (default: info).
    #[arg(long, global = true, env = "UNDERSIGNED_LOG_FORMAT", value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,
    /// The SMTP server mail goes out through: smtp://HOST:PORT (plain), smtp://USER:PASSWORD@HOST:587?tls=required
    /// (STARTTLS) or smtps://USER:PASSWORD@HOST (TLS). Without it, mail is written as .eml files under
    /// DATA_DIR/mail and its links are logged.
    #[arg(long, global = true, env = "UNDERSIGNED_SMTP_URL", value_name = "URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of the site's mail. Default: Undersigned <noreply@HOST of the base URL>.
    #[arg(long, global = true, env = "UNDERSIGNED_MAIL_FROM", value_name = "MAILBOX")]
    pub mail_from: Option<String>,
    /// Signatures and endorsements accepted from one IP address per hour; 0 turns the limit off.
    #[arg(long, global = true, env = "UNDERSIGNED_SIGN_RATE_LIMIT", value_name = "N")]
    pub sign_rate_limit: Option<u32>,
    /// Requests one API token may make per minute (beyond it: 429 with Retry-After); 0 turns the
    /// limit off.
    #[arg(long, global = true, env = "UNDERSIGNED_API_RATE_LIMIT", value_name = "N")]
    pub api_rate_limit: Option<u32>,
    /// Reverse proxies (comma-separated IP addresses) whose X-Forwarded-For header gives the client
    /// address. Without it, the client address is the connection's.
    #[arg(
        long,
        global = true,
        env = "UNDERSIGNED_TRUSTED_PROXIES",
        value_name = "IPS",
        value_delimiter = ','
    )]
    pub trusted_proxies: Option<Vec<IpAddr>>,
    /// The proof of work's difficulty in the "under attack" mode: the largest number a challenge hides
    /// (ALTCHA's maxnumber). A browser tries half of it on average (about 0.3 s a million on a laptop).
    #[arg(long, global = true, env = "UNDERSIGNED_POW_MAX_NUMBER", value_name = "N")]
    pub pow_max_number: Option<u64>,
    /// Minutes a proof-of-work challenge may be solved and sent in.
    #[arg(long, global = true, env = "UNDERSIGNED_POW_MINUTES", value_name = "MINUTES")]
    pub pow_minutes: Option<i64>,
    /// In the "under attack" mode: signatures without a proof of work (no JavaScript) taken from one IP
    /// address per hour; 0: none.
    #[arg(long, global = true, env = "UNDERSIGNED_UNSOLVED_PER_IP_HOUR", value_name = "N")]
    pub unsolved_per_ip_hour: Option<u32>,
    /// In the "under attack" mode: signatures without a proof of work taken per campaign per minute,
    /// from all addresses together.
    #[arg(long, global = true, env = "UNDERSIGNED_UNSOLVED_PER_CAMPAIGN_MINUTE", value_name = "N")]
    pub unsolved_per_campaign_minute: Option<i64>,
    /// The automatic switch: a campaign signed this many times in the current and the previous
    /// minute (from at least --under-attack-addresses IP hashes) goes into the mode; 0 turns it off.
    #[arg(long, global = true, env = "UNDERSIGNED_UNDER_ATTACK_SIGNATURES", value_name = "N")]
    pub under_attack_signatures: Option<i64>,
    /// The automatic switch: how many different IP hashes those signatures must come from.
    #[arg(long, global = true, env = "UNDERSIGNED_UNDER_ATTACK_ADDRESSES", value_name = "N")]
    pub under_attack_addresses: Option<i64>,
    /// Minutes below the switch's rate before a mode the switch turned on goes off by itself.
    #[arg(long, global = true, env = "UNDERSIGNED_UNDER_ATTACK_QUIET_MINUTES", value_name = "MINUTES")]
    pub under_attack_quiet_minutes: Option<i64>,
    /// Signatures of one campaign in an hour from one email domain or IP hash that are logged and shown
    /// on the dashboard; 0 turns the trending alert off.
    #[arg(long, global = true, env = "UNDERSIGNED_TRENDING_LOG_PER_HOUR", value_name = "N")]
    pub trending_log_per_hour: Option<i64>,
    /// ...and that are mailed to the campaign's owners and moderators (once an hour per domain or hash).
    #[arg(long, global = true, env = "UNDERSIGNED_TRENDING_NOTIFY_PER_HOUR", value_name = "N")]
    pub trending_notify_per_hour: Option<i64>,
    /// Seconds between an instance's additions of its signing tallies to the database (for the switch
    /// and the trending alert); 0: after every signature.
    #[arg(long, global = true, env = "UNDERSIGNED_DEFENCE_TALLY_SECONDS", value_name = "SECONDS")]
    pub defence_tally_seconds: Option<u64>,
    /// How long the link in a confirmation mail works, in hours.
    #[arg(long, global = true, env = "UNDERSIGNED_TOKEN_TTL_HOURS", value_name = "HOURS")]
    pub token_ttl_hours: Option<i64>,
    /// How many days the keyed hash of a signer's IP address is kept (for abuse checks) before it is
    /// deleted.
    #[arg(long, global = true, env = "UNDERSIGNED_IP_HASH_DAYS", value_name = "DAYS")]
    pub ip_hash_days: Option<i64>,
    /// How many mails one address gets about one campaign in a day (confirmation links sent again,
    /// "already signed").
    #[arg(long, global = true, env = "UNDERSIGNED_MAILS_PER_ADDRESS", value_name = "N")]
    pub mails_per_address: Option<i64>,
    /// Seconds before a failed mail is tried again; doubled at each failure, up to an hour.
    #[arg(long, global = true, env = "UNDERSIGNED_MAIL_RETRY_SECONDS", value_name = "SECONDS")]
    pub mail_retry_seconds: Option<u64>,
    /// Seconds between two digests of the notices an organiser chose to have in one mail (a day).
    #[arg(long, global = true, env = "UNDERSIGNED_DIGEST_SECONDS", value_name = "SECONDS")]
    pub digest_seconds: Option<u64>,
    /// Seconds after signing before a signer who has not confirmed is reminded, once, where the
    /// campaign asks for it (a day).
    #[arg(long, global = true, env = "UNDERSIGNED_REMIND_AFTER_SECONDS", value_name = "SECONDS")]
    pub remind_after_seconds: Option<u64>,
    /// Mails sent at once, each over an SMTP connection of its own (kept open for the next). More
    /// sends faster, if the relay accepts that many connections.
    #[arg(long, global = true, env = "UNDERSIGNED_SMTP_CONNECTIONS", value_name = "N")]
    pub smtp_connections: Option<u32>,
    /// Seconds one mail may take to send, connecting included; a relay silent for longer is left
    /// and the mail tried again later.
    #[arg(long, global = true, env = "UNDERSIGNED_SMTP_TIMEOUT_SECONDS", value_name = "SECONDS")]
    pub smtp_timeout_seconds: Option<u64>,
    /// Seconds a mail being sent is held by one server before another may take it: after a
    /// crash, the mails that were under way go out this much later. More than --smtp-timeout-seconds.
    #[arg(long, global = true, env = "UNDERSIGNED_MAIL_LEASE_SECONDS", value_name = "SECONDS")]
    pub mail_lease_seconds: Option<u64>,
    /// Days after a campaign ends (closed or won) before its signers' personal data is anonymised:
    /// counts, countries and the names as shown publicly stay; addresses and private fields go.
    #[arg(long, global = true, env = "UNDERSIGNED_RETENTION_DAYS", value_name = "DAYS")]
    pub retention_days: Option<i64>,
    /// Milliseconds a rendered campaign page, and a campaign's counts (count.json, the list), are
    /// served again before they are made anew (counts are at most that far behind); 0 turns it off.
    #[arg(long, global = true, env = "UNDERSIGNED_PAGE_CACHE_MS", value_name = "MS")]
    pub page_cache_ms: Option<u64>,
    /// Minutes a mail may wait past its time to be sent before /healthz answers 503 (the mail is not
    /// going out); 0 turns the check off.
    #[arg(long, global = true, env = "UNDERSIGNED_HEALTHZ_MAIL_MINUTES", value_name = "MINUTES")]
    pub healthz_mail_minutes: Option<u64>,
    /// Connections served at once; more wait until one ends. Keep it below the process's limit on
    /// open files (`ulimit -n`), less what the database and mail need.
    #[arg(long, global = true, env = "UNDERSIGNED_MAX_CONNECTIONS", value_name = "N")]
    pub max_connections: Option<usize>,
    /// Seconds a connection has to send a request's headers before it is closed.
    #[arg(long, global = true, env = "UNDERSIGNED_HEADER_READ_TIMEOUT_SECONDS", value_name = "SECONDS")]
    pub header_read_timeout_seconds: Option<u64>,
    /// Let webhooks point at this server's own networks (loopback, 10/8, 172.16/12, 192.168/16,
    /// link-local and the cloud metadata address, 100.64/10, fc00::/7, ...) and use plain http: for
    /// tests and a receiver on the same machine. Without it such addresses are refused, when an
    /// endpoint is registered and before each delivery, so that nobody can use the site to probe
    /// its own network.
    #[arg(long, global = true, env = "UNDERSIGNED_WEBHOOK_ALLOW_PRIVATE")]
    #[serde(default)]
    pub webhook_allow_private: bool,
    /// The waits before a failed webhook delivery is tried again, one after each failed attempt,
    /// comma-separated (s, m or h); after the last it is given up. Each is stretched by up to a
    /// fifth at random.
    #[arg(long, global = true, env = "UNDERSIGNED_WEBHOOK_RETRY_SCHEDULE", value_name = "WAITS")]
    pub webhook_retry_schedule: Option<String>,
    /// Seconds a webhook's receiver has to answer a delivery (connecting included) before the
    /// attempt counts as failed.
    #[arg(long, global = true, env = "UNDERSIGNED_WEBHOOK_TIMEOUT_SECONDS", value_name = "SECONDS")]
    pub webhook_timeout_seconds: Option<u64>,
    /// Seconds a webhook delivery being sent is held by one server before another may take it:
    /// after a crash, the deliveries that were under way go out this much later. More than
    /// --webhook-timeout-seconds and the time to resolve a host (5 s).
    #[arg(long, global = true, env = "UNDERSIGNED_WEBHOOK_LEASE_SECONDS", value_name = "SECONDS")]
    pub webhook_lease_seconds: Option<u64>,
    /// A TrueType or OpenType font file (the first face of a collection) for the delivery PDF,
    /// instead of the bundled WenQuanYi Micro Hei (Latin and Chinese, Simplified and Traditional):
    /// for other scripts, or a region's glyph forms. Read once at start.
    #[arg(long, global = true, env = "UNDERSIGNED_DELIVERY_FONT", value_name = "PATH")]
    pub delivery_font: Option<PathBuf>,
    /// An address and port of its own that serves only /metrics (Prometheus' text format), such as
    /// one that only the monitoring network reaches. Default: none.
    #[arg(long, global = true, env = "UNDERSIGNED_METRICS_LISTEN", value_name = "ADDR")]
    pub metrics_listen: Option<String>,
    /// Serves /metrics on the main address too, to a request with `Authorization: Bearer TOKEN`
    /// (and asks for it on --metrics-listen as well): at least 16 of the characters letters, digits
    /// and - . _ ~ + /. Default: none, and /metrics on the main address is a 404.
    #[arg(
        long,
        global = true,
        env = "UNDERSIGNED_METRICS_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,
    /// OpenID Connect providers: `[[oidc]]` tables, only in the configuration file (see
    /// `crate::oidc_config`).
    #[arg(skip)]
    #[serde(default)]
    pub oidc: Vec<crate::oidc_config::OidcOptions>,
}

/// The options with every default filled in.
#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    pub database: String,
    /// The hot standby the public lists are read from, if any (a PostgreSQL database's only).
    pub database_replica: Option<String>,
    pub data_dir: PathBuf,
    /// Without a trailing slash. `None`: derived from the address actually bound.
    pub base_url: Option<String>,
    pub demo: bool,
    /// Migrations that lose data may run (`--backed-up`).
    pub backed_up: bool,
    pub secret_key: Option<String>,
    /// The data key given as hex (else it is read from `data_key_file`).
    pub data_key: Option<String>,
    pub data_key_file: PathBuf,
    pub max_body_bytes: usize,
    pub log_format: LogFormat,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub sign_rate_limit: u32,
    pub api_rate_limit: u32,
    pub trusted_proxies: Vec<IpAddr>,
    pub token_ttl_hours: i64,
    pub ip_hash_days: i64,
    pub mails_per_address: i64,
    pub mail_retry_seconds: u64,
    pub digest_seconds: u64,
    pub remind_after_seconds: u64,
    pub smtp_connections: u32,
    pub smtp_timeout_seconds: u64,
    pub mail_lease_seconds: u64,
    pub retention_days: i64,
    pub page_cache_ms: u64,
    pub healthz_mail_minutes: u64,
    pub max_connections: usize,
    pub header_read_timeout_seconds: u64,
    pub webhook_allow_private: bool,
    pub webhook_retry_schedule: RetrySchedule,
    pub webhook_timeout_seconds: u64,
    pub webhook_lease_seconds: u64,
    pub defence: undersigned_web::defence::DefenceConfig,
    /// `None`: the bundled font.
    pub delivery_font: Option<PathBuf>,
    /// The listener of its own that serves only `/metrics`.
    pub metrics_listen: Option<SocketAddr>,
    /// The token `/metrics` asks for (checked: see [`metrics_token`]).
    pub metrics_token: Option<String>,
    /// The OpenID Connect providers, checked, their secrets read.
    pub oidc: Vec<undersigned_web::oidc::Provider>,
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./data";
pub const SECRET_KEY_FILE: &str = "secret.key";
pub const DATA_KEY_FILE: &str = "data.key";
pub const DEFAULT_IP_HASH_DAYS: i64 = 7;
pub const DEFAULT_MAILS_PER_ADDRESS: i64 = 3;
pub const DEFAULT_MAIL_RETRY_SECONDS: u64 = 30;
/// Organisers' digests: one a day.
pub const DEFAULT_DIGEST_SECONDS: u64 = 86_400;
/// Reminders to signers who have not confirmed: a day after they signed.
pub const DEFAULT_REMIND_AFTER_SECONDS: u64 = 86_400;
/// Enough for a few thousand mails a second to a local relay; a relay's own limit is often 100.
pub const DEFAULT_SMTP_CONNECTIONS: u32 = 64;
pub const DEFAULT_SMTP_TIMEOUT_SECONDS: u64 = 60;
pub const DEFAULT_MAIL_LEASE_SECONDS: u64 = 120;
pub const DEFAULT_RETENTION_DAYS: i64 = 180;
pub const DEFAULT_HEALTHZ_MAIL_MINUTES: u64 = 15;
pub const DEFAULT_MAX_CONNECTIONS: usize = 1_000;
pub const DEFAULT_HEADER_READ_TIMEOUT_SECONDS: u64 = 10;
pub const DEFAULT_WEBHOOK_TIMEOUT_SECONDS: u64 = 10;
pub const DEFAULT_WEBHOOK_LEASE_SECONDS: u64 = 60;

fn non_negative(name: &str, value: Option<i64>, default: i64) -> anyhow::Result<i64> {
    match value {
        Some(v) if v < 0 => bail!("--{name} must be 0 or more (it is {v})"),
        Some(v) => Ok(v),
        None => Ok(default),
    }
}

impl Options {
    /// Fills what is not given here from `file` (a TOML file's options).
    fn or(self, file: Options) -> Options {
        Options {
            listen: self.listen.or(file.listen),
            database: self.database.or(file.database),
            database_replica: self.database_replica.or(file.database_replica),
            data_dir: self.data_dir.or(file.data_dir),
            base_url: self.base_url.or(file.base_url),
            no_demo: self.no_demo || file.no_demo,
            backed_up: self.backed_up || file.backed_up,
            secret_key: self.secret_key.or(file.secret_key),
            data_key: self.data_key.or(file.data_key),
            data_key_file: self.data_key_file.or(file.data_key_file),
            max_body_bytes: self.max_body_bytes.or(file.max_body_bytes),
            log_format: self.log_format.or(file.log_format),
            smtp_url: self.smtp_url.or(file.smtp_url),
            mail_from: self.mail_from.or(file.mail_from),
            sign_rate_limit: self.sign_rate_limit.or(file.sign_rate_limit),
            api_rate_limit: self.api_rate_limit.or(file.api_rate_limit),
            trusted_proxies: self.trusted_proxies.or(file.trusted_proxies),
            pow_max_number: self.pow_max_number.or(file.pow_max_number),
            pow_minutes: self.pow_minutes.or(file.pow_minutes),
            unsolved_per_ip_hour: self.unsolved_per_ip_hour.or(file.unsolved_per_ip_hour),
            unsolved_per_campaign_minute: self
                .unsolved_per_campaign_minute
                .or(file.unsolved_per_campaign_minute),
            under_attack_signatures: self.under_attack_signatures.or(file.under_attack_signatures),
            under_attack_addresses: self.under_attack_addresses.or(file.under_attack_addresses),
            under_attack_quiet_minutes: self.under_attack_quiet_minutes.or(file.under_attack_quiet_minutes),
            trending_log_per_hour: self.trending_log_per_hour.or(file.trending_log_per_hour),
            trending_notify_per_hour: self.trending_notify_per_hour.or(file.trending_notify_per_hour),
            defence_tally_seconds: self.defence_tally_seconds.or(file.defence_tally_seconds),
            token_ttl_hours: self.token_ttl_hours.or(file.token_ttl_hours),
            ip_hash_days: self.ip_hash_days.or(file.ip_hash_days),
            mails_per_address: self.mails_per_address.or(file.mails_per_address),
            mail_retry_seconds: self.mail_retry_seconds.or(file.mail_retry_seconds),
            digest_seconds: self.digest_seconds.or(file.digest_seconds),
            remind_after_seconds: self.remind_after_seconds.or(file.remind_after_seconds),
            smtp_connections: self.smtp_connections.or(file.smtp_connections),
            smtp_timeout_seconds: self.smtp_timeout_seconds.or(file.smtp_timeout_seconds),
            mail_lease_seconds: self.mail_lease_seconds.or(file.mail_lease_seconds),
            retention_days: self.retention_days.or(file.retention_days),
            page_cache_ms: self.page_cache_ms.or(file.page_cache_ms),
            healthz_mail_minutes: self.healthz_mail_minutes.or(file.healthz_mail_minutes),
            max_connections: self.max_connections.or(file.max_connections),
            header_read_timeout_seconds: self
                .header_read_timeout_seconds
                .or(file.header_read_timeout_seconds),
            webhook_allow_private: self.webhook_allow_private || file.webhook_allow_private,
            webhook_retry_schedule: self.webhook_retry_schedule.or(file.webhook_retry_schedule),
            webhook_timeout_seconds: self.webhook_timeout_seconds.or(file.webhook_timeout_seconds),
            webhook_lease_seconds: self.webhook_lease_seconds.or(file.webhook_lease_seconds),
            delivery_font: self.delivery_font.or(file.delivery_font),
            metrics_listen: self.metrics_listen.or(file.metrics_listen),
            metrics_token: self.metrics_token.or(file.metrics_token),
            oidc: if self.oidc.is_empty() { file.oidc } else { self.oidc },
        }
    }
}

impl Config {
    /// Resolves the options given on the command line and in the environment, reading the config
    /// file first where one is named.
    pub fn resolve(options: Options, file: Option<&Path>) -> anyhow::Result<Self> {
        let options = match file {
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
                let from_file: Options = toml::from_str(&text)
                    .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.to_string().trim()))?;
                options.or(from_file)
            }
            None => options,
        };
        let defence = defence(&options)?;
        let data_dir = options.data_dir.unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database = options
            .database
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("undersigned.db").display()));
        let database_replica = replica(options.database_replica, &database)?;
        let data_key_file = options.data_key_file.unwrap_or_else(|| data_dir.join(DATA_KEY_FILE));
        let base_url = options.base_url.map(|u| u.trim_end_matches('/').to_owned());
        if let Some(url) = &base_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            bail!("--base-url must start with http:// or https:// (it is {url})");
        }
        let smtp_timeout_seconds =
            options.smtp_timeout_seconds.unwrap_or(DEFAULT_SMTP_TIMEOUT_SECONDS).max(1);
        let mail_lease_seconds = options.mail_lease_seconds.unwrap_or(DEFAULT_MAIL_LEASE_SECONDS);
        if mail_lease_seconds <= smtp_timeout_seconds {
            bail!(
                "--mail-lease-seconds ({mail_lease_seconds}) must be more than --smtp-timeout-seconds \
                 ({smtp_timeout_seconds}), or a slow mail could be sent twice"
            );
        }
        let webhook_retry_schedule =
            RetrySchedule::parse(options.webhook_retry_schedule.as_deref().unwrap_or(RetrySchedule::DEFAULT))
                .map_err(|e| anyhow::anyhow!("--webhook-retry-schedule: {e}"))?;
        let webhook_timeout_seconds =
            options.webhook_timeout_seconds.unwrap_or(DEFAULT_WEBHOOK_TIMEOUT_SECONDS).max(1);
        let webhook_lease_seconds = options.webhook_lease_seconds.unwrap_or(DEFAULT_WEBHOOK_LEASE_SECONDS);
        if webhook_lease_seconds <= webhook_timeout_seconds + 5 {
            bail!(
                "--webhook-lease-seconds ({webhook_lease_seconds}) must be more than --webhook-timeout-seconds \
                 ({webhook_timeout_seconds}) and 5 s to resolve the host, or a slow delivery could be sent twice"
            );
        }
        Ok(Self {
            listen: options
                .listen
                .unwrap_or_else(|| DEFAULT_LISTEN.parse().expect("a valid default address")),
            database,
            database_replica,
            data_dir,
            base_url,
            demo: !options.no_demo,
            backed_up: options.backed_up,
            secret_key: options.secret_key,
            data_key: options.data_key,
            data_key_file,
            max_body_bytes: options
                .max_body_bytes
                .unwrap_or(undersigned_web::WebConfig::DEFAULT_MAX_BODY_BYTES),
            log_format: options.log_format.unwrap_or_default(),
            smtp_url: options.smtp_url.filter(|u| !u.trim().is_empty()),
            mail_from: options.mail_from,
            sign_rate_limit: options.sign_rate_limit.unwrap_or(WebConfig::DEFAULT_SIGN_RATE_LIMIT),
            api_rate_limit: options.api_rate_limit.unwrap_or(WebConfig::DEFAULT_API_RATE_LIMIT),
            trusted_proxies: options.trusted_proxies.unwrap_or_default(),
            token_ttl_hours: non_negative(
                "token-ttl-hours",
                options.token_ttl_hours,
                WebConfig::DEFAULT_TOKEN_TTL_HOURS,
            )?,
            ip_hash_days: non_negative("ip-hash-days", options.ip_hash_days, DEFAULT_IP_HASH_DAYS)?,
            mails_per_address: non_negative(
                "mails-per-address",
                options.mails_per_address,
                DEFAULT_MAILS_PER_ADDRESS,
            )?,
            mail_retry_seconds: options.mail_retry_seconds.unwrap_or(DEFAULT_MAIL_RETRY_SECONDS).max(1),
            digest_seconds: options.digest_seconds.unwrap_or(DEFAULT_DIGEST_SECONDS).max(1),
            remind_after_seconds: options.remind_after_seconds.unwrap_or(DEFAULT_REMIND_AFTER_SECONDS).max(1),
            smtp_connections: options.smtp_connections.unwrap_or(DEFAULT_SMTP_CONNECTIONS).clamp(1, 1024),
            smtp_timeout_seconds,
            mail_lease_seconds,
            retention_days: non_negative("retention-days", options.retention_days, DEFAULT_RETENTION_DAYS)?,
            page_cache_ms: options.page_cache_ms.unwrap_or(1_000),
            healthz_mail_minutes: options.healthz_mail_minutes.unwrap_or(DEFAULT_HEALTHZ_MAIL_MINUTES),
            max_connections: options.max_connections.unwrap_or(DEFAULT_MAX_CONNECTIONS).max(1),
            header_read_timeout_seconds: options
                .header_read_timeout_seconds
                .unwrap_or(DEFAULT_HEADER_READ_TIMEOUT_SECONDS)
                .max(1),
            webhook_allow_private: options.webhook_allow_private,
            webhook_retry_schedule,
            webhook_timeout_seconds,
            webhook_lease_seconds,
            defence,
            delivery_font: options.delivery_font.filter(|p| !p.as_os_str().is_empty()),
            metrics_listen: metrics_listen(options.metrics_listen.as_deref())?,
            metrics_token: metrics_token(options.metrics_token)?,
            oidc: crate::oidc_config::providers(&options.oidc)?,
        })
    }

    /// Whether `/metrics` is served anywhere (and so whether metrics are recorded at all).
    pub fn metrics_on(&self) -> bool {
        self.metrics_listen.is_some() || self.metrics_token.is_some()
    }

    /// The secret key: the configured one, else the one in the data directory, made there on first
    /// start (readable by the owner only).
    pub fn load_secret_key(&self) -> anyhow::Result<[u8; 32]> {
        let parse = |hex_text: &str, from: &str| -> anyhow::Result<[u8; 32]> {
            let bytes = hex::decode(hex_text.trim())
                .with_context(|| format!("the secret key in {from} is not hex"))?;
            bytes
                .try_into()
                .map_err(|_| anyhow::anyhow!("the secret key in {from} must be 32 bytes (64 hex digits)"))
        };
        if let Some(key) = &self.secret_key {
            return parse(key, "the configuration");
        }
        let path = self.data_dir.join(SECRET_KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => parse(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key: [u8; 32] = rand::random();
                write_private(&path, &hex::encode(key))?;
                tracing::info!(path = %path.display(), "generated a new secret key");
                Ok(key)
            }
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The replica, checked against the database (an empty one: none). The errors do not repeat the
/// URLs, which may hold passwords.
fn replica(replica: Option<String>, database: &str) -> anyhow::Result<Option<String>> {
    let Some(replica) = replica.filter(|r| !r.trim().is_empty()) else {
        return Ok(None);
    };
    if !is_postgres(&replica) {
        bail!("--database-replica must be a postgres:// URL of a PostgreSQL hot standby");
    }
    if !is_postgres(database) {
        bail!(
            "--database-replica needs a PostgreSQL --database (postgres://), of which it is a hot standby: \
             a SQLite database has no replica"
        );
    }
    Ok(Some(replica))
}

/// `--metrics-listen`: an address and port; empty is none.
fn metrics_listen(given: Option<&str>) -> anyhow::Result<Option<SocketAddr>> {
    match given.map(str::trim).filter(|a| !a.is_empty()) {
        None => Ok(None),
        Some(addr) => addr.parse().map(Some).map_err(|_| {
            anyhow::anyhow!(
                "--metrics-listen must be an address and port such as 127.0.0.1:9090 (it is {addr})"
            )
        }),
    }
}

/// The shortest `--metrics-token` taken: anyone who reaches the server may try to guess it.
pub const MIN_METRICS_TOKEN: usize = 16;

/// `--metrics-token`: what a bearer token may hold (RFC 6750's characters, so that it is sent as
/// it is), long enough not to be guessed; empty is none.
fn metrics_token(given: Option<String>) -> anyhow::Result<Option<String>> {
    let Some(token) = given.filter(|t| !t.is_empty()) else { return Ok(None) };
    let body = token.trim_end_matches('=');
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b)) {
        bail!(
            "--metrics-token may hold only letters, digits and - . _ ~ + / (and = at its end), as a \
             bearer token is sent; generate one with `openssl rand -hex 32`"
        );
    }
    if token.len() < MIN_METRICS_TOKEN {
        bail!(
            "--metrics-token must be at least {MIN_METRICS_TOKEN} characters (it has {}): anyone who \
             reaches the server may try to guess it; generate one with `openssl rand -hex 32`",
            token.len()
        );
    }
    Ok(Some(token))
}

/// The bot defence's settings, each checked.
fn defence(options: &Options) -> anyhow::Result<undersigned_web::defence::DefenceConfig> {
    let d = undersigned_web::defence::DefenceConfig::default();
    let pow_minutes = options.pow_minutes.unwrap_or(d.pow_minutes);
    if pow_minutes < 1 {
        bail!("--pow-minutes must be 1 or more (it is {pow_minutes})");
    }
    Ok(undersigned_web::defence::DefenceConfig {
        pow_max_number: options.pow_max_number.unwrap_or(d.pow_max_number).max(1),
        pow_minutes,
        unsolved_per_ip_hour: options.unsolved_per_ip_hour.unwrap_or(d.unsolved_per_ip_hour),
        unsolved_per_campaign_minute: non_negative(
            "unsolved-per-campaign-minute",
            options.unsolved_per_campaign_minute,
            d.unsolved_per_campaign_minute,
        )?,
        auto_signatures: non_negative(
            "under-attack-signatures",
            options.under_attack_signatures,
            d.auto_signatures,
        )?,
        auto_distinct_ips: non_negative(
            "under-attack-addresses",
            options.under_attack_addresses,
            d.auto_distinct_ips,
        )?,
        quiet_minutes: non_negative(
            "under-attack-quiet-minutes",
            options.under_attack_quiet_minutes,
            d.quiet_minutes,
        )?,
        trend_log: non_negative("trending-log-per-hour", options.trending_log_per_hour, d.trend_log)?,
        trend_notify: non_negative(
            "trending-notify-per-hour",
            options.trending_notify_per_hour,
            d.trend_notify,
        )?,
        tally_every: options.defence_tally_seconds.map_or(d.tally_every, std::time::Duration::from_secs),
    })
}

pub(crate) fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

/// Each option's default, as it is written in the TOML file (by the key of the file).
pub fn defaults() -> [(&'static str, String); 48] {
    [
        ("listen", format!("\"{DEFAULT_LISTEN}\"")),
        ("database", format!("\"sqlite://{DEFAULT_DATA_DIR}/undersigned.db\"")),
        ("database_replica", "\"\"  # none: every read from the database".to_owned()),
        ("data_dir", format!("\"{DEFAULT_DATA_DIR}\"")),
        ("base_url", format!("\"http://{DEFAULT_LISTEN}\"")),
        ("no_demo", "false".to_owned()),
        ("backed_up", "false  # only for the one start after a backup".to_owned()),
        ("secret_key", "\"<generated into DATA_DIR/secret.key>\"".to_owned()),
        ("data_key", "\"<read from data_key_file>\"".to_owned()),
        ("data_key_file", format!("\"{DEFAULT_DATA_DIR}/{DATA_KEY_FILE}\"  # generated on first start")),
        ("max_body_bytes", WebConfig::DEFAULT_MAX_BODY_BYTES.to_string()),
        ("log_format", "\"text\"".to_owned()),
        ("smtp_url", "\"\"  # none: mail is written to DATA_DIR/mail".to_owned()),
        ("mail_from", "\"Undersigned <noreply@HOST>\"".to_owned()),
        ("sign_rate_limit", WebConfig::DEFAULT_SIGN_RATE_LIMIT.to_string()),
        ("api_rate_limit", WebConfig::DEFAULT_API_RATE_LIMIT.to_string()),
        ("trusted_proxies", "[]".to_owned()),
        ("token_ttl_hours", WebConfig::DEFAULT_TOKEN_TTL_HOURS.to_string()),
        ("ip_hash_days", DEFAULT_IP_HASH_DAYS.to_string()),
        ("mails_per_address", DEFAULT_MAILS_PER_ADDRESS.to_string()),
        ("mail_retry_seconds", DEFAULT_MAIL_RETRY_SECONDS.to_string()),
        ("digest_seconds", DEFAULT_DIGEST_SECONDS.to_string()),
        ("remind_after_seconds", DEFAULT_REMIND_AFTER_SECONDS.to_string()),
        ("smtp_connections", DEFAULT_SMTP_CONNECTIONS.to_string()),
        ("smtp_timeout_seconds", DEFAULT_SMTP_TIMEOUT_SECONDS.to_string()),
        ("mail_lease_seconds", DEFAULT_MAIL_LEASE_SECONDS.to_string()),
        ("retention_days", DEFAULT_RETENTION_DAYS.to_string()),
        ("page_cache_ms", "1000".to_owned()),
        ("healthz_mail_minutes", DEFAULT_HEALTHZ_MAIL_MINUTES.to_string()),
        ("max_connections", DEFAULT_MAX_CONNECTIONS.to_string()),
        ("header_read_timeout_seconds", DEFAULT_HEADER_READ_TIMEOUT_SECONDS.to_string()),
        ("webhook_allow_private", "false".to_owned()),
        ("webhook_retry_schedule", format!("\"{}\"", RetrySchedule::DEFAULT)),
        ("webhook_timeout_seconds", DEFAULT_WEBHOOK_TIMEOUT_SECONDS.to_string()),
        ("webhook_lease_seconds", DEFAULT_WEBHOOK_LEASE_SECONDS.to_string()),
        ("pow_max_number", "500000".to_owned()),
        ("pow_minutes", "20".to_owned()),
        ("unsolved_per_ip_hour", "3".to_owned()),
        ("unsolved_per_campaign_minute", "20".to_owned()),
        ("under_attack_signatures", "600".to_owned()),
        ("under_attack_addresses", "50".to_owned()),
        ("under_attack_quiet_minutes", "30".to_owned()),
        ("trending_log_per_hour", "100".to_owned()),
        ("trending_notify_per_hour", "200".to_owned()),
        ("defence_tally_seconds", "5".to_owned()),
        ("delivery_font", "\"\"  # none: the bundled WenQuanYi Micro Hei".to_owned()),
        ("metrics_listen", "\"\"  # none: no listener of its own".to_owned()),
        ("metrics_token", "\"\"  # none: /metrics is not served on the main address".to_owned()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_wins_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("u.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:9000\"\ndata_dir = \"/srv/u\"\n").unwrap();
        let cli = Options { listen: Some("127.0.0.1:7000".parse().unwrap()), ..Default::default() };
        let config = Config::resolve(cli, Some(&file)).unwrap();
        assert_eq!(config.listen.port(), 7000);
        assert_eq!(config.data_dir, PathBuf::from("/srv/u"));
        assert_eq!(config.database, "sqlite:///srv/u/undersigned.db");
        assert_eq!(config.data_key_file, PathBuf::from("/srv/u/data.key"), "beside secret.key");
        let elsewhere = Options { data_key_file: Some("/keys/data.key".into()), ..Default::default() };
        let config = Config::resolve(elsewhere, Some(&file)).unwrap();
        assert_eq!(config.data_key_file, PathBuf::from("/keys/data.key"));
        std::fs::write(&file, "lissten = 1\n").unwrap();
        let err = Config::resolve(Options::default(), Some(&file)).unwrap_err().to_string();
        assert!(err.contains("lissten"), "{err}");
    }

    #[test]
    fn a_replica_needs_a_postgresql_database() {
        let replica = || Some("postgres://reader:secret@standby/undersigned".to_owned());
        let on_sqlite = Options { database_replica: replica(), ..Default::default() };
        let err = Config::resolve(on_sqlite, None).unwrap_err().to_string();
        assert!(err.contains("--database-replica needs a PostgreSQL --database"), "{err}");
        assert!(!err.contains("secret"), "no password in the error: {err}");
        let not_postgres = Options {
            database: Some("postgres://u@primary/undersigned".to_owned()),
            database_replica: Some("sqlite:///tmp/copy.db".to_owned()),
            ..Default::default()
        };
        let err = Config::resolve(not_postgres, None).unwrap_err().to_string();
        assert!(err.contains("--database-replica must be a postgres:// URL"), "{err}");
        let fine = Options {
            database: Some("postgresql://u@primary/undersigned".to_owned()),
            database_replica: replica(),
            ..Default::default()
        };
        assert_eq!(Config::resolve(fine, None).unwrap().database_replica, replica());
        let empty = Options { database_replica: Some(String::new()), ..Default::default() };
        assert_eq!(Config::resolve(empty, None).unwrap().database_replica, None, "empty: none");
    }

    #[test]
    fn metrics_options_are_checked_with_a_clear_error() {
        let resolve = |listen: Option<&str>, token: Option<&str>| {
            let options = Options {
                metrics_listen: listen.map(str::to_owned),
                metrics_token: token.map(str::to_owned),
                ..Default::default()
            };
            Config::resolve(options, None)
        };
        let off = resolve(Some(""), Some("")).unwrap();
        assert_eq!((off.metrics_listen, off.metrics_token.as_deref(), off.metrics_on()), (None, None, false));
        let on = resolve(Some("127.0.0.1:9090"), Some("0123456789abcdef0123+/==")).unwrap();
        assert_eq!(on.metrics_listen, Some("127.0.0.1:9090".parse().unwrap()));
        assert!(on.metrics_on());
        let err = resolve(Some("9090"), None).unwrap_err().to_string();
        assert!(
            err.contains("--metrics-listen must be an address and port") && err.contains("9090"),
            "{err}"
        );
        let err = resolve(None, Some("short")).unwrap_err().to_string();
        assert!(err.contains("at least 16 characters (it has 5)"), "{err}");
        let err = resolve(None, Some("a token with spaces in it")).unwrap_err().to_string();
        assert!(err.contains("may hold only letters, digits"), "{err}");
        assert!(resolve(None, Some("é0123456789abcdef")).is_err());
    }
}
