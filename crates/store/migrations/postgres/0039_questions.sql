-- Issue 16: a campaign's own questions on its sign form, each with its prompt and choices per
-- language (`texts`: JSON, {"prompts": {lang: text}, "choices": [{lang: label}]}), asked in
-- `position` order until retired (kept once people may have answered: their answers, sealed with
-- the signatures' private fields, name it by id).
CREATE TABLE campaign_questions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id BIGINT  NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    position    BIGINT  NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('text', 'choice', 'yes-no')),
    required    BOOLEAN NOT NULL DEFAULT FALSE,
    texts       TEXT    NOT NULL,
    retired_at  TIMESTAMPTZ
);

CREATE INDEX campaign_questions_of ON campaign_questions (campaign_id, position);

-- Reminders to signers who have not confirmed (off unless the campaign asks), once each.
ALTER TABLE campaigns ADD COLUMN remind_unconfirmed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE signatures ADD COLUMN reminded_at TIMESTAMPTZ;

-- Addresses mail cannot reach (a permanent SMTP failure), by a keyed hash of the canonical
-- address (not the address), with the mail whose failure marked it; and the signatures made
-- with one, for the dashboard's count (no new signature is marked: no cost to signing).
CREATE TABLE undeliverable_addresses (
    address_key BYTEA       PRIMARY KEY,
    outbox_id   BIGINT      NOT NULL,
    marked_at   TIMESTAMPTZ NOT NULL
);

ALTER TABLE signatures ADD COLUMN undeliverable_at TIMESTAMPTZ;
CREATE INDEX signatures_undeliverable ON signatures (campaign_id) WHERE undeliverable_at IS NOT NULL;
