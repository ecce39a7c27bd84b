-- Issue 15: the pages every site needs (privacy notice, terms, imprint, accessibility statement),
-- as the admins wrote them, one row per page and language. No row: the server's own text where it
-- has one, else no page.
CREATE TABLE site_pages (
    page       TEXT    NOT NULL CHECK (page IN ('privacy', 'terms', 'imprint', 'accessibility')),
    lang       TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    -- Markdown
    body       TEXT    NOT NULL,
    changed_by BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (page, lang)
);
