-- A campaign's or a proposal's id is never given again once it is deleted, as on PostgreSQL
-- (whose identity columns never go back). SQLite gives a new row one more than the largest id in
-- the table, so deleting the newest campaign let the next one have its id: a cache keyed by id
-- (the mail composer keeps a campaign for a second) then wrote the new proposal's confirmation
-- mail with the deleted one's title, and an id in a link or a log could name two things. The
-- largest id ever deleted is kept here; new rows are given one more than it or than the largest
-- id in the table (`dialect::new_id`). Tables whose ids are never deleted do not need it.
CREATE TABLE retired_ids (
    tbl  TEXT    PRIMARY KEY,
    last INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER campaigns_retire_id AFTER DELETE ON campaigns
BEGIN
    INSERT INTO retired_ids (tbl, last) VALUES ('campaigns', OLD.id)
    ON CONFLICT (tbl) DO UPDATE SET last = max(last, excluded.last);
END;

CREATE TRIGGER proposals_retire_id AFTER DELETE ON proposals
BEGIN
    INSERT INTO retired_ids (tbl, last) VALUES ('proposals', OLD.id)
    ON CONFLICT (tbl) DO UPDATE SET last = max(last, excluded.last);
END;
