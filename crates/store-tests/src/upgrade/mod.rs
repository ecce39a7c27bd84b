//! A database as older versions left it, with data in it: built with the oldest migrations (the
//! first three of the list: campaigns, signing, organisers) and rows in every table they made,
//! then taken on through three later points (before the counts' rebuild of 13, before the data
//! key of 23, before the private fields of 27), with rows written as each of those versions wrote
//! them (addresses, IP hashes and private fields in clear). [`check_rows`] then finds every row
//! again after the upgrade, each value as inserted or as its documented successor; the store's
//! reads are checked by the upgrade stories, here and in the server's tests.

mod old_rows;
mod reads;
#[cfg(test)]
mod stories;

use undersigned_store::Upgrade;
use undersigned_store::migrate::{MIGRATIONS, Migration};

pub use self::old_rows::{DEMANDS, SIGNERS, Signer, VERSIONS};
pub use self::reads::check_reads;
use crate::{Backend, TestDb};

/// The secret key the old rows' email keys were made with: give it to the server as
/// `--secret-key` (64 hex digits of 03) so that it finds them.
pub const OLD_SECRET: [u8; 32] = [3; 32];

/// 2020-05-04 08:00 UTC, in microseconds: when the old rows were written.
const T0: i64 = 1_588_579_200_000_000;
const SECOND: i64 = 1_000_000;
/// 2100-01-01: expiries that no upkeep reaches.
const FAR: i64 = 4_102_444_800_000_000;

/// A value as written in a row, rendered as each backend's SQL literal.
#[derive(Clone, Debug)]
pub enum V {
    Text(String),
    Int(i64),
    /// Microseconds since 1970, UTC.
    Time(i64),
    Bool(bool),
    Blob(Vec<u8>),
    /// YYYY-MM-DD.
    Date(&'static str),
    Null,
    /// A subquery that names a row's id (a foreign key).
    Id(String),
    /// A value that `undersigned data seal` seals (an address, an IP hash, a private field, an
    /// import's identifier): as inserted until then; after, read through the store only.
    Clear(Box<V>),
}

fn t(text: &str) -> V {
    V::Text(text.to_owned())
}

fn clear(text: &str) -> V {
    V::Clear(Box::new(t(text)))
}

fn at(seconds: i64) -> V {
    V::Time(T0 + seconds * SECOND)
}

fn campaign(slug: &str) -> V {
    V::Id(format!("SELECT id FROM campaigns WHERE slug = '{slug}'"))
}

fn user(email: &str) -> V {
    V::Id(format!("SELECT id FROM users WHERE email = '{email}'"))
}

impl V {
    fn sql(&self, backend: Backend) -> String {
        match (self, backend) {
            (V::Text(s), _) => format!("'{}'", s.replace('\'', "''")),
            (V::Int(n), _) => n.to_string(),
            (V::Time(us), Backend::Sqlite) => us.to_string(),
            (V::Time(us), Backend::Postgres) => {
                format!("(TIMESTAMPTZ '1970-01-01 00:00:00+00' + INTERVAL '1 microsecond' * {us})")
            }
            (V::Bool(b), Backend::Sqlite) => u8::from(*b).to_string(),
            (V::Bool(b), Backend::Postgres) => b.to_string().to_uppercase(),
            (V::Blob(bytes), Backend::Sqlite) => format!("X'{}'", hex::encode(bytes)),
            (V::Blob(bytes), Backend::Postgres) => format!("'\\x{}'::bytea", hex::encode(bytes)),
            (V::Date(d), Backend::Sqlite) => format!("'{d}'"),
            (V::Date(d), Backend::Postgres) => format!("DATE '{d}'"),
            (V::Null, _) => "NULL".to_owned(),
            (V::Id(query), _) => format!("({query})"),
            (V::Clear(v), _) => v.sql(backend),
        }
    }
}

/// A row as inserted, and the values some of its columns have after the upgrade instead (their
/// documented successors).
#[derive(Clone, Debug)]
pub struct Row {
    pub table: &'static str,
    pub values: Vec<(&'static str, V)>,
    pub after: Vec<(&'static str, V)>,
}

fn row(table: &'static str, values: Vec<(&'static str, V)>) -> Row {
    Row { table, values, after: Vec::new() }
}

impl Row {
    fn then(mut self, column: &'static str, value: V) -> Self {
        self.after.push((column, value));
        self
    }

    fn insert(&self, backend: Backend) -> String {
        let columns: Vec<&str> = self.values.iter().map(|(c, _)| *c).collect();
        let values: Vec<String> = self.values.iter().map(|(_, v)| v.sql(backend)).collect();
        format!("INSERT INTO {} ({}) VALUES ({});\n", self.table, columns.join(", "), values.join(", "))
    }

    /// A query counting the rows that hold every value expected (1: the row is there as it was).
    fn find(&self, backend: Backend, sealed: bool) -> String {
        let mut conditions = Vec::new();
        for (column, inserted) in &self.values {
            let value = self.after.iter().find(|(c, _)| c == column).map_or(inserted, |(_, v)| v);
            match value {
                V::Null => conditions.push(format!("{column} IS NULL")),
                // Sealed since: its value is read through the store (the stories check it there).
                V::Clear(_) if sealed => {}
                v => conditions.push(format!("{column} = {}", v.sql(backend))),
            }
        }
        format!("SELECT CAST(count(*) AS TEXT) FROM {} WHERE {}", self.table, conditions.join(" AND "))
    }
}

/// The open campaign's slug, and the draft's.
pub const OPEN: &str = "old-appeal";
pub const DRAFT: &str = "old-draft";
const INVALIDATED: &str = "domain:spam.example";

/// The points the old database is taken through, each a prefix of the migrations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// The first three migrations: campaigns, signing, organisers.
    Oldest,
    /// Up to 11, the counts (before 13 rebuilds them by version signed).
    BeforeLife,
    /// Up to 22, before the data key (23).
    BeforeDataKey,
    /// Up to 24, before the private fields (27).
    BeforePrivateFields,
}

impl Stage {
    /// The last migration of the stage.
    fn last(self) -> i64 {
        match self {
            Stage::Oldest => 3,
            Stage::BeforeLife => 11,
            Stage::BeforeDataKey => 22,
            Stage::BeforePrivateFields => 24,
        }
    }

    /// The migrations an older version had applied, in the list's order.
    pub fn migrations(self) -> &'static [Migration] {
        let end = MIGRATIONS.iter().position(|m| m.version == self.last()).expect("the stage's migration");
        &MIGRATIONS[..=end]
    }

    /// The rows an older version wrote at this stage.
    pub fn rows(self) -> Vec<Row> {
        match self {
            Stage::Oldest => old_rows::oldest(),
            Stage::BeforeLife => old_rows::before_life(),
            Stage::BeforeDataKey => old_rows::before_data_key(),
            Stage::BeforePrivateFields => old_rows::before_private_fields(),
        }
    }

    const ALL: [Stage; 4] =
        [Stage::Oldest, Stage::BeforeLife, Stage::BeforeDataKey, Stage::BeforePrivateFields];
}

/// Builds the old database: each stage's migrations, then its rows. Migration 18 loses data (the
/// IP hashes): the old versions ran it as if backed up.
pub async fn build_old(db: &TestDb, until: Stage) {
    for stage in Stage::ALL.into_iter().filter(|s| *s <= until) {
        undersigned_store::migrate(&db.url, stage.migrations(), Upgrade { backed_up: true })
            .await
            .unwrap_or_else(|e| panic!("migrating to {stage:?}: {e}"));
        let sql: String = stage.rows().iter().map(|r| r.insert(db.backend())).collect();
        db.raw(&sql).await;
    }
}

/// Every row the old versions wrote, found again with its values (or their successors);
/// `sealed`: after `undersigned data seal`, when the values in clear are read through the store
/// only. Panics naming the first row missing.
pub async fn check_rows(db: &TestDb, sealed: bool) {
    let rows: Vec<Row> = Stage::ALL.iter().flat_map(|s| s.rows()).collect();
    let mut per_table: Vec<(&str, usize)> = Vec::new();
    for row in rows.iter().filter(|r| r.table != "demands") {
        let sql = row.find(db.backend(), sealed);
        let found = db.raw_texts(&sql).await;
        assert_eq!(found, ["1"], "a row of {} is not there as it was: {sql}", row.table);
        match per_table.iter_mut().find(|(t, _)| *t == row.table) {
            Some((_, n)) => *n += 1,
            None => per_table.push((row.table, 1)),
        }
    }
    // No row more than was written (the server may add to others, not to these).
    for (table, n) in per_table {
        let count = db.raw_texts(&format!("SELECT CAST(count(*) AS TEXT) FROM {table}")).await;
        assert_eq!(count, [n.to_string()], "rows in {table}");
    }
    // The demands, as 40 made them: one per position, its texts from each language.
    for (slug, lang, position, text) in DEMANDS {
        let c = campaign(slug).sql(db.backend());
        let text = t(text).sql(db.backend());
        let sql = format!(
            "SELECT CAST(count(*) AS TEXT) FROM demand_texts d JOIN campaign_demands k
               ON k.campaign_id = d.campaign_id AND k.demand_key = d.demand_key
             WHERE d.campaign_id = {c} AND d.demand_key = {position} AND k.position = {position}
               AND d.lang = '{lang}' AND d.text = {text} AND k.met_on IS NULL"
        );
        assert_eq!(db.raw_texts(&sql).await, ["1"], "demand {position} of {slug} in {lang}");
    }
    assert_eq!(
        db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM demand_texts").await,
        [DEMANDS.len().to_string()]
    );
    assert_eq!(db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM campaign_demands").await, ["3"]);
}

/// The counts of the open campaign, counted again from its signatures' rows: (all, by version
/// signed, by country), each sorted.
pub async fn recount(db: &TestDb) -> (i64, Vec<(String, i64)>, Vec<(String, i64)>) {
    let valid = format!(
        "FROM signatures WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = '{OPEN}')
           AND status = 'confirmed' AND invalidation_id IS NULL"
    );
    let all = db.raw_texts(&format!("SELECT CAST(count(*) AS TEXT) {valid}")).await[0].parse().unwrap();
    let mut by = Vec::new();
    for column in ["version_lang", "country"] {
        let rows = db
            .raw_texts(&format!(
                "SELECT {column} || ' ' || CAST(count(*) AS TEXT) {valid} GROUP BY {column} ORDER BY {column}"
            ))
            .await;
        by.push(
            rows.iter()
                .map(|r| {
                    let (k, n) = r.rsplit_once(' ').unwrap();
                    (k.to_owned(), n.parse().unwrap())
                })
                .collect::<Vec<_>>(),
        );
    }
    let by_country = by.pop().unwrap();
    let by_lang = by.pop().unwrap();
    (all, by_lang, by_country)
}
