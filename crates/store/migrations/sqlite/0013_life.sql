-- A campaign's whole life (issue 11): when its owner withdrew it, and which language version each
-- signer read and signed, which the counts by language now count.

-- Withdrawn: taken down by its owner after people signed. `status` keeps where it had got to
-- (closed or won: a withdrawn campaign has ended).
ALTER TABLE campaigns ADD COLUMN withdrawn_at INTEGER;

-- The language version signed. Rows from before it was recorded: the signer's interface language
-- where the campaign has a version in it, else the campaign's default version.
ALTER TABLE signatures ADD COLUMN version_lang TEXT;
UPDATE signatures SET version_lang = CASE
    WHEN EXISTS (SELECT 1 FROM campaign_versions v WHERE v.campaign_id = signatures.campaign_id AND v.lang = signatures.lang)
    THEN lang
    ELSE (SELECT default_lang FROM campaigns c WHERE c.id = signatures.campaign_id)
END;

-- The counts' `lang` is the version signed from now on: the triggers write it, and the counts
-- are made again from the signatures.
DROP TRIGGER signatures_counted_insert;
DROP TRIGGER signatures_counted_update;
DROP TRIGGER signatures_counted_delete;

CREATE TRIGGER signatures_counted_insert AFTER INSERT ON signatures
WHEN NEW.status = 'confirmed' AND NEW.invalidation_id IS NULL
BEGIN
    INSERT INTO count_journal (campaign_id, country, lang, delta) VALUES (NEW.campaign_id, NEW.country, coalesce(NEW.version_lang, NEW.lang), 1);
END;

CREATE TRIGGER signatures_counted_update AFTER UPDATE OF status, invalidation_id, country, lang, version_lang, campaign_id ON signatures
WHEN (OLD.status = 'confirmed' AND OLD.invalidation_id IS NULL) OR (NEW.status = 'confirmed' AND NEW.invalidation_id IS NULL)
BEGIN
    INSERT INTO count_journal (campaign_id, country, lang, delta)
    SELECT OLD.campaign_id, OLD.country, coalesce(OLD.version_lang, OLD.lang), -1 WHERE OLD.status = 'confirmed' AND OLD.invalidation_id IS NULL;
    INSERT INTO count_journal (campaign_id, country, lang, delta)
    SELECT NEW.campaign_id, NEW.country, coalesce(NEW.version_lang, NEW.lang), 1 WHERE NEW.status = 'confirmed' AND NEW.invalidation_id IS NULL;
END;

CREATE TRIGGER signatures_counted_delete AFTER DELETE ON signatures
WHEN OLD.status = 'confirmed' AND OLD.invalidation_id IS NULL
BEGIN
    INSERT INTO count_journal (campaign_id, country, lang, delta) VALUES (OLD.campaign_id, OLD.country, coalesce(OLD.version_lang, OLD.lang), -1);
END;

DELETE FROM count_journal;
DELETE FROM signature_counts;
INSERT INTO signature_counts (campaign_id, country, lang, n)
SELECT campaign_id, country, version_lang, count(*) FROM signatures
WHERE status = 'confirmed' AND invalidation_id IS NULL
GROUP BY campaign_id, country, version_lang;
