//! The migrations, one list for both databases: each version names its SQLite file and its
//! PostgreSQL file (the SQL differs: microseconds and 0/1 against `TIMESTAMPTZ` and `BOOLEAN`,
//! SQLite's triggers against PL/pgSQL), so that versions and names cannot drift apart.

use std::borrow::Cow;

use sqlx_core::migrate::{Migration, MigrationType, Migrator};

/// Which files of a version to run.
#[derive(Clone, Copy)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

macro_rules! migrations {
    ($(($version:literal, $name:literal, $file:literal)),* $(,)?) => {
        /// (version, name, SQLite's SQL, PostgreSQL's SQL), in the order they are applied.
        const MIGRATIONS: &[(i64, &str, &str, &str)] = &[$((
            $version,
            $name,
            include_str!(concat!("../migrations/sqlite/", $file, ".sql")),
            include_str!(concat!("../migrations/postgres/", $file, ".sql")),
        )),*];
    };
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
    (18, "ip_hash_keys", "0018_ip_hash_keys"),
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
);

/// The migrator of one dialect. Built by hand rather than with `sqlx::migrate!`, which would pull
/// sqlx's macros (and a second build of the drivers) into every build for no other use.
pub(crate) fn migrator(dialect: Dialect) -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, name, sqlite, postgres)| {
            let sql = match dialect {
                Dialect::Sqlite => sqlite,
                Dialect::Postgres => postgres,
            };
            Migration::new(*version, Cow::Borrowed(name), MigrationType::Simple, Cow::Borrowed(sql), false)
        })
        .collect::<Vec<_>>();
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }
}

/// Of the migrations this binary knows, those not among `applied`.
pub(crate) fn missing(applied: &[i64]) -> Vec<i64> {
    MIGRATIONS.iter().map(|m| m.0).filter(|v| !applied.contains(v)).collect()
}
