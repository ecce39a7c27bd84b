-- Comments from the public, with one level of replies, and who wrote them.

-- A commenter's address, confirmed once for the whole site.
CREATE TABLE commenters (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email_key   BYTEA NOT NULL UNIQUE,
    email       TEXT NOT NULL,
    verified_at TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE comments (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id  BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    parent_id    BIGINT REFERENCES comments (id) ON DELETE CASCADE,
    commenter_id BIGINT REFERENCES commenters (id) ON DELETE SET NULL,
    -- a reply by an organiser, in the organisation's name
    organiser    BOOLEAN NOT NULL DEFAULT FALSE,
    name         TEXT NOT NULL,
    website      TEXT,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('unverified', 'held', 'visible', 'hidden')),
    reports      BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL
);

CREATE INDEX comments_by_campaign ON comments (campaign_id, status, id);

-- Pre-moderation (comments held until approved) or post-moderation (shown at once).
ALTER TABLE campaigns ADD COLUMN comment_moderation TEXT NOT NULL DEFAULT 'post' CHECK (comment_moderation IN ('pre', 'post'));
