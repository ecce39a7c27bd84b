-- The keys the day's IP hashes are made with: one random key per UTC day (days since 1970-01-01),
-- deleted together with the hashes it made, so that an old hash cannot be recomputed from
-- secret.key and an address.
CREATE TABLE ip_hash_keys (
    day BIGINT PRIMARY KEY,
    key BYTEA  NOT NULL
);

-- The hashes made before were keyed by secret.key alone, which anyone holding it could reverse:
-- forget them.
UPDATE signatures SET ip_key = NULL WHERE ip_key IS NOT NULL;
UPDATE endorsements SET ip_key = NULL WHERE ip_key IS NOT NULL;
