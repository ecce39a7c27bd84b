-- Issue 18: signing in with OpenID Connect. The round trips under way, found by a keyed hash of
-- their `state` and taken (deleted) once by the callback, whichever instance gets it; each bound
-- to the browser that started it (a keyed hash of a cookie of its own).
CREATE TABLE oidc_flows (
    state_key     BYTEA       PRIMARY KEY,
    browser_key   BYTEA       NOT NULL,
    provider      TEXT        NOT NULL,
    purpose       TEXT        NOT NULL CHECK (purpose IN ('login', 'link', 'comment')),
    user_id       BIGINT      REFERENCES users (id) ON DELETE CASCADE,
    pkce_verifier TEXT        NOT NULL,
    nonce         TEXT        NOT NULL,
    return_to     TEXT        NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);

CREATE INDEX oidc_flows_by_expiry ON oidc_flows (expires_at);

-- A provider's identity (its `sub`) linked to an organiser's account: one account per identity,
-- one identity per provider and account.
CREATE TABLE oidc_identities (
    provider   TEXT        NOT NULL,
    subject    TEXT        NOT NULL,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, subject),
    UNIQUE (user_id, provider)
);
