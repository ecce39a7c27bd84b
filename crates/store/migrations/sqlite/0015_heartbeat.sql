-- One row that `/healthz` writes through the writer, to know that the database can still write
-- (a full disk, an I/O error): a SELECT would answer all the same.
CREATE TABLE heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL
) STRICT;
