-- The target's response to a campaign, in its own words.
CREATE TABLE campaign_responses (
    campaign_id  BIGINT PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
    text         TEXT NOT NULL,
    responded_on DATE,
    link         TEXT,
    recorded_at  TIMESTAMPTZ NOT NULL
);
