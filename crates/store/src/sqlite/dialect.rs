//! What the portable use cases (`../portable`) need from SQLite: its types, how it keeps times and
//! lists of ids, and the few fragments of SQL in which it differs from PostgreSQL. The names are
//! the same in `postgres/dialect.rs`; the types behind them differ.

use sqlx::Row as _;
use time::{Date, Duration, OffsetDateTime};
use undersigned_core::clock::micros;
use undersigned_core::store::{StoreError, StoreResult};

pub type Db = sqlx::Sqlite;
pub type Row = sqlx::sqlite::SqliteRow;
pub type Conn = sqlx::SqliteConnection;
pub type Query<'q> = sqlx::query::Query<'q, Db, sqlx::sqlite::SqliteArguments<'q>>;

/// A database error, as the port tells it (`crate::error::db`, with this dialect's [`unavailable`]).
pub fn db(e: sqlx::Error) -> StoreError {
    crate::error::db(e, unavailable)
}

/// The backend's name for logs.
pub const NAME: &str = "sqlite";

/// A time as SQLite keeps it: microseconds since 1970 (UTC), which sort and compare as numbers.
pub type Time = i64;

pub fn at(t: OffsetDateTime) -> Time {
    micros(t)
}

/// A kept time read back.
pub fn from_time(micros: Time) -> StoreResult<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .map_err(|e| StoreError::Corrupt(format!("time {micros}: {e}")))
}

pub fn time_at(row: &Row, column: &str) -> StoreResult<OffsetDateTime> {
    from_time(row.try_get(column).map_err(db)?)
}

pub fn opt_time_at(row: &Row, column: &str) -> StoreResult<Option<OffsetDateTime>> {
    let micros: Option<Time> = row.try_get(column).map_err(db)?;
    micros.map(from_time).transpose()
}

/// A length of time, as it compares with the difference of two kept times.
pub fn span(d: Duration) -> i64 {
    d.whole_microseconds() as i64
}

/// Later than any time kept: where a list newest first starts.
pub const LATEST: Time = i64::MAX;

/// A list of ids, bound as one parameter: JSON text, which `json_each` reads.
pub fn ids(ids: &[i64]) -> StoreResult<String> {
    serde_json::to_string(ids).map_err(|e| StoreError::Database(e.to_string()))
}

/// The condition that `column` is one of the ids bound at `param` (see [`ids`]).
pub fn in_ids(column: &str, param: &str) -> String {
    format!("{column} IN (SELECT value FROM json_each({param}))")
}

/// The UTC day of a time column, as an expression, and that day read back.
pub fn day(column: &str) -> String {
    format!("{column} / 86400000000")
}

pub fn day_at(row: &Row, column: &str) -> StoreResult<Date> {
    let day: i64 = row.try_get(column).map_err(db)?;
    Ok(from_time(day * 86_400_000_000)?.date())
}

/// Sixteen random bytes.
pub const RANDOM_KEY: &str = "randomblob(16)";

/// The smaller of two values.
pub const LEAST: &str = "min";

/// What a `SELECT` appends to lock the rows it reads until the transaction ends: nothing, as the
/// one writer connection runs one transaction at a time.
pub const FOR_UPDATE: &str = "";

/// The id of a new row of `table` (campaigns, proposals), never one a deleted row had: SQLite
/// would give the largest id in the table plus one, the id of the newest row if it was deleted;
/// migration 0044 keeps the largest id deleted (PostgreSQL's identity columns never go back).
pub fn new_id(table: &str) -> String {
    format!(
        "(SELECT max(coalesce((SELECT max(id) FROM {table}), 0), \
                    coalesce((SELECT last FROM retired_ids WHERE tbl = '{table}'), 0)) + 1)"
    )
}

/// What a claim appends so that workers on several instances skip each other's rows: nothing, as
/// above.
pub const SKIP_LOCKED: &str = "";

/// The boolean literals where a partial index must recognise a condition: SQLite uses an index
/// made `WHERE failed = 0` only for a query that says `failed = 0`.
pub const FALSE: &str = "0";
pub const TRUE: &str = "1";

/// Whether SQLite failed for want of its disk (full, an I/O error, out of memory, locked for
/// longer than the busy timeout) rather than for what was written: the database is unavailable for
/// the moment, and SQLite may have rolled the whole transaction back by itself.
pub fn unavailable(e: &sqlx::Error) -> bool {
    const BUSY: i32 = 5;
    const NOMEM: i32 = 7;
    const IOERR: i32 = 10;
    const FULL: i32 = 13;
    const CANTOPEN: i32 = 14;
    let code = e.as_database_error().and_then(|d| d.code()).and_then(|c| c.parse::<i32>().ok());
    code.is_some_and(|c| matches!(c & 0xff, BUSY | NOMEM | IOERR | FULL | CANTOPEN))
}
