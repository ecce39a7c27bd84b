//! Webhooks: the endpoints organisers manage, and the deliveries' outbox as the worker sees it
//! (claimed under a lease, recorded only under that lease, as the mail outbox). The events queue
//! their deliveries through `webhook_events`, in their own transactions.

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};
use undersigned_core::CampaignId;
use undersigned_core::account::AuditEntry;
use undersigned_core::store::{StoreError, StoreResult, WebhookStore};
use undersigned_core::webhook::{
    AttemptOutcome, ClaimedDelivery, DeliveryRecord, DeliveryState, Endpoint, EndpointState, EventSet,
    FailureRecorded, NewEndpoint, PREVIOUS_SECRET_FOR, WebhookEvent, WebhookSecret,
};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use super::organisers::insert_audit;
use crate::rows::corrupt;

const ENDPOINT_COLUMNS: &str = "id, campaign_id, url, events, personal_data, state, created_at, last_success_at, rotated_at, organisation_id";

fn endpoint_row(r: &dialect::Row) -> StoreResult<Endpoint> {
    let state: String = get(r, "state")?;
    Ok(Endpoint {
        id: get(r, "id")?,
        campaign_id: get(r, "campaign_id")?,
        url: get(r, "url")?,
        events: EventSet::from_bits(get(r, "events")?),
        personal_data: get(r, "personal_data")?,
        state: EndpointState::parse(&state).ok_or_else(|| corrupt("a webhook endpoint's state", &state))?,
        created_at: dialect::time_at(r, "created_at")?,
        last_success_at: dialect::opt_time_at(r, "last_success_at")?,
        rotated_at: dialect::opt_time_at(r, "rotated_at")?,
        organisation_id: get(r, "organisation_id")?,
    })
}

/// The `webhook-id` of a delivery: `msg_` and its random key in hex.
fn message_id(r: &dialect::Row) -> StoreResult<String> {
    Ok(format!("msg_{}", hex::encode(get::<Vec<u8>>(r, "message_key")?)))
}

fn event_of(r: &dialect::Row) -> StoreResult<WebhookEvent> {
    let event: String = get(r, "event")?;
    WebhookEvent::parse(&event).ok_or_else(|| corrupt("a webhook delivery's event", &event))
}

fn record_row(r: &dialect::Row) -> StoreResult<DeliveryRecord> {
    let state: String = get(r, "state")?;
    let state = DeliveryState::parse(&state).ok_or_else(|| corrupt("a webhook delivery's state", &state))?;
    Ok(DeliveryRecord {
        id: get(r, "id")?,
        message_id: message_id(r)?,
        event: event_of(r)?,
        state,
        attempts: get(r, "attempts")?,
        created_at: dialect::time_at(r, "created_at")?,
        last_attempt_at: dialect::opt_time_at(r, "last_attempt_at")?,
        last_status: get(r, "last_status")?,
        last_error: get(r, "last_error")?,
        next_attempt_at: match state {
            DeliveryState::Pending => Some(dialect::time_at(r, "next_attempt_at")?),
            _ => None,
        },
    })
}

#[async_trait]
impl WebhookStore for Backend {
    async fn create_webhook(&self, e: &NewEndpoint) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO webhook_endpoints (campaign_id, url, events, personal_data, state, secret, created_at, organisation_id)
             VALUES ($1, $2, $3, $4, 'active', $5, $6, $7) RETURNING id",
        )
        .bind(e.campaign_id)
        .bind(e.url.as_str())
        .bind(e.events.bits())
        .bind(e.personal_data)
        .bind(&e.secret.bytes()[..])
        .bind(dialect::at(e.now))
        .bind(e.organisation_id)
        .fetch_one(self.writer())
        .await
        .map_err(db)
    }

    async fn webhooks(&self, campaign: CampaignId) -> StoreResult<Vec<Endpoint>> {
        let rows = sqlx::query(&format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE campaign_id = $1 ORDER BY id"
        ))
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(endpoint_row).collect()
    }

    async fn webhook(&self, campaign: CampaignId, id: i64) -> StoreResult<Option<Endpoint>> {
        let row = sqlx::query(&format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1 AND campaign_id = $2"
        ))
        .bind(id)
        .bind(campaign)
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        row.as_ref().map(endpoint_row).transpose()
    }

    async fn set_webhook_state(
        &self,
        campaign: CampaignId,
        id: i64,
        state: EndpointState,
        _now: OffsetDateTime,
    ) -> StoreResult<bool> {
        if state == EndpointState::Disabled {
            return Err(StoreError::Database("only the server disables an endpoint".into()));
        }
        let changed = sqlx::query(
            "UPDATE webhook_endpoints SET state = $1 WHERE id = $2 AND campaign_id = $3 AND state <> $1",
        )
        .bind(state.as_str())
        .bind(id)
        .bind(campaign)
        .execute(self.writer())
        .await
        .map_err(db)?;
        Ok(changed.rows_affected() == 1)
    }

    async fn rotate_webhook_secret(
        &self,
        campaign: CampaignId,
        id: i64,
        secret: &WebhookSecret,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let changed = sqlx::query(
            "UPDATE webhook_endpoints SET previous_secret = secret, secret = $1, rotated_at = $2
             WHERE id = $3 AND campaign_id = $4",
        )
        .bind(&secret.bytes()[..])
        .bind(dialect::at(now))
        .bind(id)
        .bind(campaign)
        .execute(self.writer())
        .await
        .map_err(db)?;
        Ok(changed.rows_affected() == 1)
    }

    async fn delete_webhook(&self, campaign: CampaignId, id: i64) -> StoreResult<bool> {
        // The deliveries go with it (ON DELETE CASCADE).
        let deleted = sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1 AND campaign_id = $2")
            .bind(id)
            .bind(campaign)
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(deleted.rows_affected() == 1)
    }

    async fn queue_webhook_test(
        &self,
        campaign: CampaignId,
        endpoint: i64,
        now: OffsetDateTime,
    ) -> StoreResult<Option<i64>> {
        sqlx::query_scalar(
            "INSERT INTO webhook_deliveries (endpoint_id, event, created_at, next_attempt_at)
             SELECT id, $1, $2, $2 FROM webhook_endpoints WHERE id = $3 AND campaign_id = $4 RETURNING id",
        )
        .bind(WebhookEvent::Test.as_str())
        .bind(dialect::at(now))
        .bind(endpoint)
        .bind(campaign)
        .fetch_optional(self.writer())
        .await
        .map_err(db)
    }

    async fn retry_webhook_delivery(
        &self,
        campaign: CampaignId,
        endpoint: i64,
        delivery: i64,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        // Not one a worker holds now: its outcome would be refused, and it would go twice.
        let changed = sqlx::query(
            "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = $1, locked_until = NULL, done_at = NULL,
                 attempts = CASE WHEN state = 'failed' THEN 0 ELSE attempts END
             WHERE id = $2 AND endpoint_id = $3 AND state <> 'delivered'
               AND (locked_until IS NULL OR locked_until <= $1)
               AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = $3 AND e.campaign_id = $4)",
        )
        .bind(dialect::at(now))
        .bind(delivery)
        .bind(endpoint)
        .bind(campaign)
        .execute(self.writer())
        .await
        .map_err(db)?;
        Ok(changed.rows_affected() == 1)
    }

    async fn webhook_deliveries(&self, endpoint: i64, limit: u32) -> StoreResult<Vec<DeliveryRecord>> {
        let rows = sqlx::query(
            "SELECT id, message_key, event, state, attempts, created_at, last_attempt_at, last_status, last_error,
                    next_attempt_at
             FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(endpoint)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(record_row).collect()
    }

    async fn claim_webhook_deliveries(
        &self,
        now: OffsetDateTime,
        lease: Duration,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedDelivery>> {
        // A read first: nearly always nothing is due, and SQLite's one writer is not taken for
        // nothing every second.
        let due: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= $1 LIMIT 1",
        )
        .bind(dialect::at(now))
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        if due.is_none() {
            return Ok(Vec::new());
        }
        let claimed = sqlx::query(&format!(
            "UPDATE webhook_deliveries SET locked_until = $1, attempts = attempts + 1
             WHERE id IN (SELECT d.id FROM webhook_deliveries d
                          WHERE d.state = 'pending' AND d.next_attempt_at <= $2
                            AND (d.locked_until IS NULL OR d.locked_until <= $2)
                            AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND e.state = 'active')
                          ORDER BY d.next_attempt_at LIMIT $3{skip})
             RETURNING id, endpoint_id, message_key, event, ref_id, detail, attempts, created_at, locked_until",
            skip = dialect::SKIP_LOCKED,
        ))
        .bind(dialect::at(now + lease))
        .bind(dialect::at(now))
        .bind(i64::from(limit))
        .fetch_all(self.writer())
        .await
        .map_err(db)?;
        if claimed.is_empty() {
            return Ok(Vec::new());
        }
        let mut endpoint_ids: Vec<i64> =
            claimed.iter().map(|r| get(r, "endpoint_id")).collect::<StoreResult<_>>()?;
        endpoint_ids.sort_unstable();
        endpoint_ids.dedup();
        let endpoints = sqlx::query(&format!(
            "SELECT id, campaign_id, url, personal_data, secret, previous_secret, rotated_at
             FROM webhook_endpoints WHERE {}",
            dialect::in_ids("id", "$1")
        ))
        .bind(dialect::ids(&endpoint_ids)?)
        .fetch_all(self.writer())
        .await
        .map_err(db)?;
        // A delivery whose endpoint was deleted meanwhile went with it: it is not sent.
        claimed
            .iter()
            .filter_map(|r| {
                let endpoint_id: i64 = get(r, "endpoint_id").ok()?;
                let e = endpoints.iter().find(|e| get::<i64>(e, "id").is_ok_and(|id| id == endpoint_id))?;
                Some((r, endpoint_id, e))
            })
            .map(|(r, endpoint_id, e)| {
                let mut secrets = vec![get::<Vec<u8>>(e, "secret")?];
                let rotated = dialect::opt_time_at(e, "rotated_at")?;
                if rotated.is_some_and(|at| at + PREVIOUS_SECRET_FOR > now)
                    && let Some(previous) = get::<Option<Vec<u8>>>(e, "previous_secret")?
                {
                    secrets.push(previous);
                }
                Ok(ClaimedDelivery {
                    id: get(r, "id")?,
                    message_id: message_id(r)?,
                    event: event_of(r)?,
                    ref_id: get(r, "ref_id")?,
                    detail: get(r, "detail")?,
                    attempts: get(r, "attempts")?,
                    created_at: dialect::time_at(r, "created_at")?,
                    lease: dialect::time_at(r, "locked_until")?,
                    endpoint_id,
                    campaign_id: get(e, "campaign_id")?,
                    url: get(e, "url")?,
                    personal_data: get(e, "personal_data")?,
                    secrets,
                })
            })
            .collect()
    }

    async fn webhook_delivered(&self, d: &ClaimedDelivery, outcome: &AttemptOutcome) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET state = 'delivered', locked_until = NULL, last_attempt_at = $1,
                 last_status = $2, last_error = NULL, done_at = $1
             WHERE id = $3 AND locked_until = $4",
        )
        .bind(dialect::at(outcome.at))
        .bind(outcome.status.map(i64::from))
        .bind(d.id)
        .bind(dialect::at(d.lease))
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        if done == 1 {
            sqlx::query("UPDATE webhook_endpoints SET last_success_at = $1 WHERE id = $2")
                .bind(dialect::at(outcome.at))
                .bind(d.endpoint_id)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(done == 1)
    }

    async fn webhook_attempt_failed(
        &self,
        d: &ClaimedDelivery,
        outcome: &AttemptOutcome,
        retry_at: Option<OffsetDateTime>,
    ) -> StoreResult<FailureRecorded> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let recorded = sqlx::query(
            "UPDATE webhook_deliveries SET locked_until = NULL, last_attempt_at = $1, last_status = $2, last_error = $3,
                 next_attempt_at = coalesce($4, next_attempt_at),
                 state = CASE WHEN $5 THEN 'failed' ELSE 'pending' END,
                 done_at = CASE WHEN $5 THEN $1 END
             WHERE id = $6 AND locked_until = $7",
        )
        .bind(dialect::at(outcome.at))
        .bind(outcome.status.map(i64::from))
        .bind(&outcome.error)
        .bind(retry_at.map(dialect::at))
        .bind(retry_at.is_none())
        .bind(d.id)
        .bind(dialect::at(d.lease))
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        if recorded == 0 {
            return Ok(FailureRecorded::LeaseLost);
        }
        if retry_at.is_some() {
            tx.commit().await.map_err(db)?;
            return Ok(FailureRecorded::Retrying);
        }
        // Given up with nothing delivered to the endpoint since it was queued: the endpoint has
        // failed for the whole schedule, and is disabled until an organiser resumes it.
        let disabled = sqlx::query(
            "UPDATE webhook_endpoints SET state = 'disabled'
             WHERE id = $1 AND state = 'active' AND (last_success_at IS NULL OR last_success_at < $2)
             RETURNING campaign_id, url",
        )
        .bind(d.endpoint_id)
        .bind(dialect::at(d.created_at))
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        if let Some(row) = &disabled {
            let entry = AuditEntry {
                at: outcome.at,
                actor: AuditEntry::SYSTEM.to_owned(),
                campaign_id: Some(get(row, "campaign_id")?),
                action: "webhook-disabled".to_owned(),
                subject: format!("webhook #{} {}", d.endpoint_id, get::<String>(row, "url")?),
                detail: format!(
                    "delivery {} given up after {} attempts, none delivered since it was queued",
                    d.message_id, d.attempts
                ),
            };
            insert_audit(&mut *tx, &entry).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(if disabled.is_some() { FailureRecorded::EndpointDisabled } else { FailureRecorded::Failed })
    }

    async fn forget_webhook_deliveries(&self, before: OffsetDateTime) -> StoreResult<u64> {
        let forgotten =
            sqlx::query("DELETE FROM webhook_deliveries WHERE state <> 'pending' AND done_at < $1")
                .bind(dialect::at(before))
                .execute(self.writer())
                .await
                .map_err(db)?;
        Ok(forgotten.rows_affected())
    }
}
