//! Comments on both backends: each confirmed by email, replies one level deep, links made safe,
//! the report flow, pre- and post-moderation, and organisers' replies.

use undersigned::config::Options;
use undersigned_core::Slug;
use undersigned_core::account::Role;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, TestApp};

const COMMENTS: &str = "/c/release-cai-guangye/comments";
const MODERATION: &str = "/organise/c/release-cai-guangye/moderation";
const PASSWORD: &str = "a long enough password";

async fn moderator(db: &TestDb, app: &TestApp) -> Browser {
    let store = db.store().await;
    let (_, id) =
        undersigned::add_user(store.as_ref(), "mod@example.org", None, false, PASSWORD).await.unwrap();
    let campaign =
        store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
    store.set_role(campaign.id, id, Some(Role::Moderator)).await.unwrap();
    let browser = app.new_browser();
    browser.submit("/login", "/login", &[("email", "mod@example.org"), ("password", PASSWORD)]).await;
    browser
}

/// Posts the moderation page's form at `action` (its first match), with the page's CSRF token.
async fn moderate(browser: &Browser, action: &str, extra: &[(&str, &str)]) -> u16 {
    let page = browser.get(MODERATION).await;
    let csrf = page.csrf();
    browser.post(action, &[extra, &[("csrf", csrf.as_str())]].concat()).await.status
}

fn comment_ids(body: &str) -> Vec<i64> {
    body.match_indices("id=\"comment-")
        .filter_map(|(i, _)| body[i + 12..].split('"').next()?.parse().ok())
        .collect()
}

/// Opens the link of the `nth` mail to `to` and presses its button: the heading of the answer.
async fn confirm_latest(app: &TestApp, sink: &SmtpSink, to: &str, nth: usize) -> String {
    let mails = sink.wait_for(to, nth).await;
    let mail = mails.get(nth - 1).unwrap_or_else(|| panic!("{} mails to {to}, not {nth}", mails.len()));
    let path = app.path_of(&mail.link(&format!("{}/k/confirm/", app.base)).unwrap());
    let page = app.get(&path).await;
    app.post(&path, &[("csrf", &page.csrf())]).await.first("h1")
}

async fn comments_are_confirmed_replied_to_reported_and_moderated(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Default::default() }).await;
    let body = "<b>Solidarity</b> from the dockers, see https://dockers.example.org/news.";
    let sent = app
        .submit(
            COMMENTS,
            COMMENTS,
            &[
                ("name", "Dock Worker"),
                ("email", "dock@example.org"),
                ("website", "https://dockers.example.org"),
                ("body", body),
            ],
        )
        .await;
    assert_eq!(sent.first("h1"), "Check your email");
    assert!(
        !app.new_browser().get(COMMENTS).await.body.contains("Solidarity"),
        "not before the address is confirmed"
    );
    let mail = sink.one_for("dock@example.org").await;
    assert!(mail.subject().starts_with("Please confirm your comment"));
    let path = app.path_of(&mail.link(&format!("{}/k/confirm/", app.base)).unwrap());
    let page = app.get(&path).await;
    assert_eq!(page.first("h1"), "Confirm your comment");
    let done = app.post(&path, &[("csrf", &page.csrf())]).await;
    assert_eq!(done.first("h1"), "Your comment is published");

    let public = app.new_browser().get(COMMENTS).await;
    assert!(public.body.contains("&lt;b&gt;Solidarity&lt;/b&gt;"), "{}", public.body);
    assert!(
        public.body.contains(
            "<a href=\"https://dockers.example.org/news\" rel=\"nofollow ugc noopener noreferrer\">"
        )
    );
    assert!(!public.body.contains("dock@example.org"), "addresses are never shown");
    let first = comment_ids(&public.body)[0];

    // A reply is confirmed by its own link, then hangs under its comment.
    let reply = app
        .submit(
            COMMENTS,
            COMMENTS,
            &[
                ("name", "Dock Worker"),
                ("email", "DOCK@example.org"),
                ("body", "And again."),
                ("parent", &first.to_string()),
            ],
        )
        .await;
    assert_eq!(reply.first("h1"), "Check your email");
    assert_eq!(confirm_latest(&app, &sink, "dock@example.org", 2).await, "Your comment is published");
    let public = app.new_browser().get(COMMENTS).await;
    let replies = public.body.find("<ol class=\"replies\">").expect("a reply");
    assert!(public.body[replies..].contains("And again."));

    let spam = "http://a.example http://b.example http://c.example http://d.example";
    let refused = app
        .submit(COMMENTS, COMMENTS, &[("name", "Spam"), ("email", "dock@example.org"), ("body", spam)])
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("A comment can hold at most 3 web addresses."));
    assert!(refused.body.contains(&format!(">{spam}</textarea>")), "what was typed is kept");

    // Reported, hidden, restored; and the organisers answer.
    let reader = app.new_browser();
    let csrf = reader.get(COMMENTS).await.csrf();
    let reported = reader.post(&format!("{COMMENTS}/{first}/report"), &[("csrf", &csrf)]).await;
    assert_eq!(reported.first("h1"), "Thank you for telling us");
    let moderator = moderator(db, &app).await;
    assert!(moderator.get(MODERATION).await.body.contains("reported once"));
    let base = "/organise/c/release-cai-guangye/comments";
    assert_eq!(moderate(&moderator, &format!("{base}/{first}/hide"), &[]).await, 303);
    assert!(!app.new_browser().get(COMMENTS).await.body.contains("Solidarity"));
    assert_eq!(moderate(&moderator, &format!("{base}/{first}/show"), &[]).await, 303);
    assert!(app.new_browser().get(COMMENTS).await.body.contains("Solidarity"));
    assert_eq!(
        moderate(&moderator, &format!("{base}/{first}/reply"), &[("body", "Thank you, comrades.")]).await,
        303
    );
    let public = app.new_browser().get(COMMENTS).await;
    assert!(public.body.contains("class=\"comment by-organiser\""));
    assert!(public.body.contains("<span class=\"organiser-mark\">the organisers</span>"));

    // Pre-moderation: held until a moderator shows it.
    assert_eq!(moderate(&moderator, &format!("{base}/mode"), &[("mode", "pre")]).await, 303);
    let held = app
        .submit(
            COMMENTS,
            COMMENTS,
            &[("name", "Dock Worker"), ("email", "dock@example.org"), ("body", "A third thought.")],
        )
        .await;
    assert_eq!(held.first("h1"), "Check your email");
    assert_eq!(
        confirm_latest(&app, &sink, "dock@example.org", 3).await,
        "Your comment waits for a moderator"
    );
    assert!(!app.new_browser().get(COMMENTS).await.body.contains("A third thought."));
    let queue = moderator.get(MODERATION).await;
    assert!(queue.body.contains("A third thought."));
    let held_id = comment_ids(&app.new_browser().get(COMMENTS).await.body).into_iter().max().unwrap() + 1;
    assert_eq!(moderate(&moderator, &format!("{base}/{held_id}/show"), &[]).await, 303);
    assert!(app.new_browser().get(COMMENTS).await.body.contains("A third thought."));
    assert_eq!(moderate(&moderator, &format!("{base}/{held_id}/delete"), &[]).await, 303);
    assert!(!app.new_browser().get(COMMENTS).await.body.contains("A third thought."));
    app.stop().await;
}

on_both_backends!(comments_are_confirmed_replied_to_reported_and_moderated);
