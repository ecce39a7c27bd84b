//! Comments: each confirmed by its own link, then shown or held as the campaign chose, reported,
//! moderated and answered.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::CampaignId;
use crate::comment::{Comment, CommentStatus, NewComment};

#[async_trait]
pub trait CommentStore: Send + Sync {
    /// Adds a comment, waiting for its own confirmation (whatever the address did before: an
    /// address is no credential), and queues the mail with its link, in one transaction.
    async fn add_comment(&self, comment: &NewComment) -> StoreResult<i64>;

    /// A comment and its commenter's email key and address (for the confirmation link and mail).
    async fn comment(&self, id: i64) -> StoreResult<Option<(Comment, Option<(Vec<u8>, String)>)>>;

    /// The link of `comment` was used: that comment (and no other) is held or shown. The
    /// comment's new status.
    async fn confirm_comment(
        &self,
        comment: i64,
        pre_moderation: bool,
        now: OffsetDateTime,
    ) -> StoreResult<CommentStatus>;

    /// A campaign's comments in the given states, oldest first.
    async fn comments(&self, campaign: CampaignId, states: &[CommentStatus]) -> StoreResult<Vec<Comment>>;

    async fn set_comment_status(
        &self,
        campaign: CampaignId,
        id: i64,
        status: CommentStatus,
    ) -> StoreResult<bool>;

    async fn delete_comment(&self, campaign: CampaignId, id: i64) -> StoreResult<bool>;

    /// Someone reports a comment: it goes to the moderation queue.
    async fn report_comment(&self, campaign: CampaignId, id: i64) -> StoreResult<bool>;

    /// An organiser answers a comment in the organisation's name, shown at once.
    async fn add_organiser_reply(
        &self,
        campaign: CampaignId,
        parent: i64,
        name: &str,
        body: &str,
        now: OffsetDateTime,
    ) -> StoreResult<i64>;

    /// Whether the campaign holds comments until approved (else shows them at once).
    async fn pre_moderation(&self, campaign: CampaignId) -> StoreResult<bool>;

    async fn set_pre_moderation(&self, campaign: CampaignId, pre: bool) -> StoreResult<()>;

    /// Forgets the address behind a campaign's comments from the commenter `email_key`: the
    /// comments stay as published (name and text), unconfirmed ones go. How many comments.
    async fn forget_commenter(&self, campaign: CampaignId, email_key: &[u8]) -> StoreResult<u64>;
}
