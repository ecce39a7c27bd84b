-- Webhooks (issue 13): the endpoints organisers register per campaign, and the outbox of their
-- deliveries, each queued in the transaction of its event and sent by a worker under a lease.

CREATE TABLE webhook_endpoints (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id     BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    url             TEXT NOT NULL,
    -- the events it hears of, a bit each (undersigned_core::webhook::WebhookEvent::bit)
    events          BIGINT NOT NULL,
    -- its payloads carry names and addresses
    personal_data   BOOLEAN NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('active', 'paused', 'disabled')),
    secret          BYTEA NOT NULL,
    -- the secret before the last rotation: it signs beside the new one for a day
    previous_secret BYTEA,
    rotated_at      TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    last_success_at TIMESTAMPTZ
);

-- What an event's statement reads: the campaign's active endpoints (none, nearly always).
CREATE INDEX webhook_endpoints_active ON webhook_endpoints (campaign_id) WHERE state = 'active';

CREATE TABLE webhook_deliveries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id     BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    -- random: the webhook-id header, the same on every attempt, and the idempotency key
    message_key     BYTEA NOT NULL DEFAULT uuid_send(gen_random_uuid()),
    event           TEXT NOT NULL,
    -- the signature, endorsement or campaign the event is about; no foreign key: a withdrawn
    -- signature is deleted, and its withdrawal still goes out
    ref_id          BIGINT,
    -- what the event fixed when it happened (a status's change, a milestone), as JSON
    detail          TEXT,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    -- a worker holds it until then; recording the outcome must match
    locked_until    TIMESTAMPTZ,
    last_attempt_at TIMESTAMPTZ,
    last_status     BIGINT,
    -- a short excerpt at most, never a whole answer
    last_error      TEXT,
    done_at         TIMESTAMPTZ
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_done ON webhook_deliveries (done_at) WHERE state <> 'pending';

-- The milestones a campaign reached while an endpoint listened for them: each goes out once,
-- though a count that fell (signatures invalidated) may cross it again.
CREATE TABLE webhook_milestones (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    signatures  BIGINT NOT NULL,
    reached_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (campaign_id, signatures)
);
