-- Comments from the public, with one level of replies, and who wrote them.

-- A commenter's address, confirmed once for the whole site.
CREATE TABLE commenters (
    id          INTEGER PRIMARY KEY,
    email_key   BLOB NOT NULL UNIQUE,
    email       TEXT NOT NULL,
    verified_at INTEGER,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE comments (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    parent_id    INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    commenter_id INTEGER REFERENCES commenters (id) ON DELETE SET NULL,
    -- a reply by an organiser, in the organisation's name
    organiser    INTEGER NOT NULL DEFAULT 0 CHECK (organiser IN (0, 1)),
    name         TEXT NOT NULL,
    website      TEXT,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('unverified', 'held', 'visible', 'hidden')),
    reports      INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX comments_by_campaign ON comments (campaign_id, status, id);

-- Pre-moderation (comments held until approved) or post-moderation (shown at once).
ALTER TABLE campaigns ADD COLUMN comment_moderation TEXT NOT NULL DEFAULT 'post' CHECK (comment_moderation IN ('pre', 'post'));
