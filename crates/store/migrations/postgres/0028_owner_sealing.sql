-- Issue 14: which of the owners' keys sealed a row's private fields (the ids of `owner_keys`,
-- space-separated, in order), so that after a rotation the key that opens an old row is still
-- named. NULL while the row's fields are sealed under the data key (no owner key yet) or it has none.
ALTER TABLE signatures ADD COLUMN private_key_ids TEXT;
ALTER TABLE endorsements ADD COLUMN contact_name_key_ids TEXT;
