//! Who is logged in, and taking access away: sessions, admins, disabled accounts.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::account::User;

#[async_trait]
pub trait AccessStore: Send + Sync {
    async fn create_session(
        &self,
        token_hash: &[u8],
        user: i64,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> StoreResult<()>;

    /// The account a live session belongs to, unless it is disabled.
    async fn session_user(&self, token_hash: &[u8], now: OffsetDateTime) -> StoreResult<Option<User>>;

    async fn end_session(&self, token_hash: &[u8]) -> StoreResult<()>;

    /// Ends every session of an account; how many there were.
    async fn end_sessions(&self, user: i64) -> StoreResult<u64>;

    /// Makes an account an admin, or not; `Conflict` when that would leave no admin who can log in.
    async fn set_admin(&self, user: i64, admin: bool) -> StoreResult<()>;

    /// Disables an account (its sessions end, it cannot log in: `session_user` knows it no more)
    /// or enables it again; `Conflict` when that would leave no admin who can log in.
    async fn set_disabled(&self, user: i64, disabled: bool, now: OffsetDateTime) -> StoreResult<()>;

    /// The ids of the disabled accounts.
    async fn disabled_users(&self) -> StoreResult<Vec<i64>>;
}
