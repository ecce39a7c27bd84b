-- Issue 15: thresholds a site (scope 0) or a campaign (scope: its id) names, a label per language,
-- and the crossings recorded (once each, whichever instance sees it first).
CREATE TABLE thresholds (
    scope INTEGER NOT NULL,
    count INTEGER NOT NULL CHECK (count > 0),
    lang  TEXT    NOT NULL,
    label TEXT    NOT NULL,
    PRIMARY KEY (scope, count, lang)
) STRICT;

CREATE TABLE threshold_crossings (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    count       INTEGER NOT NULL,
    crossed_at  INTEGER NOT NULL,
    UNIQUE (campaign_id, count)
) STRICT;
