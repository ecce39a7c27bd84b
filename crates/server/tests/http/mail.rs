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

/// Signs in the Chinese version, with a Chinese name: the mail holds text that is not ASCII.
async fn sign_in_chinese(app: &TestApp, email: &str) -> u16 {
    app.get(&format!("{DEMO}?lang=zh-Hant")).await;
    let fields = [("name", "黃小明"), ("email", email), ("country", "HK"), ("display", "full")];
    let status = app.submit(DEMO, &format!("{DEMO}/sign"), &fields).await.status;
    app.get(&format!("{DEMO}?lang=en")).await;
    status
}

/// A relay in front of `to` that hides the 8BITMIME extension from its greeting (it says
/// `X-8-BITS` instead): a relay that takes 7-bit text only. With `first_as_is`, the first
/// connection is passed through untouched and closed once it has delivered one message, as when
/// a relay is replaced behind its name.
async fn seven_bit_relay(to: SocketAddr, first_as_is: bool) -> SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut connections = 0;
        while let Ok((client, _)) = listener.accept().await {
            connections += 1;
            let as_is = first_as_is && connections == 1;
            let Ok(upstream) = tokio::net::TcpStream::connect(to).await else { continue };
            let (mut client_read, mut client_write) = client.into_split();
            let (mut upstream_read, mut upstream_write) = upstream.into_split();
            let ahead =
                tokio::spawn(async move { tokio::io::copy(&mut client_read, &mut upstream_write).await });
            tokio::spawn(async move {
                let mut buf = vec![0; 64 * 1024];
                let mut after_data = false;
                while let Ok(n) = upstream_read.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    let mut reply = String::from_utf8_lossy(&buf[..n]).into_owned();
                    if !as_is {
                        reply = reply.replace("8BITMIME", "X-8-BITS");
                    }
                    if client_write.write_all(reply.as_bytes()).await.is_err() {
                        break;
                    }
                    // The reply after "354 go ahead" accepts the message: this connection ends.
                    if as_is && after_data && reply.starts_with("250") {
                        ahead.abort();
                        break;
                    }
                    after_data |= reply.starts_with("354");
                }
            });
        }
    });
    addr
}

/// With a relay that takes 8-bit text (RFC 6152), a mail's UTF-8 text goes as it is: not
/// quoted-printable, which tripled each Chinese character and was most of the mail worker's work.
async fn mail_goes_as_8bit_text_to_a_relay_that_takes_it(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, quick(sink.url())).await;
    // The first mail opens a connection: the relay's greeting says what it takes.
    assert_eq!(sign(&app, "first@example.org").await, 303);
    arrives(&sink, "first@example.org").await;
    assert_eq!(sign_in_chinese(&app, "wong@example.org").await, 303);
    let mail = arrives(&sink, "wong@example.org").await;
    assert!(mail.declared_8bit, "MAIL FROM says BODY=8BITMIME");
    let raw = String::from_utf8(mail.raw.clone()).expect("UTF-8 as it is");
    assert!(raw.contains("Content-Transfer-Encoding: 8bit"), "{raw}");
    assert!(!raw.contains("quoted-printable"), "{raw}");
    assert!(raw.contains("黃小明"), "the name as it was typed, in the message as sent: {raw}");
    assert!(!raw.lines().any(|line| line.len() > 998), "no line longer than RFC 5322 allows");
    assert!(raw.split('\n').all(|line| line.ends_with('\r') || line.is_empty()), "CRLF line ends");
    // What a mail client shows: the same words and a link that works.
    assert!(mail.text().contains("黃小明"), "{}", mail.text());
    assert!(mail.html().contains("黃小明"), "{}", mail.html());
    let link = mail.link(&format!("{}/s/confirm/", app.base)).expect("a confirmation link");
    let page = app.get(&app.path_of(&link)).await;
    assert_eq!(page.status, 200);
    app.stop().await;
}

/// A relay that does not offer 8BITMIME gets 7-bit mail (quoted-printable), and so does a relay
/// that stopped offering it after the worker learnt that it did: a mail written in 8 bits for it
/// is not sent on a connection that does not take them, but written again and sent.
async fn a_relay_without_8bitmime_gets_7bit_mail_even_when_it_changed(db: &TestDb) {
    let sink = SmtpSink::start();
    let seven = seven_bit_relay(sink.addr, false).await;
    let app = TestApp::spawn_with(db, quick(format!("smtp://{seven}"))).await;
    for (n, email) in ["first@example.org", "wong@example.org"].into_iter().enumerate() {
        let signed = if n == 0 { sign(&app, email).await } else { sign_in_chinese(&app, email).await };
        assert_eq!(signed, 303);
        let mail = arrives(&sink, email).await;
        assert!(!mail.declared_8bit);
        assert!(mail.raw.is_ascii(), "{}", String::from_utf8_lossy(&mail.raw));
    }
    assert!(sink.one_for("wong@example.org").await.text().contains("黃小明"));
    app.stop().await;

    // The relay's first connection offers 8BITMIME, and is closed after one message; the next
    // ones do not offer it.
    let sink = SmtpSink::start();
    let changing = seven_bit_relay(sink.addr, true).await;
    let app = TestApp::spawn_with(db, quick(format!("smtp://{changing}"))).await;
    assert_eq!(sign(&app, "first-again@example.org").await, 303);
    arrives(&sink, "first-again@example.org").await;
    assert_eq!(sign_in_chinese(&app, "wong-again@example.org").await, 303);
    let mail = arrives(&sink, "wong-again@example.org").await;
    assert!(!mail.declared_8bit);
    assert!(mail.raw.is_ascii(), "{}", String::from_utf8_lossy(&mail.raw));
    assert!(mail.text().contains("黃小明"), "{}", mail.text());
    assert!(db.store().await.failed_mail(10).await.unwrap().is_empty(), "nothing given up");
    app.stop().await;
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

/// While the relay refuses everything, it is asked with one mail at a time, not with every mail
/// queued: with a crowd signing meanwhile, the worker no longer claims, writes and fails each
/// of them in turn (a core kept busy for minutes by the benchmark when its relay went away,
/// during which the server could not stop). Every mail goes out once the relay accepts again.
async fn a_relay_that_refuses_everything_is_asked_with_one_mail_at_a_time(db: &TestDb) {
    let sink = SmtpSink::start();
    // A crowd from one address: no limit on signing.
    let app = TestApp::spawn_with(db, Options { sign_rate_limit: Some(0), ..quick(sink.url()) }).await;
    sink.refuse_all(true);
    let crowd: Vec<String> = (0..100).map(|i| format!("crowd{i}@example.org")).collect();
    for email in &crowd {
        assert_eq!(sign(&app, email).await, 303);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let tried = db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM outbox WHERE attempts > 0").await;
    let tried: usize = tried[0].parse().unwrap();
    assert!(
        (1..=40).contains(&tried),
        "{tried} of the 100 mails were tried while the relay refused everything"
    );
    sink.refuse_all(false);
    for email in &crowd {
        sink.one_for(email).await;
    }
    assert!(db.store().await.failed_mail(10).await.unwrap().is_empty());
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
    let port = crate::support::process::free_port();
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
    support::process::wait_up(&browser.base).await;
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
    mail_goes_as_8bit_text_to_a_relay_that_takes_it,
    a_relay_without_8bitmime_gets_7bit_mail_even_when_it_changed,
    a_silent_relay_times_out_and_its_mail_is_tried_again,
    a_relay_refusing_everything_is_tried_again_until_it_accepts,
    a_relay_that_refuses_everything_is_asked_with_one_mail_at_a_time,
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
