-- The export pages through confirmed signatures oldest first (keyset on confirmation time, id);
-- this index makes each page cost the same however deep into the campaign it is.
CREATE INDEX signatures_exported ON signatures (campaign_id, confirmed_at, id) WHERE status = 'confirmed';
