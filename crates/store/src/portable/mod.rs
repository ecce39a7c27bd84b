//! The use cases SQLite and PostgreSQL run with the same SQL, written once and compiled twice:
//! `sqlite/mod.rs` and `postgres/mod.rs` each include this folder as their own module
//! (`#[path = "../portable/mod.rs"] mod portable;`), where `super::super::dialect` and
//! `super::super::store::Backend` are that database's. One source is type-checked against both;
//! what truly differs stays in the dialect's folder.
//!
//! The modules form layers, with no import circles (a module here names its siblings and the
//! dialect's modules, never this file nor the dialect's `mod.rs`):
//! - `common` (reading a column, a signature's row, queueing a mail; with `dialect` and `db`
//!   re-exported for the areas) uses only the dialect and `crate::rows`;
//! - `sign_batch` (signing inside the group commit's transactions), `webhook_events` (queueing
//!   webhook deliveries in an event's transaction) and `data_key` (the key's id the database
//!   keeps) use only `common`;
//! - the dialect's `store` uses `common`, `sign_batch`, `webhook_events` and `data_key` (through
//!   its group-commit writer, export, count fold and connecting), never an area;
//! - each area (`campaigns`, `signing`, ...) implements its port for `store::Backend`, with
//!   `common`, the dialect, and a few other areas' functions (`outbox`, `organisers`, ...).
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
//!   `RANDOM_KEY`, `LEAST`, `FOR_UPDATE`, `SKIP_LOCKED`, `FALSE`, `TRUE`; `NAME`;
//!   `unavailable(&error)` and `db(error)` (the port's error, through `crate::error::db`).
//! - `Backend`, the store: `reader()` and `writer()` (one pool on PostgreSQL), `data_key()` (what
//!   addresses and IP hashes are sealed under, see `crate::sealed`), the signing queue `signing`,
//!   and the use cases written per dialect: `export_page` (the CSV export's pages), `fold` (the
//!   count journal into the counts), `finish` (mails done, under their leases); and `lagging(read)`,
//!   which runs a read that may lag on the store that should serve it (see `replica`: PostgreSQL's
//!   hot standby, or itself when the standby fails; SQLite's is itself).
//!
//! SQL here is the subset both databases share: `$N` placeholders (sqlx binds SQLite's `$N` by
//! number, so a parameter used twice is bound once), `TRUE`/`FALSE` and `NOT column`, `CAST`,
//! `count(*) FILTER (WHERE …)`, `ON CONFLICT … RETURNING`, row values with `IS DISTINCT FROM`.

mod access;
mod campaigns;
mod comments;
pub(super) mod common;
mod counts;
pub(super) mod data_key;
mod defence;
mod deliveries;
mod demands;
mod endorsements;
mod health;
mod imports;
mod life;
pub(super) mod log_append;
mod moderation;
mod notices;
mod oidc;
mod organisations;
mod organisers;
mod outbox;
mod owner_keys;
mod passkeys;
mod pictures;
mod proposals;
mod questions;
mod reminders;
mod replica;
mod retention;
mod sealing;
mod sealing_later;
mod second_factor;
pub(super) mod sign_batch;
mod signature_log;
mod signing;
mod site_pages;
mod sync;
mod thresholds;
mod tokens;
mod updates;
pub(super) mod webhook_events;
mod webhooks;
