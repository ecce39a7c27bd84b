-- Outbox ids are never reused (AUTOINCREMENT): a worker whose lease ran out must not finish or
-- release a newer mail that took the id of the one it held, and a mail's id names its file.
-- A mail given up records when.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL,
    ref_id          INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    -- a worker holds the mail until then; finishing or releasing it must match
    locked_until    INTEGER,
    last_error      TEXT,
    failed          INTEGER NOT NULL DEFAULT 0 CHECK (failed IN (0, 1)),
    created_at      INTEGER NOT NULL,
    cursor          INTEGER,
    failed_at       INTEGER
) STRICT;

INSERT INTO outbox_new (id, kind, ref_id, attempts, next_attempt_at, locked_until, last_error, failed,
                        created_at, cursor)
    SELECT id, kind, ref_id, attempts, next_attempt_at, locked_until, last_error, failed, created_at, cursor
    FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE failed = 0;
CREATE INDEX outbox_by_ref ON outbox (ref_id);
