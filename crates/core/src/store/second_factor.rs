//! Organisers' second factors: the TOTP secret (sealed under the data key by the store), the
//! time step last used, the wrong codes counted and the lock, the recovery codes (kept as keyed
//! digests), and when each session last checked the second factor. Kept in the database, so that
//! every instance sees the same lock and the same used steps.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::account::User;
use crate::second_factor::{FailureOutcome, SecondFactor, Secret, SessionFactor, StepOutcome};

#[async_trait]
pub trait SecondFactorStore: Send + Sync {
    /// An account's second factor, switched on or being enrolled.
    async fn second_factor(&self, user: i64) -> StoreResult<Option<SecondFactor>>;

    /// Starts enrolment with a new secret (replacing one being enrolled); `Conflict` when the
    /// account has a second factor switched on.
    async fn begin_second_factor(&self, user: i64, secret: &Secret, now: OffsetDateTime) -> StoreResult<()>;

    /// Switches the secret being enrolled on, with `step` (the code just typed) used, its recovery
    /// codes replaced by `recovery_codes`, and the session `token_hash` checked at `now`; `NotFound`
    /// when nothing is being enrolled, `Conflict` when it is on already.
    async fn enable_second_factor(
        &self,
        user: i64,
        step: i64,
        recovery_codes: &[String],
        token_hash: &[u8],
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    /// Switches the second factor off: the secret, the recovery codes and the passkeys are deleted.
    async fn disable_second_factor(&self, user: i64) -> StoreResult<()>;

    /// Uses the time step of a right code, at most once: refused if it is not later than the last
    /// step used, or while locked. Accepted resets the wrong codes counted.
    async fn use_step(&self, user: i64, step: i64, now: OffsetDateTime) -> StoreResult<StepOutcome>;

    /// Uses a recovery code (as `normalise_recovery_code` gives it), at most once; whether it was
    /// one not used yet. Refused (`false`) while locked.
    async fn use_recovery_code(&self, user: i64, code: &str, now: OffsetDateTime) -> StoreResult<bool>;

    /// Counts a wrong code; the `max`-th in a row locks the second factor until `now + lock_for`
    /// (and the count starts again).
    async fn count_wrong_code(
        &self,
        user: i64,
        max: u32,
        lock_for: time::Duration,
        now: OffsetDateTime,
    ) -> StoreResult<FailureOutcome>;

    /// Replaces the recovery codes of an account whose second factor is on.
    async fn replace_recovery_codes(&self, user: i64, codes: &[String]) -> StoreResult<()>;

    /// The account of a live session with what the session knows of its second factor.
    async fn session_factor(
        &self,
        token_hash: &[u8],
        now: OffsetDateTime,
    ) -> StoreResult<Option<(User, SessionFactor)>>;

    /// Records that the session checked the second factor at `now`.
    async fn check_session(&self, token_hash: &[u8], now: OffsetDateTime) -> StoreResult<()>;
}
