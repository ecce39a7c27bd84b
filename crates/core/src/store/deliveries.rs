//! Deliveries (`crate::delivery`): one recorded with its mail, in one transaction; those of a
//! campaign; one for the mail that sends it.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::CampaignId;
use crate::delivery::{Delivery, NewDelivery, Refused};

#[async_trait]
pub trait DeliveryStore: Send + Sync {
    /// Records a delivery and queues its mail (`MailKind::Delivery`), in one transaction. The same
    /// form's key again: the delivery it recorded, and nothing more. Refused when the same address
    /// had one of this campaign within `crate::delivery::REPEAT_WINDOW`.
    async fn record_delivery(
        &self,
        campaign: CampaignId,
        delivery: &NewDelivery,
        sent_by: i64,
        now: OffsetDateTime,
    ) -> StoreResult<Result<Delivery, Refused>>;

    async fn delivery(&self, id: i64) -> StoreResult<Option<Delivery>>;

    /// A campaign's deliveries, the latest first.
    async fn deliveries(&self, campaign: CampaignId) -> StoreResult<Vec<Delivery>>;
}
