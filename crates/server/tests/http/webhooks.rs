//! Webhooks over HTTP, on both backends, with a real HTTP server of the test's own receiving the
//! deliveries and checking each signature with its own HMAC (not the server's code): an
//! organiser registers an endpoint on its page, a signature signed and confirmed through the form
//! and the mail arrives as one signed `signature.confirmed`, its withdrawal as
//! `signature.withdrawn`; a receiver that fails is retried with the same id; a delivery survives
//! the server's stop and a server killed while sending it; private addresses are refused unless
//! the operator allows them, at registration and before delivery; personal data goes only where
//! whoever registered the endpoint may export it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use undersigned::config::Options;
use undersigned_core::Slug;
use undersigned_core::account::Role;
use undersigned_core::clock::now;
use undersigned_core::webhook::{EventSet, NewEndpoint, WebhookEvent, WebhookSecret, WebhookUrl};
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, Page, TestApp};

const DEMO: &str = "/c/release-cai-guangye";
const HOOKS: &str = "/organise/c/release-cai-guangye/webhooks";
const PASSWORD: &str = "a long enough password";

/// What the receiver answers to the next request.
#[derive(Clone, Copy, Debug)]
enum Reply {
    Status(u16),
    /// Never answers (until the connection is dropped).
    Hang,
}

/// A request the receiver got, and what it answered.
#[derive(Clone, Debug)]
pub(crate) struct Received {
    id: String,
    timestamp: String,
    signature: String,
    user_agent: String,
    content_type: String,
    body: Vec<u8>,
    answered: Option<u16>,
}

impl Received {
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct Inbox {
    received: Vec<Received>,
    script: VecDeque<Reply>,
}

/// A webhook receiver on 127.0.0.1: axum, answering 200 unless told otherwise.
#[derive(Clone)]
pub(crate) struct Receiver {
    pub(crate) url: String,
    inbox: Arc<Mutex<Inbox>>,
}

async fn receive(
    State(inbox): State<Arc<Mutex<Inbox>>>,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let reply = {
        let mut inbox = inbox.lock().unwrap();
        let reply = inbox.script.pop_front().unwrap_or(Reply::Status(200));
        inbox.received.push(Received {
            id: header("webhook-id"),
            timestamp: header("webhook-timestamp"),
            signature: header("webhook-signature"),
            user_agent: header("user-agent"),
            content_type: header("content-type"),
            body: body.to_vec(),
            answered: match reply {
                Reply::Status(status) => Some(status),
                Reply::Hang => None,
            },
        });
        reply
    };
    match reply {
        Reply::Status(status) => {
            (StatusCode::from_u16(status).unwrap(), "<h1>the receiver says so</h1>\n").into_response()
        }
        Reply::Hang => std::future::pending().await,
    }
}

impl Receiver {
    pub(crate) async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let app = axum::Router::new().route("/hook", axum::routing::post(receive)).with_state(inbox.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, inbox }
    }

    /// The next requests are answered so, in order (then 200).
    fn script(&self, replies: &[Reply]) {
        self.inbox.lock().unwrap().script = replies.iter().copied().collect();
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().received.clone()
    }

    /// Waits up to 30 s for `count` requests in all.
    pub(crate) async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..600 {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{count} deliveries did not arrive: {:#?}", self.received());
    }
}

/// Checks a delivery's signature with the secret as the organiser copied it, the Standard
/// Webhooks way, by hand: one of the `v1,` signatures is the HMAC-SHA256 of `{id}.{timestamp}.{body}`,
/// and the timestamp is now.
fn signed_with(secret: &str, r: &Received) -> bool {
    let key = STANDARD.decode(secret.strip_prefix("whsec_").expect("a whsec_ secret")).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.", r.id, r.timestamp).as_bytes());
    mac.update(&r.body);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    let timestamp: i64 = r.timestamp.parse().expect("a timestamp in seconds");
    (timestamp - now().unix_timestamp()).abs() < 300 && r.signature.split(' ').any(|s| s == expected)
}

/// Webhooks to this machine allowed, retried within a second or two, and mail to a sink.
pub(crate) fn options(sink: &SmtpSink) -> Options {
    Options {
        smtp_url: Some(sink.url()),
        webhook_allow_private: true,
        webhook_retry_schedule: Some("1s,1s,1s".into()),
        webhook_timeout_seconds: Some(2),
        webhook_lease_seconds: Some(8),
        ..Default::default()
    }
}

/// An organiser logged in: an admin, or an account with a role on the demo campaign.
async fn organiser(app: &TestApp, db: &TestDb, email: &str, role: Option<Role>) -> Browser {
    let store = db.store().await;
    let (_, id) = undersigned::add_user(store.as_ref(), email, None, role.is_none(), PASSWORD).await.unwrap();
    if let Some(role) = role {
        let campaign =
            store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
        store.set_role(campaign.id, id, Some(role)).await.unwrap();
    }
    let browser = app.new_browser();
    let page = browser.submit("/login", "/login", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    browser
}

/// Registers an endpoint through the form; the page that shows its secret, once.
async fn register(browser: &Browser, url: &str, fields: &[(&str, &str)]) -> Page {
    browser.submit(HOOKS, HOOKS, &[&[("url", url)], fields].concat()).await
}

/// A page's text with the escapes of its template undone.
fn text(page: &Page) -> String {
    [
        ("&#x2f;", "/"),
        ("&#x27;", "'"),
        ("&#39;", "'"),
        ("&quot;", "\""),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(page.body.clone(), |text, (escaped, plain)| text.replace(escaped, plain))
}

/// The secret a page shows, and the endpoint's page.
fn secret_and_page(page: &Page) -> (String, String) {
    let body = text(page);
    let start = body.find("<code class=\"secret\">").unwrap_or_else(|| panic!("no secret in {body}"))
        + "<code class=\"secret\">".len();
    let secret = body[start..start + body[start..].find('<').unwrap()].to_owned();
    let action = body.find("/test\"").expect("the test button");
    let id_start = body[..action].rfind('/').unwrap() + 1;
    (secret, format!("{HOOKS}/{}", &body[id_start..action]))
}

async fn sign_and_confirm(app: &TestApp, sink: &SmtpSink, email: &str, name: &str) {
    let fields =
        [("name", name), ("email", email), ("country", "HK"), ("display", "full"), ("opt_in", "yes")];
    assert_eq!(app.submit(DEMO, &format!("{DEMO}/sign"), &fields).await.status, 303);
    let mail = sink.one_for(email).await;
    let path = app.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).expect("a confirm link"));
    let page = app.get(&path).await;
    assert_eq!(app.post(&path, &[("csrf", &page.csrf())]).await.status, 303);
}

async fn a_confirmed_then_withdrawn_signature_reaches_the_endpoint_signed(db: &TestDb) {
    let sink = SmtpSink::start();
    let receiver = Receiver::start().await;
    let app = TestApp::spawn_with(db, options(&sink)).await;
    let admin = organiser(&app, db, "admin@example.org", None).await;
    let list = admin.get(HOOKS).await;
    assert_eq!(list.first("h1"), "Webhooks");
    assert!(list.body.contains("This campaign has no webhooks yet."));
    let events = [("signature_confirmed", "on"), ("signature_withdrawn", "on"), ("personal_data", "on")];
    let created = register(&admin, &receiver.url, &events).await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(created.header("cache-control"), "no-store", "no cache keeps the secret");
    let (secret, endpoint) = secret_and_page(&created);
    assert!(secret.starts_with("whsec_") && STANDARD.decode(&secret[6..]).unwrap().len() == 32);
    assert!(!text(&admin.get(&endpoint).await).contains(&secret), "the secret is shown once");

    sign_and_confirm(&app, &sink, "signer@example.org", "Chan Tai Man").await;
    let confirmed = receiver.wait_for(1).await.remove(0);
    assert!(signed_with(&secret, &confirmed), "{confirmed:?}");
    assert_eq!(
        (confirmed.user_agent.as_str(), confirmed.content_type.as_str()),
        ("Undersigned", "application/json")
    );
    let body = confirmed.json();
    assert_eq!(body["type"], "signature.confirmed");
    assert_eq!(body["data"]["idempotency_key"], confirmed.id.as_str());
    assert_eq!(body["data"]["campaign"]["slug"], "release-cai-guangye");
    let osdi = &body["data"]["osdi:signature"];
    let person = &osdi["person"];
    assert_eq!(person["given_name"], "Chan Tai Man");
    assert_eq!(person["email_addresses"][0]["address"], "signer@example.org");
    assert_eq!(person["email_addresses"][0]["status"], "subscribed", "the signer asked for news");
    assert_eq!(person["postal_addresses"][0]["country"], "HK");
    assert!(
        osdi["_links"]["osdi:petition"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/api/v1/campaigns/release-cai-guangye")
    );
    let identifier = osdi["identifiers"][0].as_str().unwrap().to_owned();
    assert!(identifier.starts_with("undersigned:signature-"), "{identifier}");

    // Withdrawn from the emailed link: its identifiers, nothing of the person (the row is gone).
    let mail = sink.one_for("signer@example.org").await;
    let path = app.path_of(&mail.link(&format!("{}/s/withdraw/", app.base)).unwrap());
    let page = app.get(&path).await;
    assert_eq!(app.post(&path, &[("csrf", &page.csrf())]).await.status, 303);
    let withdrawn = receiver.wait_for(2).await.remove(1);
    assert!(signed_with(&secret, &withdrawn));
    assert_ne!(withdrawn.id, confirmed.id);
    let body = withdrawn.json();
    assert_eq!(body["type"], "signature.withdrawn");
    assert_eq!(body["data"]["osdi:signature"]["identifiers"][0], identifier.as_str());
    assert!(body["data"]["osdi:signature"].get("person").is_none());
    assert!(!String::from_utf8_lossy(&withdrawn.body).contains("signer@example.org"));

    // The page lists both, delivered; the list shows the endpoint; the audit log its creation.
    let log = text(&admin.get(&endpoint).await);
    assert_eq!(log.matches("Delivered").count(), 2, "{log}");
    assert!(log.contains("signature.withdrawn") && log.contains(&confirmed.id));
    let list = text(&admin.get(HOOKS).await);
    assert!(
        list.contains(&receiver.url) && list.contains("Active") && list.contains("Names and email addresses")
    );
    let audit = admin.get("/organise/audit").await.body;
    assert!(audit.contains("webhook-create") && audit.contains("personal data: yes"), "{audit}");
    assert_eq!(receiver.received().len(), 2, "nothing more");
    app.stop().await;
}

async fn a_failing_receiver_is_retried_with_the_same_id_and_the_page_says_so(db: &TestDb) {
    let sink = SmtpSink::start();
    let receiver = Receiver::start().await;
    let app = TestApp::spawn_with(db, options(&sink)).await;
    let admin = organiser(&app, db, "admin@example.org", None).await;
    let (secret, endpoint) =
        secret_and_page(&register(&admin, &receiver.url, &[("campaign_milestone", "on")]).await);
    receiver.script(&[Reply::Status(500), Reply::Status(500)]);
    let page = admin.get(&endpoint).await;
    let test = admin.post(&format!("{endpoint}/test"), &[("csrf", &page.csrf())]).await;
    assert_eq!((test.status, test.location()), (303, endpoint.as_str()));
    let tries = receiver.wait_for(3).await;
    assert_eq!(tries.iter().map(|r| r.answered).collect::<Vec<_>>(), [Some(500), Some(500), Some(200)]);
    assert!(tries.iter().all(|r| r.id == tries[0].id && signed_with(&secret, r)), "{tries:#?}");
    assert_eq!(tries[0].json()["type"], "webhook.test");
    assert_eq!(tries[0].json()["data"]["idempotency_key"], tries[0].id.as_str());
    for _ in 0..100 {
        if admin.get(&endpoint).await.body.contains("Delivered") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let log = admin.get(&endpoint).await.body;
    assert!(log.contains("Delivered") && log.contains("HTTP 200"), "{log}");

    // Rotated: the new secret is shown once, and both sign for a day.
    let page = admin.get(&endpoint).await;
    let rotated = admin.post(&format!("{endpoint}/rotate-secret"), &[("csrf", &page.csrf())]).await;
    let (new_secret, _) = secret_and_page(&rotated);
    assert_ne!(new_secret, secret);
    // Failing for good: each attempt's answer shown, then given up, the endpoint disabled.
    receiver.script(&[Reply::Status(503); 4]);
    admin.post(&format!("{endpoint}/test"), &[("csrf", &page.csrf())]).await;
    let tries = receiver.wait_for(7).await;
    assert!(tries[3..].iter().all(|r| signed_with(&new_secret, r) && signed_with(&secret, r)));
    let mut raw = String::new();
    for _ in 0..100 {
        raw = admin.get(&endpoint).await.body;
        if raw.contains("Given up") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(raw.contains("&lt;h1&gt;the receiver says so"), "an excerpt of the answer, as text: {raw}");
    let log = text(&Page { body: raw, status: 200, headers: Default::default() });
    assert!(log.contains("Given up") && log.contains("HTTP 503"), "{log}");
    assert!(log.contains("Disabled after failing"), "nothing delivered since it was queued: {log}");
    // Resumed, and the failed one retried now, with its id.
    let failed_id = tries[3].id.clone();
    admin.post(&format!("{endpoint}/resume"), &[("csrf", &page.csrf())]).await;
    let end = log.find("/retry\"").expect("a retry button");
    let retry = format!("{}/retry", log[..end].rsplit('"').next().unwrap());
    assert_eq!(admin.post(&retry, &[("csrf", &page.csrf())]).await.status, 303);
    let again = receiver.wait_for(8).await.remove(7);
    assert_eq!((again.id.as_str(), again.answered), (failed_id.as_str(), Some(200)));

    // Paused, then deleted; the forged button does nothing.
    assert_eq!(admin.post(&format!("{endpoint}/pause"), &[("csrf", "forged")]).await.status, 403);
    admin.post(&format!("{endpoint}/pause"), &[("csrf", &page.csrf())]).await;
    assert!(admin.get(HOOKS).await.body.contains("Paused"));
    let deleted = admin.post(&format!("{endpoint}/delete"), &[("csrf", &page.csrf())]).await;
    assert_eq!((deleted.status, deleted.location()), (303, HOOKS));
    assert_eq!(admin.get(&endpoint).await.status, 404);
    let audit = admin.get("/organise/audit").await.body;
    for action in [
        "webhook-test",
        "webhook-rotate-secret",
        "webhook-disabled",
        "webhook-resume",
        "webhook-retry",
        "webhook-pause",
        "webhook-delete",
    ] {
        assert!(audit.contains(action), "{action} missing from the audit log");
    }
    app.stop().await;
}

async fn deliveries_survive_a_restart_mid_retry_once_per_event(db: &TestDb) {
    let sink = SmtpSink::start();
    let receiver = Receiver::start().await;
    let first = TestApp::spawn_with(
        db,
        Options { webhook_retry_schedule: Some("2s,2s,2s,2s".into()), ..options(&sink) },
    )
    .await;
    let admin = organiser(&first, db, "admin@example.org", None).await;
    let (secret, _) =
        secret_and_page(&register(&admin, &receiver.url, &[("signature_confirmed", "on")]).await);
    receiver.script(&[Reply::Status(500); 50]);
    sign_and_confirm(&first, &sink, "one@example.org", "One").await;
    sign_and_confirm(&first, &sink, "two@example.org", "Two").await;
    receiver.wait_for(2).await;
    // Stopped while both wait for their retry; started again on the same database.
    first.stop().await;
    receiver.script(&[]);
    let second = TestApp::spawn_with(db, options(&sink)).await;
    for _ in 0..600 {
        if receiver.received().iter().filter(|r| r.answered == Some(200)).count() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let all = receiver.received();
    let mut ids: Vec<&str> = all.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 2, "one id per event: {all:#?}");
    for id in ids {
        let ok = all.iter().filter(|r| r.id == id && r.answered == Some(200)).count();
        assert_eq!(ok, 1, "{id} delivered once");
    }
    assert!(all.iter().all(|r| signed_with(&secret, r)));
    second.stop().await;
}

/// The `undersigned` binary, sending webhooks to this machine with a short timeout and lease.
fn serve(db: &TestDb, data_dir: &std::path::Path, port: u16) -> std::process::Child {
    let extra = ["--webhook-allow-private", "--webhook-timeout-seconds", "1", "--webhook-lease-seconds", "7"];
    crate::support::process::serve(Some(&db.url), data_dir, port, &extra).spawn().unwrap()
}

async fn a_delivery_held_by_a_server_that_died_goes_after_its_lease(db: &TestDb) {
    let receiver = Receiver::start().await;
    let store = db.store().await;
    store.import_campaigns(&[undersigned_store_tests::conformance::demo()]).await.unwrap();
    let campaign =
        store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
    let secret = WebhookSecret::generate();
    let endpoint = NewEndpoint {
        campaign_id: campaign.id,
        url: WebhookUrl::parse("url", &receiver.url, true).unwrap(),
        events: EventSet::of([WebhookEvent::SignatureConfirmed]),
        personal_data: false,
        secret: secret.clone(),
        now: now(),
        organisation_id: None,
    };
    let id = store.create_webhook(&endpoint).await.unwrap();
    store.queue_webhook_test(campaign.id, id, now()).await.unwrap().unwrap();
    // The first attempt hangs; the server is killed while it waits.
    receiver.script(&[Reply::Hang]);
    let dir = tempfile::tempdir().unwrap();
    let port = crate::support::process::free_port();
    let mut server = serve(db, dir.path(), port);
    let held = receiver.wait_for(1).await.remove(0);
    server.kill().unwrap();
    server.wait().unwrap();
    let killed_at = std::time::Instant::now();
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, options(&sink)).await;
    let again = receiver.wait_for(2).await.remove(1);
    assert!(killed_at.elapsed() >= Duration::from_secs(4), "not before the lease ran out");
    assert_eq!((again.id.as_str(), again.answered), (held.id.as_str(), Some(200)));
    assert!(signed_with(&secret.encoded(), &again));
    app.stop().await;
}

async fn private_addresses_are_refused_unless_the_operator_allows_them(db: &TestDb) {
    let sink = SmtpSink::start();
    let receiver = Receiver::start().await;
    let strict = Options { webhook_allow_private: false, ..options(&sink) };
    let app = TestApp::spawn_with(db, strict).await;
    let admin = organiser(&app, db, "admin@example.org", None).await;
    for (url, says) in [
        ("https://127.0.0.1/hook", "127.0.0.1"),
        ("https://localhost:8443/hook", "in this server's own network"),
        ("https://10.1.2.3/", "10.1.2.3"),
        ("https://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("https://[::ffff:192.168.0.1]/", "192.168.0.1"),
        ("https://[fd00::1]/", "fd00::1"),
        (receiver.url.as_str(), "Enter an https:// address"),
    ] {
        let refused = register(&admin, url, &[("signature_confirmed", "on")]).await;
        assert_eq!(refused.status, 422, "{url}");
        let page = Page { body: text(&refused), ..refused };
        let error = page.field_error("url").unwrap_or_else(|| panic!("no error for {url}"));
        assert!(error.contains(says), "{url}: {error}");
        assert_eq!(page.input_value("url").as_deref(), Some(url), "what was typed is kept");
    }
    let none = register(&admin, "https://example.org/hook", &[]).await;
    assert_eq!(none.field_error("events").as_deref(), Some("Choose at least one event."));
    let forged = admin
        .post(HOOKS, &[("url", "https://example.org/"), ("signature_confirmed", "on"), ("csrf", "x")])
        .await;
    assert_eq!(forged.status, 403);
    assert!(admin.get(HOOKS).await.body.contains("This campaign has no webhooks yet."));

    // One registered while it was allowed is refused again before each delivery.
    let store = db.store().await;
    let campaign =
        store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
    let port = receiver.url.split(':').nth(2).unwrap().split('/').next().unwrap();
    let endpoint = NewEndpoint {
        campaign_id: campaign.id,
        url: WebhookUrl::parse("url", &format!("https://127.0.0.1:{port}/hook"), false).unwrap(),
        events: EventSet::of([WebhookEvent::SignatureConfirmed]),
        personal_data: false,
        secret: WebhookSecret::generate(),
        now: now(),
        organisation_id: None,
    };
    let id = store.create_webhook(&endpoint).await.unwrap();
    store.queue_webhook_test(campaign.id, id, now()).await.unwrap();
    let page = format!("{HOOKS}/{id}");
    let mut log = String::new();
    for _ in 0..200 {
        log = text(&admin.get(&page).await);
        if log.contains("refused:") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(log.contains("refused: 127.0.0.1 is a private or reserved address"), "{log}");
    assert!(receiver.received().is_empty());
    app.stop().await;

    // Allowed by the operator: the same address is taken.
    let app = TestApp::spawn_with(db, options(&sink)).await;
    let admin = organiser(&app, db, "admin2@example.org", None).await;
    let created = register(&admin, &receiver.url, &[("signature_confirmed", "on")]).await;
    assert_eq!(created.status, 200);
    assert!(created.body.contains("whsec_"));
    app.stop().await;
}

async fn personal_data_goes_only_where_its_exporter_sent_it(db: &TestDb) {
    let sink = SmtpSink::start();
    let receiver = Receiver::start().await;
    let app = TestApp::spawn_with(db, options(&sink)).await;
    let moderator = organiser(&app, db, "mod@example.org", Some(Role::Moderator)).await;
    assert_eq!(moderator.get(HOOKS).await.status, 403);
    let editor = organiser(&app, db, "editor@example.org", Some(Role::Editor)).await;
    let page = editor.get(HOOKS).await;
    assert!(
        text(&page).contains("needs the right to export them")
            && !page.body.contains("name=\"personal_data\"")
    );
    let refused =
        register(&editor, &receiver.url, &[("signature_confirmed", "on"), ("personal_data", "on")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("personal_data").is_some_and(|e| e.contains("Only those who may export")));
    let (secret, _) =
        secret_and_page(&register(&editor, &receiver.url, &[("signature_confirmed", "on")]).await);
    sign_and_confirm(&app, &sink, "private@example.org", "Private Person").await;
    let delivery = receiver.wait_for(1).await.remove(0);
    assert!(signed_with(&secret, &delivery));
    let text = String::from_utf8_lossy(&delivery.body);
    assert!(!text.contains("private@example.org") && !text.contains("Private Person"), "{text}");
    let osdi = &delivery.json()["data"]["osdi:signature"];
    assert!(osdi.get("person").is_none() && osdi.get("comments").is_none());
    assert!(osdi["identifiers"][0].as_str().unwrap().starts_with("undersigned:signature-"));
    assert!(osdi["modified_date"].is_string(), "when it was confirmed");
    assert!(editor.get(HOOKS).await.body.contains("Identifiers and links only"));
    app.stop().await;
}

on_both_backends!(
    a_confirmed_then_withdrawn_signature_reaches_the_endpoint_signed,
    a_failing_receiver_is_retried_with_the_same_id_and_the_page_says_so,
    deliveries_survive_a_restart_mid_retry_once_per_event,
    a_delivery_held_by_a_server_that_died_goes_after_its_lease,
    private_addresses_are_refused_unless_the_operator_allows_them,
    personal_data_goes_only_where_its_exporter_sent_it,
);
