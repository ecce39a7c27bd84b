//! Organisers' passkeys (issue 18): the credentials, and the state of a ceremony between its
//! challenge and the browser's answer, kept in the database so that any instance may take the
//! answer, and taken once.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::passkey::{Ceremony, StoredPasskey};

#[async_trait]
pub trait PasskeyStore: Send + Sync {
    /// An account's passkeys, oldest first.
    async fn passkeys(&self, user: i64) -> StoreResult<Vec<StoredPasskey>>;

    /// Keeps a new passkey; `Conflict` when its credential is kept already (for any account).
    async fn add_passkey(
        &self,
        user: i64,
        credential_id: &[u8],
        name: &str,
        credential: &str,
        now: OffsetDateTime,
    ) -> StoreResult<i64>;

    /// Notes a use of the account's passkey `credential_id` at `now`, with the credential as it is
    /// after it (its counter and backup state); `NotFound` if the account has no such passkey.
    async fn use_passkey(
        &self,
        user: i64,
        credential_id: &[u8],
        credential: &str,
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    /// Removes the account's passkey `id`; whether there was one.
    async fn remove_passkey(&self, user: i64, id: i64) -> StoreResult<bool>;

    /// Keeps the state of a ceremony the session `token_hash` begins for `user`, replacing one of
    /// the same kind it began before; answerable until `expires_at`.
    async fn begin_ceremony(
        &self,
        token_hash: &[u8],
        kind: Ceremony,
        user: i64,
        state: &str,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()>;

    /// Takes (deletes) the session's ceremony of `kind`: its account and state, unless there is
    /// none or it expired before `now`. Twice the same answer finds nothing the second time.
    async fn take_ceremony(
        &self,
        token_hash: &[u8],
        kind: Ceremony,
        now: OffsetDateTime,
    ) -> StoreResult<Option<(i64, String)>>;
}
