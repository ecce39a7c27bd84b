//! The outbox's conformance stories, run unchanged on SQLite and on PostgreSQL.

use undersigned_store_tests::{TestDb, on_both_backends, outbox};

macro_rules! stories {
    ($($name:ident),* $(,)?) => {
        $(
            async fn $name(db: &TestDb) {
                outbox::$name(db.store().await).await
            }
        )*
        on_both_backends!($($name),*);
    };
}

stories!(
    a_lease_that_ran_out_cannot_finish_or_release_the_mail,
    mail_given_up_is_listed_and_can_be_sent_again
);
