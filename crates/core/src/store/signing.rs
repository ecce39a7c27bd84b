//! Signatures: made, confirmed, withdrawn, listed, changed by their signer and exported.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::CampaignId;
use crate::signature::{
    Confirmation, ListCursor, MailBudget, NameDisplay, PublicSignature, SignOutcome, Signature,
    SignatureRecord,
};

#[async_trait]
pub trait SigningStore: Send + Sync {
    /// Records a signature as pending and queues its confirmation mail, in one transaction; or,
    /// where the address (its `email_key`) has signed already, queues the mail that case calls for
    /// within the address's mail budget. Concurrent calls for one address leave one signature.
    async fn sign(&self, signature: &SignatureRecord, budget: MailBudget) -> StoreResult<SignOutcome>;

    async fn signature(&self, id: i64) -> StoreResult<Option<Signature>>;

    /// The signatures with these ids (those that exist), in one query: the mail worker reads a
    /// batch's signers at once.
    async fn signatures(&self, ids: &[i64]) -> StoreResult<Vec<Signature>>;

    /// Confirms a pending signature, so that it counts. Confirming twice is harmless.
    async fn confirm_signature(&self, id: i64, now: OffsetDateTime) -> StoreResult<Confirmation>;

    /// Confirms a pending signature only as it was shown: at `revision` (see `Signature::revision`);
    /// `Changed` when a later submission replaced it meanwhile.
    async fn confirm_signature_revision(
        &self,
        id: i64,
        revision: i64,
        now: OffsetDateTime,
    ) -> StoreResult<Confirmation>;

    /// Removes a signature and everything held about its signer. Returns whether it existed.
    async fn withdraw_signature(&self, id: i64) -> StoreResult<bool>;

    /// Confirmed signatures whose signers chose to be listed, newest first, after `cursor`.
    async fn public_signatures(
        &self,
        campaign: CampaignId,
        after: Option<ListCursor>,
        limit: u32,
    ) -> StoreResult<Vec<PublicSignature>>;

    /// The signature an address (its email key) made, if any.
    async fn signature_by_key(&self, email_key: &[u8]) -> StoreResult<Option<Signature>>;

    /// The signer changes how their name is shown, and whether they get news.
    async fn update_signer_choices(
        &self,
        signature: i64,
        display: NameDisplay,
        opt_in: bool,
    ) -> StoreResult<bool>;

    /// A campaign's confirmed signatures, oldest first, with everything held about them: up to
    /// `limit` of them after `after` (keyset, so that an export of millions streams page by page).
    async fn signatures_for_export(
        &self,
        campaign: CampaignId,
        after: Option<ListCursor>,
        limit: u32,
    ) -> StoreResult<Vec<Signature>>;
}
