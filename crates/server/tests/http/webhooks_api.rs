//! Webhook endpoints through the API (`/api/v1/webhooks`), on both backends, as a program with a
//! token meets them: listed, registered (the secret answered once), read, sent a test event (which
//! the organisers' delivery log shows), deleted; refused without the scope, for another campaign,
//! with personal data but without pii:read, with a bad body or a private address; in the audit
//! log as the token's owner's; never readable by other sites (no CORS). Every answer is checked
//! against the OpenAPI document.

use serde_json::{Value, json};
use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_core::store::now;
use undersigned_core::webhook::{EventSet, NewEndpoint, WebhookEvent, WebhookSecret, WebhookUrl};
use undersigned_core::{CampaignStatus, Slug, Store};
use undersigned_store_tests::conformance::demo;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::openapi::ApiDocument;
use crate::support::{Page, TestApp};
use crate::tokens::{make_token, organiser, shown_token};

const HOOKS: &str = "/api/v1/webhooks";
const DEMO: &str = "release-cai-guangye";

/// The app and its OpenAPI document.
struct Api {
    app: TestApp,
    doc: ApiDocument,
}

impl Api {
    async fn spawn(db: &TestDb, allow_private: bool) -> Self {
        let app =
            TestApp::spawn_with(db, Options { webhook_allow_private: allow_private, ..Options::default() })
                .await;
        let doc = ApiDocument::fetch(&app).await;
        Self { app, doc }
    }

    /// `method path` with the token (if any) and the body (if any), checked against the document.
    async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Page {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.app.client.request(method.clone(), format!("{}{path}", self.app.base));
        if let Some(token) = token {
            request = request.header("osdi-api-token", token);
        }
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_string());
        }
        let page = Page::from(request.send().await.unwrap()).await;
        self.doc.check(method.as_str(), path, &page);
        page
    }

    async fn create(&self, token: &str, body: Value) -> Page {
        self.call("POST", HOOKS, Some(token), Some(body)).await
    }

    async fn list(&self, token: &str) -> Value {
        let page = self.call("GET", HOOKS, Some(token), None).await;
        assert_eq!(page.status, 200, "{}", page.body);
        serde_json::from_str::<Value>(&page.body).unwrap()["webhooks"].clone()
    }
}

fn problem(page: &Page) -> Value {
    assert_eq!(page.header("content-type"), "application/problem+json", "{}", page.body);
    serde_json::from_str(&page.body).unwrap()
}

/// The fields a 400 names.
fn refused_fields(page: &Page) -> Vec<String> {
    assert_eq!(page.status, 400, "{}", page.body);
    problem(page)["invalid-params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

fn endpoint(url: &str) -> Value {
    json!({"campaign": DEMO, "url": url, "events": ["signature.confirmed", "campaign.milestone"]})
}

async fn other_campaign(store: &dyn Store) -> i64 {
    let mut other = demo();
    other.content.slug = Slug::parse("s", "second-campaign").unwrap();
    other.content.status = CampaignStatus::Open;
    other.endorsements.clear();
    store.import_campaigns(&[other]).await.unwrap()[0]
}

async fn endpoints_are_managed_with_a_token_that_has_webhooks_manage(db: &TestDb) {
    let api = Api::spawn(db, true).await;
    let app = &api.app;
    let store = db.store().await;
    let second = other_campaign(store.as_ref()).await;
    let owner = organiser(app, store.as_ref(), "owner@example.org", Some(Role::Owner), false).await;
    let token = |page: Page| shown_token(&page).expect("a token");
    let hooks = token(make_token(&owner, "Hooks", DEMO, &["webhooks_manage"]).await);
    let with_pii = token(make_token(&owner, "Hooks and PII", DEMO, &["webhooks_manage", "pii_read"]).await);
    let reader = token(make_token(&owner, "Reader", DEMO, &[]).await);

    // No token, the wrong scope, another campaign.
    assert_eq!(api.call("GET", HOOKS, None, None).await.status, 401);
    let refused = api.call("GET", HOOKS, Some(&reader), None).await;
    assert_eq!(refused.status, 403);
    assert!(problem(&refused)["detail"].as_str().unwrap().contains("webhooks:manage"));
    assert_eq!(api.create(&reader, endpoint("http://127.0.0.1:9/hook")).await.status, 403);
    let elsewhere = json!({"campaign": "second-campaign", "url": "http://127.0.0.1:9/", "events": ["signature.confirmed"]});
    assert_eq!(api.create(&hooks, elsewhere).await.status, 403);
    assert_eq!(api.list(&hooks).await, json!([]));

    // Personal data only with pii:read too: a 403 naming the field.
    let personal = json!({"campaign": DEMO, "url": "http://127.0.0.1:9/", "events": ["signature.confirmed"], "personal_data": true});
    let refused = api.create(&hooks, personal.clone()).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(problem(&refused)["invalid-params"][0]["name"], "personal_data");

    // Bad bodies, each field named.
    let mut unknown = endpoint("http://127.0.0.1:9/");
    unknown["colour"] = json!("red");
    assert_eq!(refused_fields(&api.create(&hooks, unknown).await), ["colour"]);
    let mut wrong = endpoint("http://127.0.0.1:9/");
    wrong["events"] = json!("signature.confirmed");
    assert_eq!(refused_fields(&api.create(&hooks, wrong).await), ["events"]);
    let mut wrong = endpoint("http://127.0.0.1:9/");
    wrong["personal_data"] = json!("yes");
    assert_eq!(refused_fields(&api.create(&hooks, wrong).await), ["personal_data"]);
    let bad = json!({"campaign": DEMO, "url": "ftp://example.org/", "events": ["signature.confirmed", "webhook.test"]});
    assert_eq!(refused_fields(&api.create(&hooks, bad).await), ["events[1]", "url"]);
    let none = json!({"campaign": DEMO, "url": "http://127.0.0.1:9/", "events": []});
    assert_eq!(refused_fields(&api.create(&hooks, none).await), ["events"]);
    assert_eq!(refused_fields(&api.create(&hooks, json!({"url": "x"})).await), ["campaign"]);
    assert_eq!(api.list(&hooks).await, json!([]), "nothing written");

    // Registered: 201, its address, its secret this once.
    let made = api.create(&hooks, endpoint("http://127.0.0.1:9/hook")).await;
    assert_eq!((made.status, made.header("cache-control")), (201, "no-store"), "{}", made.body);
    let location = made.header("location").to_owned();
    let made: Value = serde_json::from_str(&made.body).unwrap();
    assert_eq!(location, format!("{}{HOOKS}/{}", app.base, made["id"]));
    assert!(made["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(made["events"], json!(["signature.confirmed", "campaign.milestone"]));
    assert_eq!((&made["state"], &made["personal_data"]), (&json!("active"), &json!(false)));
    let id = made["id"].as_i64().unwrap();
    let with_data = api.create(&with_pii, personal).await;
    assert_eq!(with_data.status, 201, "{}", with_data.body);

    // Listed and read, never with the secret.
    let listed = api.list(&hooks).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!((&listed[0]["id"], &listed[0]["campaign"]), (&json!(id), &json!(DEMO)));
    assert_eq!(listed[1]["personal_data"], json!(true));
    let one = api.call("GET", &format!("{HOOKS}/{id}"), Some(&hooks), None).await;
    assert_eq!(one.status, 200);
    assert!(!one.body.contains("whsec_") && !serde_json::to_string(&listed).unwrap().contains("whsec_"));

    // A test event: queued, and in the organisers' delivery log.
    let queued = api.call("POST", &format!("{HOOKS}/{id}/test"), Some(&hooks), None).await;
    assert_eq!(queued.status, 202, "{}", queued.body);
    let delivery = serde_json::from_str::<Value>(&queued.body).unwrap()["delivery"].as_i64().unwrap();
    let log = owner.get(&format!("/organise/c/{DEMO}/webhooks/{id}")).await;
    assert!(
        log.body.contains(&format!("id=\"delivery-{delivery}\""))
            && log.body.contains("<code>webhook.test</code>"),
        "{}",
        log.body
    );

    // Another campaign's endpoint is not found; a site-wide token sees both campaigns'.
    let theirs = NewEndpoint {
        campaign_id: second,
        url: WebhookUrl::parse("url", "https://example.org/theirs", false).unwrap(),
        events: EventSet::of([WebhookEvent::SignatureConfirmed]),
        personal_data: false,
        secret: WebhookSecret::generate(),
        now: now(),
        organisation_id: None,
    };
    let theirs = store.create_webhook(&theirs).await.unwrap();
    for (method, path) in [
        ("GET", format!("{HOOKS}/{theirs}")),
        ("DELETE", format!("{HOOKS}/{theirs}")),
        ("POST", format!("{HOOKS}/{theirs}/test")),
        ("GET", format!("{HOOKS}/not-a-number")),
    ] {
        assert_eq!(api.call(method, &path, Some(&hooks), None).await.status, 404, "{method} {path}");
    }
    let admin = organiser(app, store.as_ref(), "admin@example.org", None, true).await;
    let site = token(make_token(&admin, "Site hooks", "site", &["webhooks_manage"]).await);
    let all = api.list(&site).await;
    let campaigns: Vec<&str> =
        all.as_array().unwrap().iter().map(|e| e["campaign"].as_str().unwrap()).collect();
    assert!(campaigns.contains(&"second-campaign") && campaigns.contains(&DEMO), "{all}");

    // Deleted: 204, gone.
    let deleted = api.call("DELETE", &format!("{HOOKS}/{id}"), Some(&hooks), None).await;
    assert_eq!((deleted.status, deleted.body.as_str()), (204, ""));
    assert_eq!(api.call("DELETE", &format!("{HOOKS}/{id}"), Some(&hooks), None).await.status, 404);
    assert_eq!(api.list(&hooks).await.as_array().unwrap().len(), 1);

    // For programs, not for other sites' pages: no CORS.
    let listing =
        app.get_with(HOOKS, &[("osdi-api-token", &hooks), ("origin", "https://elsewhere.example")]).await;
    assert_eq!(listing.header("access-control-allow-origin"), "");
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, format!("{}{HOOKS}", app.base))
        .header("origin", "https://elsewhere.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(preflight.headers().get("access-control-allow-origin").is_none());
    assert_ne!(preflight.status(), 204);

    // Each change in the audit log, as the token's owner's, naming the token.
    let audit = admin.get("/organise/audit").await.body;
    for action in ["webhook-create", "webhook-test", "webhook-delete"] {
        assert!(audit.contains(action), "{action}");
    }
    assert!(audit.contains("through API token #") && audit.contains("Hooks and PII"));
    assert!(audit.contains("owner@example.org") && !audit.contains("whsec_"));
    api.app.stop().await;
}

async fn a_private_address_is_refused_through_the_api_too(db: &TestDb) {
    let api = Api::spawn(db, false).await;
    let store = db.store().await;
    let owner = organiser(&api.app, store.as_ref(), "owner@example.org", Some(Role::Owner), false).await;
    let hooks = shown_token(&make_token(&owner, "Hooks", DEMO, &["webhooks_manage"]).await).unwrap();
    for (url, says) in [
        ("https://127.0.0.1/hook", "127.0.0.1 is a private or reserved address"),
        ("https://10.1.2.3/", "10.1.2.3 is a private or reserved address"),
        ("https://[fd00::1]/", "fd00::1 is a private or reserved address"),
        ("http://example.org/", "https://"),
    ] {
        let page = api.create(&hooks, endpoint(url)).await;
        assert_eq!(refused_fields(&page), ["url"], "{url}");
        let reason = problem(&page)["invalid-params"][0]["reason"].as_str().unwrap().to_owned();
        assert!(reason.contains(says), "{url}: {reason}");
    }
    assert_eq!(api.list(&hooks).await, json!([]));
    api.app.stop().await;
}

on_both_backends!(
    endpoints_are_managed_with_a_token_that_has_webhooks_manage,
    a_private_address_is_refused_through_the_api_too,
);
