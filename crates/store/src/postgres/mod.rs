//! The PostgreSQL backend: for several server instances sharing one database.
//!
//! Mail is claimed with `FOR UPDATE SKIP LOCKED`, so workers on several instances never send the
//! same mail twice; a second signature from one address waits on the first's row lock.
//!
//! Most use cases are `../portable`'s, compiled here against `dialect`; what is PostgreSQL's own
//! is here: connecting, the group-commit writer, the export's keyset query, finishing mails
//! (`unnest`) and folding counts under an advisory lock.
//!
//! This file only declares the modules (and re-exports the store for `crate::open`): the store
//! and its constructor are in `store`, which the other modules here name as a sibling; none of
//! them imports from this file, and each uses only those before it in this order, so that there
//! are no import circles: `dialect`; `portable::common`; `portable::sign_batch`; `group_commit`;
//! `standby`; `store`; the portable areas.

mod dialect;
mod group_commit;
/// The rate limits' shared counts (issue 17), in a file of their own.
mod limits;

/// The use cases SQLite and PostgreSQL run with the same SQL, compiled here against `dialect`
/// (and again in `sqlite`): written once, type-checked for both.
#[allow(clippy::duplicate_mod)] // deliberate: one source, two dialects
#[path = "../portable/mod.rs"]
mod portable;
mod standby;
mod store;

pub(crate) use self::store::PostgresStore;
