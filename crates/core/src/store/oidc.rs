//! Signing in with OpenID Connect: the round trips under way (each taken once, by whichever
//! instance gets the callback), the provider identities linked to organisers' accounts, and the
//! comments of commenters signed in with a provider.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::account::{NewUser, User};
use crate::comment::CommentStatus;
use crate::comment_input::SignedInComment;
use crate::oidc::{Flow, Identity};

#[async_trait]
pub trait OidcStore: Send + Sync {
    /// Keeps a round trip until its callback, and forgets the ones expired before `now`.
    async fn begin_oidc_flow(&self, flow: &Flow, now: OffsetDateTime) -> StoreResult<()>;

    /// Takes the round trip of `state_key` away (a second take of the same finds nothing), expired
    /// or not: the caller checks.
    async fn take_oidc_flow(&self, state_key: &[u8]) -> StoreResult<Option<Flow>>;

    /// The account a provider's identity is linked to.
    async fn user_by_identity(&self, provider: &str, subject: &str) -> StoreResult<Option<User>>;

    /// The identities linked to an account, by provider.
    async fn identities(&self, user: i64) -> StoreResult<Vec<Identity>>;

    /// Links an identity to an account: `Conflict` when it is linked to another account, or the
    /// account has one of that provider already.
    async fn link_identity(
        &self,
        user: i64,
        provider: &str,
        subject: &str,
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    /// Unlinks the account's identity of `provider`; whether there was one.
    async fn unlink_identity(&self, user: i64, provider: &str) -> StoreResult<bool>;

    /// A new account (no password, no role) with the identity linked, in one transaction:
    /// `Conflict` when the address has an account or the identity is linked already.
    async fn add_user_with_identity(
        &self,
        user: &NewUser,
        provider: &str,
        subject: &str,
        now: OffsetDateTime,
    ) -> StoreResult<User>;

    /// Adds a signed-in commenter's comment, with no commenter (no address) and no mail: held
    /// where the campaign pre-moderates, else shown at once. Its status.
    async fn add_signed_in_comment(
        &self,
        comment: &SignedInComment,
        pre_moderation: bool,
    ) -> StoreResult<CommentStatus>;
}
