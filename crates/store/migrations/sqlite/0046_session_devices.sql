-- What an organiser's sessions page shows of each session: the device it was started on (a short
-- code, "firefox/linux", never the User-Agent), when it was last seen (written at most every few
-- minutes), and a keyed hash of the network (/24 or /48) it was last seen from, never an address.

ALTER TABLE sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER;
ALTER TABLE sessions ADD COLUMN network_key BLOB;
UPDATE sessions SET last_seen_at = created_at;
