//! Issue 11's stories about signers and commenters, run unchanged on SQLite and on PostgreSQL.

use undersigned_store_tests::{TestDb, on_both_backends, signers};

macro_rules! stories {
    ($($name:ident),* $(,)?) => {
        $(
            async fn $name(db: &TestDb) {
                signers::$name(db.store().await).await
            }
        )*
        on_both_backends!($($name),*);
    };
}

stories!(
    a_later_submission_replaces_a_pending_signature_and_only_the_revision_shown_confirms,
    each_comment_is_confirmed_by_its_own_link,
    mail_budgets_count_per_key_and_renew_after_their_window,
    new_and_known_addresses_signing_at_once_each_get_what_they_would_alone,
    commenters_addresses_go_with_retention_and_withdrawal,
);
