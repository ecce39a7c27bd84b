-- Campaigns, their language versions and demands, and endorsements.
CREATE TABLE campaigns (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'won')),
    opens_at       TIMESTAMPTZ,
    closes_at      TIMESTAMPTZ,
    dated          DATE,
    contact_name   TEXT NOT NULL,
    contact_email  TEXT,
    signature_goal BIGINT CHECK (signature_goal > 0),
    default_lang   TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE campaign_versions (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    lang        TEXT NOT NULL,
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL,
    target      TEXT NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (campaign_id, lang)
);

CREATE TABLE demands (
    campaign_id BIGINT NOT NULL,
    lang        TEXT NOT NULL,
    position    BIGINT NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (campaign_id, lang, position),
    FOREIGN KEY (campaign_id, lang) REFERENCES campaign_versions (campaign_id, lang) ON DELETE CASCADE
);

CREATE TABLE endorsements (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('organisation', 'individuals')),
    name        TEXT,
    org_type    TEXT,
    website     TEXT,
    individuals BIGINT CHECK (individuals > 0),
    country     TEXT,
    statement   TEXT,
    source_note TEXT,
    -- collected by email or on paper and entered by an organiser
    offline     BOOLEAN NOT NULL,
    -- came with the campaign's files: replaced when the campaign is imported again
    from_file   BOOLEAN NOT NULL DEFAULT FALSE,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX endorsements_by_campaign ON endorsements (campaign_id, status, id);
