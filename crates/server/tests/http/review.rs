//! The smaller findings of the security review, each tried the way it was found: real requests to
//! the real server, on both backends.

use undersigned::config::Options;
use undersigned_core::Slug;
use undersigned_core::account::Role;
use undersigned_core::keys::{Keys, day_number};
use undersigned_core::store::{UpdateText, now};
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, Page, TestApp};

const DEMO: &str = "/c/release-cai-guangye";
const ORG: &str = "/organise/c/release-cai-guangye";
const PASSWORD: &str = "a long enough password";

async fn owner(db: &TestDb, email: &str) -> i64 {
    let store = db.store().await;
    let (_, id) = undersigned::add_user(store.as_ref(), email, None, false, PASSWORD).await.unwrap();
    let campaign = demo(db).await;
    store.set_role(campaign, id, Some(Role::Owner)).await.unwrap();
    id
}

async fn demo(db: &TestDb) -> i64 {
    let store = db.store().await;
    store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap().id
}

async fn log_in(browser: &Browser, email: &str, next: &str) -> Page {
    browser.submit("/login", "/login", &[("email", email), ("password", PASSWORD), ("next", next)]).await
}

async fn login_goes_only_to_a_path_of_this_site(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    owner(db, "owner@example.org").await;
    let form = app.new_browser().get("/login?next=/%09/evil.example").await;
    assert!(!form.body.contains("evil.example"), "the form does not carry it on");
    for next in [
        "/%09/evil.example",
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "/a\nb",
        "/a\r\nSet-Cookie: x=1",
    ] {
        let page = log_in(&app.new_browser(), "owner@example.org", next).await;
        assert_eq!((page.status, page.location()), (303, "/organise"), "next={next:?}");
    }
    let page = log_in(&app.new_browser(), "owner@example.org", "/organise/c/release-cai-guangye").await;
    assert_eq!(page.location(), "/organise/c/release-cai-guangye", "a path of the site is kept");
    app.stop().await;
}

async fn the_404_pages_language_links_stay_on_this_site(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    for path in ["//evil.example", "/%09/evil.example", "/\\evil.example"] {
        let page = app.get(path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(!page.body.contains("evil.example"), "{path}:\n{}", page.body);
        assert!(page.body.contains("href=\"/?lang=zh-Hant\""), "{path}: the links lead home");
    }
    app.stop().await;
}

/// PostgreSQL cannot store NUL: it used to answer 503. Every form refuses or drops it first.
async fn a_nul_in_a_field_never_reaches_the_database(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    owner(db, "owner@example.org").await;
    let login = app.submit("/login", "/login", &[("email", "own\0er@example.org"), ("password", "x")]).await;
    assert_eq!(login.status, 401, "a wrong login, not a failure:\n{}", login.body);
    let comments = format!("{DEMO}/comments");
    let comment = app
        .submit(
            &comments,
            &comments,
            &[
                ("name", "Lam"),
                ("email", "lam@example.org"),
                ("website", "https://a.example/\0x"),
                ("body", "Hi"),
            ],
        )
        .await;
    assert_eq!(comment.status, 200, "the NUL is dropped; the rest is a good address");
    assert_eq!(comment.first("h1"), "Check your email");
    let bad_site = app
        .submit(
            &comments,
            &comments,
            &[
                ("name", "Lam"),
                ("email", "lam@example.org"),
                ("website", "https://a.example/\u{1}"),
                ("body", "Hi"),
            ],
        )
        .await;
    assert_eq!(bad_site.status, 422);
    assert!(bad_site.field_error("website").is_some(), "{}", bad_site.body);
    let signed = app
        .submit(
            DEMO,
            &format!("{DEMO}/sign"),
            &[("name", "L\0am"), ("email", "a\0@example.org"), ("country", "HK")],
        )
        .await;
    assert_ne!(signed.status, 503);
    assert_ne!(signed.status, 500);
    let search = app.get(&format!("{DEMO}/signatures?after=%00")).await;
    assert!(search.status < 500, "{}", search.status);
    app.stop().await;
}

async fn names_with_invisible_or_reordering_characters_are_refused(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    for name in ["Lam\u{202E}eek", "\u{200B}", "\u{2066}Lam\u{2069}", "\u{200D}\u{200C}"] {
        let page = app
            .submit(
                DEMO,
                &format!("{DEMO}/sign"),
                &[("name", name), ("email", "lam@example.org"), ("country", "HK")],
            )
            .await;
        assert_eq!(page.status, 422, "{name:?}");
        assert_eq!(
            page.field_error("name").as_deref(),
            Some("Enter your name: 1 to 200 characters, with no invisible characters."),
            "{name:?}"
        );
        assert_eq!(page.input_value("email").as_deref(), Some("lam@example.org"), "what was typed is kept");
    }
    let comments = format!("{DEMO}/comments");
    let comment = app
        .submit(
            &comments,
            &comments,
            &[("name", "\u{202E}kcirtaP"), ("email", "p@example.org"), ("body", "Hi")],
        )
        .await;
    assert_eq!(comment.status, 422);
    assert!(comment.field_error("name").is_some());
    app.stop().await;
}

async fn feeds_stay_xml_whatever_a_title_holds(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    owner(db, "owner@example.org").await;
    log_in(&app, "owner@example.org", "/organise").await;
    let updates = format!("{ORG}/updates");
    let refused = app.submit(&updates, &updates, &[("title_en", "News\u{FFFE}"), ("body_en", "Text")]).await;
    assert_eq!(refused.status, 422, "refused at input");
    assert!(refused.field_error("title").is_some() || refused.body.contains("title"), "{}", refused.body);
    // One stored before such characters were refused.
    let store = db.store().await;
    let text = UpdateText {
        lang: undersigned_core::Lang::parse("lang", "en").unwrap(),
        title: "Old\u{FFFE}news\u{1}".into(),
        body: "A\u{FFFF}".into(),
    };
    store.post_update(demo(db).await, "Owner", &[text], false, now()).await.unwrap();
    for path in [format!("{DEMO}/updates.atom"), "/updates.atom".to_owned()] {
        let feed = app.new_browser().get(&path).await;
        let doc =
            roxmltree::Document::parse(&feed.body).unwrap_or_else(|e| panic!("{path}: {e}\n{}", feed.body));
        assert!(doc.descendants().any(|n| n.text() == Some("Oldnews")), "{path}");
    }
    app.stop().await;
}

async fn exports_and_the_delivery_document_are_posts_with_the_csrf_token(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    owner(db, "owner@example.org").await;
    log_in(&app, "owner@example.org", "/organise").await;
    let export = format!("{ORG}/export.csv");
    let delivery = format!("{ORG}/delivery/en");
    // What a link or an image on another site can make the owner's browser do.
    assert_eq!(app.get(&format!("{export}?emails=1")).await.status, 405);
    assert_eq!(app.get(&delivery).await.status, 405);
    // A form on another site cannot know the token.
    assert_eq!(app.post(&export, &[("emails", "1")]).await.status, 403);
    assert_eq!(app.post(&delivery, &[("csrf", "forged")]).await.status, 403);
    let store = db.store().await;
    let log = store.audit_log(None, 20).await.unwrap();
    assert!(!log.iter().any(|e| e.action.contains("export") || e.action.contains("delivery")), "{log:?}");
    // The dashboard's buttons.
    let dashboard = app.get(ORG).await;
    assert!(dashboard.body.contains(&format!("<form method=\"post\" action=\"{export}\">")));
    assert!(dashboard.body.contains(&format!("<form method=\"post\" action=\"{delivery}\">")));
    let csv = app.submit(ORG, &export, &[("emails", "1")]).await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.lines().next().unwrap().contains("email"));
    let doc = app.submit(ORG, &delivery, &[]).await;
    assert_eq!(doc.status, 200);
    assert!(doc.body.contains("<ol class=\"delivery-names\">") && doc.body.trim_end().ends_with("</html>"));
    app.stop().await;
}

/// The delivery document streams its names a page at a time: more than one page, all of them.
async fn the_delivery_document_lists_every_named_signer_across_pages(db: &TestDb) {
    use undersigned_core::signature::{MailBudget, NewSignature, SignOutcome, SignatureInput};
    use undersigned_core::store::SignatureRecord;
    let app = TestApp::spawn(db).await;
    owner(db, "owner@example.org").await;
    let store = db.store().await;
    let campaign = demo(db).await;
    let n = 2_100;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let store = store.clone();
        tasks.spawn(async move {
            let input = SignatureInput {
                name: format!("Signer {i:04}"),
                email: format!("s{i}@example.org"),
                country: "HK".into(),
                display: if i % 100 == 0 { "hidden".into() } else { "full".into() },
                ..Default::default()
            };
            let signer =
                NewSignature::parse(&input, undersigned_core::Lang::parse("lang", "en").unwrap()).unwrap();
            let at = now();
            let record = SignatureRecord {
                campaign_id: campaign,
                email_key: Keys::new([0; 32]).email_key(campaign, &signer.email.canonical()),
                leaf: undersigned_core::signature_log::SignedLeaf::of(campaign, &signer, [0; 32], at),
                signer,
                version: undersigned_core::Lang::parse("lang", "en").unwrap(),
                ip_key: None,
                now: at,
                source: Default::default(),
            };
            let SignOutcome::Created { id } = store.sign(&record, MailBudget::default()).await.unwrap()
            else {
                panic!("a new signature")
            };
            store.confirm_signature(id, now()).await.unwrap();
        });
        if tasks.len() >= 64 {
            tasks.join_next().await.unwrap().unwrap();
        }
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    log_in(&app, "owner@example.org", "/organise").await;
    let doc = app.submit(ORG, &format!("{ORG}/delivery/en"), &[]).await;
    assert_eq!(doc.status, 200);
    let names = doc.body.matches("<li>Signer ").count();
    assert_eq!(names, n - n / 100, "every named signer once");
    assert!(doc.body.contains("<li>Signer 0001 <span class=\"signer-country\">Hong Kong</span></li>"));
    assert!(!doc.body.contains("Signer 0100"), "a hidden name");
    assert!(
        doc.body.contains(&format!("And {} more who chose not to be named.", n / 100)),
        "{}",
        &doc.body[doc.body.len() - 600..]
    );
    app.stop().await;
}

async fn https_sites_send_hsts_and_host_prefixed_cookies(db: &TestDb) {
    let https = TestApp::spawn_with(
        db,
        Options { base_url: Some("https://petition.example".into()), ..Default::default() },
    )
    .await;
    owner(db, "owner@example.org").await;
    // The site's address is https (a proxy in front); the test talks to the server behind it.
    let app = Browser::new(&format!("http://{}", https.addr));
    let page = app.get("/login").await;
    assert_eq!(page.header("strict-transport-security"), "max-age=31536000");
    let csrf_cookie = page.header("set-cookie").to_owned();
    assert!(csrf_cookie.starts_with("__Host-csrf="), "{csrf_cookie}");
    assert!(
        csrf_cookie.contains("; Path=/") && csrf_cookie.contains("Secure") && !csrf_cookie.contains("Domain")
    );
    // The test talks plain http, where a browser would not send a Secure cookie back: send it by hand.
    let cookie = csrf_cookie.split(';').next().unwrap().to_owned();
    let response = app
        .client
        .post(format!("{}/login", app.base))
        .header("cookie", &cookie)
        .form(&[
            ("email", "owner@example.org"),
            ("password", PASSWORD),
            ("csrf", &page.csrf()),
            ("next", "/organise"),
        ])
        .send()
        .await
        .unwrap();
    let login = Page::from(response).await;
    assert_eq!(login.status, 303, "{}", login.body);
    let session = login.header("set-cookie");
    assert!(session.starts_with("__Host-session=") && session.contains("Secure"), "{session}");
    let token = session.split(';').next().unwrap().to_owned();
    let organise = Browser::new(&app.base).get_with("/organise", &[("cookie", &token)]).await;
    assert_eq!(organise.status, 200, "the prefixed cookie is the one read");
    let plain_name = token.replacen("__Host-", "", 1);
    let organise = Browser::new(&app.base).get_with("/organise", &[("cookie", &plain_name)]).await;
    assert_eq!(organise.status, 303, "an unprefixed cookie (set by a subdomain or over http) is not");
    https.stop().await;

    let plain = TestApp::spawn(db).await;
    let page = plain.get("/login").await;
    assert_eq!(page.header("strict-transport-security"), "");
    assert!(page.header("set-cookie").starts_with("csrf="));
    assert_eq!(
        plain.get("/").await.header("set-cookie"),
        "",
        "a page with no form bound to the browser sets none"
    );
    plain.stop().await;
}

async fn pages_with_personal_links_are_not_kept_by_caches(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    for path in [
        "/s/manage/x",
        "/account/password/x",
        "/s/confirm/x",
        "/s/withdraw/x",
        "/e/confirm/x",
        "/login",
        &format!("{DEMO}/manage"),
    ] {
        assert_eq!(app.get(path).await.header("cache-control"), "no-store", "{path}");
    }
    assert_ne!(app.get(DEMO).await.header("cache-control"), "no-store");
    app.stop().await;
}

/// The hash kept for a signer's address is made with a key of the day, deleted with the day's
/// hashes: a copy of a hash (a backup) cannot be traced back with `secret.key` and the address.
async fn a_kept_ip_hash_cannot_be_traced_once_its_day_key_is_deleted(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    for i in 0..5 {
        let page = app
            .new_browser()
            .submit(
                DEMO,
                &format!("{DEMO}/sign"),
                &[("name", "Lam"), ("email", &format!("s{i}@example.org")), ("country", "HK")],
            )
            .await;
        assert_eq!(page.status, 303);
    }
    let store = db.store().await;
    let campaign = demo(db).await;
    let groups = store.busy_ip_keys(campaign, 5).await.unwrap();
    assert_eq!(groups.len(), 1, "the abuse rule still groups one address's signatures");
    assert_eq!(groups[0].signatures, 5);
    let kept: [u8; 16] = groups[0].ip_key.clone().try_into().unwrap();

    let secret = std::fs::read_to_string(app.data_dir.path().join("secret.key")).unwrap();
    let keys = Keys::new(hex_key(&secret));
    let ip: std::net::IpAddr = "127.0.0.1".parse().unwrap();
    assert_ne!(kept, keys.ip_key(&ip), "not made from secret.key and the address alone");

    // The hashes' time is over: they are forgotten, and the day's key with them.
    store.forget_ip_hashes(now() + time::Duration::days(1)).await.unwrap();
    assert!(store.busy_ip_keys(campaign, 1).await.unwrap().is_empty());
    let today = day_number(now());
    let fresh = [7; 32];
    assert_eq!(store.ip_hash_key(today, fresh).await.unwrap(), fresh, "the day's key is gone");
    assert_ne!(kept, keys.stored_ip_key(&fresh, &ip));
    app.stop().await;
}

fn hex_key(text: &str) -> [u8; 32] {
    let text = text.trim();
    let bytes: Vec<u8> = (0..32).map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap()).collect();
    bytes.try_into().unwrap()
}

on_both_backends!(
    login_goes_only_to_a_path_of_this_site,
    the_404_pages_language_links_stay_on_this_site,
    a_nul_in_a_field_never_reaches_the_database,
    names_with_invisible_or_reordering_characters_are_refused,
    feeds_stay_xml_whatever_a_title_holds,
    exports_and_the_delivery_document_are_posts_with_the_csrf_token,
    the_delivery_document_lists_every_named_signer_across_pages,
    https_sites_send_hsts_and_host_prefixed_cookies,
    pages_with_personal_links_are_not_kept_by_caches,
    a_kept_ip_hash_cannot_be_traced_once_its_day_key_is_deleted,
);
