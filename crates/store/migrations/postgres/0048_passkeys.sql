-- Issue 18: passkeys (WebAuthn) as an organiser's second factor beside TOTP. The credential is
-- kept as webauthn-rs serialises it (JSON: the public key, the signature counter, the backup
-- state), updated at each use; the public key is no secret, so it is not sealed.
CREATE TABLE passkeys (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id BYTEA   NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    credential    TEXT    NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- A ceremony begun and not finished: the state webauthn-rs keeps between the challenge and the
-- browser's answer (its challenge among it), one per session and kind ('register',
-- 'authenticate'), taken (deleted) by the answer, so a challenge is answered once; a few minutes
-- long. In the database, so that the answer may reach another instance.
CREATE TABLE passkey_ceremonies (
    token_hash BYTEA   NOT NULL,
    kind       TEXT    NOT NULL,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state      TEXT    NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (token_hash, kind)
);
