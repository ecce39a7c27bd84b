-- Issue 14: addresses and IP hashes sealed under a data key kept outside the database.

-- Facts about the database itself: the id of the data key its rows are sealed with
-- (`data_key_id`, recorded when it is first opened with a key).
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Sealing an address (`undersigned data seal`) rewrites it without changing it: a signature's
-- last change is its address erased (anonymised), not its address sealed.
DROP TRIGGER signatures_modified;
CREATE TRIGGER signatures_modified AFTER UPDATE OF display, opt_in, invalidation_id, email ON signatures
WHEN NEW.status = 'confirmed'
    AND (OLD.display IS NOT NEW.display OR OLD.opt_in IS NOT NEW.opt_in
         OR OLD.invalidation_id IS NOT NEW.invalidation_id OR (OLD.email = '') IS NOT (NEW.email = ''))
BEGIN
    UPDATE signatures
    SET modified_at = max(CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER),
                          coalesce(OLD.modified_at, NEW.confirmed_at) + 1)
    WHERE id = NEW.id;
END;
