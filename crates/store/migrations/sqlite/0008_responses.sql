-- The target's response to a campaign, in its own words.
CREATE TABLE campaign_responses (
    campaign_id  INTEGER PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
    text         TEXT NOT NULL,
    responded_on TEXT,
    link         TEXT,
    recorded_at  INTEGER NOT NULL
) STRICT;
