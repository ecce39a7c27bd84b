//! The OSDI API over HTTP, on both backends, with mail received by a real SMTP server, as a CRM
//! and a sign form on another site meet it: the entry point; the public campaigns as petitions in
//! the language asked for; a campaign's signatures for a token for it (signers' data only with
//! pii:read), paged and filtered; people; the record signature helper without a token (a pending
//! signature through the sign form's path, the same answer whatever the address) and with one (an
//! offline signature, audited). Every answer is checked against the OpenAPI document.

use serde_json::{Value, json};
use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_core::signature::NameDisplay;
use undersigned_core::store::now;
use undersigned_core::{CampaignStatus, Slug, Store};
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::conformance::{demo, record};
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::openapi::ApiDocument;
use crate::support::{Page, TestApp};
use crate::tokens::{demo_id, make_token, organiser, shown_token};

const AEP: &str = "/api/osdi/v1";
const PETITION: &str = "/api/osdi/v1/petitions/release-cai-guangye";
const SIGNATURES: &str = "/api/osdi/v1/petitions/release-cai-guangye/signatures";
const HELPER: &str = "/api/osdi/v1/petitions/release-cai-guangye/signatures/record_signature_helper";

/// The app, its OpenAPI document, and its mail.
struct Osdi {
    app: TestApp,
    doc: ApiDocument,
    sink: SmtpSink,
}

impl Osdi {
    async fn spawn(db: &TestDb, options: Options) -> Self {
        let sink = SmtpSink::start();
        // The secret the fixtures' email keys are made with (`conformance::record`), so that the
        // server finds their signatures by address.
        let secret_key = Some("03".repeat(32));
        let app =
            TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), secret_key, ..options }).await;
        let doc = ApiDocument::fetch(&app).await;
        Self { app, doc, sink }
    }

    /// `GET path` with these headers, checked against the document.
    async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let page = self.app.get_with(path, headers).await;
        self.doc.check("GET", path, &page);
        page
    }

    /// `GET path` with a token, as HAL+JSON (a 200).
    async fn hal(&self, path: &str, token: &str) -> Value {
        self.public(path, &[("osdi-api-token", token)]).await
    }

    /// `GET path` with these headers, as HAL+JSON (a 200).
    async fn public(&self, path: &str, headers: &[(&str, &str)]) -> Value {
        let page = self.get(path, headers).await;
        assert_eq!(
            (page.status, page.header("content-type")),
            (200, "application/hal+json"),
            "{path}: {}",
            page.body
        );
        serde_json::from_str(&page.body).unwrap()
    }

    /// `POST body` to the record signature helper, with a token or without, checked against the document.
    async fn post(&self, path: &str, body: &str, token: Option<&str>) -> Page {
        let mut request = self.app.client.post(format!("{}{path}", self.app.base)).body(body.to_owned());
        request = request.header("content-type", "application/json");
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let page = Page::from(request.send().await.unwrap()).await;
        self.doc.check("POST", path, &page);
        page
    }
}

fn problem(page: &Page) -> Value {
    assert_eq!(page.header("content-type"), "application/problem+json", "{}", page.body);
    serde_json::from_str(&page.body).unwrap()
}

/// A path of the site from a link in an answer.
fn path(app: &TestApp, link: &Value) -> String {
    app.path_of(link.as_str().unwrap_or_else(|| panic!("not a link: {link}")))
}

/// Confirmed signatures of the demo from these addresses (the first asks for news); their ids.
async fn confirmed(store: &dyn Store, emails: &[&str]) -> Vec<i64> {
    let campaign = demo_id(store).await;
    let mut ids = Vec::new();
    for (i, email) in emails.iter().enumerate() {
        let mut r = record(campaign, email, "Chan Tai Man", NameDisplay::Hidden);
        r.signer.opt_in = i == 0;
        r.signer.city = Some("Kowloon".into());
        let outcome = store.sign(&r, Default::default()).await.unwrap();
        let undersigned_core::signature::SignOutcome::Created { id } = outcome else { panic!("{outcome:?}") };
        store.confirm_signature(id, now()).await.unwrap();
        ids.push(id);
    }
    ids
}

async fn another_campaign(store: &dyn Store, slug: &str, status: CampaignStatus) -> i64 {
    let mut other = demo();
    other.content.slug = Slug::parse("s", slug).unwrap();
    other.content.status = status;
    other.endorsements.clear();
    store.import_campaigns(&[other]).await.unwrap()[0]
}

async fn petitions_read_as_the_public_pages_in_the_language_asked(db: &TestDb) {
    let osdi = Osdi::spawn(db, Options::default()).await;
    let store = db.store().await;
    let aep = osdi.public(AEP, &[]).await;
    assert_eq!((&aep["osdi_version"], &aep["max_pagesize"]), (&json!("1.2.0"), &json!(100)));
    let curies: Vec<&str> =
        aep["_links"]["curies"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(curies, ["osdi", "undersigned"]);
    assert!(
        aep["_links"]["osdi:signatures"].is_null() && aep["_links"]["undersigned:token"].is_null(),
        "no token, no private links"
    );

    let list = osdi.public(&path(&osdi.app, &aep["_links"]["osdi:petitions"]["href"]), &[]).await;
    assert_eq!(
        (&list["total_records"], &list["total_pages"], &list["page"], &list["per_page"]),
        (&json!(1), &json!(1), &json!(1), &json!(25))
    );
    let petition = &list["_embedded"]["osdi:petitions"][0];
    assert_eq!(petition["title"], "Free Cai Guangye, jailed for writing about laid-off workers");
    assert_eq!(
        (&petition["total_signatures"], &petition["undersigned:language"]),
        (&json!(15), &json!("en"))
    );
    assert_eq!(petition["target"][0]["name"], "The Government of the People’s Republic of China");
    assert!(petition["petition_text"].as_str().unwrap().starts_with("1. Release Cai Guangye immediately."));
    assert!(petition["description"].as_str().unwrap().contains("<strong>Cai Guangye</strong>"));
    assert_eq!(petition["undersigned:translations"][0]["language"], "zh-Hant");
    assert_eq!(petition["browser_url"], format!("{}/c/release-cai-guangye?lang=en", osdi.app.base));
    assert!(petition["identifiers"][0].as_str().unwrap().starts_with("undersigned:127.0.0.1:"));
    assert_eq!(list["_links"]["osdi:petitions"][0]["href"], petition["_links"]["self"]["href"]);

    // In the language asked for, by parameter or by header; the other in the translations.
    let one = osdi.public(PETITION, &[]).await;
    assert_eq!(one["name"], "release-cai-guangye");
    assert!(one["_links"]["curies"].is_array(), "the curies of the answer's own resource");
    let zh = osdi.public(&format!("{PETITION}?lang=zh-Hant"), &[]).await;
    let zh_page = osdi.app.new_browser().get("/c/release-cai-guangye?lang=zh-Hant").await;
    assert_eq!(
        (zh["title"].as_str().unwrap(), &zh["undersigned:language"]),
        (zh_page.first("h1").as_str(), &json!("zh-Hant"))
    );
    assert_eq!(zh["undersigned:translations"][0]["language"], "en");
    let by_header = osdi.public(PETITION, &[("accept-language", "zh-TW")]).await;
    assert_eq!(by_header["title"], zh["title"]);

    // Pages; drafts are not petitions, withdrawn ones are gone.
    another_campaign(store.as_ref(), "second-campaign", CampaignStatus::Open).await;
    another_campaign(store.as_ref(), "third-campaign", CampaignStatus::Closed).await;
    another_campaign(store.as_ref(), "a-draft", CampaignStatus::Draft).await;
    let first = osdi.public("/api/osdi/v1/petitions?per_page=1", &[]).await;
    assert_eq!((&first["total_records"], &first["total_pages"]), (&json!(3), &json!(3)));
    assert!(first["_links"]["previous"].is_null());
    let second = osdi.public(&path(&osdi.app, &first["_links"]["next"]["href"]), &[]).await;
    assert_eq!(second["page"], 2);
    assert_eq!(osdi.public(&path(&osdi.app, &second["_links"]["previous"]["href"]), &[]).await["page"], 1);
    let all = osdi.public("/api/osdi/v1/petitions?per_page=1000", &[]).await;
    assert_eq!(all["per_page"], 100, "cut to max_pagesize");
    assert!(!all.to_string().contains("a-draft"));
    assert_eq!(osdi.get("/api/osdi/v1/petitions/a-draft", &[]).await.status, 404);
    assert_eq!(osdi.get("/api/osdi/v1/petitions/nobody", &[]).await.status, 404);
    for (query, name) in [("page=0", "page"), ("per_page=x", "per_page"), ("colour=red", "colour")] {
        let page = osdi.get(&format!("/api/osdi/v1/petitions?{query}"), &[]).await;
        assert_eq!(page.status, 400, "{query}");
        assert_eq!(problem(&page)["invalid-params"][0]["name"], name);
    }
    let id = demo_id(store.as_ref()).await;
    let mut content = store.campaign_by_id(id).await.unwrap().unwrap().content;
    content.status = CampaignStatus::Withdrawn;
    store.save_campaign(id, &content, false, now()).await.unwrap();
    assert_eq!(osdi.get(PETITION, &[]).await.status, 410);
    osdi.app.stop().await;
}

async fn signatures_need_a_token_for_the_campaign_and_people_need_pii_read(db: &TestDb) {
    let osdi = Osdi::spawn(db, Options::default()).await;
    let app = &osdi.app;
    let store = db.store().await;
    let other = another_campaign(store.as_ref(), "second-campaign", CampaignStatus::Open).await;
    let ids =
        confirmed(store.as_ref(), &["news@example.org", "quiet@example.org", "third@example.org"]).await;
    let pending = record(demo_id(store.as_ref()).await, "pending@example.org", "Pending", NameDisplay::Full);
    store.sign(&pending, Default::default()).await.unwrap();
    let elsewhere = record(other, "elsewhere@example.org", "Elsewhere", NameDisplay::Full);
    let undersigned_core::signature::SignOutcome::Created { id: elsewhere } =
        store.sign(&elsewhere, Default::default()).await.unwrap()
    else {
        panic!()
    };
    store.confirm_signature(elsewhere, now()).await.unwrap();

    let owner = organiser(app, store.as_ref(), "owner@example.org", Some(Role::Owner), false).await;
    let pii = shown_token(&make_token(&owner, "CRM", "release-cai-guangye", &["pii_read"]).await).unwrap();
    let plain = shown_token(&make_token(&owner, "Counter", "release-cai-guangye", &[]).await).unwrap();
    store
        .set_role(
            other,
            store.user_by_email("owner@example.org").await.unwrap().unwrap().0.id,
            Some(Role::Owner),
        )
        .await
        .unwrap();
    let second = shown_token(&make_token(&owner, "Second", "second-campaign", &["pii_read"]).await).unwrap();

    // With a token, the entry point links the signatures it may read.
    let aep = osdi.hal(AEP, &plain).await;
    assert_eq!(aep["_links"]["osdi:signatures"][0]["href"], format!("{}{SIGNATURES}", app.base));
    assert_eq!(aep["_links"]["osdi:signatures"].as_array().unwrap().len(), 1);

    // No token, another campaign's, one in the address.
    let none = osdi.get(SIGNATURES, &[]).await;
    assert_eq!((none.status, none.header("www-authenticate")), (401, "Bearer realm=\"undersigned\""));
    let wrong = osdi.get(SIGNATURES, &[("osdi-api-token", &second)]).await;
    assert_eq!(
        (wrong.status, problem(&wrong)["detail"].as_str()),
        (403, Some("This token is for another campaign."))
    );
    let leaked = osdi.get(&format!("{SIGNATURES}?osdi-api-token={plain}"), &[]).await;
    assert_eq!(leaked.status, 400);

    // Without pii:read: identifiers, dates and links, nothing about the signers.
    let list = osdi.hal(SIGNATURES, &plain).await;
    assert_eq!((&list["total_records"], &list["page"]), (&json!(3), &json!(1)), "confirmed only");
    let items = list["_embedded"]["osdi:signatures"].as_array().unwrap();
    let listed: Vec<String> = items
        .iter()
        .map(|s| s["identifiers"][0].as_str().unwrap().rsplit('/').next().unwrap().to_owned())
        .collect();
    assert_eq!(
        listed,
        ids.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
        "in the order they last changed"
    );
    let text = list.to_string();
    assert!(
        !text.contains('@')
            && !text.contains("Chan")
            && !text.contains("Kowloon")
            && items[0]["_embedded"].is_null(),
        "{text}"
    );
    assert_eq!(
        items[0]["_links"]["osdi:person"]["href"],
        format!("{}/api/osdi/v1/people/{}", app.base, ids[0])
    );

    // With pii:read: the signers; `subscribed` only for who asked for news, no status for the others.
    let list = osdi.hal(SIGNATURES, &pii).await;
    let items = list["_embedded"]["osdi:signatures"].as_array().unwrap();
    let person = |i: usize| &items[i]["_embedded"]["osdi:person"];
    assert_eq!(
        (&person(0)["given_name"], &person(0)["email_addresses"][0]["address"]),
        (&json!("Chan Tai Man"), &json!("news@example.org"))
    );
    assert_eq!(person(0)["email_addresses"][0]["status"], "subscribed");
    assert_eq!(
        (&items[0]["undersigned:opt_in"], &items[1]["undersigned:opt_in"]),
        (&json!(true), &json!(false))
    );
    let quiet = person(1)["email_addresses"][0].as_object().unwrap();
    assert!(!quiet.contains_key("status"), "never claimed subscribed, nor unsubscribed: {quiet:?}");
    assert!(!list.to_string().contains("unsubscribed"));
    assert_eq!(
        (&person(1)["postal_addresses"][0]["locality"], &person(1)["postal_addresses"][0]["country"]),
        (&json!("Kowloon"), &json!("HK"))
    );
    assert_eq!(items[1]["comments"], "Solidarity");

    // Pages: `next` carries a cursor; a signature that changes meanwhile goes to the end, once.
    let first = osdi.hal(&format!("{SIGNATURES}?per_page=2"), &plain).await;
    assert_eq!((&first["total_pages"], first["_links"]["previous"].is_null()), (&json!(2), true));
    let next = path(app, &first["_links"]["next"]["href"]);
    assert!(next.contains("after="), "{next}");
    assert!(store.update_signer_choices(ids[0], NameDisplay::Full, false).await.unwrap());
    let rest = osdi.hal(&next, &plain).await;
    let rest: Vec<&Value> = rest["_embedded"]["osdi:signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["identifiers"][0])
        .collect();
    assert_eq!(rest.len(), 2, "the third, then the first again, changed: {rest:?}");
    assert!(rest[1].as_str().unwrap().ends_with(&format!("/{}", ids[0])));

    // Filters: what changed since, and by address with pii:read only.
    let changed = osdi.hal(&format!("{SIGNATURES}/{}", ids[0]), &plain).await;
    let since = items[2]["modified_date"].as_str().unwrap();
    let query = format!(
        "{SIGNATURES}?filter={}",
        undersigned_web::render::share::encode(&format!("modified_date gt '{since}'"))
    );
    let later = osdi.hal(&query, &plain).await;
    assert_eq!(
        (&later["total_records"], &later["_embedded"]["osdi:signatures"][0]["modified_date"]),
        (&json!(1), &changed["modified_date"])
    );
    let by_address = format!(
        "{SIGNATURES}?filter={}",
        undersigned_web::render::share::encode("email_address eq 'Quiet@Example.org'")
    );
    assert_eq!(osdi.hal(&by_address, &pii).await["total_records"], 1);
    assert_eq!(
        osdi.get(&by_address, &[("osdi-api-token", &plain)]).await.status,
        403,
        "no testing addresses without pii:read"
    );
    for filter in [
        "status eq 'confirmed'",
        "modified_date gt 'yesterday'",
        "modified_date gt '2025-01-01' or created_date lt '2025-01-01'",
    ] {
        let page = osdi
            .get(
                &format!("{SIGNATURES}?filter={}", undersigned_web::render::share::encode(filter)),
                &[("osdi-api-token", &plain)],
            )
            .await;
        assert_eq!(page.status, 400, "{filter}");
        assert_eq!(problem(&page)["invalid-params"][0]["name"], "filter");
    }

    // People: pii:read, and only the signers of a campaign the token covers.
    let person_path = format!("/api/osdi/v1/people/{}", ids[1]);
    let read = osdi.hal(&person_path, &pii).await;
    assert_eq!(
        (&read["email_addresses"][0]["address"], &read["languages_spoken"][0]),
        (&json!("quiet@example.org"), &json!("zh-Hant"))
    );
    assert_eq!(osdi.get(&person_path, &[("osdi-api-token", &plain)]).await.status, 403);
    for id in [elsewhere.to_string(), "999999".into(), "x".into()] {
        let page = osdi.get(&format!("/api/osdi/v1/people/{id}"), &[("osdi-api-token", &pii)]).await;
        assert_eq!(page.status, 404, "{id}");
    }
    osdi.app.stop().await;
}

/// A signature as a form on another site sends it, Action Network's way.
fn body(email: &str, extra: Value) -> String {
    let mut body = json!({
        "person": {
            "given_name": "Lam",
            "family_name": "Wing-kee",
            "email_addresses": [{"address": email, "status": "subscribed"}],
            "postal_addresses": [{"locality": "Taipei", "country": "TW", "postal_code": "100"}],
            "languages_spoken": ["zh-Hant"]
        },
        "comments": "From Taipei",
        "add_tags": ["union"],
        "triggers": {"autoresponse": {"enabled": true}}
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    body.to_string()
}

async fn a_signature_without_a_token_is_pending_until_confirmed_and_tells_nothing(db: &TestDb) {
    let osdi = Osdi::spawn(db, Options::default()).await;
    let app = &osdi.app;
    let store = db.store().await;
    let owner = organiser(app, store.as_ref(), "owner@example.org", Some(Role::Owner), false).await;
    let pii = shown_token(&make_token(&owner, "CRM", "release-cai-guangye", &["pii_read"]).await).unwrap();

    let new = osdi.post(HELPER, &body("lam@example.org", json!({})), None).await;
    assert_eq!(
        (new.status, new.header("content-type"), new.body.as_str()),
        (200, "application/hal+json", "{}")
    );
    assert_eq!(osdi.hal(SIGNATURES, &pii).await["total_records"], 0, "pending until confirmed");

    // The confirmation mail, in the signer's language, as the sign form's.
    let mail = osdi.sink.one_for("lam@example.org").await;
    assert!(mail.text().contains("Lam Wing-kee"), "{}", mail.text());
    let link = mail.link(&format!("{}/s/confirm/", app.base)).expect("a confirm link");
    assert!(!mail.subject().starts_with("Please confirm"), "in the signer's language: {}", mail.subject());
    let confirm = app.get(&app.path_of(&link)).await;
    let done = app.post(&app.path_of(&link), &[("csrf", &confirm.csrf())]).await;
    assert!(done.status == 303 || done.status == 200, "{}", done.status);

    // Confirmed, it is in the token's list, subscribed since the signer asked for news.
    let list = osdi.hal(SIGNATURES, &pii).await;
    let person = &list["_embedded"]["osdi:signatures"][0]["_embedded"]["osdi:person"];
    assert_eq!(
        (&person["given_name"], &person["email_addresses"][0]["status"]),
        (&json!("Lam Wing-kee"), &json!("subscribed"))
    );
    assert_eq!(
        (&person["postal_addresses"][0]["country"], &person["postal_addresses"][0]["locality"]),
        (&json!("TW"), &json!("Taipei"))
    );
    assert_eq!(list["_embedded"]["osdi:signatures"][0]["comments"], "From Taipei");

    // The same answer for an address that signed and confirmed, and for another new one.
    for email in ["lam@example.org", "LAM@example.org", "someone.else@example.org"] {
        let again = osdi.post(HELPER, &body(email, json!({})), None).await;
        assert_eq!(
            (again.status, again.header("content-type"), again.body.as_str()),
            (new.status, new.header("content-type"), new.body.as_str()),
            "{email}"
        );
        let mut headers: Vec<(String, String)> = again
            .headers
            .iter()
            .filter(|(n, _)| *n != "date")
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        let mut first: Vec<(String, String)> = new
            .headers
            .iter()
            .filter(|(n, _)| *n != "date")
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        headers.sort();
        first.sort();
        assert_eq!(headers, first, "{email}");
    }
    osdi.sink.wait_for("someone.else@example.org", 1).await;

    // A body refused names the field, and writes nothing.
    let before = store.counts(demo_id(store.as_ref()).await).await.unwrap();
    for (body, field) in [
        (body("x@example.org", json!({"petition": "x"})), "petition"),
        (json!({"person": {"given_name": "X", "email_addresses": [{"address": "x@example.org"}], "postal_addresses": [{"country": "TW"}], "nickname": "x"}}).to_string(), "person.nickname"),
        (body("not an address", json!({})), "person.email_addresses[0].address"),
        (json!({"person": {"given_name": "X", "email_addresses": [{"address": "x@example.org"}]}}).to_string(), "person.postal_addresses[0].country"),
        (json!({"person": {"given_name": "X", "email_addresses": [{"address": "x@example.org"}], "postal_addresses": [{"country": "TW"}]}, "comments": 5}).to_string(), "comments"),
        (body("x@example.org", json!({"action_date": "yesterday"})), "action_date"),
        ("{\"person\":".to_owned(), "body"),
    ] {
        let page = osdi.post(HELPER, &body, None).await;
        assert_eq!(page.status, 400, "{field}: {}", page.body);
        let names: Vec<String> = problem(&page)["invalid-params"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect();
        assert!(names.contains(&field.to_owned()), "{field}: {names:?}");
    }
    assert_eq!(store.counts(demo_id(store.as_ref()).await).await.unwrap(), before);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let to_refused = osdi
        .sink
        .all()
        .into_iter()
        .filter(|m| m.header("to").is_some_and(|to| to.contains("x@example.org")))
        .count();
    assert_eq!(to_refused, 0, "no mail for a refused body");

    // A closed campaign takes none.
    let id = demo_id(store.as_ref()).await;
    let mut content = store.campaign_by_id(id).await.unwrap().unwrap().content;
    content.status = CampaignStatus::Closed;
    store.save_campaign(id, &content, false, now()).await.unwrap();
    assert_eq!(osdi.post(HELPER, &body("late@example.org", json!({})), None).await.status, 409);
    osdi.app.stop().await;
}

async fn signatures_without_a_token_are_limited_per_connection(db: &TestDb) {
    let osdi = Osdi::spawn(db, Options { sign_rate_limit: Some(1), ..Default::default() }).await;
    assert_eq!(osdi.post(HELPER, &body("one@example.org", json!({})), None).await.status, 200);
    let over = osdi.post(HELPER, &body("two@example.org", json!({})), None).await;
    assert_eq!(over.status, 429);
    assert!(over.header("retry-after").parse::<u64>().is_ok());
    problem(&over);
    osdi.app.stop().await;
}

async fn a_token_with_import_records_an_offline_signature_with_its_origin(db: &TestDb) {
    let osdi = Osdi::spawn(db, Options::default()).await;
    let app = &osdi.app;
    let store = db.store().await;
    another_campaign(store.as_ref(), "second-campaign", CampaignStatus::Open).await;
    let moderator = organiser(app, store.as_ref(), "mod@example.org", Some(Role::Moderator), false).await;
    let import = shown_token(
        &make_token(&moderator, "Paper forms", "release-cai-guangye", &["signatures_import"]).await,
    )
    .unwrap();
    let reader = shown_token(&make_token(&moderator, "Reader", "release-cai-guangye", &[]).await).unwrap();
    let count = || async { osdi.public(PETITION, &[]).await["total_signatures"].as_i64().unwrap() };
    assert_eq!(count().await, 15);

    // Counted, named nobody, unless the body asks for a public name.
    let page = osdi
        .post(HELPER, &body("paper@example.org", json!({"comments": "Signed at the rally"})), Some(&import))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let recorded: Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(recorded["origin_system"], json!("Paper forms"));
    assert!(recorded.get("undersigned:name").is_none(), "{recorded}");
    assert!(recorded["identifiers"][0].as_str().unwrap().contains("/endorsements/"));
    assert_eq!(count().await, 16, "counted at once, as an offline signature");
    let endorsements_path = path(app, &recorded["_links"]["undersigned:endorsements"]["href"]);
    let endorsements = app.get(&endorsements_path).await.body;
    assert!(!endorsements.contains("Lam Wing-kee") && !endorsements.contains("Wing-kee"), "{endorsements}");
    let listed = json!({"comments": "Signed at the rally", "undersigned:listed": true});
    let page = osdi.post(HELPER, &body("named@example.org", listed), Some(&import)).await;
    let recorded: Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(recorded["undersigned:name"], json!("Lam Wing-kee"));
    let endorsements = app.get(&endorsements_path).await.body;
    assert!(endorsements.contains("\"kind\":\"person\",\"name\":\"Lam Wing-kee\""), "{endorsements}");
    assert!(!endorsements.contains("paper@example.org"), "no address is kept");
    assert!(osdi.sink.all().is_empty(), "no confirmation: its organisers verified it");
    assert_eq!(count().await, 17);

    // Identifiers and links only, when asked.
    let quiet = osdi
        .post(
            HELPER,
            &body("quiet@example.org", json!({"osdi:control": {"return_response": false}})),
            Some(&import),
        )
        .await;
    let quiet: Value = serde_json::from_str(&quiet.body).unwrap();
    assert!(quiet["origin_system"].is_null() && quiet["identifiers"].is_array(), "{quiet}");

    // Without the scope, for another campaign, or refused: nothing written.
    let refused = osdi.post(HELPER, &body("x@example.org", json!({})), Some(&reader)).await;
    assert_eq!(refused.status, 403);
    assert!(problem(&refused)["detail"].as_str().unwrap().contains("signatures:import"));
    let other = "/api/osdi/v1/petitions/second-campaign/signatures/record_signature_helper";
    assert_eq!(osdi.post(other, &body("x@example.org", json!({})), Some(&import)).await.status, 403);
    let bad = json!({"person": {"given_name": " ", "postal_addresses": [{"country": "XX"}]}}).to_string();
    let page = osdi.post(HELPER, &bad, Some(&import)).await;
    let names: Vec<String> = problem(&page)["invalid-params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["person.postal_addresses[0].country"], "a name is needed only to be listed");
    let unnamed = json!({"person": {"given_name": " "}, "undersigned:listed": true}).to_string();
    let page = osdi.post(HELPER, &unnamed, Some(&import)).await;
    assert_eq!(problem(&page)["invalid-params"][0]["name"], "person.given_name");
    for (extra, field) in [
        (json!({"undersigned:listed": "yes"}), "undersigned:listed"),
        (json!({"identifiers": ["crm:1", " "]}), "identifiers[1]"),
        (json!({"identifiers": "crm:1"}), "identifiers"),
    ] {
        let page = osdi.post(HELPER, &body("x@example.org", extra), Some(&import)).await;
        assert_eq!(page.status, 400, "{}", page.body);
        assert_eq!(problem(&page)["invalid-params"][0]["name"], field);
    }
    let page = osdi.post(HELPER, &body("x@example.org", json!({"undersigned:listed": true})), None).await;
    assert_eq!(problem(&page)["invalid-params"][0]["name"], "undersigned:listed", "with a token only");
    assert_eq!(count().await, 18);

    // Sent again under an identifier already imported: nothing new, the same answer.
    let crm = json!({"identifiers": ["crm:1234", "civicrm:77"], "comments": "First"});
    let first = osdi.post(HELPER, &body("crm@example.org", crm), Some(&import)).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(count().await, 19);
    let again = json!({"identifiers": ["civicrm:77"], "comments": "Changed", "undersigned:listed": true});
    let second = osdi.post(HELPER, &body("crm@example.org", again), Some(&import)).await;
    assert_eq!((second.status, &second.body), (200, &first.body));
    assert_eq!(count().await, 19, "recorded once");
    let unnamed_twice = osdi.post(HELPER, &body("crm@example.org", json!({})), Some(&import)).await;
    assert_ne!(unnamed_twice.body, first.body, "without identifiers, not deduplicated");
    assert_eq!(count().await, 20);

    // Each import in the audit log, once, with the token it came through.
    let admin = organiser(app, store.as_ref(), "admin@example.org", None, true).await;
    let audit = admin.get("/organise/audit").await;
    assert_eq!(audit.body.matches("import-signatures").count(), 5, "one entry per signature recorded");
    assert!(audit.body.contains("Paper forms") && audit.body.contains("mod@example.org"));
    osdi.app.stop().await;
}

/// Under attack, the helper without a token is held as the sign form without JavaScript is (the
/// stricter limit), and what a block list names is dropped without a word; with an organiser's
/// token it is not held to the mode (not a bot), but a block list refuses it, saying which.
async fn under_attack_the_helper_is_held_as_a_browser_without_javascript_and_block_lists_hold_tokens_too(
    db: &TestDb,
) {
    use undersigned_core::defence::{AttackCause, BlockKind, UnderAttack};
    let limits = Options { unsolved_per_ip_hour: Some(2), sign_rate_limit: Some(100), ..Default::default() };
    let osdi = Osdi::spawn(db, limits).await;
    let app = &osdi.app;
    let store = db.store().await;
    let campaign = demo_id(store.as_ref()).await;
    let moderator = organiser(app, store.as_ref(), "mod@example.org", Some(Role::Moderator), false).await;
    let import =
        shown_token(&make_token(&moderator, "CRM", "release-cai-guangye", &["signatures_import"]).await)
            .unwrap();
    store.set_block_list(campaign, BlockKind::Domain, &["bots.test".into()]).await.unwrap();
    let at = now().unix_timestamp();
    let mode = UnderAttack {
        scope: campaign,
        since: at,
        cause: AttackCause::Hand,
        detail: "test".into(),
        busy_at: at,
    };
    store.set_under_attack(campaign, Some(&mode)).await.unwrap();
    let fresh = undersigned_web::defence::Defence::FRESH + std::time::Duration::from_millis(100);
    tokio::time::sleep(fresh).await;
    let count = || async { osdi.public(PETITION, &[]).await["total_signatures"].as_i64().unwrap() };
    assert_eq!(count().await, 15);

    // Without a token: two an hour from this address, the one from a blocked domain answered as
    // any other and dropped; the third refused until Retry-After.
    assert_eq!(osdi.post(HELPER, &body("first@example.org", json!({})), None).await.status, 200);
    let dropped = osdi.post(HELPER, &body("x@mail.bots.test", json!({})), None).await;
    assert_eq!((dropped.status, dropped.body.as_str()), (200, "{}"));
    let over = osdi.post(HELPER, &body("third@example.org", json!({})), None).await;
    assert_eq!(over.status, 429, "{}", over.body);
    assert!(over.header("retry-after").parse::<u64>().is_ok());
    assert!(problem(&over)["detail"].as_str().unwrap().contains("under attack"), "{}", over.body);
    osdi.sink.one_for("first@example.org").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    for unsent in ["x@mail.bots.test", "third@example.org"] {
        assert!(osdi.sink.wait_for(unsent, 0).await.is_empty(), "{unsent} was mailed");
    }

    // With the token: beyond that limit, recorded; from a blocked domain, refused, naming the field.
    for i in 0..3 {
        let page = osdi.post(HELPER, &body(&format!("paper{i}@example.org"), json!({})), Some(&import)).await;
        assert_eq!(page.status, 200, "{}", page.body);
    }
    assert_eq!(count().await, 18);
    let blocked = osdi.post(HELPER, &body("y@bots.test", json!({})), Some(&import)).await;
    assert_eq!(blocked.status, 400, "{}", blocked.body);
    let param = &problem(&blocked)["invalid-params"][0];
    assert_eq!(param["name"], "person.email_addresses[0].address");
    assert!(param["reason"].as_str().unwrap().contains("block list"), "{param}");
    // The address it comes from on the site's block list: refused, saying so.
    store.set_block_list(0, BlockKind::IpRange, &["127.0.0.0/8".into()]).await.unwrap();
    tokio::time::sleep(fresh).await;
    let from_blocked = osdi.post(HELPER, &body("paper9@example.org", json!({})), Some(&import)).await;
    assert_eq!(from_blocked.status, 403, "{}", from_blocked.body);
    assert!(problem(&from_blocked)["detail"].as_str().unwrap().contains("block list"));
    assert_eq!(count().await, 18, "nothing recorded");
    osdi.app.stop().await;
}

on_both_backends!(
    under_attack_the_helper_is_held_as_a_browser_without_javascript_and_block_lists_hold_tokens_too,
    petitions_read_as_the_public_pages_in_the_language_asked,
    signatures_need_a_token_for_the_campaign_and_people_need_pii_read,
    a_signature_without_a_token_is_pending_until_confirmed_and_tells_nothing,
    signatures_without_a_token_are_limited_per_connection,
    a_token_with_import_records_an_offline_signature_with_its_origin,
);
