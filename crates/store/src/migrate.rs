//! The migrations, one list for both databases: each version names its SQLite file and its
//! PostgreSQL file (the SQL differs: microseconds and 0/1 against `TIMESTAMPTZ` and `BOOLEAN`,
//! SQLite's triggers against PL/pgSQL), so that versions and names cannot drift apart; and
//! running them (`run`), which refuses a migration that loses data on a database that holds
//! some unless the operator says it was backed up, and says so when the database is newer than
//! this binary (downgrades are not supported).
//!
//! Which migrations lose data (each one read in both dialects): 18 forgets the IP hashes made
//! before it. The others that drop or delete lose nothing: 13 empties the counts and makes them
//! again from the signatures, 14 (SQLite) copies every row of the outbox into its new table
//! before dropping the old one, 40 copies every demand into `campaign_demands` and
//! `demand_texts` before dropping `demands`; 23 and 30 drop a trigger and an index.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::{PgConnection, SqliteConnection};
use sqlx_core::migrate::{Migrate, MigrateError, MigrationType};

use crate::OpenError;

/// Which files of a version to run.
#[derive(Clone, Copy)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// One migration: its version, its name, its SQL in each dialect, and what it loses of the data
/// it finds, if anything (a table or column of data dropped, values discarded).
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
    /// What it loses, in a few words ("forgets ..."); `None`: nothing. Such a migration runs on a
    /// database that holds data only when the operator says it was backed up.
    pub loses: Option<&'static str>,
}

macro_rules! migrations {
    ($(($version:literal, $name:literal, $file:literal $(, loses: $loses:expr)?)),* $(,)?) => {
        /// Every migration, in the order they are applied.
        pub const MIGRATIONS: &[Migration] = &[$(Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $file, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $file, ".sql")),
            loses: migrations!(@loses $($loses)?),
        }),*];
    };
    (@loses) => { None };
    (@loses $loses:expr) => { Some($loses) };
}

// In the order they are applied, as each backend listed them before the lists were joined (18
// before 17 and 16, in the order their branches were merged). There is no 12.
migrations!(
    (1, "campaigns", "0001_campaigns"),
    (2, "signing", "0002_signing"),
    (3, "organisers", "0003_organisers"),
    (4, "revisions", "0004_revisions"),
    (5, "invalidations", "0005_invalidations"),
    (6, "updates", "0006_updates"),
    (7, "retention", "0007_retention"),
    (8, "responses", "0008_responses"),
    (9, "comments", "0009_comments"),
    (10, "export", "0010_export"),
    (11, "counts", "0011_counts"),
    (13, "life", "0013_life"),
    (14, "outbox_ids", "0014_outbox_ids"),
    (15, "heartbeat", "0015_heartbeat"),
    (18, "ip_hash_keys", "0018_ip_hash_keys", loses: concat!(
        "forgets the IP hashes of the signatures and endorsements made before it ",
        "(keyed by secret.key alone)"
    )),
    (17, "disabled_accounts", "0017_disabled_accounts"),
    (16, "signers", "0016_signers"),
    (19, "api_tokens", "0019_api_tokens"),
    (20, "webhooks", "0020_webhooks"),
    (21, "embed", "0021_embed"),
    (22, "imported_identifiers", "0022_imported_identifiers"),
    (23, "data_key", "0023_data_key"),
    (25, "signature_log", "0025_signature_log"),
    (26, "bot_defence", "0026_bot_defence"),
    (24, "owner_keys", "0024_owner_keys"),
    (27, "private_fields", "0027_private_fields"),
    (30, "ip_key_index", "0030_ip_key_index"),
    (28, "owner_sealing", "0028_owner_sealing"),
    (29, "endorsement_leaves", "0029_endorsement_leaves"),
    (31, "signature_digests", "0031_signature_digests"),
    (32, "proposals", "0032_proposals"),
    (33, "pictures", "0033_pictures"),
    (34, "site_pages", "0034_site_pages"),
    (35, "thresholds", "0035_thresholds"),
    (36, "takedowns", "0036_takedowns"),
    (37, "notices", "0037_notices"),
    (38, "coalitions", "0038_coalitions"),
    (41, "deliveries", "0041_deliveries"),
    (39, "questions", "0039_questions"),
    (40, "demands", "0040_demands"),
    (42, "organisation_logos", "0042_organisation_logos"),
    (43, "rate_limits", "0043_rate_limits"),
    (44, "retired_ids", "0044_retired_ids"),
    (46, "session_devices", "0046_session_devices"),
    (45, "second_factor", "0045_second_factor"),
    (47, "oidc", "0047_oidc"),
    (48, "passkeys", "0048_passkeys"),
);

/// A pending migration that loses data, as the refusal names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lossy {
    pub version: i64,
    pub name: &'static str,
    pub loses: &'static str,
}

/// Whether a database holds any row (a new one, or one whose tables are all empty, holds none).
pub(crate) trait HoldsData {
    fn holds_data(&mut self) -> Pin<Box<dyn Future<Output = Result<bool, sqlx::Error>> + Send + '_>>;
}

impl HoldsData for SqliteConnection {
    fn holds_data(&mut self) -> Pin<Box<dyn Future<Output = Result<bool, sqlx::Error>> + Send + '_>> {
        Box::pin(async move {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                 AND name <> '_sqlx_migrations'",
            )
            .fetch_all(&mut *self)
            .await?;
            let Some(sql) = any_rows(&tables) else { return Ok(false) };
            Ok(sqlx::query_scalar::<_, i64>(&sql).fetch_one(&mut *self).await? == 1)
        })
    }
}

impl HoldsData for PgConnection {
    fn holds_data(&mut self) -> Pin<Box<dyn Future<Output = Result<bool, sqlx::Error>> + Send + '_>> {
        Box::pin(async move {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT tablename::TEXT FROM pg_tables WHERE schemaname = current_schema() \
                 AND tablename <> '_sqlx_migrations'",
            )
            .fetch_all(&mut *self)
            .await?;
            let Some(sql) = any_rows(&tables) else { return Ok(false) };
            Ok(sqlx::query_scalar::<_, i64>(&sql).fetch_one(&mut *self).await? == 1)
        })
    }
}

/// A query whose one value (a BIGINT) is 1 when any of the tables has a row: `EXISTS` stops at a
/// table's first row. `None` for no table.
fn any_rows(tables: &[String]) -> Option<String> {
    // The names come from the catalogue; quoted as identifiers all the same.
    let probes: Vec<String> =
        tables.iter().map(|t| format!("EXISTS (SELECT 1 FROM \"{}\")", t.replace('"', "\"\""))).collect();
    (!probes.is_empty())
        .then(|| format!("SELECT CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT)", probes.join(" OR ")))
}

/// The SQL of a migration in a dialect, as sqlx applies it (its checksum is the SQL's). Built by
/// hand rather than with `sqlx::migrate!`, which would pull sqlx's macros (and a second build of
/// the drivers) into every build for no other use.
fn sqlx_migration(migration: &Migration, dialect: Dialect) -> sqlx_core::migrate::Migration {
    let sql = match dialect {
        Dialect::Sqlite => migration.sqlite,
        Dialect::Postgres => migration.postgres,
    };
    sqlx_core::migrate::Migration::new(
        migration.version,
        Cow::Borrowed(migration.name),
        MigrationType::Simple,
        Cow::Borrowed(sql),
        false,
    )
}

/// Brings a database up to date with `migrations`, in their order, as one instance at a time
/// (PostgreSQL: under sqlx's advisory lock; the checks below are made under it too, so that an
/// instance that waited sees what the first one did). Refuses, before changing anything:
/// - a database migrated by a newer binary (a version applied that `migrations` does not have);
/// - pending migrations that lose data, on a database that holds some, unless `backed_up`.
///
/// These are the steps of sqlx's `Migrator::run`, which has no place for the two refusals.
pub(crate) async fn run<C>(
    conn: &mut C,
    dialect: Dialect,
    migrations: &[Migration],
    backed_up: bool,
) -> Result<(), OpenError>
where
    C: Migrate + HoldsData + Send,
{
    conn.lock().await.map_err(migrate_error)?;
    let outcome = run_locked(conn, dialect, migrations, backed_up).await;
    // Released on every outcome: a refused instance's connection goes back to its pool.
    let unlocked = conn.unlock().await.map_err(migrate_error);
    outcome.and(unlocked)
}

async fn run_locked<C>(
    conn: &mut C,
    dialect: Dialect,
    migrations: &[Migration],
    backed_up: bool,
) -> Result<(), OpenError>
where
    C: Migrate + HoldsData + Send,
{
    conn.ensure_migrations_table().await.map_err(migrate_error)?;
    if let Some(version) = conn.dirty_version().await.map_err(migrate_error)? {
        return Err(migrate_error(MigrateError::Dirty(version)));
    }
    let applied = conn.list_applied_migrations().await.map_err(migrate_error)?;
    let unknown: Vec<i64> =
        applied.iter().map(|a| a.version).filter(|v| !migrations.iter().any(|m| m.version == *v)).collect();
    if !unknown.is_empty() {
        return Err(OpenError::Newer {
            unknown,
            known: migrations.iter().map(|m| m.version).max().unwrap_or(0),
        });
    }
    let pending: Vec<&Migration> =
        migrations.iter().filter(|m| !applied.iter().any(|a| a.version == m.version)).collect();
    let lossy: Vec<Lossy> = pending
        .iter()
        .filter_map(|m| m.loses.map(|loses| Lossy { version: m.version, name: m.name, loses }))
        .collect();
    // A new database (nothing applied) holds nothing to lose, and nothing is said of it.
    let at_risk = !lossy.is_empty() && !applied.is_empty() && conn.holds_data().await?;
    if at_risk && !backed_up {
        return Err(OpenError::Lossy(lossy));
    }
    for migration in migrations {
        let ours = sqlx_migration(migration, dialect);
        match applied.iter().find(|a| a.version == migration.version) {
            Some(done) if done.checksum != ours.checksum => {
                return Err(migrate_error(MigrateError::VersionMismatch(migration.version)));
            }
            Some(_) => {}
            None => {
                if let Some(loses) = migration.loses.filter(|_| at_risk) {
                    tracing::warn!(
                        version = migration.version,
                        name = migration.name,
                        "running a migration that {loses}"
                    );
                }
                conn.apply(&ours).await.map_err(migrate_error)?;
            }
        }
    }
    Ok(())
}

fn migrate_error(e: MigrateError) -> OpenError {
    OpenError::Database(sqlx::Error::from(e))
}

/// Of the migrations this binary knows, those not among `applied`.
pub(crate) fn missing(applied: &[i64]) -> Vec<i64> {
    MIGRATIONS.iter().map(|m| m.version).filter(|v| !applied.contains(v)).collect()
}
