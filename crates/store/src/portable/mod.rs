//! The use cases SQLite and PostgreSQL run with the same SQL, written once and compiled twice:
//! `sqlite/mod.rs` and `postgres/mod.rs` each include this folder as their own module
//! (`#[path = "../portable/mod.rs"] mod portable;`), where `super::dialect` and `super::Backend`
//! are that database's. One source is type-checked against both; what truly differs stays in the
//! dialect's folder.
//!
//! Why this and not one generic implementation over `sqlx::Database`: a generic function needs a
//! bound for every type it binds or reads and for every executor it runs on, for each query
//! (higher-ranked `Executor` bounds, `Encode`/`Decode`/`Type` per column type), and the times
//! differ in type anyway (microseconds against `TIMESTAMPTZ`). Compiled per dialect, the same code
//! names concrete types (`dialect::Db`, `dialect::Row`, `dialect::Time`) and needs no bounds.
//!
//! The contract, what each dialect provides here:
//! - `dialect`: `Db`, `Row`, `Conn`, `Query`, `Time`; `at(t)` a time as bound, `time_at`,
//!   `opt_time_at` and `from_time` to read one; `span(d)`, `LATEST`; `ids(&[i64])` and
//!   `in_ids(column, param)` for a list of ids; `day(column)` and `day_at`; the fragments
//!   `EMAIL_DOMAIN`, `RANDOM_KEY`, `LEAST`, `FOR_UPDATE`, `SKIP_LOCKED`, `FALSE`, `TRUE`; `NAME`;
//!   `unavailable(&error)`.
//! - `Backend`, the store: `reader()` and `writer()` (one pool on PostgreSQL), the signing queue
//!   `signing`, and the use cases written per dialect: `export_page` (the CSV export's pages),
//!   `fold` (the count journal into the counts), `finish` (mails done, under their leases).
//!
//! SQL here is the subset both databases share: `$N` placeholders (sqlx binds SQLite's `$N` by
//! number, so a parameter used twice is bound once), `TRUE`/`FALSE` and `NOT column`, `CAST`,
//! `count(*) FILTER (WHERE …)`, `ON CONFLICT … RETURNING`, row values with `IS DISTINCT FROM`.

mod access;
mod campaigns;
mod comments;
mod counts;
mod endorsements;
mod health;
mod imports;
mod life;
mod moderation;
mod organisers;
mod outbox;
mod retention;
mod signing;
mod updates;

use sqlx::Row as _;
use undersigned_core::signature::Signature;
use undersigned_core::store::{StoreError, StoreResult};

use super::{Backend, dialect};
use crate::rows::SignatureRow;

pub(super) use signing::{batch_outcome, mail_of, repeated, repeated_outcomes, sign_one};

/// A database error, as the port tells it.
pub(super) fn db(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => {
            StoreError::Unavailable(e.to_string())
        }
        e if dialect::unavailable(&e) => StoreError::Unavailable(e.to_string()),
        e => StoreError::Database(e.to_string()),
    }
}

/// A column of a row.
pub(super) fn get<'r, T>(row: &'r dialect::Row, column: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, dialect::Db> + sqlx::Type<dialect::Db>,
{
    row.try_get(column).map_err(db)
}

pub(super) const SIGNATURE_COLUMNS: &str = "id, campaign_id, email_key, email, name, country, city, affiliation, comment, \
     display, opt_in, lang, status, created_at, confirmed_at, revision";

pub(super) fn signature_row(r: &dialect::Row) -> StoreResult<Signature> {
    SignatureRow {
        id: get(r, "id")?,
        campaign_id: get(r, "campaign_id")?,
        email_key: get(r, "email_key")?,
        email: get(r, "email")?,
        name: get(r, "name")?,
        country: get(r, "country")?,
        city: get(r, "city")?,
        affiliation: get(r, "affiliation")?,
        comment: get(r, "comment")?,
        display: get(r, "display")?,
        opt_in: get(r, "opt_in")?,
        lang: get(r, "lang")?,
        status: get(r, "status")?,
        created_at: dialect::time_at(r, "created_at")?,
        confirmed_at: dialect::opt_time_at(r, "confirmed_at")?,
        revision: get(r, "revision")?,
    }
    .into_signature()
}
