-- Issue 16: the delivery document sent to a campaign's target (crate::delivery). One row per
-- sending; its mail in the outbox refers to it, and its PDF and CSV are made when it is sent. The
-- form's key makes a form sent twice one delivery.
CREATE TABLE deliveries (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    email       TEXT    NOT NULL,
    langs       TEXT    NOT NULL,
    csv         INTEGER NOT NULL CHECK (csv IN (0, 1)),
    sent_by     INTEGER NOT NULL,
    sent_at     INTEGER NOT NULL,
    form_key    TEXT    NOT NULL,
    UNIQUE (campaign_id, form_key)
) STRICT;

CREATE INDEX deliveries_by_campaign ON deliveries (campaign_id, sent_at);
