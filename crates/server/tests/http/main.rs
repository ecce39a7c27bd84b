//! The server's tests over HTTP and through its binary: one test binary (one link of the whole
//! server), one module per area. Most stories run the real server in this process on port 0
//! (`support::TestApp`); those that must kill, restart or starve it run the `undersigned` binary
//! as a child process of their own.
//!
//! The tests of this binary share one process: nothing here may change what is process-wide (the
//! current directory, environment variables, the umask, signal handlers). The server the tests
//! start in this process does not (`undersigned::main` sets the umask, `Server::start` does not).

mod support;

mod abuse;
mod access;
mod api;
mod at_rest;
mod backup;
mod campaign_files;
mod cli;
mod coalitions;
mod comments;
mod connections;
mod data_key;
mod data_seal;
mod defence;
mod delivery;
mod demands;
mod durability;
mod editor;
mod embed;
mod full_disk;
mod health;
mod keys;
mod life;
mod listing;
mod lockfile;
mod mail;
mod metrics;
mod notices;
mod oidc;
mod organise;
mod osdi;
mod pages;
mod passkeys;
mod pictures;
mod private_fields;
mod proposals;
mod questions;
mod reminders;
mod replica;
mod review;
mod routes;
mod second_factor;
mod sessions;
mod shared_limits;
mod signature_log;
mod signers;
mod signing;
mod site_pages;
mod takedown;
mod thresholds;
mod tokens;
mod updates;
mod upgrade;
mod webhooks;
mod webhooks_api;
