-- Issue 15: pictures in a campaign's appeal, and its share picture. Kept in the database with
-- their renditions, so that a backup of the database holds them; addressed by a random key.

CREATE TABLE pictures (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- 32 hex digits, random: the picture's addresses (/media/{key}/{width})
    key         TEXT    NOT NULL UNIQUE,
    campaign_id BIGINT  NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    alt         TEXT    NOT NULL,
    -- the size of the widest rendition
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    media_type  TEXT    NOT NULL,
    -- the campaign's share picture (at most one a campaign)
    share       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX pictures_by_campaign ON pictures (campaign_id, id);
CREATE UNIQUE INDEX pictures_one_share ON pictures (campaign_id) WHERE share;

-- Each picture in a few widths, for srcset; the bytes have no metadata (re-encoded pixels).
CREATE TABLE picture_renditions (
    picture_id BIGINT  NOT NULL REFERENCES pictures (id) ON DELETE CASCADE,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    bytes      BYTEA   NOT NULL,
    PRIMARY KEY (picture_id, width)
);
