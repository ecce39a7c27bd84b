-- Issue 14: the organisers' own keys (age X25519 recipients), which private fields and exports are
-- sealed to. Only the public key is kept; the challenge is ciphertext to it, and the code that
-- proves the key is held only as a hash.
CREATE TABLE owner_keys (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- age1…, as age-keygen prints it
    recipient    TEXT NOT NULL,
    -- the challenge sealed to the key, ASCII-armored
    challenge    TEXT NOT NULL,
    code_hash    BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    -- NULL while the challenge waits for its answer
    activated_at INTEGER,
    -- when a newer key of the same organiser was activated: rows sealed to this one keep its id
    retired_at   INTEGER
) STRICT;

CREATE INDEX owner_keys_by_user ON owner_keys (user_id, id);
-- At most one active key per organiser.
CREATE UNIQUE INDEX owner_keys_active ON owner_keys (user_id)
    WHERE activated_at IS NOT NULL AND retired_at IS NULL;
