//! `/healthz` says which check failed: a mail left due for longer than the option allows, a
//! migration the binary knows that the database lacks. (The database that cannot write is tested
//! on a real full disk, in full_disk.rs.) On both backends.

use time::Duration;
use undersigned::config::Options;
use undersigned_core::signature::{MailBudget, NameDisplay};
use undersigned_core::store::now;
use undersigned_store_tests::conformance::{demo_campaign, record};
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::TestApp;

async fn a_mail_due_too_long_makes_healthz_503(db: &TestDb) {
    // A mail due for 20 minutes, held by a worker (of another instance, say) that is stuck with it.
    let store = db.store().await;
    let campaign = demo_campaign(store.as_ref()).await;
    let mut late = record(campaign, "late@example.org", "Late", NameDisplay::Full);
    late.now = now() - Duration::minutes(20);
    store.sign(&late, MailBudget::default()).await.unwrap();
    assert_eq!(store.claim_mail(now(), Duration::hours(1), 10).await.unwrap().len(), 1);
    let due = store.oldest_due_mail(now()).await.unwrap().expect("a mail is due");
    assert!((now() - due - Duration::minutes(20)).abs() < Duration::seconds(5));

    let options = Options { healthz_mail_minutes: Some(15), ..Options::default() };
    let app = TestApp::spawn_with(db, options).await;
    let page = app.get("/healthz").await;
    assert_eq!(page.status, 503, "{}", page.body);
    assert_eq!(page.header("content-type"), "text/plain; charset=utf-8");
    assert!(page.body.starts_with("unhealthy\nwrite: ok\nmigrations: ok\n"), "{}", page.body);
    assert!(page.body.contains("mail: FAILED, a mail has been due for 120"), "{}", page.body);
    app.stop().await;

    // With a longer allowance (or none), the same mail is fine.
    let options = Options { healthz_mail_minutes: Some(30), ..Options::default() };
    let app = TestApp::spawn_with(db, options).await;
    let page = app.get("/healthz").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("mail: ok, the oldest due for 120"), "{}", page.body);
    app.stop().await;
}

async fn a_missing_migration_makes_healthz_503(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    assert_eq!(app.get("/healthz").await.status, 200);
    let store = db.store().await;
    assert!(store.missing_migrations().await.unwrap().is_empty());
    // The database as an older binary left it: the last migration not applied.
    let forget = "DELETE FROM _sqlx_migrations WHERE version = (SELECT max(version) FROM _sqlx_migrations)";
    if db.url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
        sqlx::query(forget).execute(&pool).await.unwrap();
    } else {
        let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
        sqlx::query(forget).execute(&pool).await.unwrap();
    }
    let missing = store.missing_migrations().await.unwrap();
    assert_eq!(missing.len(), 1);
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await; // past the kept answer
    let page = app.get("/healthz").await;
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(
        page.body.contains(&format!("migrations: FAILED, not applied: [{}]", missing[0])),
        "{}",
        page.body
    );
    app.stop().await;
}

on_both_backends!(a_mail_due_too_long_makes_healthz_503, a_missing_migration_makes_healthz_503);
