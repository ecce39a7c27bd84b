-- Campaign updates, each with a text per language, and the progress of mailing them.
CREATE TABLE updates (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    author       TEXT NOT NULL,
    published_at INTEGER NOT NULL
) STRICT;

CREATE INDEX updates_by_campaign ON updates (campaign_id, published_at DESC);

CREATE TABLE update_texts (
    update_id INTEGER NOT NULL REFERENCES updates (id) ON DELETE CASCADE,
    lang      TEXT NOT NULL,
    title     TEXT NOT NULL,
    body      TEXT NOT NULL,
    PRIMARY KEY (update_id, lang)
) STRICT;

-- For a batch job (an update mailed to every opted-in signer): the last signature id reached.
ALTER TABLE outbox ADD COLUMN cursor INTEGER;
CREATE INDEX signatures_opted_in ON signatures (campaign_id, id) WHERE opt_in = 1 AND status = 'confirmed';
