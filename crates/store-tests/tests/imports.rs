//! Importing campaigns from files, run unchanged on SQLite and on PostgreSQL.

use undersigned_store_tests::{TestDb, imports, on_both_backends};

macro_rules! stories {
    ($($name:ident),* $(,)?) => {
        $(
            async fn $name(db: &TestDb) {
                imports::$name(db.store().await).await
            }
        )*
        on_both_backends!($($name),*);
    };
}

stories!(
    imported_records_read_back_with_their_dates_and_keys,
    an_import_over_a_campaign_changed_meanwhile_is_refused,
);
