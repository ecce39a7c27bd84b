//! Abuse limits over HTTP, on both backends: an IPv6 /64 counts as one client, failed logins from
//! one network do not lock the organiser out elsewhere, and the page cache keeps one page per
//! language chosen (not per header) and forgets a campaign's pages when its organisers change it.

use undersigned::config::Options;
use undersigned_core::Slug;
use undersigned_core::account::Role;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, Page, TestApp};

const DEMO: &str = "/c/release-cai-guangye";
const ORG: &str = "/organise/c/release-cai-guangye";
const PASSWORD: &str = "a long enough password";

fn behind_proxy(options: Options) -> Options {
    Options { trusted_proxies: Some(vec!["127.0.0.1".parse().unwrap()]), ..options }
}

async fn post_from(browser: &Browser, from: &str, path: &str, fields: &[(&str, &str)]) -> Page {
    let request = browser.client.post(format!("{}{path}", browser.base)).header("x-forwarded-for", from);
    Page::from(request.form(fields).send().await.unwrap()).await
}

async fn owner(db: &TestDb, email: &str) {
    let store = db.store().await;
    let (_, id) = undersigned::add_user(store.as_ref(), email, None, false, PASSWORD).await.unwrap();
    let campaign =
        store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
    store.set_role(campaign.id, id, Some(Role::Owner)).await.unwrap();
}

async fn an_ipv6_64_signs_as_one_client(db: &TestDb) {
    let app =
        TestApp::spawn_with(db, behind_proxy(Options { sign_rate_limit: Some(1), ..Default::default() }))
            .await;
    let csrf = app.get(DEMO).await.csrf();
    let mut statuses = Vec::new();
    for (i, from) in [
        "2001:db8:1:2::1",
        "2001:db8:1:2:ffff:aaaa:bbbb:9",
        "2001:db8:1:3::1",
        "203.0.113.7",
        "::ffff:203.0.113.7",
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("v6-{i}@example.org");
        let fields = [("name", "Six"), ("email", &email), ("country", "HK"), ("csrf", &csrf)];
        statuses.push(post_from(&app, from, &format!("{DEMO}/sign"), &fields).await.status);
    }
    assert_eq!(statuses, [303, 429, 303, 303, 429], "one /64, another /64, IPv4 and it mapped");
    app.stop().await;
}

async fn failed_logins_from_one_network_do_not_lock_the_owner_out(db: &TestDb) {
    let app = TestApp::spawn_with(db, behind_proxy(Options::default())).await;
    owner(db, "owner@example.org").await;
    let csrf = app.get("/login").await.csrf();
    let browser: &Browser = &app;
    let login = |from: &'static str, password: &'static str| {
        let fields = [("email", "owner@example.org"), ("password", password), ("csrf", csrf.as_str())];
        async move { post_from(browser, from, "/login", &fields).await.status }
    };
    for _ in 0..10 {
        assert_eq!(login("2001:db8:bad::1", "guess guess guess").await, 401);
    }
    assert_eq!(login("2001:db8:bad::2", PASSWORD).await, 429, "the guessing network is locked out");
    assert_eq!(login("198.51.100.20", PASSWORD).await, 303, "the owner, elsewhere, is not");
    app.stop().await;
}

async fn varied_language_headers_share_the_page_of_the_language_chosen(db: &TestDb) {
    let app = TestApp::spawn_with(db, Options { page_cache_ms: Some(60_000), ..Default::default() }).await;
    let first = app.get_with(DEMO, &[("accept-language", "en")]).await;
    assert!(first.body.contains("<strong class=\"count-number\">15</strong>"));
    let store = db.store().await;
    let campaign =
        store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
    let spec = undersigned_core::EndorsementSpec {
        endorser: undersigned_core::EndorsementSpec::individuals(12).unwrap(),
        country: None,
        statement: None,
        source_note: Some("paper".into()),
    };
    store.add_offline_endorsement(campaign.id, &spec).await.unwrap();
    for header in ["en-GB,fr;q=0.5", "de, en;q=0.1", "x-klingon, en-US;q=0.3"] {
        let page = app.new_browser().get_with(DEMO, &[("accept-language", header)]).await;
        assert!(
            page.body.contains("<strong class=\"count-number\">15</strong>"),
            "{header}: the English page, from the cache"
        );
    }
    let chinese = app.new_browser().get_with(DEMO, &[("accept-language", "zh-HK")]).await;
    assert!(chinese.body.contains("<strong class=\"count-number\">27</strong>"), "another language");
    app.stop().await;
}

async fn an_organisers_change_shows_on_the_public_page_at_once(db: &TestDb) {
    let app = TestApp::spawn_with(db, Options { page_cache_ms: Some(60_000), ..Default::default() }).await;
    owner(db, "owner@example.org").await;
    let before = app.get(DEMO).await;
    assert!(before.body.contains("action=\"/c/release-cai-guangye/sign\""));
    assert!(app.get(&format!("{DEMO}/count.json")).await.body.contains("\"signature_count\":15"));
    let organiser = app.new_browser();
    let fields = [("email", "owner@example.org"), ("password", PASSWORD), ("next", "/organise")];
    assert_eq!(organiser.submit("/login", "/login", &fields).await.status, 303);
    let form = format!("{ORG}/endorsements/new");
    let offline = [("kind", "individuals"), ("individuals", "12"), ("source", "paper")];
    assert_eq!(organiser.submit(&form, &form, &offline).await.status, 200);
    assert!(app.get(&format!("{DEMO}/count.json")).await.body.contains("\"signature_count\":27"));
    let closed = organiser.submit(ORG, &format!("{ORG}/status"), &[("to", "closed")]).await;
    assert_eq!(closed.status, 303);
    let after = app.new_browser().get(DEMO).await;
    assert!(!after.body.contains("action=\"/c/release-cai-guangye/sign\""), "the form is gone at once");
    assert!(after.body.contains("This campaign is not taking signatures."));
    app.stop().await;
}

on_both_backends!(
    an_ipv6_64_signs_as_one_client,
    failed_logins_from_one_network_do_not_lock_the_owner_out,
    varied_language_headers_share_the_page_of_the_language_chosen,
    an_organisers_change_shows_on_the_public_page_at_once,
);
