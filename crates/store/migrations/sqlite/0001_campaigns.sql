-- Campaigns, their language versions and demands, and endorsements.
CREATE TABLE campaigns (
    id             INTEGER PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'won')),
    opens_at       INTEGER, -- times: microseconds since 1970, UTC
    closes_at      INTEGER,
    dated          TEXT,
    contact_name   TEXT NOT NULL,
    contact_email  TEXT,
    signature_goal INTEGER CHECK (signature_goal > 0),
    default_lang   TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE campaign_versions (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    lang        TEXT NOT NULL,
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL,
    target      TEXT NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (campaign_id, lang)
) STRICT;

CREATE TABLE demands (
    campaign_id INTEGER NOT NULL,
    lang        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (campaign_id, lang, position),
    FOREIGN KEY (campaign_id, lang) REFERENCES campaign_versions (campaign_id, lang) ON DELETE CASCADE
) STRICT;

CREATE TABLE endorsements (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('organisation', 'individuals')),
    name        TEXT,
    org_type    TEXT,
    website     TEXT,
    individuals INTEGER CHECK (individuals > 0),
    country     TEXT,
    statement   TEXT,
    source_note TEXT,
    -- collected by email or on paper and entered by an organiser
    offline     INTEGER NOT NULL CHECK (offline IN (0, 1)),
    -- came with the campaign's files: replaced when the campaign is imported again
    from_file   INTEGER NOT NULL DEFAULT 0 CHECK (from_file IN (0, 1)),
    status      TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX endorsements_by_campaign ON endorsements (campaign_id, status, id);
