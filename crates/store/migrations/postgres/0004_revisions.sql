-- The texts of campaign versions as they were before edits made after people had signed.
CREATE TABLE campaign_revisions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    lang        TEXT NOT NULL,
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL,
    target      TEXT NOT NULL,
    body        TEXT NOT NULL,
    -- the demands, one per line
    demands     TEXT NOT NULL,
    replaced_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX campaign_revisions_by_campaign ON campaign_revisions (campaign_id, id);
