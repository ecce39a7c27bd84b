-- Issue 13: API tokens, and what the OSDI API reads of signatures.

-- Tokens organisers make for programs. The token itself is never stored: its SHA-256 (a token is
-- 256 random bits, so a fast hash opens nothing to guessing) and a short prefix to recognise it.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- NULL: the whole site (an admin's)
    campaign_id  INTEGER REFERENCES campaigns (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    -- the scopes, separated by spaces: pii:read, signatures:import, webhooks:manage
    scopes       TEXT NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    -- recorded at most once a minute
    last_used_at INTEGER,
    revoked_at   INTEGER
) STRICT;

CREATE INDEX api_tokens_by_user ON api_tokens (user_id, id);

-- When a confirmed signature last changed after its confirmation (NULL: it has not; its
-- confirmation is its last change): what its signer chose, an invalidation made or undone, its
-- signer's data anonymised. Written by the trigger below, so that no writer can forget it; the
-- confirmation itself (the hot path) does not run it. Always later than the signature's last
-- change, so that a program that read up to it sees the change (even within a clock tick).
ALTER TABLE signatures ADD COLUMN modified_at INTEGER;

CREATE TRIGGER signatures_modified AFTER UPDATE OF display, opt_in, invalidation_id, email ON signatures
WHEN NEW.status = 'confirmed'
    AND (OLD.display IS NOT NEW.display OR OLD.opt_in IS NOT NEW.opt_in
         OR OLD.invalidation_id IS NOT NEW.invalidation_id OR OLD.email IS NOT NEW.email)
BEGIN
    UPDATE signatures
    SET modified_at = max(CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER),
                          coalesce(OLD.modified_at, NEW.confirmed_at) + 1)
    WHERE id = NEW.id;
END;

-- Integrations read a campaign's confirmed signatures in the order they last changed (keyset).
CREATE INDEX signatures_synced ON signatures (campaign_id, coalesce(modified_at, confirmed_at), id)
    WHERE status = 'confirmed';
