-- When a campaign stopped taking signatures (closed or won), and which signatures lost their
-- personal data after the retention period.
ALTER TABLE campaigns ADD COLUMN ended_at TIMESTAMPTZ;
ALTER TABLE signatures ADD COLUMN anonymised BOOLEAN NOT NULL DEFAULT FALSE;
