//! Configuration: built-in defaults, then an optional TOML file, then environment variables, then
//! command-line options (each later one wins). `undersigned config example` prints every option.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, CommandFactory, ValueEnum};
use serde::Deserialize;

use crate::cli::Cli;

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
    /// Where the server keeps its files: the SQLite database, the secret key, outgoing mail when no
    /// SMTP server is set.
    #[arg(long, global = true, env = "UNDERSIGNED_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The site's public address, used in links and mails. Default: http:// and the listen address.
    #[arg(long, global = true, env = "UNDERSIGNED_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// Do not load the demo campaign into an empty database.
    #[arg(long, global = true, env = "UNDERSIGNED_NO_DEMO")]
    #[serde(default)]
    pub no_demo: bool,
    /// The secret that signs tokens and cookies, 64 hex digits. Default: generated on first start
    /// into DATA_DIR/secret.key.
    #[arg(long, global = true, env = "UNDERSIGNED_SECRET_KEY", value_name = "HEX", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// The largest request body accepted, in bytes.
    #[arg(long, global = true, env = "UNDERSIGNED_MAX_BODY_BYTES", value_name = "BYTES")]
    pub max_body_bytes: Option<usize>,
    /// How logs are written: text or json. The level is set with RUST_LOG (default: info).
    #[arg(long, global = true, env = "UNDERSIGNED_LOG_FORMAT", value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,
}

/// The options with every default filled in.
#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    pub database: String,
    pub data_dir: PathBuf,
    /// Without a trailing slash. `None`: derived from the address actually bound.
    pub base_url: Option<String>,
    pub demo: bool,
    pub secret_key: Option<String>,
    pub max_body_bytes: usize,
    pub log_format: LogFormat,
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./data";
pub const SECRET_KEY_FILE: &str = "secret.key";

impl Options {
    /// Fills what is not given here from `file` (a TOML file's options).
    fn or(self, file: Options) -> Options {
        Options {
            listen: self.listen.or(file.listen),
            database: self.database.or(file.database),
            data_dir: self.data_dir.or(file.data_dir),
            base_url: self.base_url.or(file.base_url),
            no_demo: self.no_demo || file.no_demo,
            secret_key: self.secret_key.or(file.secret_key),
            max_body_bytes: self.max_body_bytes.or(file.max_body_bytes),
            log_format: self.log_format.or(file.log_format),
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
        let data_dir = options.data_dir.unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database = options
            .database
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("undersigned.db").display()));
        let base_url = options.base_url.map(|u| u.trim_end_matches('/').to_owned());
        if let Some(url) = &base_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            bail!("--base-url must start with http:// or https:// (it is {url})");
        }
        Ok(Self {
            listen: options
                .listen
                .unwrap_or_else(|| DEFAULT_LISTEN.parse().expect("a valid default address")),
            database,
            data_dir,
            base_url,
            demo: !options.no_demo,
            secret_key: options.secret_key,
            max_body_bytes: options
                .max_body_bytes
                .unwrap_or(undersigned_web::WebConfig::DEFAULT_MAX_BODY_BYTES),
            log_format: options.log_format.unwrap_or_default(),
        })
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

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
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

/// A TOML file naming every option with its meaning, environment variable and default.
pub fn example() -> String {
    let defaults = [
        ("listen", format!("\"{DEFAULT_LISTEN}\"")),
        ("database", format!("\"sqlite://{DEFAULT_DATA_DIR}/undersigned.db\"")),
        ("data_dir", format!("\"{DEFAULT_DATA_DIR}\"")),
        ("base_url", format!("\"http://{DEFAULT_LISTEN}\"")),
        ("no_demo", "false".to_owned()),
        ("secret_key", "\"<generated into DATA_DIR/secret.key>\"".to_owned()),
        ("max_body_bytes", undersigned_web::WebConfig::DEFAULT_MAX_BODY_BYTES.to_string()),
        ("log_format", "\"text\"".to_owned()),
    ];
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

    #[test]
    fn the_example_names_every_option_and_parses_back() {
        let text = example();
        for key in [
            "listen",
            "database",
            "data_dir",
            "base_url",
            "no_demo",
            "secret_key",
            "max_body_bytes",
            "log_format",
        ] {
            assert!(text.contains(&format!("\n#{key} = ")), "{key} missing from:\n{text}");
        }
        assert!(text.contains("UNDERSIGNED_LISTEN"));
        // Uncommented, the example is a valid config file.
        let uncommented: String = text
            .lines()
            .filter_map(|l| l.strip_prefix('#').filter(|l| l.contains(" = ")))
            .map(|l| format!("{l}\n"))
            .collect();
        let options: Options = toml::from_str(&uncommented).unwrap();
        assert_eq!(options.listen, Some(DEFAULT_LISTEN.parse().unwrap()));
    }

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
        std::fs::write(&file, "lissten = 1\n").unwrap();
        let err = Config::resolve(Options::default(), Some(&file)).unwrap_err().to_string();
        assert!(err.contains("lissten"), "{err}");
    }
}
