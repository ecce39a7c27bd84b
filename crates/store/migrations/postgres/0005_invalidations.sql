-- Signatures invalidated by moderators, one by one or in bulk, and reversibly.
CREATE TABLE invalidations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    -- the conditions, as the moderator gave them (for the record)
    conditions  TEXT NOT NULL,
    signatures  BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    restored_at TIMESTAMPTZ
);

ALTER TABLE signatures ADD COLUMN invalidation_id BIGINT REFERENCES invalidations (id);
CREATE INDEX signatures_by_invalidation ON signatures (invalidation_id) WHERE invalidation_id IS NOT NULL;
CREATE INDEX signatures_by_ip_key ON signatures (campaign_id, ip_key) WHERE ip_key IS NOT NULL;
