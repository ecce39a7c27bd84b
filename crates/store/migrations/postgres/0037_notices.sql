-- Issue 15: what organisers hear of. Their mail's language and when they last had a digest; their
-- choice per kind of notice ('now', 'digest' or 'off'; absent: 'now'); and the notices kept for
-- the next digest (the mail each would have been, the row it is about; `digest`: the outbox row
-- of the digest that carries it, once queued).
CREATE TABLE organiser_settings (
    user_id        BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    lang           TEXT,
    digest_sent_at TIMESTAMPTZ
);

CREATE TABLE notice_prefs (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT   NOT NULL,
    mode    TEXT   NOT NULL CHECK (mode IN ('now', 'digest', 'off')),
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE digest_items (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mail_kind  TEXT   NOT NULL,
    ref_id     BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    digest     BIGINT
);

CREATE INDEX digest_items_waiting ON digest_items (user_id) WHERE digest IS NULL;
CREATE INDEX digest_items_by_digest ON digest_items (digest);
