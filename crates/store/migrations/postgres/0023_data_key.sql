-- Issue 14: addresses and IP hashes sealed under a data key kept outside the database.

-- Facts about the database itself: the id of the data key its rows are sealed with
-- (`data_key_id`, recorded when it is first opened with a key).
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Sealing an address (`undersigned data seal`) rewrites it without changing it: a signature's
-- last change is its address erased (anonymised), not its address sealed.
DROP TRIGGER signatures_modified ON signatures;
CREATE TRIGGER signatures_modified BEFORE UPDATE OF display, opt_in, invalidation_id, email ON signatures
FOR EACH ROW
WHEN (NEW.status = 'confirmed'
      AND (OLD.display, OLD.opt_in, OLD.invalidation_id, OLD.email = '')
          IS DISTINCT FROM (NEW.display, NEW.opt_in, NEW.invalidation_id, NEW.email = ''))
EXECUTE FUNCTION signatures_modified();
