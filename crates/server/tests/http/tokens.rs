//! API tokens over HTTP, on both backends, as organisers and programs meet them: made on the
//! organisers' tokens page (shown once, never again), used in either header (never in the
//! address), refused when revoked, expired, their owner disabled, used elsewhere than they are for
//! or without the scope, or over their limit; their making and revoking in the audit log. Every
//! API answer is checked against the OpenAPI document.

use time::Duration;
use undersigned::config::Options;
use undersigned_core::account::{AuditEntry, Role};
use undersigned_core::api_token::{NewToken, Scope, Scopes, Secret};
use undersigned_core::store::now;
use undersigned_core::{CampaignStatus, Slug, Store};
use undersigned_store_tests::conformance::demo;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::openapi::ApiDocument;
use crate::support::{Browser, Page, TestApp};

const PASSWORD: &str = "a long enough password";
const TOKENS: &str = "/organise/tokens";

/// An organiser with a password and, unless `None`, a role on the demo campaign; logged in.
pub async fn organiser(
    app: &TestApp,
    store: &dyn Store,
    email: &str,
    role: Option<Role>,
    admin: bool,
) -> Browser {
    let (_, id) = undersigned::add_user(store, email, None, admin, PASSWORD).await.unwrap();
    if let Some(role) = role {
        store.set_role(demo_id(store).await, id, Some(role)).await.unwrap();
    }
    let browser = app.new_browser();
    let page = browser.submit("/login", "/login", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    browser
}

pub async fn demo_id(store: &dyn Store) -> i64 {
    store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap().id
}

/// The token the page shows, once, after it is made.
pub fn shown_token(page: &Page) -> Option<String> {
    let marker = "id=\"made-token\"";
    let at = page.body.find(marker)?;
    let value = at + page.body[at..].find("value=\"")? + "value=\"".len();
    Some(page.body[value..value + page.body[value..].find('"')?].to_owned())
}

/// Makes a token on the tokens page; the page after.
pub async fn make_token(browser: &Browser, name: &str, campaign: &str, scopes: &[&str]) -> Page {
    let mut fields = vec![("token_name", name), ("token_campaign", campaign)];
    fields.extend(scopes.iter().map(|s| (*s, "yes")));
    let last_day = (now().date() + Duration::days(30)).to_string();
    fields.push(("token_expires", &last_day));
    browser.submit(TOKENS, TOKENS, &fields).await
}

/// `GET path` with the token in the `OSDI-API-Token` header, checked against the document.
async fn with_token(app: &TestApp, doc: &ApiDocument, path: &str, token: &str) -> Page {
    let page = app.get_with(path, &[("osdi-api-token", token)]).await;
    doc.check("GET", path, &page);
    page
}

fn problem(page: &Page) -> serde_json::Value {
    assert_eq!(page.header("content-type"), "application/problem+json", "{}", page.body);
    serde_json::from_str(&page.body).unwrap()
}

async fn a_token_is_shown_once_used_and_revoked(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let doc = ApiDocument::fetch(&app).await;
    let store = db.store().await;
    let owner = organiser(&app, store.as_ref(), "owner@example.org", Some(Role::Owner), false).await;
    let home = owner.get("/organise").await;
    assert!(
        home.body.contains("<a href=\"/organise/tokens\">API tokens</a>"),
        "linked from the organisers' home"
    );
    let page = owner.get(TOKENS).await;
    assert_eq!((page.status, page.header("cache-control")), (200, "no-store"));
    assert!(page.body.contains("There are no tokens yet."));
    assert!(!page.body.contains("value=\"site\""), "site-wide tokens are for admins");
    let default_day = (now().date() + Duration::days(90)).to_string();
    assert_eq!(page.input_value("token_expires").as_deref(), Some(default_day.as_str()), "90 days");

    let made = make_token(&owner, "CRM sync", "release-cai-guangye", &["pii_read"]).await;
    assert_eq!(made.status, 200, "{}", made.body);
    let token = shown_token(&made).expect("the token, shown once");
    assert!(token.starts_with("us_") && token.len() == 46, "{token}");
    let list = owner.get(TOKENS).await;
    assert!(shown_token(&list).is_none() && !list.body.contains(&token), "never shown again");
    assert!(list.body.contains(&format!("<code>{}…</code>", &token[..11])), "its prefix, to recognise it");
    assert!(list.body.contains("<code>pii:read</code>") && list.body.contains("never"));

    // Either header; the answer says what the token is for.
    let info = with_token(&app, &doc, "/api/v1/token", &token).await;
    assert_eq!((info.status, info.header("cache-control")), (200, "no-store"), "{}", info.body);
    let info: serde_json::Value = serde_json::from_str(&info.body).unwrap();
    assert_eq!(
        (&info["name"], &info["campaign"], &info["scopes"][0]),
        (&"CRM sync".into(), &"release-cai-guangye".into(), &"pii:read".into())
    );
    let bearer = app.get_with("/api/v1/token", &[("authorization", &format!("Bearer {token}"))]).await;
    assert_eq!(bearer.status, 200);
    let used = owner.get(TOKENS).await;
    assert!(!used.body.contains(">never<"), "its use is recorded");

    // Never in the address: it would end up in logs.
    let leaked = app.get(&format!("/api/v1/token?osdi-api-token={token}")).await;
    doc.check("GET", "/api/v1/token", &leaked);
    assert_eq!(leaked.status, 400);
    assert_eq!(problem(&leaked)["invalid-params"][0]["name"], "osdi-api-token");

    // No token, a wrong one.
    for (headers, challenge) in [
        (vec![], "Bearer realm=\"undersigned\""),
        (vec![("osdi-api-token", "us_not-a-token")], "Bearer realm=\"undersigned\", error=\"invalid_token\""),
    ] {
        let page = app.get_with("/api/v1/token", &headers).await;
        doc.check("GET", "/api/v1/token", &page);
        assert_eq!((page.status, page.header("www-authenticate")), (401, challenge));
        problem(&page);
    }

    // Revoked: 401, and the list says so.
    let revoke = format!("{TOKENS}/{}/revoke", revoke_id(&list));
    let revoked = owner.submit(TOKENS, &revoke, &[]).await;
    assert_eq!((revoked.status, revoked.location()), (303, TOKENS));
    let refused = with_token(&app, &doc, "/api/v1/token", &token).await;
    assert_eq!(refused.status, 401);
    assert!(problem(&refused)["detail"].as_str().unwrap().contains("revoked"));
    assert!(owner.get(TOKENS).await.body.contains("revoked"));

    // The audit log keeps both.
    let admin = organiser(&app, store.as_ref(), "admin@example.org", None, true).await;
    let audit = admin.get("/organise/audit").await;
    let made_at = audit.body.find("create-api-token").expect("the making");
    let revoked_at = audit.body.find("revoke-api-token").expect("the revoking");
    assert!(revoked_at < made_at, "newest first");
    assert!(audit.body.contains("CRM sync") && audit.body.contains("owner@example.org"));
    assert!(!audit.body.contains(&token), "never the token");
    app.stop().await;
}

/// The id in the first revoke button's address on the tokens page.
fn revoke_id(page: &Page) -> String {
    let at = page.body.find("/revoke\"").expect("a revoke button");
    let start = page.body[..at].rfind('/').unwrap() + 1;
    page.body[start..at].to_owned()
}

async fn a_token_does_no_more_than_its_owner_may(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let doc = ApiDocument::fetch(&app).await;
    let store = db.store().await;
    let mut other = demo();
    other.content.slug = Slug::parse("s", "another-campaign").unwrap();
    other.content.status = CampaignStatus::Open;
    store.import_campaigns(&[other]).await.unwrap();

    // An editor may not read personal data, nor make a site-wide token; what was typed is kept.
    let editor = organiser(&app, store.as_ref(), "editor@example.org", Some(Role::Editor), false).await;
    let refused = make_token(&editor, "Mine", "release-cai-guangye", &["pii_read"]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("token_scopes").unwrap().contains("owners"));
    assert_eq!(refused.input_value("token_name").as_deref(), Some("Mine"));
    let site = make_token(&editor, "Mine", "site", &[]).await;
    assert!(site.field_error("token_campaign").is_some());
    let elsewhere = make_token(&editor, "Mine", "another-campaign", &[]).await;
    assert!(elsewhere.field_error("token_campaign").is_some(), "not a campaign of theirs");
    let bad = editor
        .submit(
            TOKENS,
            TOKENS,
            &[("token_name", ""), ("token_campaign", "release-cai-guangye"), ("token_expires", "2999-01-01")],
        )
        .await;
    assert!(bad.field_error("token_name").is_some() && bad.field_error("token_expires").is_some());
    let csrf = editor.post(TOKENS, &[("token_name", "x"), ("csrf", "forged")]).await;
    assert_eq!(csrf.status, 403);

    let made = make_token(&editor, "Import", "release-cai-guangye", &["signatures_import"]).await;
    let token = shown_token(&made).expect("a token");
    let check = |query: &str| format!("/api/v1/token?{query}");
    for (query, status) in [
        ("campaign=release-cai-guangye", 200),
        ("campaign=release-cai-guangye&scope=signatures:import", 200),
        ("scope=signatures:import", 200),
        ("campaign=release-cai-guangye&scope=pii:read", 403),
        ("scope=webhooks:manage", 403),
        ("campaign=another-campaign", 403),
        ("campaign=nowhere", 404),
        ("scope=everything", 400),
    ] {
        let page = with_token(&app, &doc, &check(query), &token).await;
        assert_eq!(page.status, status, "{query}: {}", page.body);
    }
    let other = with_token(&app, &doc, &check("campaign=another-campaign"), &token).await;
    assert_eq!(problem(&other)["detail"], "This token is for another campaign.");

    // Its owner loses the role: the token stops working there.
    let editor_id = store.user_by_email("editor@example.org").await.unwrap().unwrap().0.id;
    let demo = demo_id(store.as_ref()).await;
    store.set_role(demo, editor_id, Some(Role::Moderator)).await.unwrap();
    assert_eq!(
        with_token(&app, &doc, &check("campaign=release-cai-guangye&scope=signatures:import"), &token)
            .await
            .status,
        200,
        "moderators import too"
    );
    store.set_role(demo, editor_id, None).await.unwrap();
    let gone = with_token(&app, &doc, &check("campaign=release-cai-guangye"), &token).await;
    assert_eq!(gone.status, 403);
    assert!(problem(&gone)["detail"].as_str().unwrap().contains("no longer"));

    // An admin's site-wide token covers every campaign, and is listed with everyone's to admins.
    let admin = organiser(&app, store.as_ref(), "admin@example.org", None, true).await;
    let made =
        make_token(&admin, "Everything", "site", &["pii_read", "signatures_import", "webhooks_manage"]).await;
    let site_token = shown_token(&made).expect("a site-wide token");
    for campaign in ["release-cai-guangye", "another-campaign"] {
        let page =
            with_token(&app, &doc, &check(&format!("campaign={campaign}&scope=pii:read")), &site_token).await;
        assert_eq!(page.status, 200, "{campaign}");
    }
    let all = admin.get(TOKENS).await;
    assert!(all.body.contains("Import") && all.body.contains("editor@example.org"), "admins see every token");
    assert!(!editor.get(TOKENS).await.body.contains("Everything"), "organisers see their own");

    // Demoted, its owner's site-wide token no longer works; a disabled account's tokens neither.
    let admin_id = store.user_by_email("admin@example.org").await.unwrap().unwrap().0.id;
    undersigned::add_user(store.as_ref(), "second@example.org", None, true, PASSWORD).await.unwrap();
    store.set_admin(admin_id, false).await.unwrap();
    assert_eq!(with_token(&app, &doc, &check("campaign=another-campaign"), &site_token).await.status, 403);
    store.set_disabled(editor_id, true, now()).await.unwrap();
    assert_eq!(with_token(&app, &doc, "/api/v1/token", &token).await.status, 401);
    app.stop().await;
}

async fn an_expired_token_is_refused(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let doc = ApiDocument::fetch(&app).await;
    let store = db.store().await;
    let (_, user) =
        undersigned::add_user(store.as_ref(), "owner@example.org", None, false, PASSWORD).await.unwrap();
    store.set_role(demo_id(store.as_ref()).await, user, Some(Role::Owner)).await.unwrap();
    let secret = Secret::generate();
    let made = now() - Duration::days(91);
    let token = NewToken {
        user_id: user,
        campaign_id: Some(demo_id(store.as_ref()).await),
        name: "Old".into(),
        scopes: Scopes::new([Scope::PiiRead]),
        hash: secret.hash(),
        prefix: secret.visible_prefix(),
        created_at: made,
        expires_at: made + Duration::days(90),
    };
    let entry = AuditEntry {
        at: made,
        actor: "owner@example.org".into(),
        campaign_id: None,
        action: "create-api-token".into(),
        subject: "Old".into(),
        detail: String::new(),
    };
    store.create_token(&token, &entry).await.unwrap();
    let page = with_token(&app, &doc, "/api/v1/token", secret.as_str()).await;
    assert_eq!(page.status, 401);
    assert!(problem(&page)["detail"].as_str().unwrap().contains("expired"), "{}", page.body);
    app.stop().await;
}

async fn a_token_is_limited_per_minute(db: &TestDb) {
    let app = TestApp::spawn_with(db, Options { api_rate_limit: Some(3), ..Default::default() }).await;
    let doc = ApiDocument::fetch(&app).await;
    let store = db.store().await;
    let owner = organiser(&app, store.as_ref(), "owner@example.org", Some(Role::Owner), false).await;
    let first = shown_token(&make_token(&owner, "One", "release-cai-guangye", &[]).await).unwrap();
    let second = shown_token(&make_token(&owner, "Two", "release-cai-guangye", &[]).await).unwrap();
    for _ in 0..3 {
        assert_eq!(with_token(&app, &doc, "/api/v1/token", &first).await.status, 200);
    }
    let over = with_token(&app, &doc, "/api/v1/token", &first).await;
    assert_eq!(over.status, 429);
    let wait: u64 = over.header("retry-after").parse().expect("Retry-After in seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    problem(&over);
    assert_eq!(
        with_token(&app, &doc, "/api/v1/token", &second).await.status,
        200,
        "each token its own limit"
    );
    app.stop().await;
}

on_both_backends!(
    a_token_is_shown_once_used_and_revoked,
    a_token_does_no_more_than_its_owner_may,
    an_expired_token_is_refused,
    a_token_is_limited_per_minute,
);
