//! Taking a campaign down (issue 15), on both backends: only an admin may, with a public reason
//! (required); the campaign's address then answers 410 with the reason, each confirmed signer is
//! told by mail with a link to withdraw, and its owner can put it back.

use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{TestApp, strip_tags};

const DEMO: &str = "/c/release-cai-guangye";
const PASSWORD: &str = "a long enough password";

async fn an_admin_takes_a_campaign_down_with_a_public_reason(db: &TestDb) {
    let sink = SmtpSink::start();
    let options = Options { smtp_url: Some(sink.url()), mail_retry_seconds: Some(1), ..Default::default() };
    let app = TestApp::spawn_with(db, options).await;
    let fields =
        [("name", "Chan Tai Man"), ("email", "chan@example.org"), ("country", "HK"), ("display", "full")];
    app.submit(DEMO, &format!("{DEMO}/sign"), &fields).await;
    let mail = sink.one_for("chan@example.org").await;
    let path = app.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).unwrap());
    let confirm = app.get(&path).await;
    app.post(&path, &[("csrf", &confirm.csrf())]).await;

    let slug = DEMO.trim_start_matches("/c/");
    let page = format!("/organise/c/{slug}/take-down");
    let owner = app.organiser(db, "owner@example.org", Role::Owner).await;
    assert_eq!(owner.get(&page).await.status, 403, "only admins take campaigns down");

    let store = db.store().await;
    undersigned::add_user(store.as_ref(), "admin@example.org", None, true, PASSWORD).await.unwrap();
    let admin = app.new_browser();
    admin.submit("/login", "/login", &[("email", "admin@example.org"), ("password", PASSWORD)]).await;
    let empty = admin.submit(&page, &page, &[("takedown_reason", "  ")]).await;
    assert_eq!(empty.status, 422);
    assert!(empty.field_error("takedown_reason").is_some(), "{}", empty.body);
    let reason = "It names a private person in its text.";
    let done = admin.submit(&page, &page, &[("takedown_reason", reason)]).await;
    assert_eq!(done.status, 303, "{}", done.body);

    let gone = app.get(DEMO).await;
    assert_eq!(gone.status, 410);
    let text = strip_tags(&gone.body);
    assert!(text.contains("This campaign was taken down") && text.contains(reason), "{text}");
    let told = loop {
        let mails = sink.wait_for("chan@example.org", 2).await;
        if let Some(m) = mails.into_iter().find(|m| m.subject().contains("Taken down")) {
            break m;
        }
    };
    assert!(told.text().contains(reason));
    assert!(told.link(&format!("{}/s/withdraw/", app.base)).is_some(), "a link to withdraw the signature");

    // Its owner puts it back: public again, the reason gone.
    let back = owner
        .submit(&format!("/organise/c/{slug}/republish"), &format!("/organise/c/{slug}/republish"), &[])
        .await;
    assert_eq!(back.status, 303, "{}", back.body);
    assert_eq!(app.get(DEMO).await.status, 200);
    app.stop().await;
}

on_both_backends!(an_admin_takes_a_campaign_down_with_a_public_reason);
