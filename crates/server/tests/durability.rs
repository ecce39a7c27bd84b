//! Durability under load, on both backends: signatures are posted concurrently, the server is
//! killed with SIGKILL mid-run, restarted, and every signature whose POST got its 303 is there,
//! exactly once.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use undersigned_core::keys::Keys;
use undersigned_core::{Email, Slug};
use undersigned_store_tests::{TestDb, on_both_backends};

fn start(db: &TestDb, data_dir: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--sign-rate-limit", "0"])
        .env("UNDERSIGNED_DATABASE", &db.url)
        .env("UNDERSIGNED_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_up(base: &str) {
    for _ in 0..200 {
        if reqwest::get(format!("{base}/healthz")).await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not come up");
}

async fn every_acknowledged_signature_survives_a_kill(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(db, dir.path(), port);
    wait_up(&base).await;

    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page =
        client.get(format!("{base}/c/release-cai-guangye")).send().await.unwrap().text().await.unwrap();
    let marker = "name=\"csrf\" value=\"";
    let start_at = page.find(marker).unwrap() + marker.len();
    let csrf = page[start_at..start_at + page[start_at..].find('"').unwrap()].to_owned();

    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let mut workers = Vec::new();
    for worker in 0..16 {
        let (client, base, csrf, acknowledged) =
            (client.clone(), base.clone(), csrf.clone(), acknowledged.clone());
        workers.push(tokio::spawn(async move {
            for i in 0.. {
                let email = format!("w{worker}-{i}@example.org");
                let fields = [
                    ("name", "Durable"),
                    ("email", email.as_str()),
                    ("country", "HK"),
                    ("csrf", csrf.as_str()),
                ];
                match client.post(format!("{base}/c/release-cai-guangye/sign")).form(&fields).send().await {
                    Ok(r) if r.status().as_u16() == 303 => acknowledged.lock().unwrap().push(email),
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
    let store = db.store().await;
    let campaign =
        store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
    let secret: [u8; 32] =
        hex::decode(std::fs::read_to_string(dir.path().join("secret.key")).unwrap().trim())
            .unwrap()
            .try_into()
            .unwrap();
    let keys = Keys::new(secret);
    let mut missing = Vec::new();
    for email in &acknowledged {
        let key = keys.email_key(campaign.id, &Email::parse("email", email).unwrap().canonical());
        if store.signature_by_key(&key).await.unwrap().is_none() {
            missing.push(email.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "{} acknowledged signatures lost, such as {:?}",
        missing.len(),
        missing.first()
    );
    again.kill().unwrap();
    again.wait().unwrap();
}

on_both_backends!(every_acknowledged_signature_survives_a_kill);
