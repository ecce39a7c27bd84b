//! The read API, the badge and oEmbed over HTTP, on both backends, as an API user sees them:
//! the same campaigns, texts, counts and signers as the public pages, and nothing more; keyset
//! pages; problem documents naming the parameter at fault; ETags, 304 and CORS; answers kept in
//! the page cache until organisers change the campaign; and the OpenAPI document, the same as the
//! committed `docs/openapi.json`, that every answer here is checked against.

use serde_json::{Value, json};
use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_core::signature::NameDisplay;
use undersigned_core::store::{TargetResponse, UpdateText, now};
use undersigned_core::{CampaignStatus, Lang, Slug, Store};
use undersigned_store_tests::conformance::{demo, record};
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::openapi::ApiDocument;
use crate::support::{Page, TestApp, strip_tags};

const DEMO: &str = "/api/v1/campaigns/release-cai-guangye";

/// The app and its OpenAPI document: each answer read through [`Api::get`] is checked against it.
struct Api {
    app: TestApp,
    doc: ApiDocument,
}

impl Api {
    async fn spawn(db: &TestDb, options: Options) -> Self {
        let app = TestApp::spawn_with(db, options).await;
        let doc = ApiDocument::fetch(&app).await;
        Self { app, doc }
    }

    /// `GET path`, checked against the document.
    async fn get(&self, path: &str) -> Page {
        self.get_with(path, &[]).await
    }

    async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let page = self.app.get_with(path, headers).await;
        self.doc.check("GET", path, &page);
        page
    }

    /// `GET path`, checked against the document, as JSON.
    async fn json(&self, path: &str) -> Value {
        let page = self.get(path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        serde_json::from_str(&page.body).unwrap()
    }

    async fn request(&self, method: &str, path: &str) -> Page {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let response =
            self.app.client.request(method, format!("{}{path}", self.app.base)).send().await.unwrap();
        Page::from(response).await
    }
}

async fn demo_id(store: &dyn Store) -> i64 {
    store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap().id
}

/// Confirmed signatures from `names`, each shown as `display`, in Hong Kong, signed under zh-Hant.
async fn signed(store: &dyn Store, campaign: i64, names: &[String], display: NameDisplay) {
    for name in names {
        let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
        let r = record(campaign, &email, name, display);
        let outcome = store.sign(&r, Default::default()).await.unwrap();
        let undersigned_core::signature::SignOutcome::Created { id } = outcome else { panic!("{outcome:?}") };
        store.confirm_signature(id, now()).await.unwrap();
    }
}

async fn a_public_campaign_reads_as_on_its_page(db: &TestDb) {
    let api = Api::spawn(db, Options::default()).await;
    let list = api.json("/api/v1/campaigns").await;
    let summary = &list["campaigns"][0];
    assert_eq!(summary["slug"], "release-cai-guangye");
    assert_eq!((summary["signature_count"].as_i64(), summary["status"].as_str()), (Some(15), Some("open")));
    assert_eq!(summary["links"]["self"], format!("{}{DEMO}", api.app.base));

    let campaign = api.json(DEMO).await;
    let page = api.app.get("/c/release-cai-guangye").await;
    let zh = api.app.new_browser().get("/c/release-cai-guangye?lang=zh-Hant").await;
    let versions = campaign["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        (versions[0]["language"].as_str(), versions[1]["language"].as_str()),
        (Some("en"), Some("zh-Hant"))
    );
    assert_eq!(versions[0]["title"], page.first("h1"));
    assert_eq!(versions[1]["title"], zh.first("h1"));
    assert_eq!(versions[0]["target"], "The Government of the People’s Republic of China");
    assert_eq!(versions[0]["demands"][0], "Release Cai Guangye immediately.");
    assert!(versions[0]["text_html"].as_str().unwrap().contains("<strong>Cai Guangye</strong>"));
    assert_eq!((campaign["dated"].as_str(), campaign["status"].as_str()), (Some("2004-02-10"), Some("open")));
    let counts =
        ["signature_count", "online_signature_count", "offline_signature_count", "organisation_count"]
            .map(|k| campaign[k].as_i64().unwrap());
    assert_eq!(counts, [15, 0, 15, 6], "as the page: 15 people, 6 organisations");
    assert_eq!(campaign["response"], Value::Null);

    // Signers in Hong Kong under the Chinese version; the target answers; an update is posted.
    let store = db.store().await;
    let id = demo_id(store.as_ref()).await;
    signed(store.as_ref(), id, &["Chan Tai Man".into(), "Wong Siu Ming".into()], NameDisplay::Full).await;
    let answer = TargetResponse { text: "We have read it.".into(), responded_on: None, link: None };
    store.set_response(id, Some(&answer), now()).await.unwrap();
    let texts =
        [UpdateText { lang: Lang::known("en"), title: "Visit".into(), body: "We *visited* him.".into() }];
    store.post_update(id, "organiser@example.org", &texts, false, now()).await.unwrap();

    let campaign = api.json(DEMO).await;
    assert_eq!(campaign["signature_count"], 17);
    let by_country = &campaign["signatures_by_country"];
    assert_eq!(
        (&by_country[0]["code"], &by_country[0]["name"], &by_country[0]["signature_count"]),
        (&"HK".into(), &"Hong Kong".into(), &2.into())
    );
    assert_eq!(campaign["signatures_by_language"][0]["code"], "zh-Hant");
    assert_eq!(campaign["signatures_by_language"][0]["signature_count"], 2);
    assert_eq!(campaign["response"]["text"], "We have read it.");
    let updates = api.json(&format!("{DEMO}/updates")).await;
    let update = &updates["updates"][0]["texts"][0];
    assert_eq!(
        (&update["title"], &update["text_html"]),
        (&"Visit".into(), &"<p>We <em>visited</em> him.</p>\n".into())
    );
    assert!(!updates.to_string().contains("organiser@example.org"), "the organiser's account is not shown");

    let endorsements = api.json(&format!("{DEMO}/endorsements")).await;
    let first = &endorsements["groups"][0];
    assert_eq!((&first["region"]["code"], &first["region"]["name"]), (&"HK".into(), &"Hong Kong".into()));
    let names: Vec<&str> =
        first["endorsers"].as_array().unwrap().iter().filter_map(|e| e["name"].as_str()).collect();
    assert!(names.contains(&"Hong Kong Confederation of Trade Unions (HKCTU)"), "{names:?}");
    assert!(endorsements.to_string().contains("\"kind\":\"individuals\",\"name\":null"), "{endorsements}");
    api.app.stop().await;
}

/// The names a page of the public list shows.
fn listed_names(page: &Page) -> Vec<String> {
    page.body
        .split("<span class=\"signer-name\">")
        .skip(1)
        .map(|s| strip_tags(&s[..s.find("</span>").unwrap()]))
        .collect()
}

async fn the_signer_list_shows_only_who_chose_to_be_listed_page_by_page(db: &TestDb) {
    let api = Api::spawn(db, Options::default()).await;
    let store = db.store().await;
    let id = demo_id(store.as_ref()).await;
    let listed: Vec<String> = (0..51).map(|i| format!("Listed Signer{i:02}")).collect();
    signed(store.as_ref(), id, &listed, NameDisplay::Full).await;
    signed(store.as_ref(), id, &["Initial Person".into()], NameDisplay::FirstInitial).await;
    signed(store.as_ref(), id, &["Secret Person".into()], NameDisplay::Hidden).await;

    let first = api.json(&format!("{DEMO}/signatures")).await;
    let names: Vec<String> =
        first["signers"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names.len(), 50);
    assert_eq!(
        names,
        listed_names(&api.app.get("/c/release-cai-guangye/signatures").await),
        "the page's names"
    );
    assert_eq!(names[0], "Initial P.", "newest first, shown as chosen");
    assert_eq!(first["signers"][0]["country"], "HK");
    assert_eq!(first["signers"][0]["signed_on"], now().date().to_string());
    let next = first["next"].as_str().expect("a next page");
    let next = api.app.path_of(next);
    let second = api.json(&next).await;
    let rest: Vec<&str> =
        second["signers"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(rest, ["Listed Signer01", "Listed Signer00"]);
    assert_eq!(second["next"], Value::Null);
    for body in [first.to_string(), second.to_string()] {
        assert!(
            !body.contains("Secret") && !body.contains('@'),
            "never a hidden signer or an address: {body}"
        );
    }
    // The next page's address as a page of the site gives the same signers.
    let page_next = next.replace("/api/v1/campaigns/", "/c/");
    assert_eq!(listed_names(&api.app.get(&page_next).await), rest);

    for (query, name) in [
        ("after=yesterday", "after"),
        ("after=", "after"),
        ("page=2", "page"),
        ("after=1-2&after=1-2", "after"),
    ] {
        let bad = api.get(&format!("{DEMO}/signatures?{query}")).await;
        assert_eq!(bad.status, 400, "{query}");
        assert_eq!(bad.header("content-type"), "application/problem+json");
        let problem: Value = serde_json::from_str(&bad.body).unwrap();
        assert_eq!(problem["invalid-params"][0]["name"], name, "{query}: {problem}");
    }
    api.app.stop().await;
}

async fn errors_are_problem_documents_never_pages(db: &TestDb) {
    let api = Api::spawn(db, Options::default()).await;
    let store = db.store().await;
    let mut draft = demo();
    draft.content.slug = Slug::parse("s", "a-draft").unwrap();
    draft.content.status = CampaignStatus::Draft;
    store.import_campaigns(&[draft]).await.unwrap();

    for path in [
        "/api/v1/campaigns/nobody-here",
        "/api/v1/campaigns/a-draft/signatures",
        "/api/v1/campaigns/NOT%20A%20SLUG",
    ] {
        let page = api.get(path).await;
        assert_eq!((page.status, page.header("content-type")), (404, "application/problem+json"), "{path}");
    }
    assert!(!api.json("/api/v1/campaigns").await.to_string().contains("a-draft"), "drafts are not listed");
    let unknown = api.get("/api/v1/campaigns?lang=en").await;
    assert!(unknown.body.contains("\"name\":\"lang\""), "{}", unknown.body);

    // Withdrawn by its organisers: 410, as its page.
    let id = demo_id(store.as_ref()).await;
    let mut content = store.campaign_by_id(id).await.unwrap().unwrap().content;
    content.status = CampaignStatus::Withdrawn;
    store.save_campaign(id, &content, false, now()).await.unwrap();
    for path in [DEMO.to_owned(), format!("{DEMO}/endorsements"), format!("{DEMO}/updates")] {
        let page = api.get(&path).await;
        assert_eq!((page.status, page.header("content-type")), (410, "application/problem+json"), "{path}");
    }
    assert_eq!(api.app.get("/c/release-cai-guangye").await.status, 410, "as the page");

    // What no handler answers is a problem document too, not the HTML error page.
    let nowhere = api.app.get("/api/v2/campaigns").await;
    let post = api.request("POST", "/api/v1/campaigns").await;
    assert_eq!((post.status, post.header("allow")), (405, "GET,HEAD"));
    for page in [&nowhere, &post] {
        assert_eq!(page.header("content-type"), "application/problem+json");
        api.doc.check_schema("Problem", &serde_json::from_str(&page.body).unwrap());
    }
    api.app.stop().await;
}

async fn answers_carry_etags_and_any_origin_may_read_them(db: &TestDb) {
    let api = Api::spawn(db, Options::default()).await;
    let paths = [
        "/api/v1/campaigns".to_owned(),
        DEMO.to_owned(),
        format!("{DEMO}/endorsements"),
        format!("{DEMO}/signatures"),
        format!("{DEMO}/updates"),
        "/api/v1/openapi.json".to_owned(),
    ];
    for path in &paths {
        let first = api.get(path).await;
        assert_eq!(first.header("access-control-allow-origin"), "*", "{path}");
        assert!(first.header("cache-control").starts_with("public, max-age="), "{path}");
        let etag = first.header("etag");
        assert!(etag.starts_with('"') && etag.len() == 34, "{path}: a strong tag {etag:?}");
        let again = api.get_with(path, &[("if-none-match", etag)]).await;
        assert_eq!((again.status, again.body.as_str(), again.header("etag")), (304, "", etag), "{path}");
    }
    // A new signature makes a new answer with a new tag.
    let before = api.get(DEMO).await;
    let store = db.store().await;
    signed(store.as_ref(), demo_id(store.as_ref()).await, &["New Signer".into()], NameDisplay::Full).await;
    let after = api.get_with(DEMO, &[("if-none-match", before.header("etag"))]).await;
    assert_eq!(after.status, 200);
    assert_ne!(after.header("etag"), before.header("etag"));

    // A browser on another site asks first whether it may send If-None-Match.
    let preflight = api
        .app
        .client
        .request(reqwest::Method::OPTIONS, format!("{}{DEMO}", api.app.base))
        .header("origin", "https://union.example")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "if-none-match")
        .send()
        .await
        .unwrap();
    let preflight = Page::from(preflight).await;
    api.doc.check("OPTIONS", DEMO, &preflight);
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.header("access-control-allow-origin"), "*");
    assert!(preflight.header("access-control-allow-headers").contains("If-None-Match"));
    let head = api.request("HEAD", DEMO).await;
    assert_eq!((head.status, head.body.as_str(), head.header("etag")), (200, "", after.header("etag")));
    api.app.stop().await;
}

async fn a_crowd_reads_the_kept_answer_until_organisers_change_the_campaign(db: &TestDb) {
    let api = Api::spawn(db, Options { page_cache_ms: Some(60_000), ..Default::default() }).await;
    let store = db.store().await;
    let id = demo_id(store.as_ref()).await;
    let signers = format!("{DEMO}/signatures");
    let (before, signers_before) = (api.get(DEMO).await, api.get(&signers).await);
    signed(store.as_ref(), id, &["Late Signer".into()], NameDisplay::Full).await;
    let kept = api.get(DEMO).await;
    assert_eq!((kept.body.as_str(), kept.header("etag")), (before.body.as_str(), before.header("etag")));
    assert_eq!(api.get(&signers).await.body, signers_before.body, "kept as well");

    // An organiser's change shows at once: the campaign's answers are forgotten.
    let (_, user) =
        undersigned::add_user(store.as_ref(), "owner@example.org", None, false, "a long enough password")
            .await
            .unwrap();
    store.set_role(id, user, Some(Role::Owner)).await.unwrap();
    let owner = api.app.new_browser();
    owner
        .submit("/login", "/login", &[("email", "owner@example.org"), ("password", "a long enough password")])
        .await;
    let path = "/organise/c/release-cai-guangye/response";
    assert_eq!(owner.submit(path, path, &[("text", "We will consider it.")]).await.status, 303);
    let fresh = api.json(DEMO).await;
    assert_eq!(fresh["response"]["text"], "We will consider it.");
    assert_eq!(fresh["signature_count"], 16);
    assert!(api.get(&format!("{DEMO}/signatures")).await.body.contains("Late Signer"));
    api.app.stop().await;
}

async fn the_openapi_document_is_the_committed_one_and_its_page_reads_it(db: &TestDb) {
    let api = Api::spawn(db, Options::default()).await;
    api.doc.check_itself();
    let served = api.get("/api/v1/openapi.json").await.body;
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let on_file = std::fs::read_to_string(&committed).unwrap_or_default();
    if std::env::var_os("UNDERSIGNED_UPDATE_OPENAPI").is_some() && on_file != served {
        std::fs::write(&committed, &served).unwrap();
    } else {
        assert!(
            on_file == served,
            "docs/openapi.json is not what the server serves: the API changed. Review the change, then \
             write it with UNDERSIGNED_UPDATE_OPENAPI=1 cargo test -p undersigned --test http api::"
        );
    }

    // The check is live: an answer with a field the document does not name, or without one it
    // requires, is caught.
    for wrong in [json!({"signers": [], "next": null, "email": "x@example.org"}), json!({"next": null})] {
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            api.doc.check_schema("SignerPage", &wrong)
        }));
        assert!(checked.is_err(), "{wrong} passed");
    }

    let page = api.get("/api/v1/docs").await;
    assert_eq!((page.status, page.header("content-type")), (200, "text/html; charset=utf-8"));
    assert!(page.header("content-security-policy").starts_with("default-src 'none'"));
    assert!(!page.body.contains("<script") && !page.body.contains(" style="), "nothing the CSP would block");
    for (path, item) in api.doc.doc["paths"].as_object().unwrap() {
        for method in ["get", "post"].into_iter().filter(|m| item[*m].is_object()) {
            let code = format!("<code>{} {path}</code>", method.to_uppercase());
            assert!(page.body.contains(&code), "{code}");
        }
    }
    assert!(
        page.body.contains("<a href=\"#schema-OsdiRecordSignature\"><code>OsdiRecordSignature</code></a>"),
        "the request body"
    );
    for schema in api.doc.doc["components"]["schemas"].as_object().unwrap().keys() {
        assert!(page.body.contains(&format!("id=\"schema-{schema}\"")), "{schema}");
    }
    assert!(page.body.contains("<a href=\"#schema-SignerPage\"><code>SignerPage</code></a>"));
    let zh = api.app.new_browser().get("/api/v1/docs?lang=zh-Hant").await;
    assert_eq!(zh.html_lang(), "zh-Hant");
    assert!(zh.body.contains("<h4>回應</h4>"), "{}", zh.body);
    api.app.stop().await;
}

/// The address the campaign page names for oEmbed.
fn oembed_link(page: &Page) -> String {
    let marker = "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"";
    let start = page.body.find(marker).expect("an oEmbed link") + marker.len();
    page.body[start..start + page.body[start..].find('"').unwrap()].replace("&amp;", "&")
}

async fn a_campaign_shows_elsewhere_by_oembed_and_as_a_badge(db: &TestDb) {
    let api = Api::spawn(db, Options::default()).await;
    let base = api.app.base.clone();
    let link = oembed_link(&api.app.get("/c/release-cai-guangye").await);
    let oembed = api.json(&api.app.path_of(&link)).await;
    assert_eq!((oembed["type"].as_str(), oembed["version"].as_str()), (Some("rich"), Some("1.0")));
    let title = "Free Cai Guangye, jailed for writing about laid-off workers";
    let frame = format!(
        "<iframe src=\"{base}/c/release-cai-guangye/embed\" title=\"{title}\" width=\"480\" height=\"900\" \
         loading=\"lazy\" referrerpolicy=\"no-referrer\" sandbox=\"allow-forms allow-popups \
         allow-popups-to-escape-sandbox allow-same-origin allow-top-navigation-by-user-activation\" \
         style=\"border:0;max-width:100%\"></iframe>"
    );
    assert_eq!((oembed["title"].as_str(), oembed["html"].as_str()), (Some(title), Some(frame.as_str())));
    let url = format!("{base}/c/release-cai-guangye?lang=zh-Hant");
    let query = |extra: &str| format!("/oembed?url={}{extra}", undersigned_web::render::share::encode(&url));
    let zh = api.json(&query("&maxwidth=300&dnt=1")).await;
    assert_eq!(zh["width"], 300, "within the consumer's limit; its own parameters ignored");
    assert!(zh["html"].as_str().unwrap().contains("/c/release-cai-guangye/embed?lang=zh-Hant"), "{zh}");
    for (path, status, name) in [
        ("/oembed".to_owned(), 400, Some("url")),
        (query("&maxwidth=wide"), 400, Some("maxwidth")),
        (query("&format=xml"), 501, None),
        ("/oembed?url=https%3A%2F%2Felsewhere.example%2Fc%2Frelease-cai-guangye".to_owned(), 404, None),
        (
            format!("/oembed?url={}", undersigned_web::render::share::encode(&format!("{base}/c/nobody"))),
            404,
            None,
        ),
    ] {
        let page = api.get(&path).await;
        assert_eq!(
            (page.status, page.header("content-type")),
            (status, "application/problem+json"),
            "{path}"
        );
        if let Some(name) = name {
            assert!(page.body.contains(&format!("\"name\":\"{name}\"")), "{path}: {}", page.body);
        }
    }

    let badge = api.app.get("/c/release-cai-guangye/badge.svg").await;
    assert_eq!((badge.status, badge.header("content-type")), (200, "image/svg+xml"));
    assert!(
        badge.body.contains(">Signatures</text><text x=") && badge.body.contains(">15</text>"),
        "{}",
        badge.body
    );
    assert!(badge.body.contains(&format!("<title>{title}: 15 people have signed</title>")), "{}", badge.body);
    assert!(!badge.body.contains("<script") && !badge.body.contains("style"), "nothing the CSP would block");
    let again = api
        .app
        .get_with("/c/release-cai-guangye/badge.svg", &[("if-none-match", badge.header("etag"))])
        .await;
    assert_eq!(again.status, 304);
    let zh = api
        .app
        .new_browser()
        .get_with("/c/release-cai-guangye/badge.svg", &[("accept-language", "zh-TW")])
        .await;
    assert!(zh.body.contains(">簽名數目</text>"), "{}", zh.body);
    assert_eq!(api.app.get("/c/nobody/badge.svg").await.status, 404);

    // Whatever organisers write is text in the badge and the frame's title, never markup.
    let store = db.store().await;
    let id = demo_id(store.as_ref()).await;
    let mut content = store.campaign_by_id(id).await.unwrap().unwrap().content;
    content.versions[0].title = "Free <Cai> & \"friends\"".into();
    store.save_campaign(id, &content, false, now()).await.unwrap();
    let badge = api.app.new_browser().get("/c/release-cai-guangye/badge.svg").await;
    assert!(badge.body.contains("<title>Free &lt;Cai&gt; &amp; &quot;friends&quot;: 15"), "{}", badge.body);
    let oembed = api.json(&api.app.path_of(&link)).await;
    assert!(
        oembed["html"].as_str().unwrap().contains("title=\"Free &lt;Cai&gt; &amp; &quot;friends&quot;\""),
        "{oembed}"
    );
    api.app.stop().await;
}

on_both_backends!(
    a_public_campaign_reads_as_on_its_page,
    the_signer_list_shows_only_who_chose_to_be_listed_page_by_page,
    errors_are_problem_documents_never_pages,
    answers_carry_etags_and_any_origin_may_read_them,
    a_crowd_reads_the_kept_answer_until_organisers_change_the_campaign,
    the_openapi_document_is_the_committed_one_and_its_page_reads_it,
    a_campaign_shows_elsewhere_by_oembed_and_as_a_badge,
);
