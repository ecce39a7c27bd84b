-- The identifiers a signature imported through OSDI's record signature helper came with (a CRM's
-- own, such as `crm:1234`): a second import with one of them records nothing new. Forgotten with
-- the endorsement it was recorded as.
CREATE TABLE imported_identifiers (
    campaign_id    BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    identifier     TEXT NOT NULL,
    endorsement_id BIGINT NOT NULL REFERENCES endorsements (id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, identifier)
);

CREATE INDEX imported_identifiers_by_endorsement ON imported_identifiers (endorsement_id);
