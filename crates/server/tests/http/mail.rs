//! The outbox against real SMTP servers that misbehave, on both backends: one that accepts the
//! connection and says nothing, one that refuses everything for a while (as after a password
//! change), one that refuses a recipient; what each mail says of itself; what file mode logs.

use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::Duration;

use undersigned::cli::MailCommand;
use undersigned::config::Options;
use undersigned_core::store::MailKind;
use undersigned_smtp_sink::{ReceivedMail, SmtpSink};
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{self, TestApp};

const DEMO: &str = "/c/release-cai-guangye";
const PASSWORD: &str = "a long enough password";

async fn sign(app: &TestApp, email: &str) -> u16 {
    let fields = [("name", "Chan Tai Man"), ("email", email), ("country", "HK"), ("display", "full")];
    app.submit(DEMO, &format!("{DEMO}/sign"), &fields).await.status
}

/// Mail retried soon, sends cut short after 2 s.
fn quick(smtp_url: String) -> Options {
    Options {
        smtp_url: Some(smtp_url),
        smtp_timeout_seconds: Some(2),
        mail_lease_seconds: Some(10),
        mail_retry_seconds: Some(1),
        ..Default::default()
    }
}

/// Waits up to 30 s for a mail to `to`.
async fn arrives(sink: &SmtpSink, to: &str) -> ReceivedMail {
    for _ in 0..2 {
        if let Some(mail) = sink.wait_for(to, 1).await.into_iter().next() {
            return mail;
        }
    }
    sink.one_for(to).await
}

/// A relay that accepts the first `silent` connections and never says a word on them; later ones
/// are passed through to `to`.
async fn silent_then(to: SocketAddr, silent: usize) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((mut socket, _)) = listener.accept().await {
            if held.len() < silent {
                held.push(socket);
                continue;
            }
            tokio::spawn(async move {
                if let Ok(mut upstream) = tokio::net::TcpStream::connect(to).await {
                    let _ = tokio::io::copy_bidirectional(&mut socket, &mut upstream).await;
                }
            });
        }
    });
    addr
}

async fn a_silent_relay_times_out_and_its_mail_is_tried_again(db: &TestDb) {
    let sink = SmtpSink::start();
    let relay = silent_then(sink.addr, 1).await;
    let app = TestApp::spawn_with(db, quick(format!("smtp://{relay}"))).await;
    assert_eq!(sign(&app, "stalled@example.org").await, 303);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sign(&app, "next@example.org").await, 303);
    // Other mail goes out meanwhile, and the stalled one after its timeout.
    arrives(&sink, "next@example.org").await;
    arrives(&sink, "stalled@example.org").await;
    let order: Vec<String> = sink.all().iter().map(|m| m.to.join(",")).collect();
    assert_eq!(order, ["next@example.org", "stalled@example.org"]);
    assert!(db.store().await.failed_mail(10).await.unwrap().is_empty());
    app.stop().await;
}

async fn a_relay_refusing_everything_is_tried_again_until_it_accepts(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, quick(sink.url())).await;
    sink.refuse_all(true);
    assert_eq!(sign(&app, "patient@example.org").await, 303);
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(sink.all().is_empty());
    let store = db.store().await;
    assert!(store.failed_mail(10).await.unwrap().is_empty(), "a relay-wide refusal gives no mail up");
    sink.refuse_all(false);
    arrives(&sink, "patient@example.org").await;
    app.stop().await;
}

async fn a_refused_recipient_is_given_up_kept_without_its_address_and_sent_again(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, quick(sink.url())).await;
    for bounce in ["bounce1@example.org", "bounce2@example.org"] {
        sink.refuse_recipient(bounce, true);
        assert_eq!(sign(&app, bounce).await, 303);
    }
    assert_eq!(sign(&app, "fine@example.org").await, 303);
    arrives(&sink, "fine@example.org").await;
    let store = db.store().await;
    let mut failed = Vec::new();
    for _ in 0..100 {
        failed = store.failed_mail(10).await.unwrap();
        if failed.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(failed.len(), 2, "given up at once");
    assert_eq!(failed[0].kind, MailKind::ConfirmSignature);
    assert_eq!(
        failed[0].error.as_deref(),
        Some("550 permanent, recipient"),
        "the code and class, not the text"
    );
    assert_eq!(failed[0].campaign.as_deref(), Some("release-cai-guangye"));
    let listed = undersigned::commands::mail::run(store.as_ref(), MailCommand::Failed).await.unwrap();
    assert!(listed.contains("confirm-signature") && listed.contains("550 permanent, recipient"), "{listed}");
    assert!(!listed.contains("bounce"), "{listed}");

    // An admin sees them, without their addresses, and sends one again.
    undersigned::add_user(store.as_ref(), "admin@example.org", None, true, PASSWORD).await.unwrap();
    let admin = app.new_browser();
    admin.submit("/login", "/login", &[("email", "admin@example.org"), ("password", PASSWORD)]).await;
    assert!(admin.get("/organise").await.body.contains("<a href=\"/organise/mail\">Mail given up</a>"));
    let page = admin.get("/organise/mail").await;
    assert_eq!(page.first("h1"), "Mail given up");
    assert_eq!(page.body.matches("550 permanent, recipient").count(), 2, "{}", page.body);
    assert!(!page.body.contains("bounce"), "{}", page.body);
    assert_eq!(app.new_browser().get("/organise/mail").await.status, 303, "to the login page");
    let id = failed[0].id.to_string();
    let forged = admin.post("/organise/mail/retry", &[("csrf", "forged"), ("id", &id)]).await;
    assert_eq!(forged.status, 403);
    for bounce in ["bounce1@example.org", "bounce2@example.org"] {
        sink.refuse_recipient(bounce, false);
    }
    let sent = admin.post("/organise/mail/retry", &[("csrf", &page.csrf()), ("id", &id)]).await;
    assert_eq!((sent.status, sent.location()), (303, "/organise/mail"));
    let left = store.failed_mail(10).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_ne!(left[0].id.to_string(), id);

    // The other from the command line.
    let said =
        undersigned::commands::mail::run(store.as_ref(), MailCommand::Retry { ids: vec![], all: true })
            .await
            .unwrap();
    assert_eq!(said, "1 mail put back in the outbox\n");
    arrives(&sink, "bounce1@example.org").await;
    arrives(&sink, "bounce2@example.org").await;
    let audit = store.audit_log(None, 10).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "mail-retry" && e.actor == "command line"));
    assert!(audit.iter().any(|e| e.action == "mail-retry" && e.actor == "admin@example.org"));
    app.stop().await;
}

async fn each_mail_says_what_is_true_for_it(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, quick(sink.url())).await;
    let signs_off = |mail: &ReceivedMail, line: &str| {
        let text = mail.text();
        assert!(text.contains(line), "{text}");
        assert!(!text.contains("the signature will not count"), "{text}");
        assert!(mail.html().contains(line), "{}", mail.html());
    };

    sign(&app, "twice@example.org").await;
    let first = arrives(&sink, "twice@example.org").await;
    assert!(first.text().contains("the signature will not count"));
    let path = app.path_of(&first.link(&format!("{}/s/confirm/", app.base)).unwrap());
    let page = app.get(&path).await;
    assert_eq!(app.post(&path, &[("csrf", &page.csrf())]).await.status, 303);
    sign(&app, "twice@example.org").await;
    let again = sink.wait_for("twice@example.org", 2).await;
    assert!(again[1].subject().starts_with("You have already signed"), "{}", again[1].subject());
    signs_off(
        &again[1],
        "If you did not ask to sign again, you need do nothing: your signature stays as it was and still counts.",
    );

    let endorse = format!("{DEMO}/endorse");
    let fields = [
        ("organisation", "Dockers’ Union"),
        ("org_type", "trade-union"),
        ("country", "GB"),
        ("contact_name", "Sam Lee"),
        ("contact_email", "office@dockers.example.org"),
    ];
    assert_eq!(app.submit(&endorse, &endorse, &fields).await.status, 303);
    let mail = arrives(&sink, "office@dockers.example.org").await;
    signs_off(&mail, "If this was not you, ignore this message: the endorsement will not be listed.");

    let comments = format!("{DEMO}/comments");
    let fields = [("name", "Dock Worker"), ("email", "dock@example.org"), ("body", "Solidarity.")];
    assert_eq!(app.submit(&comments, &comments, &fields).await.first("h1"), "Check your email");
    let mail = arrives(&sink, "dock@example.org").await;
    signs_off(&mail, "If this was not you, ignore this message: the comment will not be published.");
    app.stop().await;
}

/// Without an SMTP server, each mail is a file and its log line gives the link it holds: the
/// "already signed" mail holds no confirmation link, and none is logged for it.
async fn file_mail_logs_the_link_each_mail_holds(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let log = std::fs::File::create(dir.path().join("log")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--page-cache-ms", "0"])
        .env("UNDERSIGNED_DATABASE", &db.url)
        .env("UNDERSIGNED_DATA_KEY", undersigned_store_tests::TEST_DATA_KEY)
        .env("UNDERSIGNED_DATA_DIR", dir.path())
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let browser = support::Browser::new(&format!("http://127.0.0.1:{port}"));
    let healthz = format!("{}/healthz", browser.base);
    for attempt in 0.. {
        if browser.client.get(&healthz).send().await.is_ok_and(|r| r.status() == 200) {
            break;
        }
        assert!(attempt < 600, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let fields = [("name", "Chan Tai Man"), ("email", "files@example.org"), ("country", "HK")];
    let sign_path = format!("{DEMO}/sign");
    let log = dir.path().join("log");
    assert_eq!(browser.submit(DEMO, &sign_path, &fields).await.status, 303);
    let first = logged(&log, 1).await;
    let confirm = first[0].split("link=").nth(1).expect("the confirmation link").trim().trim_matches('"');
    assert!(confirm.contains("/s/confirm/"), "{}", first[0]);
    let path = browser.path_of(confirm);
    let page = browser.get(&path).await;
    assert_eq!(browser.post(&path, &[("csrf", &page.csrf())]).await.status, 303);
    assert_eq!(browser.submit(DEMO, &sign_path, &fields).await.status, 303);
    let lines = logged(&log, 2).await;
    let file = lines[1].split("path=").nth(1).unwrap().split_whitespace().next().unwrap();
    let written = std::fs::read_to_string(file).unwrap();
    assert!(written.contains("Subject: You have already signed"), "{written}");
    assert!(!lines[1].contains("link="), "{}", lines[1]);
    server.kill().unwrap();
    server.wait().unwrap();
}

on_both_backends!(
    a_silent_relay_times_out_and_its_mail_is_tried_again,
    a_relay_refusing_everything_is_tried_again_until_it_accepts,
    a_refused_recipient_is_given_up_kept_without_its_address_and_sent_again,
    each_mail_says_what_is_true_for_it,
    file_mail_logs_the_link_each_mail_holds,
);

/// The log's lines about mail written to files, once there are `count`.
async fn logged(log: &std::path::Path, count: usize) -> Vec<String> {
    for _ in 0..200 {
        let text = plain(&std::fs::read_to_string(log).unwrap());
        let lines: Vec<String> =
            text.lines().filter(|l| l.contains("written to a file")).map(str::to_owned).collect();
        if lines.len() >= count {
            return lines;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{count} mails were not written")
}

/// The text without its colours.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            chars.by_ref().find(|c| c.is_ascii_alphabetic());
        } else {
            out.push(c);
        }
    }
    out
}
