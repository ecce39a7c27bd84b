//! Webhooks: the endpoints organisers register per campaign, and the outbox of their deliveries.
//! The events queue their deliveries themselves, in the transactions that make them (the group
//! commit's confirmations, a withdrawal, an endorsement's approval, a status's change, the count
//! fold for milestones); what is here is the endpoints' management and the deliveries' worker.

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};

use super::error::StoreResult;
use crate::campaign::CampaignId;
use crate::webhook::{
    AttemptOutcome, ClaimedDelivery, DeliveryRecord, Endpoint, EndpointState, FailureRecorded, NewEndpoint,
    WebhookSecret,
};

#[async_trait]
pub trait WebhookStore: Send + Sync {
    /// Registers an endpoint, active at once; its id.
    async fn create_webhook(&self, endpoint: &NewEndpoint) -> StoreResult<i64>;

    /// A campaign's endpoints, oldest first.
    async fn webhooks(&self, campaign: CampaignId) -> StoreResult<Vec<Endpoint>>;

    /// One of a campaign's endpoints (`None` for another campaign's).
    async fn webhook(&self, campaign: CampaignId, id: i64) -> StoreResult<Option<Endpoint>>;

    /// Pauses an endpoint, or makes one paused or disabled active again. Whether it changed.
    async fn set_webhook_state(
        &self,
        campaign: CampaignId,
        id: i64,
        state: EndpointState,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;

    /// Gives an endpoint a new secret; the one it had still signs beside it for a day
    /// ([`crate::webhook::PREVIOUS_SECRET_FOR`]). Whether the endpoint was there.
    async fn rotate_webhook_secret(
        &self,
        campaign: CampaignId,
        id: i64,
        secret: &WebhookSecret,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;

    /// Deletes an endpoint with its deliveries. Whether it was there.
    async fn delete_webhook(&self, campaign: CampaignId, id: i64) -> StoreResult<bool>;

    /// Queues a `webhook.test` delivery for an endpoint, through the same outbox as the events
    /// (it waits while the endpoint is paused); its id, `None` for no such endpoint.
    async fn queue_webhook_test(
        &self,
        campaign: CampaignId,
        endpoint: i64,
        now: OffsetDateTime,
    ) -> StoreResult<Option<i64>>;

    /// Makes a delivery that is not delivered due at once, a failed one with the whole retry
    /// schedule again. Whether it did.
    async fn retry_webhook_delivery(
        &self,
        campaign: CampaignId,
        endpoint: i64,
        delivery: i64,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;

    /// An endpoint's last `limit` deliveries, newest first.
    async fn webhook_deliveries(&self, endpoint: i64, limit: u32) -> StoreResult<Vec<DeliveryRecord>>;

    /// Takes up to `limit` due deliveries of active endpoints, leasing them for `lease` so that no
    /// other worker (on this instance or another) sends them meanwhile; one whose worker died is
    /// due again when its lease runs out.
    async fn claim_webhook_deliveries(
        &self,
        now: OffsetDateTime,
        lease: Duration,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedDelivery>>;

    /// A 2xx came: delivered, if the lease still holds it. Whether it did.
    async fn webhook_delivered(
        &self,
        delivery: &ClaimedDelivery,
        outcome: &AttemptOutcome,
    ) -> StoreResult<bool>;

    /// The attempt failed: tried again at `retry_at`, or given up (`None`), and then the endpoint
    /// disabled if nothing was delivered to it since the delivery was queued (with an entry in
    /// the audit log by the system); only under the lease it was claimed with.
    async fn webhook_attempt_failed(
        &self,
        delivery: &ClaimedDelivery,
        outcome: &AttemptOutcome,
        retry_at: Option<OffsetDateTime>,
    ) -> StoreResult<FailureRecorded>;

    /// Forgets deliveries done with (delivered or given up) before `before`. How many.
    async fn forget_webhook_deliveries(&self, before: OffsetDateTime) -> StoreResult<u64>;
}
