//! The conformance suite, run unchanged on SQLite and on PostgreSQL.

use undersigned_store_tests::{TestDb, conformance, on_both_backends};

macro_rules! stories {
    ($($name:ident),* $(,)?) => {
        $(
            async fn $name(db: &TestDb) {
                conformance::$name(db.store().await).await
            }
        )*
        on_both_backends!($($name),*);
    };
}

stories!(
    an_empty_store_has_no_campaigns,
    an_imported_campaign_reads_back_in_every_language,
    importing_again_replaces_texts_and_keeps_the_campaign,
    an_import_is_all_or_nothing,
    drafts_are_not_public,
    a_signature_counts_only_once_confirmed,
    a_second_signature_from_one_address_is_not_counted_and_mails_are_limited,
    twenty_concurrent_signatures_from_one_address_make_one,
    withdrawing_removes_the_signature_and_its_mail,
    the_public_list_shows_names_as_chosen_newest_first_in_pages,
    the_outbox_leases_retries_and_gives_up,
    an_organisation_endorsement_is_listed_once_confirmed_and_approved,
    a_rejected_endorsement_is_not_listed,
    offline_endorsements_are_listed_and_counted_at_once,
    ip_hashes_are_forgotten_after_their_time,
    ip_hash_keys_are_one_per_day_and_go_with_their_hashes,
    accounts_and_sessions,
    roles_give_organisers_their_campaigns,
    invitations_and_resets_queue_their_mail,
    the_audit_log_keeps_who_did_what,
    the_export_holds_confirmed_signatures_only,
    the_export_pages_through_every_signature_once,
    a_new_campaign_is_a_draft_owned_by_its_creator,
    edits_after_signing_keep_the_text_that_was_signed,
    invalidating_in_bulk_is_previewed_recorded_and_reversible,
    many_signatures_from_one_ip_hash_are_flagged,
    updates_reach_only_signers_who_asked_for_news,
    after_retention_signers_are_anonymised_and_counts_stay,
    comments_wait_for_their_commenter_then_for_moderation_as_chosen,
    counts_are_aggregated_exactly_whenever_the_journal_is_folded,
    concurrent_confirmations_confirm_once,
);
