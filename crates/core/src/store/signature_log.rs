//! The campaigns' signature logs: what the checkpoint, proof and check pages, the receipts in
//! mails and the export read. Leaves are appended by the group commit's confirmations (in the
//! backends' writers) and by [`SignatureLogStore::revoke_signature`].

use async_trait::async_trait;

use super::error::StoreResult;
use crate::campaign::CampaignId;
use crate::signature_log::Salt;
use crate::tlog::Hash;

/// A log's size and root now, and the latest checkpoint signed (its size and note).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogHead {
    pub size: u64,
    pub root: Hash,
    pub checkpoint: Option<(u64, String)>,
}

/// One leaf as the log keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLeaf {
    pub index: u64,
    pub hash: Hash,
    pub record: String,
    pub signature_id: Option<i64>,
    pub endorsement_id: Option<i64>,
}

/// What a signature's confirmation mail and thanks page tell its signer: the salt (gone once the
/// campaign is anonymised), the record, and its index once confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub campaign: CampaignId,
    pub salt: Option<Salt>,
    pub record: String,
    pub index: Option<u64>,
}

#[async_trait]
pub trait SignatureLogStore: Send + Sync {
    async fn log_head(&self, campaign: CampaignId) -> StoreResult<LogHead>;

    /// Keeps a signed checkpoint of `size` leaves, unless one as large is kept already.
    async fn save_checkpoint(&self, campaign: CampaignId, size: u64, note: &str) -> StoreResult<()>;

    /// The index of the leaf with this hash, if the campaign's log has it.
    async fn log_leaf_by_hash(&self, campaign: CampaignId, hash: &Hash) -> StoreResult<Option<u64>>;

    /// The inclusion proof of leaf `index` in the tree of the first `size` leaves (`index < size
    /// <= the log's size`, which the caller checks).
    async fn inclusion_proof(&self, campaign: CampaignId, index: u64, size: u64) -> StoreResult<Vec<Hash>>;

    /// The consistency proof between the trees of `old` and `new` leaves (`old <= new <= size`).
    async fn consistency_proof(&self, campaign: CampaignId, old: u64, new: u64) -> StoreResult<Vec<Hash>>;

    /// Up to `limit` leaves from index `from` on, in order.
    async fn log_leaves(&self, campaign: CampaignId, from: u64, limit: u32) -> StoreResult<Vec<LogLeaf>>;

    /// The leaves of these signatures (those that have one), with the signature's id and its
    /// salt (until anonymised), in order (a signature invalidated and restored has two, the
    /// latest last): the export's rows.
    async fn log_leaves_of_signatures(
        &self,
        signatures: &[i64],
    ) -> StoreResult<Vec<(i64, LogLeaf, Option<Salt>)>>;

    /// The latest leaf of each of these endorsements that has one (those listed before the log
    /// took endorsements have none), with the endorsement's id: the export's rows.
    async fn log_leaves_of_endorsements(&self, endorsements: &[i64]) -> StoreResult<Vec<(i64, LogLeaf)>>;

    /// Up to `limit` leaves with `from <= index < below` that stand for no confirmed, valid
    /// signature's latest entry nor an approved endorsement's (revocations; signatures withdrawn,
    /// invalidated or gone; endorsements gone; earlier entries of signatures invalidated and
    /// restored, of endorsements edited), in order, with what became of their signature or
    /// endorsement: `None` for a revocation, else "gone", "invalidated" or the row's status
    /// ("pending", "confirmed", "approved"...).
    async fn unlisted_log_leaves(
        &self,
        campaign: CampaignId,
        from: u64,
        below: u64,
        limit: u32,
    ) -> StoreResult<Vec<(LogLeaf, Option<String>)>>;

    /// A signature's receipt, if it has a leaf (pending or appended).
    async fn signature_receipt(&self, signature: i64) -> StoreResult<Option<Receipt>>;
}
