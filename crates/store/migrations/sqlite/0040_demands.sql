-- Demands become the same across language versions: one ordered list per campaign, each demand
-- with a stable key, written in some of the campaign's languages (a version lacking its text
-- shows it "not yet translated"), and marked met when the target concedes it. The demands of
-- each position become one demand, its texts from each language, its key the position.
CREATE TABLE campaign_demands (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    demand_key  INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    -- the day the target conceded it
    met_on      TEXT,
    PRIMARY KEY (campaign_id, demand_key)
) STRICT;

CREATE TABLE demand_texts (
    campaign_id INTEGER NOT NULL,
    demand_key  INTEGER NOT NULL,
    lang        TEXT NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (campaign_id, demand_key, lang),
    FOREIGN KEY (campaign_id, demand_key) REFERENCES campaign_demands (campaign_id, demand_key) ON DELETE CASCADE
) STRICT;

-- The note on a met demand, per language.
CREATE TABLE demand_met_notes (
    campaign_id INTEGER NOT NULL,
    demand_key  INTEGER NOT NULL,
    lang        TEXT NOT NULL,
    note        TEXT NOT NULL,
    PRIMARY KEY (campaign_id, demand_key, lang),
    FOREIGN KEY (campaign_id, demand_key) REFERENCES campaign_demands (campaign_id, demand_key) ON DELETE CASCADE
) STRICT;

INSERT INTO campaign_demands (campaign_id, demand_key, position)
    SELECT DISTINCT campaign_id, position, position FROM demands;
INSERT INTO demand_texts (campaign_id, demand_key, lang, text)
    SELECT campaign_id, position, lang, text FROM demands;
DROP TABLE demands;

-- The thresholds at which a campaign mails its signers who asked for news (milestones).
CREATE TABLE milestone_mails (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    count       INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, count)
) STRICT;
