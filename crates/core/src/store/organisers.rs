//! Organisers: accounts, invitations, password resets, roles on campaigns and the audit log.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::account::{AuditEntry, NewUser, Role, User};
use crate::campaign::CampaignId;

#[async_trait]
pub trait OrganiserStore: Send + Sync {
    /// Creates an account; `Conflict` when the address has one.
    async fn create_user(&self, user: &NewUser, now: OffsetDateTime) -> StoreResult<i64>;

    /// An account and its password hash (none until an invited organiser sets one).
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<(User, Option<String>)>>;

    async fn user_by_id(&self, id: i64) -> StoreResult<Option<(User, Option<String>)>>;

    async fn users(&self) -> StoreResult<Vec<User>>;

    /// Sets a password and ends every session of the account.
    async fn set_password(&self, user: i64, hash: &str) -> StoreResult<()>;

    /// Invites an organiser: creates the account if there is none, gives the role, and queues the
    /// invitation mail (for an account without a password), in one transaction.
    async fn invite(
        &self,
        user: &NewUser,
        role: Option<(CampaignId, Role)>,
        now: OffsetDateTime,
    ) -> StoreResult<i64>;

    /// Queues a password-reset mail if the address has an account; whether it has.
    async fn request_password_reset(&self, email: &str, now: OffsetDateTime) -> StoreResult<bool>;

    /// Gives a role on a campaign, or takes it away (`None`).
    async fn set_role(&self, campaign: CampaignId, user: i64, role: Option<Role>) -> StoreResult<()>;

    async fn role(&self, campaign: CampaignId, user: i64) -> StoreResult<Option<Role>>;

    /// The campaigns an organiser has a role on, with the role.
    async fn campaigns_of(&self, user: i64) -> StoreResult<Vec<(CampaignId, Role)>>;

    async fn team(&self, campaign: CampaignId) -> StoreResult<Vec<(User, Role)>>;

    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()>;

    /// The latest entries, of one campaign or all, newest first.
    async fn audit_log(&self, campaign: Option<CampaignId>, limit: u32) -> StoreResult<Vec<AuditEntry>>;
}
