-- Issue 11, what signers and commenters choose stays theirs.

-- Each submission from an address still pending replaces the signature's fields and counts one
-- more revision; the confirmation page shows a revision and confirms only that one.
ALTER TABLE signatures ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- How many mails an address was sent for one purpose (a comment's confirmation, an endorsement's,
-- a manage link, a password reset) since the window began: the same budget as a signature's
-- mails. The key is a keyed hash of the purpose and the address; rows go once their window is over.
CREATE TABLE mail_budgets (
    budget_key   BYTEA PRIMARY KEY,
    mails_sent   BIGINT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL
);

-- Comments are confirmed one by one, and forgetting a commenter's address (retention, a signer's
-- withdrawal) looks up the comments of an address.
CREATE INDEX comments_by_commenter ON comments (commenter_id);
