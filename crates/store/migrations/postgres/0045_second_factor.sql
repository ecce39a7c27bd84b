-- Issue 18: organisers' second factor. One row per account that has one switched on or is
-- enrolling (enabled_at NULL): the TOTP secret sealed under the data key (for the column and the
-- account's id), the last time step used (a code is accepted once), the wrong codes in a row and
-- the lock they lead to, shared by every instance.
CREATE TABLE second_factors (
    user_id      BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       BYTEA  NOT NULL,
    enabled_at   TIMESTAMPTZ,
    last_step    BIGINT,
    failures     BIGINT NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL
);

-- The recovery codes: a keyed digest of each (the data key's), never the code.
CREATE TABLE recovery_codes (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    digest  BYTEA  NOT NULL,
    used_at TIMESTAMPTZ,
    PRIMARY KEY (user_id, digest)
);

-- When each session last checked the second factor (NULL: never; a session of an account with
-- one switched on is not usable until it has).
ALTER TABLE sessions ADD COLUMN second_factor_at TIMESTAMPTZ;
