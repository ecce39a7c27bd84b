-- Issue 15: thresholds a site (scope 0) or a campaign (scope: its id) names, a label per language,
-- and the crossings recorded (once each, whichever instance sees it first).
CREATE TABLE thresholds (
    scope BIGINT NOT NULL,
    count BIGINT NOT NULL CHECK (count > 0),
    lang  TEXT   NOT NULL,
    label TEXT   NOT NULL,
    PRIMARY KEY (scope, count, lang)
);

CREATE TABLE threshold_crossings (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    count       BIGINT NOT NULL,
    crossed_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (campaign_id, count)
);
