-- Issue 15: a campaign an admin took down, with the public reason its address gives.
CREATE TABLE takedowns (
    campaign_id INTEGER PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
    reason      TEXT    NOT NULL,
    taken_by    TEXT    NOT NULL,
    taken_at    INTEGER NOT NULL
) STRICT;
