//! A campaign's life: closing at its end date, unpublishing, republishing, deleting a draft. The rules are
//! [`CampaignStatus`]'s; a backend reads and applies them in one transaction.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::{CampaignId, CampaignStatus};

#[async_trait]
pub trait LifeStore: Send + Sync {
    /// Closes every open campaign whose end date is not after `now`: closed, ended at its end date
    /// (its retention period runs from then), with an entry in the audit log by the system
    /// ([`crate::account::AuditEntry::closed_at_end_date`]), in one transaction. The campaigns it closed.
    async fn close_ended_campaigns(&self, now: OffsetDateTime) -> StoreResult<Vec<CampaignId>>;

    /// Whether anyone has signed the campaign: a signature pending or confirmed, valid or not.
    async fn has_signatures(&self, campaign: CampaignId) -> StoreResult<bool>;

    /// Takes a public campaign down, as [`CampaignStatus::unpublished`] decides from whether
    /// anyone has signed it, in one transaction: withdrawn (ended, signatures kept) or a draft
    /// again. The status it now has; `None` when it was not public.
    async fn unpublish_campaign(
        &self,
        campaign: CampaignId,
        now: OffsetDateTime,
    ) -> StoreResult<Option<CampaignStatus>>;

    /// The status a withdrawn campaign had when it was withdrawn (open, closed or won), which
    /// republishing goes back to ([`CampaignStatus::republished`]); `None` when it is not
    /// withdrawn.
    async fn withdrawn_from(&self, campaign: CampaignId) -> StoreResult<Option<CampaignStatus>>;

    /// Puts a withdrawn campaign back, public again as `to`, in one transaction, if `to` is what
    /// [`CampaignStatus::republished`] makes of it at `now` (else nothing changes, and `false`):
    /// open again, it has not ended; closed or won, it keeps when it ended.
    async fn republish_campaign(
        &self,
        campaign: CampaignId,
        to: CampaignStatus,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;

    /// An admin takes a public campaign down with a public reason, in one transaction: withdrawn
    /// (whether or not anyone signed: its address then says why), the reason recorded, and a mail
    /// queued to each confirmed signer. `false` when it was not public.
    async fn take_down(
        &self,
        campaign: CampaignId,
        reason: &str,
        by: &str,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;

    /// Why a campaign was taken down by an admin, and when; `None` unless it was (and is still).
    async fn takedown(&self, campaign: CampaignId) -> StoreResult<Option<(String, OffsetDateTime)>>;

    /// Deletes a campaign with everything it holds, if [`CampaignStatus::may_delete`] allows it
    /// (a draft nobody signed), in one transaction. Whether it did.
    async fn delete_draft(&self, campaign: CampaignId) -> StoreResult<bool>;
}
