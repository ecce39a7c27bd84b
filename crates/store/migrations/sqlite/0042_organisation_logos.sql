-- Issue 16: an organisation's logo, shown by its name on the pages of the campaigns it partners
-- and on its own page. One small rendition, re-encoded without any metadata, kept in the database
-- (so that a backup holds it) and addressed by a random key (/media/logo/{key}): a new logo has a
-- new key, so that its address can be kept by browsers for good.
CREATE TABLE organisation_logos (
    organisation_id INTEGER PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    -- 32 hex digits, random
    key             TEXT    NOT NULL UNIQUE,
    media_type      TEXT    NOT NULL,
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    bytes           BLOB    NOT NULL,
    created_at      INTEGER NOT NULL
) STRICT;
