//! Writing a campaign in the browser's forms, on both backends: a new draft, two language
//! versions with their demands added, reordered and removed, a preview, the status moves and the
//! refused ones, and the public history of a text edited after people signed.

use undersigned::config::Options;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, Page, TestApp};

const PASSWORD: &str = "a long enough password";
const ORG: &str = "/organise/c/save-the-docks";

async fn admin(db: &TestDb, app: &TestApp) -> Browser {
    let store = db.store().await;
    undersigned::add_user(store.as_ref(), "admin@example.org", Some("Lam"), true, PASSWORD).await.unwrap();
    let browser = app.new_browser();
    let page =
        browser.submit("/login", "/login", &[("email", "admin@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(page.status, 303);
    browser
}

/// Posts a version form: `fields` plus each demand, with the button `op`.
async fn post_version(
    browser: &Browser,
    lang: &str,
    fields: &[(&str, &str)],
    demands: &[&str],
    op: &str,
) -> Page {
    let path = format!("{ORG}/edit/{lang}");
    let form = browser.get(&path).await;
    let csrf = form.csrf();
    // Each demand typed into the form's fields in order: the field's demand, where it has one.
    let keys = demand_keys(&form);
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    for (i, d) in demands.iter().enumerate() {
        all.push(("demand_key", keys.get(i).map_or("", String::as_str)));
        all.push(("demand", d));
    }
    all.push(("op", op));
    all.push(("csrf", &csrf));
    browser.post(&path, &all).await
}

/// The keys of the demands a version's form lists, in order (empty for a new one).
pub fn demand_keys(page: &Page) -> Vec<String> {
    page.body
        .split("name=\"demand_key\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

fn demand_fields(page: &Page) -> Vec<String> {
    page.body
        .split("name=\"demand\" rows=\"2\" maxlength=\"2000\">")
        .skip(1)
        .map(|rest| rest.split("</textarea>").next().unwrap().to_owned())
        .collect()
}

async fn status(browser: &Browser, to: &str) -> Page {
    let csrf = browser.get(ORG).await.csrf();
    browser.post(&format!("{ORG}/status"), &[("to", to), ("csrf", &csrf)]).await
}

async fn a_campaign_is_written_in_two_languages_and_opened(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Default::default() }).await;
    let admin = admin(db, &app).await;

    let bad = admin
        .submit(
            "/organise/new",
            "/organise/new",
            &[("slug", "Save The Docks"), ("title", "Save the docks"), ("lang", "en")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.field_error("slug").unwrap().starts_with("Use 1 to 80 lower-case letters"));
    assert_eq!(bad.input_value("title").as_deref(), Some("Save the docks"));
    let created = admin
        .submit(
            "/organise/new",
            "/organise/new",
            &[("slug", "save-the-docks"), ("title", "Save the docks"), ("lang", "en")],
        )
        .await;
    assert_eq!((created.status, created.location()), (303, "/organise/c/save-the-docks/edit"));
    let taken = admin
        .submit(
            "/organise/new",
            "/organise/new",
            &[("slug", "save-the-docks"), ("title", "Again"), ("lang", "en")],
        )
        .await;
    assert_eq!(taken.status, 409);
    assert_eq!(app.get("/c/save-the-docks").await.status, 404, "a draft is not public");

    // Demands: add, reorder, remove, all before saving.
    let text = [
        ("title", "Save the docks"),
        ("summary", "Keep the harbour public."),
        ("target", "The harbour board"),
        ("body", "The **docks** feed the city."),
    ];
    let added = post_version(&admin, "en", &text, &["Keep the docks public."], "add").await;
    assert_eq!(demand_fields(&added), ["Keep the docks public.", ""]);
    let moved = post_version(&admin, "en", &text, &["First", "Second", "Third"], "down-1").await;
    assert_eq!(demand_fields(&moved), ["Second", "First", "Third"]);
    let removed = post_version(&admin, "en", &text, &["First", "Second", "Third"], "remove-2").await;
    assert_eq!(demand_fields(&removed), ["First", "Third"]);
    assert_eq!(removed.input_value("title").as_deref(), Some("Save the docks"), "what was typed is kept");
    let preview = post_version(&admin, "en", &text, &["First"], "preview").await;
    assert!(preview.body.contains("<p>The <strong>docks</strong> feed the city.</p>"));
    let empty_title = post_version(&admin, "en", &[("title", " "), ("body", "x")], &["One"], "save").await;
    assert_eq!(empty_title.status, 422);
    assert_eq!(empty_title.field_error("title").as_deref(), Some("Enter a title: 1 to 200 characters."));

    let saved =
        post_version(&admin, "en", &text, &["Keep the docks public.", "Talk to the dockers’ union."], "save")
            .await;
    assert_eq!((saved.status, saved.location()), (303, "/organise/c/save-the-docks/edit?saved=1"));

    // A second language, added incomplete: the campaign cannot open yet.
    let add = admin.get(&format!("{ORG}/add-version?version=zh-Hant")).await;
    assert_eq!(add.location(), "/organise/c/save-the-docks/edit/zh-Hant");
    let version = admin.get(add.location()).await;
    assert!(version.body.contains("This version is new"));
    // Its form lists the English demands, not yet translated: left so, they stay.
    let zh_form = admin.get(&format!("{ORG}/edit/zh-Hant")).await;
    assert_eq!(demand_fields(&zh_form), ["", ""]);
    assert!(zh_form.body.contains("Keep the docks public."), "the words its readers see for now");
    post_version(&admin, "zh-Hant", &[("title", "保衛碼頭")], &["", ""], "save").await;
    let refused = status(&admin, "open").await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains(
        "A campaign opens only when every language version has a title, a text and at least one demand."
    ));
    let zh = [("title", "保衛碼頭"), ("target", "港口管理局"), ("body", "碼頭養活這個城市。")];
    post_version(&admin, "zh-Hant", &zh, &["保持碼頭公有。", ""], "save").await;

    // Settings.
    let settings = admin.get(&format!("{ORG}/edit")).await;
    let bad_goal = admin
        .post(
            &format!("{ORG}/edit"),
            &[
                ("contact_name", "Lam"),
                ("signature_goal", "many"),
                ("default_lang", "en"),
                ("csrf", &settings.csrf()),
            ],
        )
        .await;
    assert_eq!(bad_goal.status, 422);
    assert!(bad_goal.field_error("signature_goal").is_some());
    let fields = [
        ("contact_name", "Lam"),
        ("contact_email", "docks@example.org"),
        ("signature_goal", "1,000"),
        ("dated", "2026-11-25"),
        ("default_lang", "en"),
        ("csrf", &settings.csrf()),
    ];
    assert_eq!(admin.post(&format!("{ORG}/edit"), &fields).await.status, 303);

    assert_eq!(status(&admin, "open").await.status, 303);
    let public = app.get("/c/save-the-docks").await;
    assert_eq!(public.first("h1"), "Save the docks");
    assert!(public.first("ol").starts_with("Keep the docks public."));
    assert!(public.body.contains("25 November 2026"));
    assert!(public.body.contains("0% of the goal of 1,000 signatures"));
    assert_eq!(app.new_browser().get("/c/save-the-docks?lang=zh-Hant").await.first("h1"), "保衛碼頭");

    // The moves a campaign cannot make.
    for to in ["draft", "open", "nonsense"] {
        let page = status(&admin, to).await;
        assert_eq!(page.status, 409, "open -> {to}");
    }

    // Someone signs; then the text changes: the signed text stays readable.
    let sign = [("name", "Docker"), ("email", "docker@example.org"), ("country", "GB")];
    app.submit("/c/save-the-docks", "/c/save-the-docks/sign", &sign).await;
    let mail = sink.one_for("docker@example.org").await;
    let path = app.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).unwrap());
    let page = app.get(&path).await;
    app.post(&path, &[("csrf", &page.csrf())]).await;
    let editing = admin.get(&format!("{ORG}/edit/en")).await;
    assert!(editing.body.contains("the text they signed is kept on its public history page"));
    let new_text =
        [("title", "Save our docks"), ("target", "The harbour board"), ("body", "The docks feed the city.")];
    post_version(&admin, "en", &new_text, &["Keep the docks public."], "save").await;
    let public = app.get("/c/save-the-docks").await;
    assert_eq!(public.first("h1"), "Save our docks");
    assert!(public.body.contains("href=\"/c/save-the-docks/history\""));
    let history = app.get("/c/save-the-docks/history").await;
    assert!(history.body.contains("<h3>Save the docks</h3>"), "{}", history.body);
    assert!(history.body.contains("Talk to the dockers’ union."));

    assert_eq!(status(&admin, "closed").await.status, 303);
    assert!(!app.get("/c/save-the-docks").await.body.contains("action=\"/c/save-the-docks/sign\""));
    assert_eq!(status(&admin, "open").await.status, 409, "closed campaigns do not reopen");
    assert_eq!(status(&admin, "won").await.status, 303);
    assert!(app.get("/c/save-the-docks").await.body.contains("Won: this campaign reached its aim"));

    let log = admin.get("/organise/audit").await;
    for action in ["create-campaign", "edit-version", "edit-settings", "change-status"] {
        assert!(log.body.contains(&format!("<td>{action}</td>")), "{action}");
    }
    app.stop().await;
}

async fn editors_edit_but_do_not_change_the_status(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let store = db.store().await;
    let (_, editor) =
        undersigned::add_user(store.as_ref(), "ed@example.org", None, false, PASSWORD).await.unwrap();
    let campaign = store
        .campaign_by_slug(&undersigned_core::Slug::parse("s", "release-cai-guangye").unwrap())
        .await
        .unwrap()
        .unwrap();
    store.set_role(campaign.id, editor, Some(undersigned_core::account::Role::Editor)).await.unwrap();
    let browser = app.new_browser();
    browser.submit("/login", "/login", &[("email", "ed@example.org"), ("password", PASSWORD)]).await;
    let org = "/organise/c/release-cai-guangye";
    assert_eq!(browser.get(&format!("{org}/edit")).await.status, 200);
    assert_eq!(browser.get(&format!("{org}/edit/zh-Hant")).await.status, 200);
    let dashboard = browser.get(org).await;
    assert!(
        !dashboard.body.contains("action=\"/organise/c/release-cai-guangye/status\""),
        "no status buttons for editors"
    );
    let csrf = dashboard.csrf();
    assert_eq!(
        browser.post(&format!("{org}/status"), &[("to", "closed"), ("csrf", &csrf)]).await.status,
        403
    );
    assert_eq!(browser.get("/organise/new").await.status, 403);
    app.stop().await;
}

on_both_backends!(
    a_campaign_is_written_in_two_languages_and_opened,
    editors_edit_but_do_not_change_the_status
);
