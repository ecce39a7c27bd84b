-- Issue 17: the rate limits shared by every instance on a PostgreSQL database (see the PostgreSQL
-- migration of the same number). SQLite has one instance by design, which counts in memory; the
-- table is here so that both databases hold the same tables and pass the same conformance suite.
CREATE TABLE rate_limits (
    kind    TEXT    NOT NULL,
    key     BLOB    NOT NULL,
    ends_at INTEGER NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (kind, key, ends_at)
) WITHOUT ROWID;

CREATE INDEX rate_limits_ends ON rate_limits (ends_at);
