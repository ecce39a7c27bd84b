-- Issue 14, signer safety II. Endorsements in the signature log: an endorsement's leaf is fixed
-- when it is made (as a signature's is), kept on its row so that its record can be rebuilt from
-- the row, and appended to its campaign's log when it is listed. `log_salt` is the random salt of
-- the commitment to its contact's address (sent through the form only; deleted by anonymisation).
ALTER TABLE endorsements ADD COLUMN log_salt BLOB;
ALTER TABLE endorsements ADD COLUMN log_record TEXT;

CREATE INDEX signature_log_leaves_by_endorsement ON signature_log_leaves (endorsement_id) WHERE endorsement_id IS NOT NULL;

-- The IP hashes a trending alert names, sealed under the data key (crates/store/src/sealed.rs):
-- `shown` keeps a keyed digest of the hash ("digest:" and hex), what the alert's uniqueness
-- needs, and `shown_sealed` the hash itself for the organisers' page. An alert about an email
-- domain keeps the domain in `shown` as before. A block list's IP hashes are sealed in `value`
-- itself (the lists are matched in memory, after opening), and the identifiers of imports kept
-- as keyed digests in `imported_identifiers.identifier`: neither needs a column.
ALTER TABLE trend_alerts ADD COLUMN shown_sealed TEXT;
