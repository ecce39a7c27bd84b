-- Issue 18: organisers' second factor. One row per account that has one switched on or is
-- enrolling (enabled_at NULL): the TOTP secret sealed under the data key (for the column and the
-- account's id), the last time step used (a code is accepted once), the wrong codes in a row and
-- the lock they lead to, shared by every instance.
CREATE TABLE second_factors (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       BLOB    NOT NULL,
    enabled_at   INTEGER,
    last_step    INTEGER,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at   INTEGER NOT NULL
) STRICT;

-- The recovery codes: a keyed digest of each (the data key's), never the code.
CREATE TABLE recovery_codes (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    digest  BLOB    NOT NULL,
    used_at INTEGER,
    PRIMARY KEY (user_id, digest)
) STRICT;

-- When each session last checked the second factor (NULL: never; a session of an account with
-- one switched on is not usable until it has).
ALTER TABLE sessions ADD COLUMN second_factor_at INTEGER;
