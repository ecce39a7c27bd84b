-- Counts of confirmed, valid signatures per campaign, country and language version, so that no
-- page counts a campaign's rows (issue 7). Triggers write every change of what counts as a +1 or
-- -1 into an append-only journal, in the same transaction as the change; an aggregator folds the
-- journal into `signature_counts` about once a second. A count is the folded sum plus the journal
-- not yet folded, read in one statement: exact, and cheap however many signatures there are.
CREATE TABLE signature_counts (
    campaign_id INTEGER NOT NULL,
    country     TEXT NOT NULL,
    lang        TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, country, lang)
) WITHOUT ROWID;

CREATE TABLE count_journal (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL,
    country     TEXT NOT NULL,
    lang        TEXT NOT NULL,
    delta       INTEGER NOT NULL
);
CREATE INDEX count_journal_campaign ON count_journal (campaign_id);

INSERT INTO signature_counts (campaign_id, country, lang, n)
SELECT campaign_id, country, lang, count(*) FROM signatures
WHERE status = 'confirmed' AND invalidation_id IS NULL
GROUP BY campaign_id, country, lang;

CREATE TRIGGER signatures_counted_insert AFTER INSERT ON signatures
WHEN NEW.status = 'confirmed' AND NEW.invalidation_id IS NULL
BEGIN
    INSERT INTO count_journal (campaign_id, country, lang, delta) VALUES (NEW.campaign_id, NEW.country, NEW.lang, 1);
END;

CREATE TRIGGER signatures_counted_update AFTER UPDATE OF status, invalidation_id, country, lang, campaign_id ON signatures
WHEN (OLD.status = 'confirmed' AND OLD.invalidation_id IS NULL) OR (NEW.status = 'confirmed' AND NEW.invalidation_id IS NULL)
BEGIN
    INSERT INTO count_journal (campaign_id, country, lang, delta)
    SELECT OLD.campaign_id, OLD.country, OLD.lang, -1 WHERE OLD.status = 'confirmed' AND OLD.invalidation_id IS NULL;
    INSERT INTO count_journal (campaign_id, country, lang, delta)
    SELECT NEW.campaign_id, NEW.country, NEW.lang, 1 WHERE NEW.status = 'confirmed' AND NEW.invalidation_id IS NULL;
END;

CREATE TRIGGER signatures_counted_delete AFTER DELETE ON signatures
WHEN OLD.status = 'confirmed' AND OLD.invalidation_id IS NULL
BEGIN
    INSERT INTO count_journal (campaign_id, country, lang, delta) VALUES (OLD.campaign_id, OLD.country, OLD.lang, -1);
END;
