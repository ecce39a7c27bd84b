//! The pages every site needs (issue 15), on both backends: the built-in privacy notice tells what
//! the server keeps (with this site's retention and IP-hash days) in each language; an admin
//! writes the terms in Chinese, which every footer then links to and an English reader gets with
//! a word that it is in Chinese; bad input is refused by field with what was typed kept; only
//! admins write them; every form that asks for personal data links to the privacy notice.

use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_core::proposal::{SiteSettings, WhoStarts};
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, TestApp, strip_tags};

const PASSWORD: &str = "a long enough password";
const DEMO: &str = "/c/release-cai-guangye";
/// The link beside a form (the footer's says only "Privacy notice").
const PRIVACY_LINK: &str = "<a href=\"/privacy\">Privacy notice: what this site keeps about you and why</a>";

async fn admin(app: &TestApp, db: &TestDb) -> Browser {
    let store = db.store().await;
    undersigned::add_user(store.as_ref(), "admin@example.org", Some("Ada Admin"), true, PASSWORD)
        .await
        .unwrap();
    let browser = app.new_browser();
    let login =
        browser.submit("/login", "/login", &[("email", "admin@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(login.status, 303, "{}", login.body);
    browser
}

/// The footer of a page.
fn footer(body: &str) -> &str {
    &body[body.find("<footer").unwrap_or_else(|| panic!("no footer in {body}"))..]
}

/// The page's text without its tags, its spaces made single.
fn text(body: &str) -> String {
    strip_tags(body).split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn the_built_in_privacy_notice_tells_what_is_kept_in_each_language(db: &TestDb) {
    let options = Options { retention_days: Some(30), ip_hash_days: Some(2), ..Default::default() };
    let app = TestApp::spawn_with(db, options).await;
    let page = app.new_browser().get("/privacy").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.first("h1"), "Privacy notice");
    let said = text(&page.body);
    for words in [
        "Your email address, city, affiliation and comment are never shown.",
        "stored encrypted under a key that is kept apart from the database",
        "Your IP address is neither stored nor logged.",
        // This site's settings, not the defaults.
        "kept with a signature or an endorsement for 2 days",
        "30 days after a campaign closes, its personal data is cleared",
        "only its owners can export email addresses",
        "a commitment to your email address: a hash of the address with a random salt",
        "No cookie follows you.",
        "lang, the language you chose",
        "Nothing on these pages is loaded from another site",
        "Emails go out through the mail server that the people who run this site chose",
        // Until the operator says who they are, the notice says so plainly.
        "They have not yet said here who they are and how to reach them",
        "This is the text that comes with Undersigned",
    ] {
        assert!(said.contains(words), "the privacy notice does not say {words:?}:\n{said}");
    }
    let footer_links = footer(&page.body);
    assert!(footer_links.contains("href=\"/privacy\"") && footer_links.contains("href=\"/accessibility\""));
    assert!(!footer_links.contains("href=\"/terms\"") && !footer_links.contains("href=\"/imprint\""));
    for (lang, title, words) in [
        ("zh-Hans", "隐私声明", "我们既不存储也不记录你的 IP 地址。"),
        ("zh-Hant", "私隱聲明", "我們既不儲存也不記錄你的 IP 位址。"),
    ] {
        let page = app.new_browser().get(&format!("/privacy?lang={lang}")).await;
        assert_eq!((page.status, page.html_lang()), (200, lang));
        assert_eq!(page.first("h1"), title);
        let said = text(&page.body);
        assert!(said.contains(words), "{said}");
        assert!(
            said.contains("保存 2 天") && (said.contains("30 天后") || said.contains("30 天後")),
            "{said}"
        );
    }
    let statement = app.get("/accessibility").await;
    assert_eq!(statement.status, 200);
    assert!(text(&statement.body).contains("WCAG"), "{}", statement.body);
    // No text of their own: nothing to show until an admin writes them.
    assert_eq!(app.get("/terms").await.status, 404);
    assert_eq!(app.get("/imprint").await.status, 404);
    app.stop().await;
}

async fn an_admin_writes_the_terms_in_chinese_and_every_footer_links_them(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let admin = admin(&app, db).await;
    let list = admin.get("/organise/pages").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("href=\"/organise/pages/terms/zh-Hant\""), "{}", list.body);
    assert!(text(&list.body).contains("Not written: not shown"));
    let home = admin.get("/organise").await;
    assert!(home.body.contains("href=\"/organise/pages\""));

    // Not written yet: the form starts from the page's name in that language.
    let form = admin.get("/organise/pages/terms/zh-Hant").await;
    assert_eq!(form.status, 200);
    assert_eq!(form.input_value("page_title").as_deref(), Some("使用條款"));
    let fields = [("page_title", "使用條款"), ("page_body", "## 規則\n\n請尊重他人。"), ("action", "save")];
    let saved = admin.submit("/organise/pages/terms/zh-Hant", "/organise/pages/terms/zh-Hant", &fields).await;
    assert_eq!((saved.status, saved.location()), (303, "/organise/pages?saved=terms"));
    let list = admin.get("/organise/pages?saved=terms").await;
    assert!(text(&list.body).contains("Written by Ada Admin on"), "{}", list.body);

    let reader = app.new_browser();
    let terms = reader.get("/terms?lang=zh-Hant").await;
    assert_eq!(terms.status, 200);
    assert_eq!(terms.first("h1"), "使用條款");
    assert!(
        terms.body.contains("<h2>規則</h2>") && terms.body.contains("<p>請尊重他人。</p>"),
        "{}",
        terms.body
    );
    assert!(!terms.body.contains("class=\"notice\""), "no word about another language");
    // Every page's footer links to them now, in every language.
    for path in ["/", DEMO, "/privacy", "/c/no-such-campaign"] {
        let page = app.new_browser().get(path).await;
        assert!(footer(&page.body).contains("<a href=\"/terms\">Terms of use</a>"), "{path}: {}", page.body);
    }
    // An English reader gets them in Chinese, marked so, and told why.
    let terms = app.new_browser().get_with("/terms", &[("accept-language", "en")]).await;
    assert_eq!((terms.status, terms.html_lang()), (200, "en"));
    assert!(terms.body.contains("<article class=\"site-page\" lang=\"zh-Hant\">"), "{}", terms.body);
    assert!(text(&terms.body).contains("here it is in 繁體中文"), "{}", terms.body);

    // The admins' own privacy notice in English is what a reader of any language gets before
    // the built-in text (theirs is what is true of their site).
    let fields = [("page_title", "Our privacy notice"), ("page_body", "We keep little."), ("action", "save")];
    let saved = admin.submit("/organise/pages/privacy/en", "/organise/pages/privacy/en", &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let privacy = app.new_browser().get("/privacy?lang=zh-Hans").await;
    assert_eq!(privacy.first("h1"), "Our privacy notice");
    assert!(privacy.body.contains("lang=\"en\""));
    // Once the imprint exists, the built-in texts send their readers to it.
    let fields = [("page_title", "Imprint"), ("page_body", "Run by the Example Union."), ("action", "save")];
    admin.submit("/organise/pages/imprint/en", "/organise/pages/imprint/en", &fields).await;
    let statement = app.new_browser().get("/accessibility").await;
    assert!(statement.body.contains("href=\"/imprint\""), "{}", statement.body);

    // Every change is in the audit log.
    let audit = admin.get("/organise/audit").await;
    assert!(audit.body.contains("terms (zh-Hant)"), "{}", audit.body);

    // Deleted, the terms are gone again, and so is the footer's link.
    let form = admin.get("/organise/pages/terms/zh-Hant").await;
    let deleted = admin.post("/organise/pages/terms/zh-Hant/delete", &[("csrf", &form.csrf())]).await;
    assert_eq!((deleted.status, deleted.location()), (303, "/organise/pages?deleted=terms"));
    assert_eq!(app.new_browser().get("/terms?lang=zh-Hant").await.status, 404);
    assert!(!footer(&app.new_browser().get("/").await.body).contains("href=\"/terms\""));
    app.stop().await;
}

async fn a_site_page_with_bad_input_is_refused_by_field_and_kept(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let admin = admin(&app, db).await;
    let path = "/organise/pages/imprint/en";
    let long = "Run by us. ".repeat(10_000);
    let refused =
        admin.submit(path, path, &[("page_title", " "), ("page_body", &long), ("action", "save")]).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.field_error("page_title").unwrap().contains("Enter a title"));
    assert!(refused.field_error("page_body").unwrap().contains("1 to 100,000 characters"));
    assert!(refused.body.contains(&long), "what was typed is kept");
    let refused =
        admin.submit(path, path, &[("page_title", "Imprint"), ("page_body", ""), ("action", "save")]).await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.input_value("page_title").as_deref(), Some("Imprint"));
    // A long text in Chinese goes through (URL-encoded, nine bytes a character).
    let chinese = "本網站由香港工會聯合會營運。".repeat(4_000);
    let saved = admin
        .submit(path, path, &[("page_title", "網站資料"), ("page_body", &chinese), ("action", "save")])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    // A preview shows the text as it would be, saves nothing.
    let preview = admin
        .submit(
            "/organise/pages/terms/en",
            "/organise/pages/terms/en",
            &[("page_title", "Terms"), ("page_body", "Be **kind**."), ("action", "preview")],
        )
        .await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("<strong>kind</strong>"), "{}", preview.body);
    assert_eq!(app.get("/terms").await.status, 404);
    // Without the form's token: refused, kept.
    let forged = admin.post(path, &[("page_title", "Forged"), ("page_body", "x"), ("csrf", "nope")]).await;
    assert_eq!(forged.status, 403);
    assert_eq!(forged.input_value("page_title").as_deref(), Some("Forged"));
    app.stop().await;
}

async fn only_admins_write_the_site_pages(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let visitor = app.new_browser();
    let page = visitor.get("/organise/pages").await;
    assert_eq!(page.status, 303);
    assert!(page.location().starts_with("/login?next="), "{}", page.location());
    let owner = app.organiser(db, "owner@example.org", Role::Owner).await;
    assert_eq!(owner.get("/organise/pages").await.status, 403);
    assert_eq!(owner.get("/organise/pages/privacy/en").await.status, 403);
    let form = owner.get("/c/release-cai-guangye/comments").await;
    let post = [("page_title", "Mine"), ("page_body", "Mine."), ("csrf", &form.csrf())];
    assert_eq!(owner.post("/organise/pages/privacy/en", &post).await.status, 403);
    assert!(!app.get("/privacy").await.body.contains("Mine."));
    // Pages and languages the site does not have.
    let admin = admin(&app, db).await;
    assert_eq!(admin.get("/organise/pages/cookies/en").await.status, 404);
    assert_eq!(admin.get("/organise/pages/privacy/fr").await.status, 404);
    app.stop().await;
}

async fn every_form_that_asks_for_personal_data_links_to_the_privacy_notice(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let store = db.store().await;
    store
        .save_site_settings(&SiteSettings { who_starts: WhoStarts::Anyone, ..Default::default() })
        .await
        .unwrap();
    for path in [
        DEMO.to_owned(),
        format!("{DEMO}/endorse"),
        format!("{DEMO}/comments"),
        format!("{DEMO}/manage"),
        "/propose".into(),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(
            page.body.contains(PRIVACY_LINK),
            "{path} does not link to the privacy notice:\n{}",
            page.body
        );
    }
    // In another site's frame, it opens in a new tab (and the frame has no footer).
    let embed = app.get(&format!("{DEMO}/embed")).await;
    assert!(
        embed.body.contains("<a href=\"/privacy\" target=\"_blank\" rel=\"noopener\">"),
        "{}",
        embed.body
    );
    assert!(!embed.body.contains("<footer"));
    app.stop().await;
}

on_both_backends!(
    the_built_in_privacy_notice_tells_what_is_kept_in_each_language,
    an_admin_writes_the_terms_in_chinese_and_every_footer_links_them,
    a_site_page_with_bad_input_is_refused_by_field_and_kept,
    only_admins_write_the_site_pages,
    every_form_that_asks_for_personal_data_links_to_the_privacy_notice,
);
