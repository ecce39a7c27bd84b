//! API tokens: made and revoked by organisers (each in the audit log, in the same transaction),
//! looked up by their hash on each API request, their use recorded.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::account::{AuditEntry, User};
use crate::api_token::{ApiToken, NewToken};

#[async_trait]
pub trait TokenStore: Send + Sync {
    /// Stores a token and writes `audit` (its making, the subject prefixed with `token #ID `), in
    /// one transaction; the token's id.
    async fn create_token(&self, token: &NewToken, audit: &AuditEntry) -> StoreResult<i64>;

    /// The tokens of one organiser, or everyone's (`None`), newest first.
    async fn tokens(&self, owner: Option<i64>) -> StoreResult<Vec<ApiToken>>;

    async fn token(&self, id: i64) -> StoreResult<Option<ApiToken>>;

    /// The token with this hash and its owner, unless the owner's account is disabled (its tokens
    /// stop working with it); revoked and expired tokens too, for the caller to tell why they fail.
    async fn token_by_hash(&self, hash: &[u8]) -> StoreResult<Option<(ApiToken, User)>>;

    /// Revokes a token and writes `audit`, in one transaction; whether it was not revoked already.
    async fn revoke_token(&self, id: i64, now: OffsetDateTime, audit: &AuditEntry) -> StoreResult<bool>;

    /// Records that the token was used at `now`, unless a use at or after `since` is recorded
    /// already (so that instances that each record a use a minute write at most that often).
    async fn token_used(&self, id: i64, now: OffsetDateTime, since: OffsetDateTime) -> StoreResult<()>;
}
