//! Thresholds (issue 15), on both backends: the site's and a campaign's, set in their forms (bad
//! lines named, what was typed kept); the campaign page shows the next one with its progress;
//! reaching one is recorded with its time, shown, given by the API and mailed to the team.

use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{TestApp, strip_tags};

const DEMO: &str = "/c/release-cai-guangye";
const PASSWORD: &str = "a long enough password";

async fn a_threshold_reached_is_recorded_shown_and_mailed_to_the_team(db: &TestDb) {
    let sink = SmtpSink::start();
    let options = Options { smtp_url: Some(sink.url()), mail_retry_seconds: Some(1), ..Default::default() };
    let app = TestApp::spawn_with(db, options).await;
    let store = db.store().await;
    undersigned::add_user(store.as_ref(), "admin@example.org", None, true, PASSWORD).await.unwrap();
    let admin = app.new_browser();
    admin.submit("/login", "/login", &[("email", "admin@example.org"), ("password", PASSWORD)]).await;

    // The site's: a line that is not a threshold is named, and what was typed is kept.
    let settings = [("who_starts", "admins"), ("sponsors_needed", "5")];
    let bad = admin
        .submit(
            "/organise/settings",
            "/organise/settings",
            &[&settings[..], &[("thresholds-en", "a lot: cheers")]].concat(),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.field_error("thresholds-en").is_some(), "{}", bad.body);
    assert!(bad.body.contains("a lot: cheers"));
    let lines = [
        ("thresholds-en", "20: The target is asked for a response"),
        ("thresholds-zh-Hant", "20：對象須作出回應"),
    ];
    let saved =
        admin.submit("/organise/settings", "/organise/settings", &[&settings[..], &lines[..]].concat()).await;
    assert_eq!(saved.status, 303, "{}", saved.body);

    // The campaign's own, below the site's; the demo counts 15 (collected offline).
    let owner = app.organiser(db, "owner@example.org", Role::Owner).await;
    let slug = DEMO.trim_start_matches("/c/");
    let own = owner
        .submit(
            &format!("/organise/c/{slug}/thresholds"),
            &format!("/organise/c/{slug}/thresholds"),
            &[("thresholds-en", "16: We deliver the letter")],
        )
        .await;
    assert_eq!(own.status, 303, "{}", own.body);
    let page = strip_tags(&app.get(DEMO).await.body);
    assert!(page.contains("Next threshold: 16 signatures. We deliver the letter"), "{page}");

    // One more signature reaches it.
    let fields =
        [("name", "Chan Tai Man"), ("email", "chan@example.org"), ("country", "HK"), ("display", "full")];
    app.submit(DEMO, &format!("{DEMO}/sign"), &fields).await;
    let mail = sink.one_for("chan@example.org").await;
    let path = app.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).unwrap());
    let confirm = app.get(&path).await;
    app.post(&path, &[("csrf", &confirm.csrf())]).await;

    let told = sink.one_for("owner@example.org").await;
    assert!(told.subject().contains("has reached 16 signatures"), "{}", told.subject());
    assert!(told.text().contains("We deliver the letter"));
    let page = strip_tags(&app.get(DEMO).await.body);
    assert!(page.contains("16 reached on"), "{page}");
    assert!(page.contains("Next threshold: 20 signatures. The target is asked for a response"), "{page}");
    let zh = strip_tags(&app.get(&format!("{DEMO}?lang=zh-Hant")).await.body);
    assert!(zh.contains("對象須作出回應"), "the site's label in Chinese: {zh}");

    let api: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1/campaigns/{slug}")).await.body).unwrap();
    let thresholds = api["thresholds"].as_array().unwrap();
    assert_eq!(thresholds[0]["signature_count"], 16);
    assert!(thresholds[0]["reached_at"].is_string());
    assert!(thresholds[1]["reached_at"].is_null());
    app.stop().await;
}

on_both_backends!(a_threshold_reached_is_recorded_shown_and_mailed_to_the_team);
