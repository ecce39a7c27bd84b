-- Issue 16: campaigning together. Organisations (with their own age key for what is sealed to
-- them, and their own members); a campaign's partners (one may be the lead; `consent`: the lead
-- lets the partner ask the signers for consent, in the texts given per language or the default);
-- the consents signers gave, one row per signature and organisation (written only when there are
-- any); where each signature came from (`via`: the partner whose link, `src`: a short code).
CREATE TABLE organisations (
    id            INTEGER PRIMARY KEY,
    slug          TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    org_type      TEXT    NOT NULL,
    region        TEXT,
    website       TEXT,
    age_recipient TEXT,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE organisation_members (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role            TEXT    NOT NULL CHECK (role IN ('admin', 'member')),
    PRIMARY KEY (organisation_id, user_id)
) STRICT;

CREATE INDEX organisation_members_by_user ON organisation_members (user_id);

CREATE TABLE campaign_partners (
    campaign_id     INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    is_lead          INTEGER NOT NULL CHECK (is_lead IN (0, 1)),
    consent         INTEGER NOT NULL CHECK (consent IN (0, 1)),
    -- {lang: text}, the consent question as edited per language version (else the default)
    consent_texts   TEXT    NOT NULL DEFAULT '{}',
    added_at        INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, organisation_id)
) STRICT;

CREATE INDEX campaign_partners_by_organisation ON campaign_partners (organisation_id);

CREATE TABLE signature_consents (
    signature_id    INTEGER NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    given_at        INTEGER NOT NULL,
    PRIMARY KEY (signature_id, organisation_id)
) STRICT;

CREATE INDEX signature_consents_by_organisation ON signature_consents (organisation_id, signature_id);

ALTER TABLE signatures ADD COLUMN via INTEGER REFERENCES organisations (id) ON DELETE SET NULL;
ALTER TABLE signatures ADD COLUMN src TEXT;

-- A partner's own endpoint: it hears of its consenting signers only.
ALTER TABLE webhook_endpoints ADD COLUMN organisation_id INTEGER REFERENCES organisations (id) ON DELETE CASCADE;
