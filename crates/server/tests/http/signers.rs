//! What signers and commenters choose stays theirs (issue 11), on both backends, over HTTP with
//! mail received by a real SMTP server: a later signature from a pending address is what its link
//! confirms, and only as shown; each comment is confirmed by its own link; mails to one address are
//! limited without the answer saying so; the forms that must not tell whether an address is known
//! answer in the same time either way.

use std::time::Duration;

use undersigned::config::Options;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Page, TestApp, strip_tags};

const DEMO: &str = "/c/release-cai-guangye";
const SIGN: &str = "/c/release-cai-guangye/sign";
const COMMENTS: &str = "/c/release-cai-guangye/comments";
const MANAGE: &str = "/c/release-cai-guangye/manage";

async fn app_with_mail(db: &TestDb, options: Options) -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..options }).await;
    (app, sink)
}

async fn count(app: &TestApp) -> i64 {
    let page = app.get(&format!("{DEMO}/count.json")).await;
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    json["signature_count"].as_i64().unwrap()
}

/// The text of the page's `<main>`: what a reader sees, without the CSRF token.
fn main_text(page: &Page) -> String {
    let start = page.body.find("<main").unwrap_or(0);
    let end = page.body.find("</main>").unwrap_or(page.body.len());
    strip_tags(&page.body[start..end])
}

/// The `nth` mail to `to` (from 1), waiting for it.
async fn nth_mail(sink: &SmtpSink, to: &str, nth: usize) -> undersigned_smtp_sink::ReceivedMail {
    let mails = sink.wait_for(to, nth).await;
    mails.get(nth - 1).cloned().unwrap_or_else(|| panic!("{} mails to {to}, not {nth}", mails.len()))
}

async fn a_pending_signature_confirms_the_latest_submission_as_shown(db: &TestDb) {
    let (app, sink) = app_with_mail(db, Options::default()).await;
    let before = count(&app).await;
    let victim = "activist@example.org";
    // Someone who knows the activist's address signs first, showing a name and words of theirs.
    let attacker = app.new_browser();
    let fields = [
        ("name", "Mallory Planted"),
        ("email", victim),
        ("country", "HK"),
        ("display", "full"),
        ("comment", "Words the activist never wrote"),
        ("opt_in", "yes"),
    ];
    assert_eq!(attacker.submit(DEMO, SIGN, &fields).await.status, 303);
    // The activist signs later, choosing not to be listed.
    let fields = [("name", "Real Activist"), ("email", victim), ("country", "TW"), ("display", "hidden")];
    assert_eq!(app.submit(DEMO, SIGN, &fields).await.status, 303);

    // The first mail's link (the attacker's submission) shows the latest choices, and a press with
    // what the attacker's page showed confirms nothing.
    let first =
        app.path_of(&nth_mail(&sink, victim, 1).await.link(&format!("{}/s/confirm/", app.base)).unwrap());
    let page = attacker.get(&first).await;
    assert!(!page.body.contains("Mallory"), "{}", page.body);
    let stale = attacker.post(&first, &[("csrf", &page.csrf()), ("revision", "0")]).await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(main_text(&stale).contains("Someone signed again with this address"), "{}", stale.body);
    assert_eq!(count(&app).await, before, "nothing confirmed");

    // The activist's own mail: the page shows exactly what will be published, then confirms it.
    let latest =
        app.path_of(&nth_mail(&sink, victim, 2).await.link(&format!("{}/s/confirm/", app.base)).unwrap());
    let page = app.get(&latest).await;
    let shown = main_text(&page);
    assert!(shown.contains("Not listed: your signature is only counted."), "{shown}");
    assert!(page.body.contains("News of this campaign by email</dt><dd>No</dd>"), "{}", page.body);
    assert!(!shown.contains("Mallory") && !shown.contains("never wrote"), "{shown}");
    let revision = page.hidden("revision").expect("the revision shown");
    let done = app.post(&latest, &[("csrf", &page.csrf()), ("revision", &revision)]).await;
    // The thanks page names the signature's entry in the signature log (`?leaf=…`).
    assert_eq!(done.status, 303);
    assert!(done.location().starts_with("/c/release-cai-guangye/thanks"), "{}", done.location());
    assert_eq!(count(&app).await, before + 1);
    let list = app.get(&format!("{DEMO}/signatures")).await;
    assert!(!list.body.contains("Mallory") && !list.body.contains("never wrote"), "{}", list.body);
    // What the activist chose is what is kept: counted in Taiwan, no news.
    let by_country = app.get(&format!("{DEMO}/signatures")).await;
    assert!(!by_country.body.contains("Mallory"));
    app.stop().await;
}

/// Posts a comment as `email` from a fresh browser; the answer.
async fn post_comment(app: &TestApp, email: &str, body: &str) -> Page {
    let fields = [("name", "Real Activist"), ("email", email), ("body", body)];
    app.new_browser().submit(COMMENTS, COMMENTS, &fields).await
}

/// Opens the comment link of the `nth` mail to `to`: the page, and the path to press.
async fn comment_link(app: &TestApp, sink: &SmtpSink, to: &str, nth: usize) -> (Page, String) {
    let mail = nth_mail(sink, to, nth).await;
    let path = app.path_of(&mail.link(&format!("{}/k/confirm/", app.base)).unwrap());
    (app.get(&path).await, path)
}

async fn each_comment_is_confirmed_by_its_own_link(db: &TestDb) {
    let (app, sink) = app_with_mail(db, Options::default()).await;
    let victim = "activist@example.org";
    let fresh = post_comment(&app, "someone-new@example.org", "A first comment.").await;
    // A comment planted under the activist's address, then the activist's own.
    let planted = post_comment(&app, victim, "Planted words").await;
    assert_eq!(main_text(&planted), main_text(&fresh), "the same answer for every address");
    post_comment(&app, victim, "My own words").await;
    let (page, own) = comment_link(&app, &sink, victim, 2).await;
    assert!(main_text(&page).contains("My own words"), "the page shows the comment it confirms");
    let done = app.post(&own, &[("csrf", &page.csrf())]).await;
    assert_eq!(done.first("h1"), "Your comment is published");
    let public = app.new_browser().get(COMMENTS).await;
    assert!(public.body.contains("My own words"));
    assert!(!public.body.contains("Planted words"), "confirming one comment publishes no other");

    // The address confirmed once: still no credential, and the answer does not say it confirmed.
    let again = post_comment(&app, victim, "More planted words").await;
    assert_eq!((again.status, main_text(&again)), (fresh.status, main_text(&fresh)));
    assert!(!app.new_browser().get(COMMENTS).await.body.contains("More planted words"));
    let (page, _) = comment_link(&app, &sink, victim, 1).await;
    assert!(main_text(&page).contains("Planted words"), "a planted comment shows what it is");
    app.stop().await;
}

async fn mails_to_one_address_are_limited_and_the_answer_does_not_say_so(db: &TestDb) {
    let options = Options { mails_per_address: Some(2), ..Default::default() };
    let (app, sink) = app_with_mail(db, options).await;
    let target = "target@example.org";
    // Comments, endorsements, manage links and password resets, three times each.
    let first = post_comment(&app, target, "One.").await;
    for body in ["Two.", "Three."] {
        assert_eq!(main_text(&post_comment(&app, target, body).await), main_text(&first));
    }
    let endorsement = [
        ("organisation", "Dockers' Union"),
        ("org_type", "trade-union"),
        ("country", "HK"),
        ("contact_name", "Greeting text of the attacker's"),
        ("contact_email", target),
    ];
    let endorse = format!("{DEMO}/endorse");
    for _ in 0..3 {
        assert_eq!(app.new_browser().submit(&endorse, &endorse, &endorsement).await.status, 303);
    }
    let fields = [("name", "Target Person"), ("email", target), ("country", "HK")];
    assert_eq!(app.submit(DEMO, SIGN, &fields).await.status, 303);
    let mut answers = Vec::new();
    for _ in 0..3 {
        answers.push(main_text(&app.new_browser().submit(MANAGE, MANAGE, &[("email", target)]).await));
    }
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    let store = db.store().await;
    undersigned::add_user(store.as_ref(), target, None, false, "a long enough password").await.unwrap();
    for _ in 0..3 {
        let forgot =
            app.new_browser().submit("/account/forgot", "/account/forgot", &[("email", target)]).await;
        assert_eq!(forgot.status, 200);
    }
    // 2 of each kind, and the signature's confirmation.
    let expected = 2 * 4 + 1;
    let mails = sink.wait_for(target, expected).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let mails = if mails.len() >= expected { sink.wait_for(target, expected).await } else { mails };
    let subjects: Vec<String> = mails.iter().map(|m| m.subject()).collect();
    assert_eq!(subjects.len(), expected, "{subjects:#?}");
    for start in [
        "Please confirm your comment",
        "Please confirm the endorsement",
        "Manage your signature",
        "Reset your password",
    ] {
        assert_eq!(subjects.iter().filter(|s| s.starts_with(start)).count(), 2, "{start}: {subjects:#?}");
    }
    app.stop().await;
}

on_both_backends!(
    a_pending_signature_confirms_the_latest_submission_as_shown,
    each_comment_is_confirmed_by_its_own_link,
    mails_to_one_address_are_limited_and_the_answer_does_not_say_so,
);
