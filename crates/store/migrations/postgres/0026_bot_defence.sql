-- Issue 14: bots stopped without a third party. Times here are whole seconds, minutes or hours
-- since 1970 (the same numbers on both databases); nothing here names a signer.

-- The "under attack" mode: one row per scope that has it on (a campaign's id; 0: the whole site).
-- `cause` is 'hand' (an organiser or the operator) or 'rate' (the automatic switch, which turns it
-- off again once the campaign was quiet since `busy_at` for the quiet period).
CREATE TABLE under_attack (
    scope   BIGINT  PRIMARY KEY,
    since   BIGINT  NOT NULL,
    cause   TEXT    NOT NULL CHECK (cause IN ('hand', 'rate')),
    detail  TEXT    NOT NULL,
    busy_at BIGINT  NOT NULL
);

-- Proof-of-work solutions taken, each once, by any instance: the challenge's SHA-256, kept until
-- the challenge expires (a later replay is refused as expired anyway).
CREATE TABLE pow_spent (
    challenge  BYTEA   PRIMARY KEY,
    expires_at BIGINT  NOT NULL
);

CREATE INDEX pow_spent_expiry ON pow_spent (expires_at);

-- Block lists: a campaign's (scope: its id) and the site's (scope 0). kind: 'domain', 'ip_range'
-- (CIDR, checked against the request's address in memory) or 'ip_hash' (as the moderation page
-- shows them).
CREATE TABLE block_list (
    scope BIGINT  NOT NULL,
    kind  TEXT    NOT NULL CHECK (kind IN ('domain', 'ip_range', 'ip_hash')),
    value TEXT    NOT NULL,
    PRIMARY KEY (scope, kind, value)
);

-- Signatures taken per campaign and minute, as each instance adds what it counted: kind 'all'
-- (key ''), 'ip' (key: a keyed hash of the day's IP hash, so that these rows cannot be joined to
-- the signatures') and 'domain' (the email domain). Kept two hours, for the automatic switch and
-- the trending alert.
CREATE TABLE signing_tally (
    campaign_id BIGINT  NOT NULL,
    minute      BIGINT  NOT NULL,
    kind        TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    count       BIGINT  NOT NULL,
    PRIMARY KEY (campaign_id, minute, kind, key)
);

CREATE INDEX signing_tally_by_minute ON signing_tally (minute);

-- Signatures without a proof of work taken per campaign and minute, in the mode.
CREATE TABLE unsolved_budget (
    campaign_id BIGINT  NOT NULL,
    minute      BIGINT  NOT NULL,
    count       BIGINT  NOT NULL,
    PRIMARY KEY (campaign_id, minute)
);

-- One email domain or IP hash signing unusually fast: one row per campaign, key and hour, so that
-- its organisers are told once an hour; `notified` once the mails are queued.
CREATE TABLE trend_alerts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id BIGINT  NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('domain', 'ip_hash')),
    shown       TEXT    NOT NULL,
    hour        BIGINT  NOT NULL,
    count       BIGINT  NOT NULL,
    notified    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  BIGINT  NOT NULL,
    UNIQUE (campaign_id, kind, shown, hour)
);

-- The alert's mail to one organiser (the outbox's `ref_id`).
CREATE TABLE trend_alert_mails (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id BIGINT  NOT NULL REFERENCES trend_alerts (id) ON DELETE CASCADE,
    user_id  BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE
);
