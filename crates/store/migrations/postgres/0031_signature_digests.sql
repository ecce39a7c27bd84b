-- A pending signature keeps of its leaf (issue 14) only what its other columns do not: the hash of
-- the text signed and the commitment to its address, 64 bytes, from which and the row's campaign,
-- time, public name and country the record is made again when it is confirmed. The record's text
-- on every row (254 bytes) cost the signing rate several per cent (docs/benchmarks.md). Rows from
-- before keep their `log_record`, which is used when they have no digests.
ALTER TABLE signatures ADD COLUMN log_digests BYTEA;
