//! Signing, the one way every entrance takes: the sign form (`html::campaign`) and OSDI's record
//! signature helper without a token (`api::osdi`). A checked signature is recorded pending, with
//! its confirmation mail queued (or, for an address that signed already, the mail that case calls
//! for, within the address's mail budget), through the group commit; the signer is told the same
//! whatever the outcome, so that nobody learns whether an address has signed.

use undersigned_core::signature::{NewSignature, SignatureRecord};
use undersigned_core::signature_log::{SignedLeaf, version_hash};
use undersigned_core::store::now;
use undersigned_core::{Campaign, Lang};

use crate::{AppError, AppState, Visitor};

/// Records `signer`'s signature of `campaign` under the language version `version`, pending until
/// its signer confirms it by mail, and wakes the mail worker.
pub async fn sign(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    signer: NewSignature,
    version: Lang,
) -> Result<(), AppError> {
    let ip_key = state.ip_day_key.stored_ip_key(&*state.store, &state.keys, visitor.ip()).await?;
    if crate::defence::blocked(state, visitor, campaign, &signer, ip_key.as_ref()).await? {
        // Answered as any other, and dropped: a bot learns nothing from it.
        return Ok(());
    }
    let now = now();
    let text = campaign.content.version(&version).map(version_hash).unwrap_or_default();
    let leaf = SignedLeaf::of(campaign.id, &signer, text, now);
    let record = SignatureRecord {
        campaign_id: campaign.id,
        email_key: state.keys.email_key(campaign.id, &signer.email.canonical()),
        signer,
        version,
        ip_key,
        now,
        leaf,
    };
    // Whatever the outcome (new, still pending, signed already), the signer is told the same.
    state.store.sign(&record, state.config.mail_budget).await?;
    state.mail_queued.notify_one();
    crate::defence::signed(state, campaign, &record.signer, ip_key.as_ref()).await;
    Ok(())
}
