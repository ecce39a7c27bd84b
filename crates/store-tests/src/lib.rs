//! Test databases for both backends, and the conformance suite every [`Store`] must pass.
//!
//! PostgreSQL tests use the server at `UNDERSIGNED_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and give each test a fresh database, dropped
//! afterwards. When that server cannot be reached the PostgreSQL tests are skipped with a warning,
//! unless `UNDERSIGNED_REQUIRE_POSTGRES=1` (CI sets it), where they fail.

pub mod conformance;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sqlx::Connection;
use undersigned_core::Store;

pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

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
        let required = std::env::var("UNDERSIGNED_REQUIRE_POSTGRES").is_ok_and(|v| v == "1" || v == "true");
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

    pub async fn store(&self) -> Arc<dyn Store> {
        if self.url.starts_with("sqlite:") {
            Arc::new(undersigned_store_sqlite::SqliteStore::connect(&self.url).await.expect("open SQLite"))
        } else {
            Arc::new(
                undersigned_store_postgres::PostgresStore::connect(&self.url).await.expect("open PostgreSQL"),
            )
        }
    }
}

impl TestDb {
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
