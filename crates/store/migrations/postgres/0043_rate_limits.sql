-- Issue 17: the rate limits (signing, logins, signatures without a proof of work) shared by every
-- instance on this database. One row per limit, key and window: `kind` names the limit ('sign',
-- 'unsolved', 'login-ip', 'login-account-ip', 'login-account'), `key` is a keyed hash (HMAC with
-- the secret key of the limit, the window and the keyed hash of the address or account: never an
-- address, and not the hash any other table keeps), `ends_at` the end of the window (seconds since
-- 1970), `count` what the instances counted in it. Rows whose window ended are deleted by the
-- hourly upkeep.
--
-- UNLOGGED: these counts live an hour and are written every second under load; without the WAL
-- they cost the shared database (and its standbys) no log traffic. A crash of PostgreSQL empties
-- the table, and standbys do not have it: after a crash or a failover the limits start again from
-- nothing, once, which lets a client no more than one window's limit more.
CREATE UNLOGGED TABLE rate_limits (
    kind    TEXT    NOT NULL,
    key     BYTEA   NOT NULL,
    ends_at BIGINT  NOT NULL,
    count   BIGINT  NOT NULL,
    PRIMARY KEY (kind, key, ends_at)
);

CREATE INDEX rate_limits_ends ON rate_limits (ends_at);
