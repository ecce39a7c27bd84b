-- One row that `/healthz` writes, to know that the database can still write (a full disk): a
-- SELECT would answer all the same.
CREATE TABLE heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at TIMESTAMPTZ NOT NULL
);
