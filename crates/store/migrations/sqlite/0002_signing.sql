-- Individual signatures, online endorsements, and the outbox of mail to send.
-- Times are microseconds since 1970, UTC.

CREATE TABLE signatures (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id       INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    -- keyed hash of (campaign, canonical email): one signature per person and campaign
    email_key         BLOB NOT NULL UNIQUE,
    email             TEXT NOT NULL,
    name              TEXT NOT NULL,
    country           TEXT NOT NULL,
    city              TEXT,
    affiliation       TEXT,
    comment           TEXT,
    display           TEXT NOT NULL CHECK (display IN ('full', 'first-initial', 'hidden')),
    opt_in            INTEGER NOT NULL CHECK (opt_in IN (0, 1)),
    lang              TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'confirmed')),
    -- keyed hash of the client IP address, forgotten after a few days
    ip_key            BLOB,
    mails_sent        INTEGER NOT NULL DEFAULT 0,
    mail_window_start INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    confirmed_at      INTEGER
) STRICT;

CREATE INDEX signatures_listed ON signatures (campaign_id, confirmed_at DESC, id DESC)
    WHERE status = 'confirmed' AND display <> 'hidden';
CREATE INDEX signatures_counted ON signatures (campaign_id, country) WHERE status = 'confirmed';
CREATE INDEX signatures_with_ip_key ON signatures (created_at) WHERE ip_key IS NOT NULL;

ALTER TABLE endorsements ADD COLUMN contact_name TEXT;
ALTER TABLE endorsements ADD COLUMN contact_email TEXT;
ALTER TABLE endorsements ADD COLUMN email_key BLOB;
ALTER TABLE endorsements ADD COLUMN lang TEXT;
ALTER TABLE endorsements ADD COLUMN ip_key BLOB;
ALTER TABLE endorsements ADD COLUMN verified_at INTEGER;
ALTER TABLE endorsements ADD COLUMN decided_at INTEGER;
ALTER TABLE endorsements ADD COLUMN reject_reason TEXT;

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    ref_id          INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    -- a worker holds the mail until then
    locked_until    INTEGER,
    last_error      TEXT,
    failed          INTEGER NOT NULL DEFAULT 0 CHECK (failed IN (0, 1)),
    created_at      INTEGER NOT NULL
) STRICT;

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE failed = 0;
CREATE INDEX outbox_by_ref ON outbox (ref_id);
