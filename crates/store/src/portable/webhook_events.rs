//! Queueing webhook deliveries in the transaction of their event: one `INSERT ... SELECT` from
//! the campaign's active endpoints that listen for it, so that an event costs one statement and,
//! with no endpoint (nearly always), reads an empty index. Beside `sign_batch`: it uses only
//! `common`, and the group-commit writers and the count fold (the dialect's) call it, as the
//! areas do.
//!
//! What is queued is the event and the row it is about, never a payload: the payload is made
//! when the delivery is sent, from the row as it is then (a signature erased meanwhile sends no
//! personal data). What the event fixed when it happened and no row keeps (a status's change, a
//! milestone) goes in `detail`.

use time::OffsetDateTime;
use undersigned_core::CampaignId;
use undersigned_core::store::{StoreError, StoreResult};
use undersigned_core::webhook::{WebhookEvent, milestones_crossed};

use super::common::{db, dialect, get};

/// The columns a delivery is queued with (the rest have their defaults).
const COLUMNS: &str = "webhook_deliveries (endpoint_id, event, ref_id, detail, created_at, next_attempt_at)";

/// Which endpoints hear of a signature (`signature`, a column or parameter): the campaign's own,
/// and a partner's own (`crate::organisation`) only if its signer consented to that partner.
fn hears_of(signature: &str) -> String {
    format!(
        "(e.organisation_id IS NULL OR EXISTS (SELECT 1 FROM signature_consents sc
             WHERE sc.signature_id = {signature} AND sc.organisation_id = e.organisation_id))"
    )
}

/// Queues `event` about `ref_id` for every active endpoint of the campaign that listens for it
/// (the campaign's own: a partner's endpoint hears of its consenting signers only).
pub(crate) async fn queue(
    conn: &mut dialect::Conn,
    campaign: CampaignId,
    event: WebhookEvent,
    ref_id: Option<i64>,
    detail: Option<&str>,
    now: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO {COLUMNS}
         SELECT id, $1, $2, $3, $4, $4 FROM webhook_endpoints
         WHERE campaign_id = $5 AND state = 'active' AND (events & $6) <> 0 AND organisation_id IS NULL"
    ))
    .bind(event.as_str())
    .bind(ref_id)
    .bind(detail)
    .bind(dialect::at(now))
    .bind(campaign)
    .bind(event.bit())
    .execute(conn)
    .await
    .map_err(db)?;
    Ok(())
}

/// The statement that queues `signature.confirmed` for a batch of confirmations: `rows` is a
/// table expression of the signatures the batch confirmed (`id`, `campaign_id`), `now` the
/// parameter of the batch's time. The endpoints come first (a `CROSS JOIN` keeps SQLite to that
/// order), so that the work is in proportion to the endpoints there are: none, nearly always.
pub(crate) fn confirmed_sql(rows: &str, now: &str) -> String {
    format!(
        "INSERT INTO {COLUMNS}
         SELECT e.id, '{event}', c.id, NULL, {now}, {now} FROM webhook_endpoints e CROSS JOIN {rows} AS c
         WHERE e.state = 'active' AND (e.events & {bit}) <> 0 AND c.campaign_id = e.campaign_id AND {hears}",
        event = WebhookEvent::SignatureConfirmed.as_str(),
        bit = WebhookEvent::SignatureConfirmed.bit(),
        hears = hears_of("c.id"),
    )
}

/// Queues `event` about a signature for the active endpoints of its campaign, if it is confirmed
/// (an endpoint never heard of one still pending). Before its row goes, for a withdrawal.
pub(crate) async fn queue_for_signature(
    conn: &mut dialect::Conn,
    signature: i64,
    event: WebhookEvent,
    now: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO {COLUMNS}
         SELECT e.id, $1, s.id, NULL, $2, $2 FROM signatures s
         JOIN webhook_endpoints e ON e.campaign_id = s.campaign_id AND e.state = 'active' AND (e.events & $3) <> 0
         WHERE s.id = $4 AND s.status = 'confirmed' AND {}",
        hears_of("s.id")
    ))
    .bind(event.as_str())
    .bind(dialect::at(now))
    .bind(event.bit())
    .bind(signature)
    .execute(conn)
    .await
    .map_err(db)?;
    Ok(())
}

/// Queues `consent.withdrawn` about a confirmed signature for the campaign's endpoints and the
/// organisation's own, before its consent row goes; the detail names the organisation (by its slug, which needs no
/// escaping in JSON).
pub(crate) async fn consent_withdrawn(
    conn: &mut dialect::Conn,
    signature: i64,
    organisation: i64,
    now: OffsetDateTime,
) -> StoreResult<()> {
    let event = WebhookEvent::ConsentWithdrawn;
    sqlx::query(&format!(
        "INSERT INTO {COLUMNS}
         SELECT e.id, $1, s.id, (SELECT '{{\"organisation\": \"' || o.slug || '\"}}' FROM organisations o WHERE o.id = $5), $2, $2 FROM signatures s
         JOIN webhook_endpoints e ON e.campaign_id = s.campaign_id AND e.state = 'active' AND (e.events & $3) <> 0
         WHERE s.id = $4 AND s.status = 'confirmed' AND (e.organisation_id IS NULL OR e.organisation_id = $5)"
    ))
    .bind(event.as_str())
    .bind(dialect::at(now))
    .bind(event.bit())
    .bind(signature)
    .bind(organisation)
    .execute(conn)
    .await
    .map_err(db)?;
    Ok(())
}

/// A campaign's status as the public sees it stored: `withdrawn`, or its `status` column.
pub(crate) async fn stored_status(
    conn: &mut dialect::Conn,
    campaign: CampaignId,
) -> StoreResult<Option<String>> {
    sqlx::query_scalar(
        "SELECT CASE WHEN withdrawn_at IS NULL THEN status ELSE 'withdrawn' END FROM campaigns WHERE id = $1",
    )
    .bind(campaign)
    .fetch_optional(conn)
    .await
    .map_err(db)
}

/// Queues `campaign.status_changed` if the status did change.
pub(crate) async fn status_changed(
    conn: &mut dialect::Conn,
    campaign: CampaignId,
    from: &str,
    to: &str,
    now: OffsetDateTime,
) -> StoreResult<()> {
    if from == to {
        return Ok(());
    }
    let detail = serde_json::json!({ "from": from, "to": to }).to_string();
    queue(conn, campaign, WebhookEvent::CampaignStatusChanged, Some(campaign), Some(&detail), now).await
}

/// A campaign an endpoint watches for milestones, with its goal and its folded count before a
/// fold.
pub(crate) struct Watched {
    campaign: CampaignId,
    goal: Option<i64>,
    before: i64,
}

/// The count fold's first half: the campaigns whose active endpoints listen for milestones (none,
/// nearly always: then one read of an empty index), each with its count before the fold.
pub(crate) async fn milestones_before(conn: &mut dialect::Conn) -> StoreResult<Vec<Watched>> {
    let rows = sqlx::query(&format!(
        "SELECT c.id, c.signature_goal,
                CAST((SELECT coalesce(sum(n), 0) FROM signature_counts k WHERE k.campaign_id = c.id) AS BIGINT) AS counted
         FROM campaigns c
         WHERE c.id IN (SELECT campaign_id FROM webhook_endpoints WHERE state = 'active' AND (events & {}) <> 0)",
        WebhookEvent::CampaignMilestone.bit()
    ))
    .fetch_all(conn)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            Ok(Watched {
                campaign: get(r, "id")?,
                goal: get(r, "signature_goal")?,
                before: get(r, "counted")?,
            })
        })
        .collect()
}

/// The count fold's second half, in its transaction: the milestones each watched campaign's count
/// reached, queued once each (a count that fell and rose again does not send one twice).
pub(crate) async fn milestones_after(
    conn: &mut dialect::Conn,
    watched: &[Watched],
    now: OffsetDateTime,
) -> StoreResult<()> {
    for w in watched {
        let after: i64 = sqlx::query_scalar(
            "SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM signature_counts WHERE campaign_id = $1",
        )
        .bind(w.campaign)
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
        for milestone in milestones_crossed(w.before, after, w.goal) {
            let first: Option<i64> = sqlx::query_scalar(
                "INSERT INTO webhook_milestones (campaign_id, signatures, reached_at) VALUES ($1, $2, $3)
                 ON CONFLICT (campaign_id, signatures) DO NOTHING RETURNING signatures",
            )
            .bind(w.campaign)
            .bind(milestone)
            .bind(dialect::at(now))
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
            if first.is_none() {
                continue;
            }
            let detail = serde_json::json!({ "signatures": milestone, "goal": w.goal == Some(milestone) });
            let detail = serde_json::to_string(&detail).map_err(|e| StoreError::Database(e.to_string()))?;
            queue(conn, w.campaign, WebhookEvent::CampaignMilestone, Some(w.campaign), Some(&detail), now)
                .await?;
        }
    }
    Ok(())
}
