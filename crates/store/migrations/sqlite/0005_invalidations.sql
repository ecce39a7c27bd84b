-- Signatures invalidated by moderators, one by one or in bulk, and reversibly.
CREATE TABLE invalidations (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    -- the conditions, as the moderator gave them (for the record)
    conditions  TEXT NOT NULL,
    signatures  INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    restored_at INTEGER
) STRICT;

ALTER TABLE signatures ADD COLUMN invalidation_id INTEGER REFERENCES invalidations (id);
CREATE INDEX signatures_by_invalidation ON signatures (invalidation_id) WHERE invalidation_id IS NOT NULL;
CREATE INDEX signatures_by_ip_key ON signatures (campaign_id, ip_key) WHERE ip_key IS NOT NULL;
