-- When a campaign stopped taking signatures (closed or won), and which signatures lost their
-- personal data after the retention period.
ALTER TABLE campaigns ADD COLUMN ended_at INTEGER;
ALTER TABLE signatures ADD COLUMN anonymised INTEGER NOT NULL DEFAULT 0 CHECK (anonymised IN (0, 1));
