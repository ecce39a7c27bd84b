-- A campaign's or a proposal's id is never given again once it is deleted: PostgreSQL's identity
-- columns never go back, so there is nothing to do here. SQLite's migration of the same number
-- keeps the largest id deleted.
SELECT 1;
