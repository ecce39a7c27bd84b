-- Outbox ids are never reused (an identity column already), and finishing or releasing a mail
-- matches its lease (locked_until). A mail given up records when.
ALTER TABLE outbox ADD COLUMN failed_at TIMESTAMPTZ;
