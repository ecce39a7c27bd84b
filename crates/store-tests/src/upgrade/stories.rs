//! The upgrade stories of the store, on both backends.

use undersigned_core::Slug;
use undersigned_core::store::SealCursor;
use undersigned_store::OpenError;

use super::*;
use crate::{on_both_backends, test_data_key};

/// How many migrations the database has applied.
async fn applied(db: &TestDb) -> Vec<String> {
    db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM _sqlx_migrations WHERE success").await
}

async fn an_old_database_is_upgraded_with_every_row_kept(db: &TestDb) {
    build_old(db, Stage::BeforePrivateFields).await;
    // Nothing pending loses data (18 ran long ago): no word of a backup needed.
    let store = db.store().await;
    assert!(store.missing_migrations().await.unwrap().is_empty());
    check_rows(db, false).await;
    check_reads(db, store.as_ref()).await;
    assert!(store.rows_in_clear().await.unwrap() > 0);

    // `undersigned data seal`: the values in clear are sealed, and read the same through it.
    let mut cursor = Some(SealCursor::default());
    while let Some(from) = cursor {
        cursor = store.seal_in_clear(from, 3).await.unwrap().next;
    }
    assert_eq!(store.rows_in_clear().await.unwrap(), 0);
    assert!(db.raw_texts("SELECT email FROM signatures WHERE email LIKE '%@%'").await.is_empty());
    assert!(db.raw_texts("SELECT city FROM signatures WHERE city IS NOT NULL").await.is_empty());
    check_rows(db, true).await;
    check_reads(db, store.as_ref()).await;
}

async fn a_migration_that_loses_data_waits_for_the_word_that_the_database_was_backed_up(db: &TestDb) {
    build_old(db, Stage::BeforeLife).await;
    let hashes = "SELECT CAST(count(*) AS TEXT) FROM signatures WHERE ip_key IS NOT NULL";
    assert_eq!(db.raw_texts(hashes).await, ["2"]);
    let refused = undersigned_store::open(&db.url, |_| Ok(test_data_key())).await.err().expect("refused");
    let OpenError::Lossy(lossy) = &refused else { panic!("{refused}") };
    assert_eq!(lossy.iter().map(|m| m.version).collect::<Vec<_>>(), [18]);
    let said = refused.to_string();
    assert!(
        said.contains("migration 18 (ip_hash_keys) forgets the IP hashes of the signatures and endorsements"),
        "{said}"
    );
    assert!(said.ends_with("Nothing was changed."), "{said}");
    // Nothing was: the same migrations, the hashes still there.
    assert_eq!(applied(db).await, ["11"]);
    assert_eq!(db.raw_texts(hashes).await, ["2"]);

    let upgrade = Upgrade { backed_up: true };
    let store = undersigned_store::open_with(&db.url, None, |_| Ok(test_data_key()), upgrade).await.unwrap();
    assert!(store.missing_migrations().await.unwrap().is_empty());
    assert_eq!(db.raw_texts(hashes).await, ["0"]);
    assert_eq!(
        store
            .counts_by_language(
                store.campaign_by_slug(&Slug::parse("s", OPEN).unwrap()).await.unwrap().unwrap().id
            )
            .await
            .unwrap()
            .len(),
        2
    );
}

/// A migration of the test's own that drops a table of the test's own.
fn scratch(version: i64) -> [Migration; 2] {
    let create: &'static str =
        Box::leak(format!("CREATE TABLE scratch_{version} (n BIGINT);").into_boxed_str());
    let drop: &'static str = Box::leak(format!("DROP TABLE scratch_{version};").into_boxed_str());
    let made = Migration { version, name: "scratch", sqlite: create, postgres: create, loses: None };
    let dropped = Migration {
        version: version + 1,
        name: "scratch_dropped",
        sqlite: drop,
        postgres: drop,
        loses: Some("drops the scratch table and its rows"),
    };
    [made, dropped]
}

async fn a_lossy_migration_runs_without_the_word_where_there_is_nothing_to_lose(db: &TestDb) {
    let [made, dropped] = scratch(9001);
    let mut list = MIGRATIONS.to_vec();
    // A new database: every migration runs, the lossy one too.
    list.extend([made, dropped]);
    undersigned_store::migrate(&db.url, &list, Upgrade::default()).await.unwrap();
    assert_eq!(applied(db).await, [list.len().to_string()]);

    // A database whose tables are all empty holds nothing to lose either.
    let [made, dropped] = scratch(9003);
    list.push(made);
    undersigned_store::migrate(&db.url, &list, Upgrade::default()).await.unwrap();
    list.push(dropped);
    undersigned_store::migrate(&db.url, &list, Upgrade::default()).await.unwrap();
    assert_eq!(applied(db).await, [list.len().to_string()]);
}

async fn a_lossy_migration_of_the_tests_own_waits_for_the_word_on_a_database_with_data(db: &TestDb) {
    let [made, dropped] = scratch(9001);
    let mut list = MIGRATIONS.to_vec();
    list.push(made);
    undersigned_store::migrate(&db.url, &list, Upgrade::default()).await.unwrap();
    db.raw("INSERT INTO scratch_9001 (n) VALUES (7)").await;
    list.push(dropped);
    let refused = undersigned_store::migrate(&db.url, &list, Upgrade::default()).await.expect_err("refused");
    let OpenError::Lossy(lossy) = &refused else { panic!("{refused}") };
    assert_eq!(
        lossy,
        &[undersigned_store::migrate::Lossy {
            version: 9002,
            name: "scratch_dropped",
            loses: "drops the scratch table and its rows"
        }]
    );
    assert_eq!(db.raw_texts("SELECT CAST(n AS TEXT) FROM scratch_9001").await, ["7"]);
    undersigned_store::migrate(&db.url, &list, Upgrade { backed_up: true }).await.unwrap();
    assert_eq!(applied(db).await, [list.len().to_string()]);
}

async fn an_older_version_refuses_a_database_that_a_newer_one_migrated(db: &TestDb) {
    let store = db.store().await;
    drop(store);
    let newest = MIGRATIONS.last().unwrap().version;
    let older = &MIGRATIONS[..MIGRATIONS.len() - 1];
    let refused =
        undersigned_store::migrate(&db.url, older, Upgrade { backed_up: true }).await.expect_err("refused");
    let OpenError::Newer { unknown, .. } = &refused else { panic!("{refused}") };
    assert_eq!(unknown, &[newest]);
    let said = refused.to_string();
    assert!(said.contains(&format!("it has migration {newest}, which this version does not know")), "{said}");
    assert!(said.contains("Downgrades are not supported"), "{said}");
    // Nothing was changed: this version still opens it.
    assert_eq!(applied(db).await, [MIGRATIONS.len().to_string()]);
    db.store().await;
}

on_both_backends!(
    an_old_database_is_upgraded_with_every_row_kept,
    a_migration_that_loses_data_waits_for_the_word_that_the_database_was_backed_up,
    a_lossy_migration_runs_without_the_word_where_there_is_nothing_to_lose,
    a_lossy_migration_of_the_tests_own_waits_for_the_word_on_a_database_with_data,
    an_older_version_refuses_a_database_that_a_newer_one_migrated,
);
