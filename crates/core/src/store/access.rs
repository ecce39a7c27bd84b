//! Who is logged in, and taking access away: sessions, admins, disabled accounts.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::account::User;
use crate::session::{Device, NewSession, SessionInfo};

#[async_trait]
pub trait AccessStore: Send + Sync {
    /// Starts a session (and forgets the expired ones of every account).
    async fn start_session(&self, session: &NewSession<'_>) -> StoreResult<()>;

    /// [`Self::start_session`] with nothing known of its device or network.
    async fn create_session(
        &self,
        token_hash: &[u8],
        user: i64,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> StoreResult<()> {
        let device = Device::from_user_agent(None);
        let session = NewSession { token_hash, user, started: now, expires, device, network: None };
        self.start_session(&session).await
    }

    /// The account a live session belongs to, unless it is disabled.
    async fn session_user(&self, token_hash: &[u8], now: OffsetDateTime) -> StoreResult<Option<User>>;

    /// [`Self::session_user`], with when the session was last seen (a read only: see
    /// [`Self::session_seen`]) and what it knows of its second factor: what a request reads of
    /// its session, in one query.
    async fn live_session(
        &self,
        token_hash: &[u8],
        now: OffsetDateTime,
    ) -> StoreResult<Option<(User, OffsetDateTime, crate::second_factor::SessionFactor)>>;

    /// Notes that a session was seen at `now` from `network` (its keyed hash, if known). Called
    /// at most every `session::SEEN_EVERY` per session, not on every page view.
    async fn session_seen(
        &self,
        token_hash: &[u8],
        now: OffsetDateTime,
        network: Option<&[u8]>,
    ) -> StoreResult<()>;

    /// An account's live sessions, the last seen first.
    async fn sessions_of(&self, user: i64, now: OffsetDateTime) -> StoreResult<Vec<SessionInfo>>;

    async fn end_session(&self, token_hash: &[u8]) -> StoreResult<()>;

    /// Ends one session of an account: `false` when it has no such session (another's is not
    /// its to end).
    async fn end_session_of(&self, user: i64, token_hash: &[u8]) -> StoreResult<bool>;

    /// Ends every session of an account but `keep`; how many there were.
    async fn end_other_sessions(&self, user: i64, keep: &[u8]) -> StoreResult<u64>;

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
