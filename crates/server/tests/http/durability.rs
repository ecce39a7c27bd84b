//! Durability under load. On both backends: signatures are posted concurrently, the server is
//! killed with SIGKILL mid-run, restarted, and every signature whose POST got its 303 is there,
//! exactly once. On PostgreSQL: two instances share one database, load is spread over both (the
//! same addresses sent to both at once), and nothing is lost or doubled; and a PostgreSQL server
//! of the test's own is restarted under load: the server answers 503 meanwhile, comes back by
//! itself, and loses nothing it acknowledged.

use std::path::Path;
use std::process::Child;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use undersigned_core::store::SignatureFilter;
use undersigned_store_tests::{Backend, OwnPostgres, TestDb, on_both_backends};

use crate::support::load::{demo_campaign, missing, public_count, recount, sign, signer};
use crate::support::process::{free_port, serve, wait_up};

fn start(db: &TestDb, data_dir: &std::path::Path, port: u16) -> Child {
    serve(Some(&db.url), data_dir, port, &["--sign-rate-limit", "0", "--page-cache-ms", "0"])
        // After the kill, the mails that were under way go out 5 s later rather than 2 min.
        .env("UNDERSIGNED_MAIL_LEASE_SECONDS", "5")
        .env("UNDERSIGNED_SMTP_TIMEOUT_SECONDS", "2")
        .spawn()
        .unwrap()
}

async fn every_acknowledged_signature_survives_a_kill(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(db, dir.path(), port);
    wait_up(&base).await;

    let (client, csrf) = signer(&base).await;
    let (store, campaign) = demo_campaign(db).await;
    let before = store.matching_signatures(campaign.id, &SignatureFilter::default()).await.unwrap();

    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let mut workers = Vec::new();
    for worker in 0..16 {
        let (client, base, csrf, acknowledged) =
            (client.clone(), base.clone(), csrf.clone(), acknowledged.clone());
        workers.push(tokio::spawn(async move {
            for i in 0.. {
                let email = format!("w{worker}-{i}@example.org");
                match sign(&client, &base, &csrf, &email).await {
                    Ok(303) => acknowledged.lock().unwrap().push(email),
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    server.kill().unwrap(); // SIGKILL: no graceful shutdown, no flush.
    server.wait().unwrap();
    for w in workers {
        w.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() > 50, "the load ran ({} signatures acknowledged)", acknowledged.len());

    // It starts again on the same data, and everything acknowledged is there.
    let mut again = start(db, dir.path(), port);
    wait_up(&base).await;
    let missing = missing(&*store, &campaign, dir.path(), &acknowledged).await;
    assert!(
        missing.is_empty(),
        "{} acknowledged signatures lost, such as {:?}",
        missing.len(),
        missing.first()
    );
    // Exactly once: each address has one row (the unique key), and no row appeared beyond those
    // posted (a POST cut off by the kill may have committed without its 303 arriving).
    let after = store.matching_signatures(campaign.id, &SignatureFilter::default()).await.unwrap();
    assert!(after - before >= acknowledged.len() as i64, "{before} before, {after} after");
    assert_eq!(public_count(&client, &base).await, recount(&*store, &campaign).await);

    // Mail is written to files (no --smtp-url): once the outbox has drained, there is exactly one
    // confirmation mail for each acknowledged signer, none lost and none written twice.
    let mail_dir = dir.path().join("mail");
    for _ in 0..600 {
        let files = mail_files(&mail_dir);
        if acknowledged.iter().all(|a| files.contains_key(a)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Longer than a lease: a mail written just before the kill, and taken again, would be here now.
    tokio::time::sleep(Duration::from_secs(7)).await;
    let files = mail_files(&mail_dir);
    let wrong: Vec<(&String, usize)> = acknowledged
        .iter()
        .map(|a| (a, files.get(a).copied().unwrap_or(0)))
        .filter(|(_, n)| *n != 1)
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} acknowledged signers have not exactly one mail file, such as {:?}",
        wrong.len(),
        acknowledged.len(),
        &wrong[..wrong.len().min(5)]
    );
    again.kill().unwrap();
    again.wait().unwrap();
}

/// How many `.eml` files in `dir` are addressed to each recipient.
fn mail_files(dir: &Path) -> std::collections::HashMap<String, usize> {
    let mut by_recipient = std::collections::HashMap::new();
    for path in crate::support::mail_files(dir) {
        let text = std::fs::read_to_string(&path).unwrap();
        let to = text.lines().find_map(|l| l.strip_prefix("To: ")).unwrap_or_else(|| panic!("{text}"));
        let address = to.rsplit_once('<').map_or(to, |(_, a)| a.trim_end_matches('>'));
        *by_recipient.entry(address.to_owned()).or_default() += 1;
    }
    by_recipient
}

on_both_backends!(every_acknowledged_signature_survives_a_kill);

#[tokio::test]
async fn two_instances_on_one_postgres_database_lose_and_double_nothing() {
    let Some(db) = TestDb::new(Backend::Postgres).await else { return };
    let dir = tempfile::tempdir().unwrap();
    let ports: Vec<u16> = (0..2).map(|_| free_port()).collect();
    let bases: Vec<String> = ports.iter().map(|p| format!("http://127.0.0.1:{p}")).collect();
    // The first instance migrates and writes the site key; the second shares both.
    let mut first = start(&db, dir.path(), ports[0]);
    wait_up(&bases[0]).await;
    let mut second = start(&db, dir.path(), ports[1]);
    wait_up(&bases[1]).await;
    let (store, campaign) = demo_campaign(&db).await;
    let before = store.matching_signatures(campaign.id, &SignatureFilter::default()).await.unwrap();

    // Each address is posted to both instances at the same moment: one row must come of it.
    let mut signers = Vec::new();
    for base in &bases {
        signers.push(signer(base).await);
    }
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let mut workers = Vec::new();
    for worker in 0..8 {
        for (instance, (client, csrf)) in signers.iter().enumerate() {
            let (client, base, csrf, acknowledged) =
                (client.clone(), bases[instance].clone(), csrf.clone(), acknowledged.clone());
            workers.push(tokio::spawn(async move {
                for i in 0..60 {
                    let email = format!("both{worker}-{i}@example.org");
                    let status = sign(&client, &base, &csrf, &email).await.unwrap();
                    assert_eq!(status, 303, "instance {instance} answered {status}");
                    acknowledged.lock().unwrap().push(email);
                }
            }));
        }
    }
    for w in workers {
        w.await.unwrap();
    }
    let mut acknowledged = acknowledged.lock().unwrap().clone();
    assert_eq!(acknowledged.len(), 2 * 8 * 60);
    acknowledged.sort();
    acknowledged.dedup();
    assert_eq!(acknowledged.len(), 8 * 60);

    let missing = missing(&*store, &campaign, dir.path(), &acknowledged).await;
    assert!(missing.is_empty(), "{} signatures lost, such as {:?}", missing.len(), missing.first());
    let after = store.matching_signatures(campaign.id, &SignatureFilter::default()).await.unwrap();
    assert_eq!(after - before, 8 * 60, "one row per address, none doubled");
    // Both instances show the same count, and it is the full recount.
    let recount = recount(&*store, &campaign).await;
    for (base, (client, _)) in bases.iter().zip(&signers) {
        assert_eq!(public_count(client, base).await, recount, "the count shown by {base}");
    }
    for server in [&mut first, &mut second] {
        server.kill().unwrap();
        server.wait().unwrap();
    }
}

#[tokio::test]
async fn a_postgres_restart_under_load_is_answered_503_then_recovered_losing_nothing() {
    let Some(postgres) = OwnPostgres::start() else { return };
    let db = TestDb::at(postgres.url());
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&db, dir.path(), port);
    wait_up(&base).await;
    let (client, csrf) = signer(&base).await;
    let (store, campaign) = demo_campaign(&db).await;

    // Load all along: 8 signers, each address once; every answer is kept with the phase it came in.
    let phase = Arc::new(std::sync::atomic::AtomicU8::new(0));
    let answers = Arc::new(Mutex::new(Vec::new()));
    let mut workers = Vec::new();
    for worker in 0..8 {
        let (client, base, csrf, answers, phase) =
            (client.clone(), base.clone(), csrf.clone(), answers.clone(), phase.clone());
        workers.push(tokio::spawn(async move {
            for i in 0.. {
                let now = phase.load(std::sync::atomic::Ordering::SeqCst);
                if now == 3 {
                    break;
                }
                let email = format!("r{worker}-{i}@example.org");
                let status = sign(&client, &base, &csrf, &email).await.unwrap();
                answers.lock().unwrap().push((now, email, status));
            }
        }));
    }
    let set = |p: u8| phase.store(p, std::sync::atomic::Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    postgres.stop();
    set(1);
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 503, "the database is down");
    let refused = client
        .post(format!("{base}/c/release-cai-guangye/sign"))
        .form(&[("name", "Down"), ("email", "down@example.org"), ("country", "HK"), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "5", "the signer is told when to try again");
    postgres.start_again();
    set(2);
    // It recovers by itself: no restart of the server.
    wait_up(&base).await;
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    set(3);
    for w in workers {
        w.await.unwrap();
    }

    let answers = answers.lock().unwrap().clone();
    let in_phase = |p: u8, status: u16| answers.iter().filter(|(q, _, s)| *q == p && *s == status).count();
    eprintln!(
        "before: {} acknowledged; database down: {} answered 503, {} acknowledged; back: {} acknowledged",
        in_phase(0, 303),
        in_phase(1, 503),
        in_phase(1, 303),
        in_phase(2, 303)
    );
    assert!(in_phase(0, 303) > 20, "signing before the restart: {answers:?}");
    assert!(in_phase(1, 503) > 0, "503 while the database was down");
    assert!(in_phase(2, 303) > 20, "signing again after it came back");
    let odd: Vec<_> = answers.iter().filter(|(_, _, s)| *s != 303 && *s != 503).collect();
    assert!(odd.is_empty(), "only 303 or 503, never another answer: {odd:?}");
    let acknowledged: Vec<String> =
        answers.iter().filter(|(_, _, s)| *s == 303).map(|(_, email, _)| email.clone()).collect();
    let missing = missing(&*store, &campaign, dir.path(), &acknowledged).await;
    assert!(
        missing.is_empty(),
        "{} acknowledged signatures lost, such as {:?}",
        missing.len(),
        missing.first()
    );
    assert_eq!(public_count(&client, &base).await, recount(&*store, &campaign).await);
    server.kill().unwrap();
    server.wait().unwrap();
}
