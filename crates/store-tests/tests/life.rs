//! The conformance stories of a campaign's life, run unchanged on SQLite and on PostgreSQL.

undersigned_store_tests::stories_of!(
    life;
    a_campaign_closes_at_its_end_date_and_its_retention_period_runs_from_then,
    an_owner_unpublishes_a_campaign_and_deletes_a_draft_nobody_signed,
    an_owner_republishes_a_withdrawn_campaign_as_it_was,
    the_counts_by_language_count_the_version_signed,
);
