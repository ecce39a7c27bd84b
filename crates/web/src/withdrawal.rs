//! Withdrawing a signature: what both the emailed withdrawal link and the signer's manage page do.

use undersigned_core::comment_input::commenter_key;
use undersigned_core::signature::Signature;

use crate::{AppError, AppState};

/// Withdraws a signature, and forgets its signer's address behind their comments on the campaign
/// (the comments stay, with their name; those not confirmed go): the signer asked for everything
/// held about them to go.
pub async fn withdraw_signature(state: &AppState, signature: &Signature) -> Result<(), AppError> {
    state.store.withdraw_signature(signature.id).await?;
    let commenter = commenter_key(&state.keys, &signature.signer.email);
    state.store.forget_commenter(signature.campaign_id, &commenter).await?;
    Ok(())
}
