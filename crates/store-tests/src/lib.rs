//! Test databases for both backends, and the conformance suite every [`Store`] must pass.
//!
//! PostgreSQL tests use the server at `UNDERSIGNED_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and give each test a fresh database, dropped
//! afterwards. When that server cannot be reached the PostgreSQL tests are skipped with a warning,
//! unless `UNDERSIGNED_REQUIRE_POSTGRES=1` (CI sets it), where they fail.

pub mod conformance;
mod standby;
pub mod tmpfs;
pub mod upgrade;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sqlx::Connection;
use undersigned_core::Store;

pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The data key of the tests (hex): a test's stores and servers share its database, so they share
/// its key too (give it to the binary as `UNDERSIGNED_DATA_KEY`).
pub const TEST_DATA_KEY: &str = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";

pub fn test_data_key() -> undersigned_core::data_key::DataKey {
    undersigned_core::data_key::DataKey::new([0x5e; 32])
}

/// Which backend a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// A fresh database of the given backend, or `None` when PostgreSQL is not there and not
    /// required.
    pub async fn new(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite://{}", dir.path().join("undersigned.db").display());
                Some(Self { url, _dir: Some(dir), pg: None })
            }
            Backend::Postgres => Self::postgres().await,
        }
    }

    async fn postgres() -> Option<Self> {
        let admin =
            std::env::var("UNDERSIGNED_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned());
        let required = postgres_required();
        let mut conn = match sqlx::PgConnection::connect(&admin).await {
            Ok(conn) => conn,
            Err(e) if required => {
                panic!("PostgreSQL is required (UNDERSIGNED_REQUIRE_POSTGRES) but {admin} answers: {e}")
            }
            Err(e) => {
                eprintln!(
                    "SKIPPED: no PostgreSQL at {admin} ({e}); set UNDERSIGNED_REQUIRE_POSTGRES=1 to fail instead"
                );
                return None;
            }
        };
        let name = format!("undersigned_test_{:016x}", rand::random::<u64>());
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("CREATE DATABASE");
        let (base, _) = admin.rsplit_once('/').expect("a database URL ends in /name");
        let url = format!("{base}/{name}");
        Some(Self { url, _dir: None, pg: Some((admin, name)) })
    }

    /// The store, opened with [`TEST_DATA_KEY`] (as the test servers are).
    pub async fn store(&self) -> Arc<dyn Store> {
        undersigned_store::open(&self.url, |_| Ok(test_data_key())).await.expect("open the test database")
    }
}

impl TestDb {
    pub fn backend(&self) -> Backend {
        if self.url.starts_with("sqlite:") { Backend::Sqlite } else { Backend::Postgres }
    }

    /// Runs SQL on the database directly, as an operator (or whoever holds a copy) would.
    pub async fn raw(&self, sql: &str) {
        match self.backend() {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url).await.expect("SQLite");
                sqlx::raw_sql(sql).execute(&mut conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
            Backend::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.url).await.expect("PostgreSQL");
                sqlx::raw_sql(sql).execute(&mut conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
        }
    }

    /// The first column of each row a query returns, as text (NULL as ""), read directly.
    pub async fn raw_texts(&self, sql: &str) -> Vec<String> {
        let rows: Vec<(Option<String>,)> = match self.backend() {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url).await.expect("SQLite");
                sqlx::query_as(sql).fetch_all(&mut conn).await
            }
            Backend::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.url).await.expect("PostgreSQL");
                sqlx::query_as(sql).fetch_all(&mut conn).await
            }
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.into_iter().map(|(text,)| text.unwrap_or_default()).collect()
    }

    /// Drops a PostgreSQL database while it is in use, to see how the server copes.
    pub async fn drop_now(&self) {
        let (admin, name) = self.pg.as_ref().expect("a PostgreSQL test database");
        let mut conn = sqlx::PgConnection::connect(admin).await.expect("the admin connection");
        sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await
            .expect("DROP DATABASE");
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.pg.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot block on itself: use a thread of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            rt.block_on(async {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
                }
            });
        })
        .join();
    }
}

/// The folder of the demo campaign shipped with the repository.
pub fn demo_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/release-cai-guangye")
}

/// Runs a test body against one backend, skipping it where the backend is not there.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = $crate::TestDb::new($crate::Backend::Sqlite).await.unwrap();
                    super::$name(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = $crate::TestDb::new($crate::Backend::Postgres).await else { return };
                    super::$name(&db).await;
                }
            )*
        }
    };
}

impl TestDb {
    /// A database at `url` that the test manages itself (such as an [`OwnPostgres`]).
    pub fn at(url: String) -> Self {
        Self { url, _dir: None, pg: None }
    }
}

/// A PostgreSQL server of the test's own: a cluster made with `initdb` in a temporary folder and
/// started with `pg_ctl` on a free port, so that a test can stop and restart it without
/// disturbing the machine's server, which the other tests share. Run as the `postgres` user when
/// the tests run as root (PostgreSQL refuses to run as root). Stopped when dropped.
pub struct OwnPostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// Whether the tests run as root, so that PostgreSQL's programs run as `postgres`.
    as_root: bool,
    pub port: u16,
}

/// Whether PostgreSQL must be there (`UNDERSIGNED_REQUIRE_POSTGRES`): a test fails instead of
/// skipping.
pub(crate) fn postgres_required() -> bool {
    std::env::var("UNDERSIGNED_REQUIRE_POSTGRES").is_ok_and(|v| v == "1" || v == "true")
}

impl OwnPostgres {
    /// A new cluster, started; `None` (or a panic, when PostgreSQL is required) without the
    /// server programs.
    pub fn start() -> Option<Self> {
        Self::start_in(&std::env::temp_dir())
    }

    /// As [`OwnPostgres::start`], with the cluster's folder (its data, its WAL) under `parent`, such
    /// as a small [`tmpfs::Tmpfs`] that the test fills up.
    pub fn start_in(parent: &Path) -> Option<Self> {
        let required = postgres_required();
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()
            .and_then(|versions| versions.filter_map(Result::ok).map(|v| v.path().join("bin")).max())
            .filter(|bin| bin.join("initdb").exists());
        let Some(bin) = bin else {
            assert!(!required, "PostgreSQL is required but no /usr/lib/postgresql/*/bin/initdb is here");
            eprintln!("SKIPPED: no PostgreSQL server programs (/usr/lib/postgresql/*/bin)");
            return None;
        };
        let dir = tempfile::tempdir_in(parent).expect("a temporary directory");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("a free port")
            .local_addr()
            .expect("its address")
            .port();
        let as_root =
            std::process::Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        let postgres = Self { dir, bin, as_root, port };
        if as_root {
            check(
                "chown",
                std::process::Command::new("chown").args([
                    "-R",
                    "postgres:postgres",
                    &postgres.dir.path().display().to_string(),
                ]),
            );
        }
        let data = postgres.data();
        let mut initdb = postgres.command("initdb");
        check(
            "initdb",
            initdb.args(["-D", &data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]),
        );
        postgres.pg_ctl(&["start"]);
        Some(postgres)
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// `pg_ctl stop` (fast: connections are cut, as when the server is restarted by its operator).
    pub fn stop(&self) {
        self.pg_ctl(&["stop", "-m", "fast"]);
    }

    pub fn start_again(&self) {
        self.pg_ctl(&["start"]);
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn pg_ctl(&self, args: &[&str]) {
        let options =
            format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, self.dir.path().display());
        let log = self.dir.path().join("postgres.log").display().to_string();
        let data = self.data();
        let mut pg_ctl = self.command("pg_ctl");
        check("pg_ctl", pg_ctl.args(["-D", &data, "-w", "-l", &log, "-o", &options]).args(args));
    }

    /// One of PostgreSQL's programs, to be run as `postgres` when we are root.
    fn command(&self, program: &str) -> std::process::Command {
        let program = self.bin.join(program);
        if self.as_root {
            let mut command = std::process::Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            std::process::Command::new(program)
        }
    }
}

/// Runs a command and panics, with its output, if it fails.
fn check(what: &str, command: &mut std::process::Command) {
    let output = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self.command("pg_ctl").args(["-D", &data, "stop", "-m", "immediate"]).output();
    }
}
