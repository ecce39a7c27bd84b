//! The conformance suite, run unchanged on SQLite and on PostgreSQL.

use undersigned_store_tests::{TestDb, conformance, on_both_backends};

async fn an_empty_store_has_no_campaigns(db: &TestDb) {
    conformance::an_empty_store_has_no_campaigns(db.store().await).await
}
async fn an_imported_campaign_reads_back_in_every_language(db: &TestDb) {
    conformance::an_imported_campaign_reads_back_in_every_language(db.store().await).await
}
async fn importing_again_replaces_texts_and_keeps_the_campaign(db: &TestDb) {
    conformance::importing_again_replaces_texts_and_keeps_the_campaign(db.store().await).await
}
async fn an_import_is_all_or_nothing(db: &TestDb) {
    conformance::an_import_is_all_or_nothing(db.store().await).await
}
async fn drafts_are_not_public(db: &TestDb) {
    conformance::drafts_are_not_public(db.store().await).await
}

on_both_backends!(
    an_empty_store_has_no_campaigns,
    an_imported_campaign_reads_back_in_every_language,
    importing_again_replaces_texts_and_keeps_the_campaign,
    an_import_is_all_or_nothing,
    drafts_are_not_public,
);
