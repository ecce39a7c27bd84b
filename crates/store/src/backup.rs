//! The database's side of `undersigned backup` and `undersigned restore`: a consistent copy of a
//! running database, and putting one into an empty database. The backup file itself (its
//! manifest, checksums and keys) is the server's (`crates/server/src/archive.rs`).
//!
//! Nothing here migrates or writes to the database it copies: a newer binary may take a backup of
//! an older schema before an upgrade, and the copy must be what that schema was.
//!
//! - SQLite: `VACUUM INTO` from a read-only connection. It reads one snapshot (WAL mode lets the
//!   server's writer go on meanwhile) and writes a compact copy, which is then checked with
//!   `PRAGMA quick_check`.
//! - PostgreSQL: `pg_dump --format=custom`, PostgreSQL's own tool, rather than a dump of our own:
//!   it copies every table, sequence, trigger and function the migrations made, of any schema
//!   version, and `pg_restore` loads the rows before it makes the triggers (so that no count is
//!   added twice). It runs in a snapshot this module exports from a read-only transaction, in
//!   which the schema version is read too: the version said is the one dumped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, PgConnection, SqliteConnection};

/// Why a copy could not be made or put back, said for the operator.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BackupError(pub String);

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        Self(e.to_string())
    }
}

/// What a copy of the database is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The migrations applied, in version order: the schema the copy has.
    pub schema: Vec<i64>,
    /// The id of the data key its rows are sealed with (never the key), if it has one.
    pub data_key_id: Option<String>,
}

/// The two backends, as a backup names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    pub fn of(url: &str) -> Result<Self, BackupError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(BackupError(format!(
                "the database URL must start with sqlite:// or postgres:// (it is {url})"
            )))
        }
    }

    /// As the manifest writes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }

    /// As an operator reads it.
    pub fn title(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }
}

/// The versions of the migrations this binary knows, in version order.
pub fn known_migrations() -> Vec<i64> {
    let mut versions = crate::migrate::missing(&[]);
    versions.sort_unstable();
    versions
}

/// The file of a `sqlite://` URL.
pub fn sqlite_path(url: &str) -> Result<PathBuf, BackupError> {
    Ok(SqliteConnectOptions::from_str(url)?.get_filename().to_owned())
}

/// Writes a consistent copy of the database at `url` to `dest` (which must not exist, or be an
/// empty file): a SQLite database file, or a `pg_dump` archive of the custom format.
pub async fn snapshot(url: &str, dest: &Path) -> Result<Snapshot, BackupError> {
    match Backend::of(url)? {
        Backend::Sqlite => {
            let path = sqlite_path(url)?;
            if !path.is_file() {
                return Err(BackupError(format!("there is no SQLite database at {}", path.display())));
            }
            let options = SqliteConnectOptions::from_str(url)?
                .read_only(true)
                .create_if_missing(false)
                .busy_timeout(Duration::from_secs(30));
            let mut conn = SqliteConnection::connect_with(&options).await?;
            let dest_text = dest
                .to_str()
                .ok_or_else(|| BackupError(format!("{} is not a UTF-8 path", dest.display())))?;
            sqlx::query("VACUUM INTO ?")
                .bind(dest_text)
                .execute(&mut conn)
                .await
                .map_err(|e| BackupError(format!("copying the SQLite database {}: {e}", path.display())))?;
            conn.close().await?;
            describe_sqlite_copy(dest).await
        }
        Backend::Postgres => pg_snapshot(url, dest).await,
    }
}

/// Checks a copy of a SQLite database (`PRAGMA quick_check`) and says what it is; read-only.
pub async fn describe_sqlite_copy(path: &Path) -> Result<Snapshot, BackupError> {
    let options = SqliteConnectOptions::new().filename(path).read_only(true).create_if_missing(false);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_all(&mut conn)
        .await
        .map_err(|e| BackupError(format!("the copy of the database is not a SQLite database: {e}")))?;
    if problems != ["ok"] {
        return Err(BackupError(format!("the copy of the database is damaged: {}", problems.join("; "))));
    }
    let has = |table: &'static str| {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?")
            .bind(table)
    };
    if has("_sqlx_migrations").fetch_one(&mut conn).await? == 0 {
        return Err(BackupError("the copy is not a database of Undersigned (it has no migrations)".into()));
    }
    let schema = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
        .fetch_all(&mut conn)
        .await?;
    let data_key_id = if has("meta").fetch_one(&mut conn).await? == 1 {
        sqlx::query_scalar("SELECT value FROM meta WHERE name = 'data_key_id'")
            .fetch_optional(&mut conn)
            .await?
    } else {
        None
    };
    conn.close().await?;
    Ok(Snapshot { schema, data_key_id })
}

/// A PostgreSQL URL without its password, which goes to the client tools in `PGPASSWORD`
/// instead: a command line can be read by every user of the machine.
fn libpq_target(url: &str) -> Result<(String, Option<String>), BackupError> {
    let mut parsed =
        url::Url::parse(url).map_err(|e| BackupError(format!("the database URL is not a URL: {e}")))?;
    let password =
        parsed.password().map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned());
    if password.is_some() {
        let _ = parsed.set_password(None);
    }
    Ok((parsed.to_string(), password))
}

/// A PostgreSQL client tool (`pg_dump`, `pg_restore`) run against `url`; its error output when
/// it fails.
fn run_client_tool(program: &str, url: &str, args: &[&str]) -> Result<(), BackupError> {
    let (target, password) = libpq_target(url)?;
    let mut command = Command::new(program);
    command.args(args).arg(format!("--dbname={target}"));
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command.output().map_err(|e| {
        BackupError(format!(
            "running {program}: {e} (install PostgreSQL's client tools, of the server's major version or newer)"
        ))
    })?;
    if output.status.success() {
        Ok(())
    } else {
        let said = String::from_utf8_lossy(&output.stderr);
        Err(BackupError(format!("{program} failed ({}): {}", output.status, said.trim())))
    }
}

async fn pg_snapshot(url: &str, dest: &Path) -> Result<Snapshot, BackupError> {
    let mut conn = PgConnection::connect(url).await?;
    sqlx::raw_sql("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut conn).await?;
    let snapshot_id: String = sqlx::query_scalar("SELECT pg_export_snapshot()").fetch_one(&mut conn).await?;
    let has =
        |table: &'static str| sqlx::query_scalar::<_, bool>("SELECT to_regclass($1) IS NOT NULL").bind(table);
    if !has("public._sqlx_migrations").fetch_one(&mut conn).await? {
        return Err(BackupError(
            "the database is not a database of Undersigned (it has no migrations)".into(),
        ));
    }
    let schema = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
        .fetch_all(&mut conn)
        .await?;
    let data_key_id = if has("public.meta").fetch_one(&mut conn).await? {
        sqlx::query_scalar("SELECT value FROM meta WHERE name = 'data_key_id'")
            .fetch_optional(&mut conn)
            .await?
    } else {
        None
    };
    // The transaction stays open (holding the snapshot) until pg_dump is done.
    let (url, dest) = (url.to_owned(), dest.to_owned());
    let dumped = tokio::task::spawn_blocking(move || {
        let file = format!("--file={}", dest.display());
        let snapshot = format!("--snapshot={snapshot_id}");
        run_client_tool("pg_dump", &url, &["--format=custom", "--no-password", &snapshot, &file])
    })
    .await
    .map_err(|e| BackupError(format!("pg_dump: {e}")))?;
    sqlx::raw_sql("COMMIT").execute(&mut conn).await?;
    conn.close().await?;
    dumped?;
    Ok(Snapshot { schema, data_key_id })
}

/// Nothing is in the database at `url` (a SQLite file that does not exist, or a PostgreSQL
/// database without tables); or what is, said.
pub async fn check_empty(url: &str) -> Result<(), BackupError> {
    match Backend::of(url)? {
        Backend::Sqlite => {
            let path = sqlite_path(url)?;
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut name = path.clone().into_os_string();
                name.push(suffix);
                let file = PathBuf::from(name);
                if file.exists() {
                    return Err(BackupError(format!(
                        "{} exists: a backup is restored only where there is no database yet \
                         (move it away, or restore elsewhere)",
                        file.display()
                    )));
                }
            }
            Ok(())
        }
        Backend::Postgres => {
            let mut conn = PgConnection::connect(url).await?;
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT schemaname || '.' || tablename FROM pg_tables
                 WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
            )
            .fetch_all(&mut conn)
            .await?;
            conn.close().await?;
            match tables.first() {
                None => Ok(()),
                Some(first) => Err(BackupError(format!(
                    "the database is not empty: it has {} tables, such as {first}; a backup is restored only \
                     into an empty database (createdb a new one)",
                    tables.len()
                ))),
            }
        }
    }
}

/// Loads a `pg_dump` archive into the (empty) PostgreSQL database at `url`, all or nothing, and
/// gathers its statistics for the planner.
pub async fn pg_restore(url: &str, dump: &Path) -> Result<(), BackupError> {
    let (url_owned, dump) = (url.to_owned(), dump.to_owned());
    tokio::task::spawn_blocking(move || {
        let dump = dump.to_string_lossy().into_owned();
        run_client_tool(
            "pg_restore",
            &url_owned,
            &[
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                "--no-password",
                &dump,
            ],
        )
    })
    .await
    .map_err(|e| BackupError(format!("pg_restore: {e}")))??;
    let mut conn = PgConnection::connect(url).await?;
    sqlx::raw_sql("ANALYZE").execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_goes_to_the_environment_not_the_command_line() {
        let (target, password) = libpq_target("postgres://u:p%40ss@db.example:5433/undersigned").unwrap();
        assert_eq!(target, "postgres://u@db.example:5433/undersigned");
        assert_eq!(password.as_deref(), Some("p@ss"));
        let (target, password) = libpq_target("postgres://postgres@127.0.0.1/x?sslmode=require").unwrap();
        assert_eq!(target, "postgres://postgres@127.0.0.1/x?sslmode=require");
        assert_eq!(password, None);
    }
}
