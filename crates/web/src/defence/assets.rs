//! The proof of work's scripts, embedded in the binary and served from our host
//! (`/static/altcha.js`, `/static/altcha-worker.js`), their addresses carrying a hash of their
//! content as the stylesheet's do.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

pub(crate) const SCRIPT: &str = include_str!("../../static/altcha.js");
pub(crate) const WORKER: &str = include_str!("../../static/altcha-worker.js");

fn versioned(name: &str, content: &str) -> String {
    let mut h = DefaultHasher::new();
    content.hash(&mut h);
    format!("/static/{name}?v={:x}", h.finish() & 0xffff_ffff)
}

static SCRIPT_URL: LazyLock<String> = LazyLock::new(|| versioned("altcha.js", SCRIPT));
static WORKER_URL: LazyLock<String> = LazyLock::new(|| versioned("altcha-worker.js", WORKER));

pub fn script_url() -> &'static str {
    &SCRIPT_URL
}

pub fn worker_url() -> &'static str {
    &WORKER_URL
}

/// A script by its file name, if it is one of these.
pub fn script(file: &str) -> Option<&'static str> {
    match file {
        "altcha.js" => Some(SCRIPT),
        "altcha-worker.js" => Some(WORKER),
        _ => None,
    }
}
