-- Individual signatures, online endorsements, and the outbox of mail to send.
-- Times are timestamptz.

CREATE TABLE signatures (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id       BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    -- keyed hash of (campaign, canonical email): one signature per person and campaign
    email_key         BYTEA NOT NULL UNIQUE,
    email             TEXT NOT NULL,
    name              TEXT NOT NULL,
    country           TEXT NOT NULL,
    city              TEXT,
    affiliation       TEXT,
    comment           TEXT,
    display           TEXT NOT NULL CHECK (display IN ('full', 'first-initial', 'hidden')),
    opt_in            BOOLEAN NOT NULL,
    lang              TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'confirmed')),
    -- keyed hash of the client IP address, forgotten after a few days
    ip_key            BYTEA,
    mails_sent        BIGINT NOT NULL DEFAULT 0,
    mail_window_start TIMESTAMPTZ NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    confirmed_at      TIMESTAMPTZ
);

CREATE INDEX signatures_listed ON signatures (campaign_id, confirmed_at DESC, id DESC)
    WHERE status = 'confirmed' AND display <> 'hidden';
CREATE INDEX signatures_counted ON signatures (campaign_id, country) WHERE status = 'confirmed';
CREATE INDEX signatures_with_ip_key ON signatures (created_at) WHERE ip_key IS NOT NULL;

ALTER TABLE endorsements ADD COLUMN contact_name TEXT;
ALTER TABLE endorsements ADD COLUMN contact_email TEXT;
ALTER TABLE endorsements ADD COLUMN email_key BYTEA;
ALTER TABLE endorsements ADD COLUMN lang TEXT;
ALTER TABLE endorsements ADD COLUMN ip_key BYTEA;
ALTER TABLE endorsements ADD COLUMN verified_at TIMESTAMPTZ;
ALTER TABLE endorsements ADD COLUMN decided_at TIMESTAMPTZ;
ALTER TABLE endorsements ADD COLUMN reject_reason TEXT;

CREATE TABLE outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT NOT NULL,
    ref_id          BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    -- a worker holds the mail until then
    locked_until    TIMESTAMPTZ,
    last_error      TEXT,
    failed          BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE NOT failed;
CREATE INDEX outbox_by_ref ON outbox (ref_id);
