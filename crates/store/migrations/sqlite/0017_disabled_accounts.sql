-- Accounts can be disabled by an admin: a disabled account cannot log in and has no sessions.

ALTER TABLE users ADD COLUMN disabled_at INTEGER;
