//! What the portable use cases (`../portable`) need from PostgreSQL: its types, how it keeps times
//! and lists of ids, and the few fragments of SQL in which it differs from SQLite. The names are
//! the same in `sqlite/dialect.rs`; the types behind them differ.

use sqlx::Row as _;
use time::{Date, Duration, OffsetDateTime};
use undersigned_core::store::{StoreError, StoreResult};

pub type Db = sqlx::Postgres;
pub type Row = sqlx::postgres::PgRow;
pub type Conn = sqlx::PgConnection;
pub type Query<'q> = sqlx::query::Query<'q, Db, sqlx::postgres::PgArguments>;

/// A database error, as the port tells it (`crate::error::db`, with this dialect's [`unavailable`]).
pub fn db(e: sqlx::Error) -> StoreError {
    crate::error::db(e, unavailable)
}

/// The backend's name for logs.
pub const NAME: &str = "postgres";

/// A time as PostgreSQL keeps it: `TIMESTAMPTZ`, to the microsecond.
pub type Time = OffsetDateTime;

pub fn at(t: OffsetDateTime) -> Time {
    t
}

/// A kept time read back.
pub fn from_time(t: Time) -> StoreResult<OffsetDateTime> {
    Ok(t)
}

pub fn time_at(row: &Row, column: &str) -> StoreResult<OffsetDateTime> {
    row.try_get(column).map_err(db)
}

pub fn opt_time_at(row: &Row, column: &str) -> StoreResult<Option<OffsetDateTime>> {
    row.try_get(column).map_err(db)
}

/// A length of time, as it compares with the difference of two kept times: an `INTERVAL`.
pub fn span(d: Duration) -> Duration {
    d
}

/// Later than any time kept: where a list newest first starts.
pub const LATEST: Time = time::macros::datetime!(9999-12-31 23:59:59.999999 UTC);

/// A list of ids, bound as one parameter: a `BIGINT[]`.
pub fn ids(ids: &[i64]) -> StoreResult<Vec<i64>> {
    Ok(ids.to_vec())
}

/// The condition that `column` is one of the ids bound at `param` (see [`ids`]).
pub fn in_ids(column: &str, param: &str) -> String {
    format!("{column} = ANY({param})")
}

/// The UTC day of a time column, as an expression, and that day read back.
pub fn day(column: &str) -> String {
    format!("({column} AT TIME ZONE 'UTC')::date")
}

pub fn day_at(row: &Row, column: &str) -> StoreResult<Date> {
    row.try_get(column).map_err(db)
}

/// Sixteen random bytes.
pub const RANDOM_KEY: &str = "uuid_send(gen_random_uuid())";

/// The smaller of two values.
pub const LEAST: &str = "least";

/// What a `SELECT` appends to lock the rows it reads until the transaction ends (another
/// instance's transaction waits for them).
pub const FOR_UPDATE: &str = " FOR UPDATE";

/// The id of a new row of `table`: its identity column's next, which never goes back (see the
/// SQLite dialect's).
pub fn new_id(_table: &str) -> String {
    "DEFAULT".to_owned()
}

/// What a claim appends so that workers on several instances skip each other's rows.
pub const SKIP_LOCKED: &str = " FOR UPDATE SKIP LOCKED";

/// The boolean literals where a partial index must recognise a condition (PostgreSQL reads
/// `failed = FALSE` as `NOT failed`, as its indexes are made).
pub const FALSE: &str = "FALSE";
pub const TRUE: &str = "TRUE";

/// Whether PostgreSQL failed for want of its disk or of itself rather than for what was written
/// (SQLSTATE classes 08 connection, 53 insufficient resources such as a full disk, 57P shutting
/// down or starting, 58 I/O error): the database is unavailable for the moment.
pub fn unavailable(e: &sqlx::Error) -> bool {
    let code = e.as_database_error().and_then(|d| d.code());
    code.is_some_and(|c| ["08", "53", "57P", "58"].iter().any(|class| c.starts_with(class)))
}
