//! Updates on both backends: posted in two languages, shown on the page and in Atom feeds that
//! parse as XML, mailed only to the signers who asked for news, each in their language, with a
//! one-click unsubscribe (RFC 8058) that works.

use undersigned::config::Options;
use undersigned_core::Slug;
use undersigned_core::account::Role;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, TestApp};

const DEMO: &str = "/c/release-cai-guangye";
const PASSWORD: &str = "a long enough password";

/// Signs the demo campaign from its `lang` page, asking for news or not, and confirms.
pub(crate) async fn sign(app: &TestApp, sink: &SmtpSink, email: &str, lang: &str, news: bool) {
    let visitor = app.new_browser();
    visitor.get(&format!("{DEMO}?lang={lang}")).await;
    let mut fields = vec![("name", "Signer"), ("email", email), ("country", "HK")];
    if news {
        fields.push(("opt_in", "yes"));
    }
    visitor.submit(DEMO, &format!("{DEMO}/sign"), &fields).await;
    let mail = sink.one_for(email).await;
    let path = visitor.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).unwrap());
    let page = visitor.get(&path).await;
    visitor.post(&path, &[("csrf", &page.csrf())]).await;
}

async fn post_update(editor: &Browser, fields: &[(&str, &str)]) -> u16 {
    let path = "/organise/c/release-cai-guangye/updates";
    let csrf = editor.get(path).await.csrf();
    let all = [fields, &[("csrf", csrf.as_str())]].concat();
    editor.post(path, &all).await.status
}

async fn updates_reach_those_who_asked_in_their_language_and_unsubscribe_takes_one_click(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Default::default() }).await;
    sign(&app, &sink, "en@example.org", "en", true).await;
    sign(&app, &sink, "zh@example.org", "zh-Hant", true).await;
    sign(&app, &sink, "quiet@example.org", "en", false).await;

    let store = db.store().await;
    let (_, editor_id) =
        undersigned::add_user(store.as_ref(), "ed@example.org", None, false, PASSWORD).await.unwrap();
    let campaign =
        store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
    store.set_role(campaign.id, editor_id, Some(Role::Editor)).await.unwrap();
    let editor = app.new_browser();
    editor.submit("/login", "/login", &[("email", "ed@example.org"), ("password", PASSWORD)]).await;

    assert_eq!(
        post_update(&editor, &[("title_en", ""), ("body_en", "")]).await,
        422,
        "the default language's text is needed"
    );
    let fields = [
        ("title_en", "We delivered the list"),
        ("body_en", "The **signatures** went to the government today."),
        ("title_zh-Hant", "名單已遞交"),
        ("body_zh-Hant", "今天已把聯署名單遞交政府。"),
        ("mail", "yes"),
    ];
    assert_eq!(post_update(&editor, &fields).await, 303);

    let page = app.new_browser().get(DEMO).await;
    assert!(page.body.contains("<h3>We delivered the list</h3>"));
    assert!(page.body.contains("<strong>signatures</strong>"));
    let zh = app.new_browser().get(&format!("{DEMO}?lang=zh-Hant")).await;
    assert!(zh.body.contains("<h3>名單已遞交</h3>"));

    for path in [format!("{DEMO}/updates.atom"), "/updates.atom".to_owned()] {
        let feed = app.new_browser().get(&path).await;
        assert!(feed.header("content-type").starts_with("application/atom+xml"));
        let doc = roxmltree::Document::parse(&feed.body)
            .unwrap_or_else(|e| panic!("{path} is not XML: {e}\n{}", feed.body));
        let titles: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("entry"))
            .filter_map(|e| e.children().find(|c| c.has_tag_name("title")).and_then(|t| t.text()))
            .collect();
        assert_eq!(titles, ["We delivered the list"], "{path}");
        assert_eq!(doc.root_element().tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    }

    let en = sink.wait_for("en@example.org", 2).await;
    let en = en.last().unwrap();
    assert_eq!(
        en.subject(),
        "We delivered the list · Free Cai Guangye, jailed for writing about laid-off workers"
    );
    let zh = sink.wait_for("zh@example.org", 2).await;
    assert!(zh.last().unwrap().subject().starts_with("名單已遞交"));
    assert!(zh.last().unwrap().text().contains("今天已把聯署名單遞交政府。"));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let to = |address: &str| sink.all().iter().filter(|m| m.to.iter().any(|t| t == address)).count();
    assert_eq!(to("quiet@example.org"), 1, "only the confirmation: no news asked for");

    let unsubscribe = en.header("List-Unsubscribe").unwrap();
    assert_eq!(en.header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
    let url = unsubscribe.trim_start_matches('<').trim_end_matches('>').to_owned();
    // A mail client's one click: a POST with no cookie and no CSRF token.
    let client = reqwest::Client::new();
    let response = client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    // Without the one-click body or a CSRF token, a POST is refused.
    assert_eq!(client.post(&url).body("x=y").send().await.unwrap().status().as_u16(), 403);

    assert_eq!(
        post_update(&editor, &[("title_en", "Second"), ("body_en", "More news."), ("mail", "yes")]).await,
        303
    );
    assert_eq!(sink.wait_for("zh@example.org", 3).await.len(), 3, "still subscribed");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(to("en@example.org"), 2, "unsubscribed: no more news");
    app.stop().await;
}

async fn a_signer_manages_their_signature_from_an_emailed_link(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Default::default() }).await;
    let visitor = app.new_browser();
    let fields = [
        ("name", "Wong Ka Yan"),
        ("email", "wong@example.org"),
        ("country", "HK"),
        ("display", "full"),
        ("opt_in", "yes"),
    ];
    visitor.submit(DEMO, &format!("{DEMO}/sign"), &fields).await;
    let mail = sink.one_for("wong@example.org").await;
    let path = visitor.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).unwrap());
    let page = visitor.get(&path).await;
    visitor.post(&path, &[("csrf", &page.csrf())]).await;
    assert!(app.new_browser().get(&format!("{DEMO}/signatures")).await.body.contains("Wong Ka Yan"));

    let manage = format!("{DEMO}/manage");
    let unknown = app.submit(&manage, &manage, &[("email", "nobody@example.org")]).await;
    let known = app.submit(&manage, &manage, &[("email", "WONG@example.org")]).await;
    assert_eq!(unknown.first("h1"), known.first("h1"), "the page does not tell whether the address signed");
    assert_eq!(unknown.first("p"), known.first("p"));
    let mails = sink.wait_for("wong@example.org", 2).await;
    let link = mails[1].link(&format!("{}/s/manage/", app.base)).expect("a manage link");
    let path = app.path_of(&link);
    let page = app.get(&path).await;
    assert_eq!(page.first("h1"), "Manage your signature");
    assert!(page.body.contains("<dd>wong@example.org</dd>"), "the signer sees their own address");

    let saved = app.post(&path, &[("display", "hidden"), ("csrf", &page.csrf())]).await;
    assert_eq!(saved.status, 303);
    assert!(app.get(saved.location()).await.body.contains("Saved."));
    assert!(
        !app.new_browser().get(&format!("{DEMO}/signatures")).await.body.contains("Wong Ka Yan"),
        "no longer listed"
    );
    let json = app.get(&format!("{path}/data.json")).await;
    let data: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(
        (data["email"].as_str(), data["name_shown_as"].as_str(), data["wants_news"].as_bool()),
        (Some("wong@example.org"), Some("hidden"), Some(false))
    );

    let withdrawn = app.post(&format!("{path}/withdraw"), &[("csrf", &page.csrf())]).await;
    assert_eq!(withdrawn.location(), "/c/release-cai-guangye/withdrawn");
    assert_eq!(app.get(&path).await.status, 404, "nothing left to manage");
    app.stop().await;
}

async fn the_targets_response_is_shown_and_winning_tells_the_signers(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Default::default() }).await;
    sign(&app, &sink, "fan@example.org", "zh-Hant", true).await;
    let store = db.store().await;
    let (_, owner) =
        undersigned::add_user(store.as_ref(), "owner@example.org", None, false, PASSWORD).await.unwrap();
    let campaign =
        store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
    store.set_role(campaign.id, owner, Some(Role::Owner)).await.unwrap();
    let browser = app.new_browser();
    browser.submit("/login", "/login", &[("email", "owner@example.org"), ("password", PASSWORD)]).await;

    let path = "/organise/c/release-cai-guangye/response";
    let bad = browser.submit(path, path, &[("text", "We will consider it."), ("link", "ftp://x")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.field_error("link").is_some());
    assert_eq!(bad.input_value("link").as_deref(), Some("ftp://x"));
    let fields = [
        ("text", "We will consider it.\n\nNo date is set."),
        ("responded_on", "2004-03-01"),
        ("link", "https://gov.example/reply"),
    ];
    assert_eq!(browser.submit(path, path, &fields).await.status, 303);
    let page = app.new_browser().get(DEMO).await;
    assert!(page.body.contains("The response of The Government of the People’s Republic of China"));
    assert!(page.body.contains("<p>We will consider it.</p><p>No date is set.</p>"));
    assert!(page.body.contains("1 March 2004"));

    let csrf = browser.get("/organise/c/release-cai-guangye").await.csrf();
    let won = browser.post("/organise/c/release-cai-guangye/status", &[("to", "won"), ("csrf", &csrf)]).await;
    assert_eq!(won.status, 303);
    let mails = sink.wait_for("fan@example.org", 2).await;
    assert!(mails.last().unwrap().subject().starts_with("我們勝利了"), "{}", mails.last().unwrap().subject());
    assert!(app.new_browser().get(DEMO).await.body.contains("Won: this campaign reached its aim"));
    app.stop().await;
}

on_both_backends!(
    the_targets_response_is_shown_and_winning_tells_the_signers,
    updates_reach_those_who_asked_in_their_language_and_unsubscribe_takes_one_click,
    a_signer_manages_their_signature_from_an_emailed_link,
);
