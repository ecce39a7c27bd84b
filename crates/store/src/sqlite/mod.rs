//! The SQLite backend: the embedded default, one file in the data directory.
//!
//! Writes go through a pool of one connection, so that transactions never contend for SQLite's
//! single write lock; reads use a pool of their own (WAL mode lets them run beside the writer).
//! Times are stored as microseconds since 1970 (UTC), which sort and compare as numbers.
//!
//! Most use cases are `../portable`'s, compiled here against `dialect`; what is SQLite's own is
//! here: connecting, the group-commit writer, the export reader, and finishing mails and folding
//! counts through the one writer.
//!
//! This file only declares the modules (and re-exports the store for `crate::open`): the store
//! and its constructor are in `store`, which the other modules here name as a sibling; none of
//! them imports from this file, and each uses only those before it in this order, so that there
//! are no import circles: `dialect`; `export`; `portable::common`; `portable::sign_batch`;
//! `group_commit`; `store`; `export_page` and the portable areas.

mod dialect;
mod export;
mod export_page;
mod group_commit;
/// The rate limits' shared counts (issue 17), in a file of their own.
mod limits;

/// The use cases SQLite and PostgreSQL run with the same SQL, compiled here against `dialect`
/// (and again in `postgres`): written once, type-checked for both.
#[allow(clippy::duplicate_mod)] // deliberate: one source, two dialects
#[path = "../portable/mod.rs"]
mod portable;
mod store;

pub(crate) use self::store::SqliteStore;
