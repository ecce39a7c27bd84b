-- The tamper-evident signature list (issue 14): per campaign, an append-only Merkle log (RFC 6962)
-- of confirmed signatures, approved endorsements and revocations. A leaf holds the canonical
-- record of its public form only (core/src/signature_log.rs); nothing is ever deleted from it.
-- The signature and endorsement ids are not foreign keys: a withdrawn signature's row goes, its
-- leaf stays (and a revoking leaf names it).
CREATE TABLE signature_log_leaves (
    campaign_id    BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    idx            BIGINT NOT NULL,
    hash           BYTEA NOT NULL,
    record         TEXT NOT NULL,
    signature_id   BIGINT,
    endorsement_id BIGINT,
    PRIMARY KEY (campaign_id, idx)
);

CREATE INDEX signature_log_leaves_by_hash ON signature_log_leaves (campaign_id, hash);
CREATE INDEX signature_log_leaves_by_signature ON signature_log_leaves (signature_id) WHERE signature_id IS NOT NULL;

-- Every fourth level of each tree above the leaves (core/src/tlog.rs: STORED_EVERY), so that a
-- proof reads a few dozen rows and no request recomputes a tree.
CREATE TABLE signature_log_nodes (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    level       BIGINT NOT NULL,
    idx         BIGINT NOT NULL,
    hash        BYTEA NOT NULL,
    PRIMARY KEY (campaign_id, level, idx)
);

-- Each log's size and right edge (the roots of its complete subtrees, largest first), updated
-- once per batch; and the latest signed checkpoint, which restarts keep.
CREATE TABLE signature_logs (
    campaign_id     BIGINT PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
    size            BIGINT NOT NULL,
    frontier        BYTEA NOT NULL,
    checkpoint      TEXT,
    checkpoint_size BIGINT
);

-- A signature's leaf, fixed when its signer submits it (so that the confirmation mail can carry
-- the receipt) and appended when it is confirmed: the random salt of its commitment (deleted by
-- anonymisation) and the canonical record.
ALTER TABLE signatures ADD COLUMN log_salt BYTEA;
ALTER TABLE signatures ADD COLUMN log_record TEXT;
