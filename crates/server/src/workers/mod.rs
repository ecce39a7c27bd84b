//! What the server does beside answering requests, each a task that runs until the server stops.
//! The outbox's worker, which sends the mail, is `crate::mail`.

pub mod upkeep;
