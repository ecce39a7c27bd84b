-- Issue 16: the delivery document sent to a campaign's target (crate::delivery). One row per
-- sending; its mail in the outbox refers to it, and its PDF and CSV are made when it is sent. The
-- form's key makes a form sent twice one delivery.
CREATE TABLE deliveries (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id BIGINT      NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    email       TEXT        NOT NULL,
    langs       TEXT        NOT NULL,
    csv         BOOLEAN     NOT NULL,
    sent_by     BIGINT      NOT NULL,
    sent_at     TIMESTAMPTZ NOT NULL,
    form_key    TEXT        NOT NULL,
    UNIQUE (campaign_id, form_key)
);

CREATE INDEX deliveries_by_campaign ON deliveries (campaign_id, sent_at);
