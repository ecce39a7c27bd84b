-- Issue 15: the public proposes campaigns. The site's settings, and a proposal beside its draft
-- campaign (whose text it is; its sponsors are the campaign's signatures).

-- The site's settings, one row a name (absent: the default).
CREATE TABLE site_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE proposals (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL UNIQUE REFERENCES campaigns (id) ON DELETE CASCADE,
    proposer_name TEXT    NOT NULL,
    -- keyed hash of the proposer's address (what their private link is bound to), and the
    -- address sealed under the data key
    email_key     BLOB    NOT NULL,
    email         TEXT    NOT NULL,
    lang          TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('unconfirmed', 'gathering', 'moderation', 'published', 'rejected')),
    reason        TEXT    CHECK (reason IN ('duplicate', 'not-actionable', 'offensive', 'personal-data', 'other')),
    note          TEXT    NOT NULL DEFAULT '',
    owner_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    sponsored_at  INTEGER,
    decided_at    INTEGER
) STRICT;

CREATE INDEX proposals_by_state ON proposals (state, id);
