//! The data key, end to end on both backends: a dump of the database made with the databases' own
//! tools, after signers signed, endorsed and commented through the real server and confirmed
//! through the real mail, holds none of their addresses and none of the IP hashes the moderation
//! page shows (nor those a trending alert names or a block list holds); mail still reaches them, duplicates are still refused, their links still work. And
//! the real binary refuses to start without the database's key, naming the file it looked for.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_core::data_key::DataKey;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{Backend, TestDb, on_both_backends};

use crate::support::{Page, TestApp};

const DEMO: &str = "/c/release-cai-guangye";
const SIGN: &str = "/c/release-cai-guangye/sign";
const COMMENTS: &str = "/c/release-cai-guangye/comments";
const MANAGE: &str = "/c/release-cai-guangye/manage";
const ORG: &str = "/organise/c/release-cai-guangye";

const SIGNERS: [&str; 6] = [
    "chan.tai.man@signers.example",
    "wong@signers.example",
    "lee.ka.yan@dockers.example",
    "ho@signers.example",
    "cheung@signers.example",
    "lam@signers.example",
];
const ENDORSER: &str = "office@seamen.example";
const COMMENTER: &str = "reader@readers.example";
/// An IP hash an organiser puts on the block list.
const BLOCKED_IP_HASH: &str = "9f86d081884c7d659a2feaa0c55ad015";

/// The database as its own tools dump it: `sqlite3 FILE .dump`, `pg_dump URL`.
pub fn dump(db: &TestDb) -> String {
    let out = match db.backend() {
        Backend::Sqlite => {
            Command::new("sqlite3").arg(db.url.trim_start_matches("sqlite://")).arg(".dump").output()
        }
        Backend::Postgres => Command::new("pg_dump").arg(&db.url).output(),
    }
    .expect("the database's dump tool runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Opens the link starting `prefix` in the `nth` mail to `to` and presses its button.
pub async fn follow(app: &TestApp, sink: &SmtpSink, to: &str, nth: usize, prefix: &str) -> Page {
    let mails = sink.wait_for(to, nth).await;
    let mail = mails.get(nth - 1).unwrap_or_else(|| panic!("{} mails to {to}, not {nth}", mails.len()));
    let link = mail.link(&format!("{}{prefix}", app.base)).unwrap_or_else(|| panic!("no {prefix} link"));
    let path = app.path_of(&link);
    let page = app.get(&path).await;
    assert_eq!(page.status, 200, "{path}");
    app.post(&path, &[("csrf", &page.csrf())]).await
}

pub async fn sign(app: &TestApp, email: &str, name: &str) -> Page {
    let fields = [("name", name), ("email", email), ("country", "HK"), ("display", "full")];
    app.new_browser().submit(DEMO, SIGN, &fields).await
}

pub async fn count(app: &TestApp) -> i64 {
    let page = app.get(&format!("{DEMO}/count.json")).await;
    serde_json::from_str::<serde_json::Value>(&page.body).unwrap()["signature_count"].as_i64().unwrap()
}

pub async fn endorse(app: &TestApp, email: &str) -> Page {
    let fields = [
        ("organisation", "Seamen's Union"),
        ("org_type", "trade-union"),
        ("country", "GB"),
        ("contact_name", "Sam Lee"),
        ("contact_email", email),
    ];
    app.new_browser().submit(&format!("{DEMO}/endorse"), &format!("{DEMO}/endorse"), &fields).await
}

pub async fn comment(app: &TestApp, email: &str) -> Page {
    let fields = [("name", "A Reader"), ("email", email), ("body", "Solidarity from the harbour.")];
    app.new_browser().submit(COMMENTS, COMMENTS, &fields).await
}

async fn a_dump_of_the_database_holds_no_address_and_no_ip_hash(db: &TestDb) {
    let sink = SmtpSink::start();
    // A trending alert once one address or domain signs twice in an hour (all sign from here).
    let options = Options {
        smtp_url: Some(sink.url()),
        sign_rate_limit: Some(0),
        trending_log_per_hour: Some(2),
        defence_tally_seconds: Some(0),
        under_attack_signatures: Some(0),
        ..Default::default()
    };
    let app = TestApp::spawn_with(db, options).await;
    for (i, email) in SIGNERS.iter().enumerate() {
        assert_eq!(sign(&app, email, &format!("Signer {i}")).await.status, 303);
        assert_eq!(follow(&app, &sink, email, 1, "/s/confirm/").await.status, 303, "{email}");
    }
    assert_eq!(count(&app).await, 15 + 6);
    // A second signature from an address (written differently) is refused, and its signer hears so.
    assert_eq!(sign(&app, "Chan.Tai.Man@Signers.Example", "Again").await.status, 303);
    let mails = sink.wait_for(SIGNERS[0], 2).await;
    assert!(mails[1].subject().starts_with("You have already signed"), "{}", mails[1].subject());
    assert_eq!(count(&app).await, 15 + 6);
    assert_eq!(endorse(&app, ENDORSER).await.status, 303);
    assert_eq!(
        follow(&app, &sink, ENDORSER, 1, "/e/confirm/").await.first("h1"),
        "Thank you: the endorsement is confirmed"
    );
    assert_eq!(comment(&app, COMMENTER).await.first("h1"), "Check your email");
    assert_eq!(
        follow(&app, &sink, COMMENTER, 1, "/k/confirm/").await.first("h1"),
        "Your comment is published"
    );
    // The links in the mail still work: a manage link sent on request, the withdrawal link.
    app.new_browser().submit(MANAGE, MANAGE, &[("email", SIGNERS[1])]).await;
    let manage = sink.wait_for(SIGNERS[1], 2).await[1].link(&format!("{}/s/manage/", app.base)).unwrap();
    let page = app.get(&app.path_of(&manage)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Signer 1"), "{}", page.body);
    let withdrawn = follow(&app, &sink, SIGNERS[2], 1, "/s/withdraw/").await;
    assert_eq!(app.get(withdrawn.location()).await.first("h1"), "Your signature has been withdrawn");
    assert_eq!(count(&app).await, 15 + 5);

    // The moderation page groups the signatures from one address (all of them: 127.0.0.1).
    let owner = app.organiser(db, "owner@example.org", Role::Owner).await;
    let moderation = owner.get(&format!("{ORG}/moderation")).await;
    let at = moderation.body.find("/invalidate?ip=").expect("a flagged IP hash") + "/invalidate?ip=".len();
    let ip = moderation.body[at..at + 32].to_owned();
    assert!(moderation.body.contains(&ip[..8]), "shown short too");
    let preview = owner.get(&format!("{ORG}/invalidate?ip={ip}")).await;
    assert!(preview.body.contains("IP hash"), "{}", preview.body);
    // Invalidated by IP hash, and recorded without it.
    let invalidated =
        owner.post(&format!("{ORG}/invalidate"), &[("ip", ip.as_str()), ("csrf", &moderation.csrf())]).await;
    assert_eq!(invalidated.location(), format!("{ORG}/moderation"));
    let recorded = owner.get(invalidated.location()).await;
    assert!(recorded.body.contains(&format!("(IP hash {}…)", &ip[..4])), "{}", recorded.body);
    assert_eq!(count(&app).await, 15);
    // The trending alert names the IP hash, and the organisers' page still shows it; an IP hash
    // entered in the block list is kept, and shown again, too.
    let dashboard = owner.get(ORG).await;
    assert!(dashboard.body.contains(&ip), "the alert names the IP hash: {}", dashboard.body);
    let defence = format!("{ORG}/defence");
    let blocks = [("blocked_ip_hashes", BLOCKED_IP_HASH)];
    assert_eq!(owner.submit(&defence, &format!("{defence}/blocks"), &blocks).await.status, 303);
    assert!(owner.get(&defence).await.body.contains(BLOCKED_IP_HASH));

    let dump = dump(db);
    assert!(dump.contains("Signer 3") && dump.contains("Seamen"), "the dump holds the tables");
    let lower = dump.to_lowercase();
    for email in SIGNERS.iter().chain([&ENDORSER, &COMMENTER]) {
        assert!(!lower.contains(email), "{email} is in the dump");
    }
    assert!(!lower.contains(&ip), "the IP hash {ip} is in the dump");
    assert!(!lower.contains(&ip[..8]), "the IP hash as shown, {}, is in the dump", &ip[..8]);
    assert!(!lower.contains(BLOCKED_IP_HASH), "the blocked IP hash is in the dump");
    // Mail still reaches a signer after all of it.
    assert_eq!(sign(&app, SIGNERS[3], "Once more").await.status, 303);
    assert_eq!(sink.wait_for(SIGNERS[3], 2).await.len(), 2);
    app.stop().await;
}

/// The binary serving the database, or what it said when it would not.
enum Started {
    Serving(Child),
    Refused(String),
}

async fn start(db: &TestDb, dir: &Path, extra: &[&str]) -> Started {
    let port = crate::support::process::free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(extra)
        .env("UNDERSIGNED_DATABASE", &db.url)
        .env("UNDERSIGNED_DATA_DIR", dir)
        .env_remove("UNDERSIGNED_DATA_KEY")
        .env("RUST_LOG", "warn")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            let mut said = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut said).unwrap();
            assert!(!status.success(), "it stopped by itself: {said}");
            return Started::Refused(said);
        }
        let health = format!("http://127.0.0.1:{port}/healthz");
        if reqwest::get(&health).await.is_ok_and(|r| r.status() == 200) {
            return Started::Serving(child);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server neither came up nor stopped");
}

fn stop(mut child: Child) {
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    child.wait().unwrap();
}

fn refused(started: Started) -> String {
    match started {
        Started::Refused(said) => said,
        Started::Serving(child) => {
            stop(child);
            panic!("the server started")
        }
    }
}

async fn a_server_without_the_databases_data_key_refuses_to_start_and_says_why(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data.key");
    // First start: the key is made beside secret.key, and the database records its id.
    let Started::Serving(child) = start(db, dir.path(), &[]).await else { panic!("the first start failed") };
    stop(child);
    let text = std::fs::read_to_string(&file).unwrap();
    let secret: [u8; 32] = hex::decode(text.trim()).unwrap().try_into().unwrap();
    let id = DataKey::new(secret).id().to_owned();

    // Lost: the error names the key the database needs and the file it looked for.
    let kept = dir.path().join("elsewhere");
    std::fs::create_dir(&kept).unwrap();
    std::fs::rename(&file, kept.join("data.key")).unwrap();
    let said = refused(start(db, dir.path(), &[]).await);
    let expected = format!(
        "the database's addresses are sealed with data key {id}; {} is missing: restore it from where you keep it",
        file.display()
    );
    assert!(said.contains(&expected), "expected {expected} in:\n{said}");
    assert!(!file.exists(), "no new key is made for a database that has one");

    // Another key: refused too, by name.
    std::fs::write(&file, "11".repeat(32)).unwrap();
    let other = DataKey::new([0x11; 32]).id().to_owned();
    let said = refused(start(db, dir.path(), &[]).await);
    assert!(said.contains(&format!("holds data key {other}, another")) && said.contains(&id), "{said}");
    std::fs::remove_file(&file).unwrap();

    // Kept on another volume and named: it starts.
    let elsewhere = kept.join("data.key");
    let started = start(db, dir.path(), &["--data-key-file", elsewhere.to_str().unwrap()]).await;
    let Started::Serving(child) = started else { panic!("it did not start with its key named") };
    stop(child);
}

on_both_backends!(
    a_dump_of_the_database_holds_no_address_and_no_ip_hash,
    a_server_without_the_databases_data_key_refuses_to_start_and_says_why,
);
