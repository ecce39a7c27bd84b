//! Sealing under the data key ([`crate::data_key`]) what a version before it left in clear: the
//! addresses and IP hashes of existing rows, in batches that each commit, so that
//! `undersigned data seal` can be stopped and run again. Rows written since are sealed as they are
//! written; the server reads both kinds meanwhile.

use async_trait::async_trait;

use super::error::StoreResult;

/// Where sealing got to: a table (by its place in the backend's list) and the last row id done.
/// The default is the start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SealCursor {
    pub table: usize,
    pub after: i64,
}

/// What one batch did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SealBatch {
    /// Rows it sealed (an address, an IP hash or both).
    pub sealed: u64,
    /// Where the next batch starts; `None` once every table was gone through.
    pub next: Option<SealCursor>,
}

#[async_trait]
pub trait SealingStore: Send + Sync {
    /// Seals, in one transaction, up to `limit` rows still holding an address or an IP hash in
    /// clear, from `from` on.
    async fn seal_in_clear(&self, from: SealCursor, limit: u32) -> StoreResult<SealBatch>;

    /// How many rows still hold an address or an IP hash in clear (it reads every row: the
    /// server asks in the background once started).
    async fn rows_in_clear(&self) -> StoreResult<u64>;

    /// How many rows hold private fields sealed under the data key while their campaign's owners
    /// now have keys: not in clear, but the server can still open them; `seal_in_clear` seals
    /// them again to the owners' keys.
    async fn rows_to_reseal(&self) -> StoreResult<u64>;
}
