//! What the pages, mails and exports share of the campaigns' signature logs: the instance's key,
//! a log's origin, and its latest signed checkpoint.
//!
//! A checkpoint is signed when it is asked for (the checkpoint page, a proof, the check page, an
//! export, the delivery document) and the log has grown since the last one kept: every reader
//! gets one that covers every confirmed signature, signing costs nothing while nobody asks, and
//! the one kept survives restarts (`signature_logs.checkpoint`).

use undersigned_core::checkpoint::{Checkpoint, LogKey};
use undersigned_core::tlog::Hash;

use crate::{AppError, AppState};

/// The instance's host: the name of its key and the start of every log's origin.
pub fn host(state: &AppState) -> String {
    url::Url::parse(&state.config.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "localhost".into())
}

/// The key that signs the checkpoints, derived from the secret key.
pub fn log_key(state: &AppState) -> LogKey {
    LogKey::new(&host(state), &state.keys.log_signing_seed())
}

/// A campaign's log's name: the host, "/c/" and the slug.
pub fn origin(state: &AppState, slug: &str) -> String {
    format!("{}/c/{slug}", host(state))
}

/// The latest checkpoint of a campaign's log and its signed note, signing a new one if the log
/// grew since the last kept.
pub async fn checkpoint(
    state: &AppState,
    campaign: i64,
    slug: &str,
) -> Result<(Checkpoint, String), AppError> {
    let head = state.store.log_head(campaign).await?;
    let checkpoint = Checkpoint { origin: origin(state, slug), size: head.size, root: head.root };
    if let Some((size, note)) = head.checkpoint
        && size == head.size
        && note.starts_with(&checkpoint.body())
    {
        return Ok((checkpoint, note));
    }
    let note = log_key(state).sign(&checkpoint);
    if head.size > 0 {
        state.store.save_checkpoint(campaign, head.size, &note).await?;
    }
    Ok((checkpoint, note))
}

/// A hash written as 64 hexadecimal digits (spaces and case forgiven).
pub fn parse_hash(text: &str) -> Option<Hash> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if text.len() != 64 {
        return None;
    }
    let bytes: Option<Vec<u8>> =
        (0..64).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect();
    bytes?.try_into().ok()
}
