-- Issue 14: a signer's private fields (the name when not shown in full, city, affiliation, comment)
-- as one value sealed under the data key, and its keyed digest (what a later submission of a
-- pending signature is compared with). New rows leave the clear columns empty and keep only the
-- public form of the name. An endorsement's contact name is sealed the same way.
ALTER TABLE signatures ADD COLUMN private_sealed TEXT;
ALTER TABLE signatures ADD COLUMN private_digest BLOB;
ALTER TABLE endorsements ADD COLUMN contact_name_sealed TEXT;
