-- Webhooks (issue 13): the endpoints organisers register per campaign, and the outbox of their
-- deliveries, each queued in the transaction of its event and sent by a worker under a lease.
-- Times are microseconds since 1970, UTC.

CREATE TABLE webhook_endpoints (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id     INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    url             TEXT NOT NULL,
    -- the events it hears of, a bit each (undersigned_core::webhook::WebhookEvent::bit)
    events          INTEGER NOT NULL,
    -- its payloads carry names and addresses
    personal_data   INTEGER NOT NULL CHECK (personal_data IN (0, 1)),
    state           TEXT NOT NULL CHECK (state IN ('active', 'paused', 'disabled')),
    secret          BLOB NOT NULL,
    -- the secret before the last rotation: it signs beside the new one for a day
    previous_secret BLOB,
    rotated_at      INTEGER,
    created_at      INTEGER NOT NULL,
    last_success_at INTEGER
) STRICT;

-- What an event's statement reads: the campaign's active endpoints (none, nearly always).
CREATE INDEX webhook_endpoints_active ON webhook_endpoints (campaign_id) WHERE state = 'active';

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id     INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    -- random: the webhook-id header, the same on every attempt, and the idempotency key
    message_key     BLOB NOT NULL DEFAULT (randomblob(16)),
    event           TEXT NOT NULL,
    -- the signature, endorsement or campaign the event is about; no foreign key: a withdrawn
    -- signature is deleted, and its withdrawal still goes out
    ref_id          INTEGER,
    -- what the event fixed when it happened (a status's change, a milestone), as JSON
    detail          TEXT,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    -- a worker holds it until then; recording the outcome must match
    locked_until    INTEGER,
    last_attempt_at INTEGER,
    last_status     INTEGER,
    -- a short excerpt at most, never a whole answer
    last_error      TEXT,
    done_at         INTEGER
) STRICT;

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_done ON webhook_deliveries (done_at) WHERE state <> 'pending';

-- The milestones a campaign reached while an endpoint listened for them: each goes out once,
-- though a count that fell (signatures invalidated) may cross it again.
CREATE TABLE webhook_milestones (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    signatures  INTEGER NOT NULL,
    reached_at  INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, signatures)
) STRICT;
