//! Time as Undersigned keeps it: to the microsecond, which both databases store exactly.

use time::OffsetDateTime;

/// The current time, to the microsecond both databases keep.
pub fn now() -> OffsetDateTime {
    truncate(OffsetDateTime::now_utc())
}

/// `t` to the microsecond.
pub fn truncate(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(t.nanosecond() / 1_000 * 1_000).expect("fewer nanoseconds are valid")
}

/// Microseconds since 1970: how SQLite stores a time, and how record keys and mail file names
/// write one.
pub fn micros(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000) as i64
}
