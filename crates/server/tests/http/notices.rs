//! What organisers hear of (issue 15), on both backends: each chooses the language of their mail
//! and, per kind of notice, a mail at once, a daily digest or nothing. An endorsement waiting for
//! approval reaches an owner at once in the language they chose; two reported comments reach them
//! in one digest; a moderator who chose nothing hears of comments at once; one who turned them
//! off hears nothing.

use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_smtp_sink::{ReceivedMail, SmtpSink};
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, TestApp};

const DEMO: &str = "/c/release-cai-guangye";
const COMMENTS: &str = "/c/release-cai-guangye/comments";

/// The mails to `to` whose subject has `words`, waited for up to 20 s until there are `n`.
async fn mails(sink: &SmtpSink, to: &str, words: &str, n: usize) -> Vec<ReceivedMail> {
    for _ in 0..40 {
        let found: Vec<ReceivedMail> = sink
            .all()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t == to) && m.subject().contains(words))
            .collect();
        if found.len() >= n {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    panic!(
        "not {n} mails to {to} saying {words:?}: {:?}",
        sink.all().iter().map(|m| m.subject()).collect::<Vec<_>>()
    );
}

/// A comment, confirmed from its mail (the `nth` to its writer); its id.
async fn comment(app: &TestApp, sink: &SmtpSink, body: &str, nth: usize) -> String {
    app.submit(COMMENTS, COMMENTS, &[("name", "Dock Worker"), ("email", "dock@example.org"), ("body", body)])
        .await;
    let mails = sink.wait_for("dock@example.org", nth).await;
    let path = app.path_of(&mails[nth - 1].link(&format!("{}/k/confirm/", app.base)).unwrap());
    let page = app.get(&path).await;
    app.post(&path, &[("csrf", &page.csrf())]).await;
    let public = app.get(COMMENTS).await.body;
    let at = public.find(body).expect("the comment is shown");
    let start = public[..at].rfind("id=\"comment-").unwrap() + "id=\"comment-".len();
    public[start..start + public[start..].find('"').unwrap()].to_owned()
}

async fn choose(browser: &Browser, fields: &[(&str, &str)]) {
    let saved = browser.submit("/organise/account", "/organise/account", fields).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
}

async fn organisers_hear_what_waits_as_they_chose(db: &TestDb) {
    let sink = SmtpSink::start();
    let options = Options {
        smtp_url: Some(sink.url()),
        mail_retry_seconds: Some(1),
        // A digest as soon as its first notice is 2 s old (a day on a real site).
        digest_seconds: Some(2),
        ..Default::default()
    };
    let app = TestApp::spawn_with(db, options).await;
    let owner = app.organiser(db, "owner@example.org", Role::Owner).await;
    let bad = owner
        .submit("/organise/account", "/organise/account", &[("lang", "xx"), ("notice-comment", "often")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.field_error("lang").is_some() && bad.field_error("notice-comment").is_some());
    let page = owner.get("/organise/account").await;
    assert!(!page.body.contains("notice-proposal"), "proposals are the admins'");
    choose(&owner, &[("lang", "zh-Hant"), ("notice-endorsement", "now"), ("notice-comment", "digest")]).await;
    let moderator = app.organiser(db, "mod@example.org", Role::Moderator).await;
    let quiet = app.organiser(db, "quiet@example.org", Role::Moderator).await;
    choose(&quiet, &[("notice-comment", "off"), ("notice-endorsement", "off")]).await;
    let _ = moderator;

    // An endorsement confirmed by its contact waits for approval: at once, in Chinese.
    let fields = [
        ("organisation", "Hong Kong Dockers Union"),
        ("org_type", "trade-union"),
        ("country", "HK"),
        ("contact_name", "Contact"),
        ("contact_email", "union@example.org"),
    ];
    app.submit(&format!("{DEMO}/endorse"), &format!("{DEMO}/endorse"), &fields).await;
    let mail = sink.one_for("union@example.org").await;
    let path = app.path_of(&mail.link(&format!("{}/e/confirm/", app.base)).unwrap());
    let page = app.get(&path).await;
    app.post(&path, &[("csrf", &page.csrf())]).await;
    let told = &mails(&sink, "owner@example.org", "Hong Kong Dockers Union", 1).await[0];
    assert!(told.subject().contains("正在等待批准"), "in the language chosen: {}", told.subject());
    assert!(told.text().contains("/organise/c/release-cai-guangye/moderation"));

    // Two comments reported: the moderator who chose nothing hears of each at once; the owner
    // gets both in one digest; the one who turned them off, nothing.
    let first = comment(&app, &sink, "First comment", 1).await;
    let second = comment(&app, &sink, "Second comment", 2).await;
    let reader = app.new_browser();
    for id in [&first, &second] {
        let csrf = reader.get(COMMENTS).await.csrf();
        reader.post(&format!("{COMMENTS}/{id}/report"), &[("csrf", &csrf)]).await;
    }
    mails(&sink, "mod@example.org", "was reported", 2).await;
    let digest = &mails(&sink, "owner@example.org", "件事", 1).await[0];
    assert!(digest.subject().contains('2'), "{}", digest.subject());
    assert!(
        digest.text().contains("Dock Worker") && digest.text().matches("被舉報").count() == 2,
        "{}",
        digest.text()
    );
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    assert!(sink.all().iter().all(|m| !m.to.iter().any(|t| t == "quiet@example.org")), "off is off");
    assert_eq!(mails(&sink, "owner@example.org", "件事", 1).await.len(), 1, "one digest");
    app.stop().await;
}

on_both_backends!(organisers_hear_what_waits_as_they_chose);
