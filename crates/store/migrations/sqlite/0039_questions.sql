-- Issue 16: a campaign's own questions on its sign form, each with its prompt and choices per
-- language (`texts`: JSON, {"prompts": {lang: text}, "choices": [{lang: label}]}), asked in
-- `position` order until retired (kept once people may have answered: their answers, sealed with
-- the signatures' private fields, name it by id).
CREATE TABLE campaign_questions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('text', 'choice', 'yes-no')),
    required    INTEGER NOT NULL DEFAULT 0,
    texts       TEXT    NOT NULL,
    retired_at  INTEGER
) STRICT;

CREATE INDEX campaign_questions_of ON campaign_questions (campaign_id, position);

-- Reminders to signers who have not confirmed (off unless the campaign asks), once each.
ALTER TABLE campaigns ADD COLUMN remind_unconfirmed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE signatures ADD COLUMN reminded_at INTEGER;

-- Addresses mail cannot reach (a permanent SMTP failure), by a keyed hash of the canonical
-- address (not the address), with the mail whose failure marked it; and the signatures made
-- with one, for the dashboard's count (no new signature is marked: no cost to signing).
CREATE TABLE undeliverable_addresses (
    address_key BLOB    PRIMARY KEY,
    outbox_id   INTEGER NOT NULL,
    marked_at   INTEGER NOT NULL
) STRICT;

ALTER TABLE signatures ADD COLUMN undeliverable_at INTEGER;
CREATE INDEX signatures_undeliverable ON signatures (campaign_id) WHERE undeliverable_at IS NOT NULL;
