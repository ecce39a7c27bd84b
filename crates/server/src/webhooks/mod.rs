//! The webhooks' worker: takes due deliveries from the database under a lease (several instances
//! share the work; a delivery whose instance died goes again once its lease runs out), makes
//! each payload from the rows as they are now (`undersigned_web::webhooks::Payloads`), checks the
//! endpoint's address again (`undersigned_web::webhooks::resolve`) and POSTs it, signed the
//! Standard Webhooks way, to the address it checked ([`client`]). A 2xx is delivered; anything
//! else is tried again on the configured schedule (with jitter), then given up, which disables an
//! endpoint that took nothing since the delivery was queued. On stop, the deliveries under way
//! finish (within the timeout) before the worker ends.

pub mod client;

use std::sync::Arc;
use std::time::Duration as StdDuration;

use time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use undersigned_core::Store;
use undersigned_core::store::now;
use undersigned_core::webhook::{
    AttemptOutcome, ClaimedDelivery, FailureRecorded, RetrySchedule, WebhookUrl, signature_header,
};
use undersigned_web::webhooks::{Payloads, resolve};

use self::client::Client;

/// Deliveries taken at once, and sent concurrently, by each of [`LOOPS`] loops (side by side, so
/// that a receiver slow to answer holds up one batch, not every delivery).
const BATCH: u32 = 16;
const LOOPS: usize = 4;
/// How often the worker looks for due deliveries when nothing woke it: the events queue theirs
/// in the database (on any instance), and this is how soon they go.
const LOOK_EVERY: StdDuration = StdDuration::from_secs(1);

pub struct WebhookWorker {
    pub store: Arc<dyn Store>,
    pub payloads: Payloads,
    pub client: Client,
    pub schedule: RetrySchedule,
    /// How long a claimed delivery is held before another worker may take it.
    pub lease: Duration,
    /// `--webhook-allow-private`: the address is checked again before each delivery.
    pub allow_private: bool,
    /// Woken when an organiser queues a delivery (a test, a retry).
    pub wake: Arc<Notify>,
}

impl WebhookWorker {
    /// Sends until `stop` turns true.
    pub async fn run(self: Arc<Self>, stop: watch::Receiver<bool>) {
        let mut loops = JoinSet::new();
        for _ in 0..LOOPS {
            loops.spawn(self.clone().send_batches(stop.clone()));
        }
        loops.join_all().await;
    }

    async fn send_batches(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        loop {
            if self.tick().await > 0 && !*stop.borrow() {
                continue;
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(LOOK_EVERY) => {}
                _ = stop.changed() => {}
            }
            if *stop.borrow() {
                break;
            }
        }
    }

    /// Claims one batch and sends it; how many deliveries it held.
    pub async fn tick(self: &Arc<Self>) -> usize {
        let claimed = match self.store.claim_webhook_deliveries(now(), self.lease, BATCH).await {
            Ok(claimed) => claimed,
            Err(e) => {
                tracing::warn!(error = %e, "the webhook deliveries could not be read");
                tokio::time::sleep(StdDuration::from_secs(1)).await;
                return 0;
            }
        };
        let count = claimed.len();
        let mut sending = JoinSet::new();
        for delivery in claimed {
            let worker = self.clone();
            sending.spawn(async move { worker.deliver(delivery).await });
        }
        while sending.join_next().await.is_some() {}
        count
    }

    async fn deliver(&self, d: ClaimedDelivery) {
        let outcome = self.attempt(&d).await;
        if outcome.delivered() {
            match self.store.webhook_delivered(&d, &outcome).await {
                Ok(true) => tracing::debug!(delivery = %d.message_id, "webhook delivered"),
                Ok(false) => {
                    tracing::info!(delivery = %d.message_id, "a webhook delivery outlived its lease")
                }
                Err(e) => {
                    tracing::warn!(delivery = %d.message_id, error = %e, "a delivery could not be recorded")
                }
            }
            return;
        }
        let retry_at = self
            .schedule
            .after(d.attempts)
            .map(|wait| now() + RetrySchedule::jittered(wait, rand::random::<f64>()));
        let error = outcome.error.as_deref().unwrap_or_default();
        let status = outcome.status;
        match self.store.webhook_attempt_failed(&d, &outcome, retry_at).await {
            Ok(FailureRecorded::Retrying) => {
                tracing::info!(delivery = %d.message_id, endpoint = d.endpoint_id, ?status, error, ?retry_at, "a webhook delivery failed; it will be tried again");
            }
            Ok(FailureRecorded::Failed) => {
                tracing::warn!(delivery = %d.message_id, endpoint = d.endpoint_id, ?status, error, "a webhook delivery was given up");
            }
            Ok(FailureRecorded::EndpointDisabled) => {
                tracing::warn!(delivery = %d.message_id, endpoint = d.endpoint_id, ?status, error, "a webhook delivery was given up and its endpoint disabled");
            }
            Ok(FailureRecorded::LeaseLost) => {
                tracing::info!(delivery = %d.message_id, "a webhook delivery outlived its lease");
            }
            Err(e) => {
                tracing::warn!(delivery = %d.message_id, error = %e, "a delivery could not be recorded")
            }
        }
    }

    /// One attempt: the address checked again, the payload made and signed, the POST.
    async fn attempt(&self, d: &ClaimedDelivery) -> AttemptOutcome {
        let failed = |error: String| AttemptOutcome { status: None, error: Some(error), at: now() };
        let url = match WebhookUrl::parse("url", &d.url, self.allow_private) {
            Ok(url) => url,
            Err(_) => return failed("the address is not allowed on this server".into()),
        };
        let addresses = match resolve(&url, self.allow_private).await {
            Ok(addresses) => addresses,
            Err(e) => return failed(format!("refused: {e}")),
        };
        let body = match self.payloads.body(d).await {
            Ok(body) => body,
            Err(e) => return failed(format!("the payload could not be made: {e}")),
        };
        let timestamp = now().unix_timestamp();
        let secrets: Vec<&[u8]> = d.secrets.iter().map(Vec::as_slice).collect();
        let headers = [
            ("content-type", "application/json".to_owned()),
            ("user-agent", "Undersigned".to_owned()),
            ("webhook-id", d.message_id.clone()),
            ("webhook-timestamp", timestamp.to_string()),
            ("webhook-signature", signature_header(&secrets, &d.message_id, timestamp, &body)),
        ];
        match self.client.post(&url, &addresses, &headers, body).await {
            Ok(answer) => AttemptOutcome {
                status: Some(answer.status),
                error: (!(200..300).contains(&answer.status))
                    .then_some(answer.excerpt)
                    .filter(|e| !e.is_empty()),
                at: now(),
            },
            Err(e) => failed(e),
        }
    }
}
