-- The sites that may show a campaign's embeddable page (/c/{slug}/embed) in a frame, one a line:
-- `*` (any site, the default), https origins, or nothing (no site).
ALTER TABLE campaigns ADD COLUMN embed_sites TEXT NOT NULL DEFAULT '*';
