-- A campaign's whole life (issue 11): when its owner withdrew it, and which language version each
-- signer read and signed, which the counts by language now count.

-- Withdrawn: taken down by its owner after people signed. `status` keeps where it had got to
-- (closed or won: a withdrawn campaign has ended).
ALTER TABLE campaigns ADD COLUMN withdrawn_at TIMESTAMPTZ;

-- The language version signed. Rows from before it was recorded: the signer's interface language
-- where the campaign has a version in it, else the campaign's default version.
ALTER TABLE signatures ADD COLUMN version_lang TEXT;
UPDATE signatures s SET version_lang = CASE
    WHEN EXISTS (SELECT 1 FROM campaign_versions v WHERE v.campaign_id = s.campaign_id AND v.lang = s.lang)
    THEN s.lang
    ELSE (SELECT default_lang FROM campaigns c WHERE c.id = s.campaign_id)
END;

-- The counts' `lang` is the version signed from now on: the trigger writes it, and the counts are
-- made again from the signatures (the table is locked meanwhile, so no change slips between).
LOCK TABLE signatures IN SHARE ROW EXCLUSIVE MODE;

CREATE OR REPLACE FUNCTION signatures_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status = 'confirmed' AND OLD.invalidation_id IS NULL THEN
        INSERT INTO count_journal (campaign_id, country, lang, delta) VALUES (OLD.campaign_id, OLD.country, coalesce(OLD.version_lang, OLD.lang), -1);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.status = 'confirmed' AND NEW.invalidation_id IS NULL THEN
        INSERT INTO count_journal (campaign_id, country, lang, delta) VALUES (NEW.campaign_id, NEW.country, coalesce(NEW.version_lang, NEW.lang), 1);
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER signatures_counted_update ON signatures;
CREATE TRIGGER signatures_counted_update AFTER UPDATE OF status, invalidation_id, country, lang, version_lang, campaign_id ON signatures FOR EACH ROW
WHEN ((OLD.status = 'confirmed' AND OLD.invalidation_id IS NULL) OR (NEW.status = 'confirmed' AND NEW.invalidation_id IS NULL))
EXECUTE FUNCTION signatures_counted();

DELETE FROM count_journal;
DELETE FROM signature_counts;
INSERT INTO signature_counts (campaign_id, country, lang, n)
SELECT campaign_id, country, version_lang, count(*) FROM signatures
WHERE status = 'confirmed' AND invalidation_id IS NULL
GROUP BY campaign_id, country, version_lang;
