//! The campaign on other sites, on both backends: its embeddable page, framed only by the sites
//! the campaign names (every other page by none); signing in it with no cookie at all, other
//! sites' posts refused by Fetch Metadata and `Origin` and stale or forged form tokens by the
//! token; the campaign page the same bytes for everyone; and the organisers' snippets.

use undersigned::config::Options;
use undersigned_core::Slug;
use undersigned_core::keys::Keys;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};
use undersigned_web::limits::PublicForm;

use crate::support::{Browser, Page, TestApp};

const DEMO: &str = "/c/release-cai-guangye";
const EMBED: &str = "/c/release-cai-guangye/embed";
const SIGN: &str = "/c/release-cai-guangye/sign";
const ORG: &str = "/organise/c/release-cai-guangye";
const PASSWORD: &str = "a long enough password";
const TITLE: &str = "Free Cai Guangye, jailed for writing about laid-off workers";

fn frame_ancestors(page: &Page) -> &str {
    let policy = page.header("content-security-policy");
    policy.split("; ").find_map(|d| d.strip_prefix("frame-ancestors ")).unwrap_or_else(|| panic!("{policy}"))
}

/// The page may be framed by `sites` only (`'none'`: by no site, and `X-Frame-Options` says so too).
fn assert_framed_by(page: &Page, sites: &str, what: &str) {
    assert_eq!(frame_ancestors(page), sites, "{what}");
    let deny = if sites == "'none'" { "DENY" } else { "" };
    assert_eq!(page.header("x-frame-options"), deny, "{what}");
}

async fn admin(db: &TestDb, app: &TestApp) -> Browser {
    let store = db.store().await;
    undersigned::add_user(store.as_ref(), "admin@example.org", Some("Lam"), true, PASSWORD).await.unwrap();
    let browser = app.new_browser();
    let page =
        browser.submit("/login", "/login", &[("email", "admin@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(page.status, 303);
    browser
}

/// Saves the campaign's settings as they are, with `embed_sites`.
async fn save_embed_sites(admin: &Browser, sites: &str) -> Page {
    let path = format!("{ORG}/edit");
    let settings = admin.get(&path).await;
    let value = |field| settings.input_value(field).unwrap_or_default();
    let fields = ["contact_name", "contact_email", "signature_goal", "dated", "opens_on", "closes_on"]
        .map(|field| (field, value(field)));
    let mut all: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let csrf = settings.csrf();
    all.extend([("default_lang", "en"), ("embed_sites", sites), ("csrf", &csrf)]);
    admin.post(&path, &all).await
}

async fn the_embeddable_page_is_framed_by_the_campaigns_sites_and_no_other_page(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let embed = app.get(EMBED).await;
    assert_eq!(embed.status, 200);
    assert_framed_by(&embed, "*", "any site may frame the embed by default");
    assert_eq!(embed.header("set-cookie"), "", "the framed page sets no cookie");
    assert_eq!(embed.first("h1"), TITLE);
    assert!(embed.body.contains("class=\"count-number\">15<"), "the count");
    assert!(embed.first("ol").contains("Release Cai Guangye"), "the demands: {}", embed.first("ol"));
    assert_eq!(embed.hidden("embed").as_deref(), Some("1"));
    assert!(embed.body.contains("action=\"/c/release-cai-guangye/sign?lang=en\""), "{}", embed.body);
    assert!(
        embed.body.contains("<a href=\"/c/release-cai-guangye?lang=en\" target=\"_blank\" rel=\"noopener\">"),
        "the full appeal opens in a tab of its own"
    );
    assert!(!embed.body.contains("class=\"site-header\"") && !embed.body.contains("<script"));
    let zh = app.new_browser().get(&format!("{EMBED}?lang=zh-Hant")).await;
    assert_eq!(
        (zh.html_lang(), zh.header("set-cookie")),
        ("zh-Hant", ""),
        "?lang= chooses, remembers nothing"
    );
    assert!(zh.body.contains("action=\"/c/release-cai-guangye/sign?lang=zh-Hant\""));
    for path in
        [DEMO, "/", "/c/release-cai-guangye/signatures", "/c/release-cai-guangye/check-email", "/login"]
    {
        assert_framed_by(&app.get(path).await, "'none'", path);
    }
    assert_framed_by(&app.get(&format!("{EMBED}/check-email")).await, "*", "what the frame's form leads to");
    assert_eq!(app.get("/c/no-such-campaign/embed").await.status, 404);

    // The organisers name the sites; a bad one is refused by name and kept.
    let admin = admin(db, &app).await;
    let bad = save_embed_sites(&admin, "https://union.example.org\nhttp://plain.example").await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.field_error("embed_sites").unwrap().contains("https"),
        "{:?}",
        bad.field_error("embed_sites")
    );
    assert!(bad.body.contains("https://union.example.org\nhttp://plain.example</textarea>"));
    let saved = save_embed_sites(&admin, " https://Union.example.org/\r\nhttps://*.news.example\r\n").await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let embed = app.get(EMBED).await;
    assert_framed_by(&embed, "https://union.example.org https://*.news.example", "the campaign's list");
    assert_framed_by(&app.get(DEMO).await, "'none'", "the campaign page still by none");
    let settings = admin.get(&format!("{ORG}/edit")).await;
    assert!(settings.body.contains("-hint\">https://union.example.org\nhttps://*.news.example</textarea>"));
    assert_eq!(save_embed_sites(&admin, "").await.status, 303);
    assert_framed_by(&app.get(EMBED).await, "'none'", "no site at all");

    // The snippets to copy, on the dashboard.
    let dashboard = admin.get(ORG).await;
    let frame = format!(
        "&lt;iframe src=&quot;{}{EMBED}&quot; title=&quot;{TITLE}&quot; width=&quot;480&quot;",
        app.base
    );
    assert!(dashboard.body.contains(&frame), "{}", dashboard.body);
    for part in [
        "readonly",
        "loading=&quot;lazy&quot; referrerpolicy=&quot;no-referrer&quot; sandbox=&quot;allow-forms allow-popups allow-popups-to-escape-sandbox allow-same-origin allow-top-navigation-by-user-activation&quot;",
        &format!(
            "&lt;img src=&quot;{}{DEMO}/badge.svg&quot; alt=&quot;Signatures for {TITLE}&quot;",
            app.base
        ),
        &format!("&lt;a href=&quot;{}{DEMO}&quot;&gt;{TITLE}&lt;/a&gt;", app.base),
    ] {
        assert!(dashboard.body.contains(part), "{part}");
    }
    app.stop().await;
}

/// The demo campaign's sign form with a name and an address, as the embeddable page posts it.
fn sign_fields<'a>(name: &'a str, email: &'a str, token: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("name", name), ("email", email), ("country", "HK"), ("csrf", token), ("embed", "1")]
}

/// The form token of the window `back` windows before this one, made with the server's key.
async fn token_of_window(db: &TestDb, app: &TestApp, back: i64) -> String {
    let hex = std::fs::read_to_string(app.data_dir.path().join("secret.key")).unwrap();
    let keys = Keys::new(hex::decode(hex.trim()).unwrap().try_into().unwrap());
    let store = db.store().await;
    let slug = Slug::parse("slug", "release-cai-guangye").unwrap();
    let id = store.campaign_by_slug(&slug).await.unwrap().unwrap().id;
    let window = time::OffsetDateTime::now_utc().unix_timestamp().div_euclid(PublicForm::WINDOW_SECONDS);
    keys.form_token("sign", id, window - back)
}

async fn count(app: &TestApp) -> i64 {
    let json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("{DEMO}/count.json")).await.body).unwrap();
    json["signature_count"].as_i64().unwrap()
}

async fn signing_in_the_frame_needs_no_cookie_and_other_sites_are_refused(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Default::default() }).await;
    let before = count(&app).await;
    let embed = app.get(EMBED).await;
    let token = embed.csrf();
    let action = format!("{SIGN}?lang=en");

    // Another site's page posting our form: refused, what was typed kept, shown in the frame.
    let fields = sign_fields("Elsewhere", "elsewhere@example.org", &token);
    for headers in [
        &[("sec-fetch-site", "cross-site"), ("origin", "https://attacker.example")][..],
        &[("sec-fetch-site", "same-site")][..],
        &[("origin", "https://attacker.example")][..],
        &[("origin", "null")][..],
        &[("sec-fetch-site", "same-origin"), ("origin", "http://localhost:1")][..],
    ] {
        let refused = app.post_with(&action, &fields, headers).await;
        assert_eq!(refused.status, 403, "{headers:?}");
        assert!(refused.body.contains("This form was sent from another site, so nothing was sent."));
        assert_eq!(refused.input_value("name").as_deref(), Some("Elsewhere"), "{headers:?}");
        assert_framed_by(&refused, "*", "a refusal in the frame shows there");
        assert_eq!(refused.hidden("embed").as_deref(), Some("1"));
    }

    // A stale or forged token: refused as expired, what was typed kept, with a fresh token.
    for stale in [token_of_window(db, &app, 2).await, "forged".to_owned(), String::new()] {
        let refused = app.post(&action, &sign_fields("Stale", "stale@example.org", &stale)).await;
        assert_eq!(refused.status, 403, "{stale}");
        assert!(refused.body.contains("This form had expired, so nothing was sent."));
        assert_eq!(refused.input_value("email").as_deref(), Some("stale@example.org"));
        assert_eq!(refused.csrf(), token, "the form comes back with the current token");
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(sink.all().is_empty(), "nothing refused was sent");

    // From the frame itself (same-origin, as a browser says it): no cookie needed, "check your
    // email" in the frame, in the language the frame was read in.
    let browser = [("sec-fetch-site", "same-origin"), ("origin", app.base.as_str())];
    let signed = app.post_with(&action, &sign_fields("Framed", "framed@example.org", &token), &browser).await;
    assert_eq!((signed.status, signed.location()), (303, "/c/release-cai-guangye/embed/check-email?lang=en"));
    assert_eq!(signed.header("set-cookie"), "");
    let check = app.get(signed.location()).await;
    assert_eq!(check.first("h1"), "Check your email");
    assert_framed_by(&check, "*", "check your email, in the frame");
    assert!(!check.body.contains("class=\"site-header\""), "compact");
    assert!(check.body.contains("href=\"/c/release-cai-guangye/embed?lang=en\""), "back to the form");
    // In Chinese, when the frame was read so.
    let zh = app.post(&format!("{SIGN}?lang=zh-Hant"), &sign_fields("", "bad", &token)).await;
    assert_eq!((zh.status, zh.html_lang()), (422, "zh-Hant"));
    assert!(zh.field_error("email").is_some() && zh.hidden("embed").is_some());

    // Without either header (not a browser, so no one's session rides on it), with the token of
    // the window before: taken, on the campaign page's way.
    let previous = token_of_window(db, &app, 1).await;
    let plain =
        [("name", "Plain"), ("email", "plain@example.org"), ("country", "HK"), ("csrf", previous.as_str())];
    let client = Browser::new(&app.base);
    let signed = client.post(SIGN, &plain).await;
    assert_eq!((signed.status, signed.location()), (303, "/c/release-cai-guangye/check-email"));

    // Confirmed from the mail, both count.
    for email in ["framed@example.org", "plain@example.org"] {
        let mail = sink.one_for(email).await;
        let path = app.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).expect("a confirm link"));
        let confirm = app.get(&path).await;
        assert_eq!(app.post(&path, &[("csrf", &confirm.csrf())]).await.status, 303);
    }
    assert_eq!(count(&app).await, before + 2);

    // The endorsement form is guarded the same way, and its page sets no cookie either.
    let endorse = format!("{DEMO}/endorse");
    let form = Browser::new(&app.base).get(&endorse).await;
    assert_eq!(form.header("set-cookie"), "");
    let fields =
        [("organisation", "Far Union"), ("contact_email", "far@example.org"), ("csrf", &form.csrf())];
    let refused = app.post_with(&endorse, &fields, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("This form was sent from another site, so nothing was sent."));
    assert_eq!(refused.input_value("organisation").as_deref(), Some("Far Union"));
    assert_framed_by(&refused, "'none'", "the endorsement form is not framed");
    app.stop().await;
}

async fn every_reader_gets_the_same_bytes_of_the_campaign_page(db: &TestDb) {
    let app = TestApp::spawn_with(db, Options { page_cache_ms: Some(60_000), ..Default::default() }).await;
    for path in [DEMO, EMBED] {
        let first = Browser::new(&app.base).get(path).await;
        let second = Browser::new(&app.base).get(path).await;
        assert_eq!(first.status, 200);
        assert_eq!(first.header("set-cookie"), "", "{path}: no cookie, no token per visitor");
        assert_eq!(first.body, second.body, "{path}: byte for byte");
        // One who holds the CSRF cookie of the organisers' forms gets the same page too.
        let with_cookie =
            Browser::new(&app.base).get_with(path, &[("cookie", "csrf=abcdefghijklmnopqrstuv")]).await;
        assert_eq!(with_cookie.body, first.body, "{path}");
        // The language still follows the reader.
        let zh = Browser::new(&app.base).get_with(path, &[("accept-language", "zh-TW")]).await;
        let zh_again = Browser::new(&app.base).get_with(path, &[("accept-language", "zh-HK, en")]).await;
        assert_eq!(zh.html_lang(), "zh-Hant");
        assert_eq!(zh.body, zh_again.body, "{path}");
        assert_ne!(zh.body, first.body);
        assert_eq!(first.header("vary"), "Accept-Language, Cookie");
    }
    // A page with a form bound to the browser still sets its cookie.
    let login = Browser::new(&app.base).get("/login").await;
    assert!(login.header("set-cookie").starts_with("csrf="), "{:?}", login.headers);
    app.stop().await;
}

on_both_backends!(
    the_embeddable_page_is_framed_by_the_campaigns_sites_and_no_other_page,
    signing_in_the_frame_needs_no_cookie_and_other_sites_are_refused,
    every_reader_gets_the_same_bytes_of_the_campaign_page,
);
