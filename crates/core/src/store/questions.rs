//! A campaign's own questions on its sign form (`crate::question`).

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::CampaignId;
use crate::question::{Question, QuestionsEdit};

#[async_trait]
pub trait QuestionStore: Send + Sync {
    /// A campaign's questions in the order they are asked, the retired ones after them (their
    /// answers stay readable in exports).
    async fn questions(&self, campaign: CampaignId) -> StoreResult<Vec<Question>>;

    /// Saves what the editor chose, in one transaction: the questions asked in this order (an
    /// existing one keeps its id and kind; a new one gets an id), and those taken away deleted,
    /// or retired at `now` when the campaign has signatures (someone may have answered them).
    async fn save_questions(
        &self,
        campaign: CampaignId,
        edit: &QuestionsEdit,
        now: OffsetDateTime,
    ) -> StoreResult<()>;
}
