//! The public pages over HTTP, on both backends: the demo campaign in English and Chinese, the
//! language choice, hreflang links, the 404 page, health, limits and security headers.

use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{self, TestApp};

const DEMO: &str = "/c/release-cai-guangye";

async fn the_demo_campaign_is_listed_and_reads_in_english_by_default(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let home = app.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("href=\"/c/release-cai-guangye\""), "{}", home.body);

    let page = app.get(DEMO).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.html_lang(), "en");
    assert_eq!(page.first("h1"), "Free Cai Guangye, jailed for writing about laid-off workers");
    assert!(page.body.contains("The Government of the People’s Republic of China"));
    assert!(page.body.contains("<time datetime=\"2004-02-10\">10 February 2004</time>"));
    let demands = page.first("ol");
    assert!(demands.starts_with("Release Cai Guangye immediately."), "{demands}");
    assert!(demands.contains("Respect freedom of speech"), "{demands}");
    // The endorsements, grouped by region, as the appeal lists them.
    assert!(page.body.contains("<h3>Hong Kong</h3>"));
    assert!(page.body.contains("Hong Kong Confederation of Trade Unions (HKCTU)"));
    assert!(page.body.contains("15 individuals"));
    assert!(page.body.contains("<strong class=\"count-number\">15</strong> <span>people have signed</span>"));
    assert!(page.body.contains("6 organisations endorse this campaign."));
    // The sign form, open to anyone, with a CSRF token.
    assert!(page.body.contains("<form method=\"post\" action=\"/c/release-cai-guangye/sign\""));
    assert!(page.body.contains("name=\"csrf\""));
    app.stop().await;
}

async fn chinese_is_chosen_by_lang_and_remembered(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let page = app.get(&format!("{DEMO}?lang=zh-Hant")).await;
    assert_eq!(page.html_lang(), "zh-Hant");
    assert_eq!(page.first("h1"), "釋放 Cai Guangye：他因為替下崗工人發聲而入獄");
    assert!(page.body.contains("<time datetime=\"2004-02-10\">2004年2月10日</time>"));
    assert!(page.first("ol").starts_with("立即釋放 Cai Guangye；"));
    assert!(page.body.contains("<h3>香港</h3>"));
    assert!(page.header("set-cookie").starts_with("lang=zh-Hant;"), "{:?}", page.headers);

    // The choice is kept (cookie) and wins over the browser's language.
    let again = app.get_with(DEMO, &[("accept-language", "en")]).await;
    assert_eq!(again.html_lang(), "zh-Hant");
    assert_eq!(again.first("h1"), page.first("h1"));
    // The site's own pages follow it too.
    assert!(app.get("/").await.body.contains("<h1>聯署運動</h1>"));
    app.stop().await;
}

async fn chinese_is_chosen_by_accept_language(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    for header in ["zh-TW", "zh-HK,zh;q=0.9,en;q=0.8", "zh-MO"] {
        let page = app.get_with(DEMO, &[("accept-language", header)]).await;
        assert_eq!(page.html_lang(), "zh-Hant", "{header}");
        assert_eq!(page.first("h1"), "釋放 Cai Guangye：他因為替下崗工人發聲而入獄", "{header}");
    }
    let page = app.get_with(DEMO, &[("accept-language", "de-DE,fr;q=0.5")]).await;
    assert_eq!(page.html_lang(), "en", "a language the site lacks falls back to the campaign's default");
    app.stop().await;
}

async fn a_simplified_chinese_reader_is_told_which_version_is_shown(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let page = app.get_with(DEMO, &[("accept-language", "zh-CN")]).await;
    assert_eq!(page.html_lang(), "zh-Hans");
    assert_eq!(page.first("h1"), "釋放 Cai Guangye：他因為替下崗工人發聲而入獄");
    assert_eq!(page.first("p class=\"notice\""), "本联署暂时没有简体中文版本，现以繁體中文显示。");
    app.stop().await;
}

async fn every_version_has_an_hreflang_link_and_the_switcher_shows_them(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let page = app.get(DEMO).await;
    let base = &app.base;
    for (lang, href) in [
        ("en", format!("{base}{DEMO}?lang=en")),
        ("zh-Hant", format!("{base}{DEMO}?lang=zh-Hant")),
        ("x-default", format!("{base}{DEMO}")),
    ] {
        let link = format!("<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{href}\">");
        assert!(page.body.contains(&link), "{link} missing");
    }
    assert!(page.body.contains(&format!(
        "<a href=\"{DEMO}?lang=zh-Hant\" lang=\"zh-Hant\" hreflang=\"zh-Hant\">繁體中文</a>"
    )));
    app.stop().await;
}

async fn an_unknown_campaign_gets_a_404_page_in_the_visitors_language(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let page = app.get("/c/no-such-campaign").await;
    assert_eq!(page.status, 404);
    assert_eq!(page.first("h1"), "Page not found");
    let page = app.get_with("/c/NOT%20a%20slug", &[("accept-language", "zh-TW")]).await;
    assert_eq!(page.status, 404);
    assert_eq!(page.first("h1"), "找不到頁面");
    let page = app.get("/no/such/page").await;
    assert_eq!(page.status, 404);
    assert!(page.header("content-type").starts_with("text/html"));
    app.stop().await;
}

async fn health_answers_while_the_database_does(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let page = app.get("/healthz").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body, "ok\nwrite: ok\nmigrations: ok\nmail: ok, none due\n");
    app.stop().await;
}

async fn pages_carry_security_headers_and_load_nothing_from_elsewhere(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let page = app.get(DEMO).await;
    let csp = page.header("content-security-policy");
    assert!(csp.contains("default-src 'none'") && csp.contains("style-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    // Nothing to other sites; our own forms' POSTs carry our `Origin` (not `null`).
    assert_eq!(page.header("referrer-policy"), "same-origin");
    for attribute in ["src=\"http", "href=\"//", "url(http"] {
        assert!(!page.body.contains(attribute), "{attribute}");
    }
    let css = app.get("/static/style.css").await;
    assert_eq!(css.status, 200);
    assert!(!css.body.contains("http"), "the stylesheet loads nothing from elsewhere");
    app.stop().await;
}

async fn a_request_body_over_the_limit_is_refused(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let response =
        app.client.post(format!("{}{DEMO}", app.base)).body(vec![b'x'; 70_000]).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 413);
    let page = support::Page::from(response).await;
    assert_eq!(page.first("h1"), "Too much data");
    app.stop().await;
}

async fn without_the_demo_option_the_site_starts_empty(db: &TestDb) {
    let options = undersigned::config::Options { no_demo: true, ..Default::default() };
    let app = TestApp::spawn_with(db, options).await;
    assert!(app.get("/").await.body.contains("There are no campaigns yet."));
    assert_eq!(app.get(DEMO).await.status, 404);
    app.stop().await;
}

async fn a_campaign_can_be_shared_without_loading_anything_from_elsewhere(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let page = app.get(DEMO).await;
    let url = format!("{}{DEMO}", app.base);
    assert!(page.body.contains(&format!("<meta property=\"og:url\" content=\"{url}\">")));
    assert!(page.body.contains(
        "<meta property=\"og:title\" content=\"Free Cai Guangye, jailed for writing about laid-off workers\">"
    ));
    assert!(
        page.body.contains(&format!("<meta property=\"og:image\" content=\"{}/static/card.png\">", app.base))
    );
    assert!(page.body.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    let encoded = url.replace(':', "%3A").replace('/', "%2F");
    for service in [
        "https://x.com/intent/post?",
        "https://t.me/share/url?",
        "https://wa.me/?text=",
        "https://service.weibo.com/share/share.php?",
        "https://social-plugins.line.me/lineit/share?url=",
    ] {
        assert!(page.body.contains(service), "{service}");
    }
    assert!(page.body.contains(&format!("https://www.facebook.com/sharer/sharer.php?u={encoded}")));
    let card = app.get("/static/card.png").await;
    assert_eq!(card.header("content-type"), "image/png");

    let mastodon = app.get(&format!("{DEMO}/share/mastodon?instance=https://Mastodon.Social/")).await;
    assert_eq!(mastodon.status, 303);
    assert!(
        mastodon.location().starts_with("https://mastodon.social/share?text=Free%20Cai%20Guangye"),
        "{}",
        mastodon.location()
    );
    assert_eq!(app.get(&format!("{DEMO}/share/mastodon?instance=evil.example/path")).await.status, 400);

    let qr = app.get(&format!("{DEMO}/qr.svg")).await;
    assert_eq!(qr.header("content-type"), "image/svg+xml");
    assert!(qr.body.contains("<svg"));
    app.stop().await;
}

async fn the_campaign_page_is_cached_for_a_second_the_same_for_everyone(db: &TestDb) {
    let options = undersigned::config::Options { page_cache_ms: Some(1_000), ..Default::default() };
    let app = TestApp::spawn_with(db, options).await;
    let first = app.get(DEMO).await;
    assert!(first.body.contains("<strong class=\"count-number\">15</strong>"));
    let store = db.store().await;
    let campaign = store
        .campaign_by_slug(&undersigned_core::Slug::parse("s", "release-cai-guangye").unwrap())
        .await
        .unwrap()
        .unwrap();
    let spec = undersigned_core::EndorsementSpec {
        endorser: undersigned_core::EndorsementSpec::individuals(12).unwrap(),
        country: None,
        statement: None,
        source_note: Some("paper".into()),
    };
    store.add_offline_endorsement(campaign.id, &spec).await.unwrap();
    let other = app.new_browser().get(DEMO).await;
    assert!(other.body.contains("<strong class=\"count-number\">15</strong>"), "served from the cache");
    assert_eq!(other.body, first.body, "the same bytes for another visitor: the form's token is the form's");
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    assert!(
        app.get(DEMO).await.body.contains("<strong class=\"count-number\">27</strong>"),
        "at most a second behind"
    );
    app.stop().await;
}

on_both_backends!(
    the_campaign_page_is_cached_for_a_second_the_same_for_everyone,
    a_campaign_can_be_shared_without_loading_anything_from_elsewhere,
    the_demo_campaign_is_listed_and_reads_in_english_by_default,
    chinese_is_chosen_by_lang_and_remembered,
    chinese_is_chosen_by_accept_language,
    a_simplified_chinese_reader_is_told_which_version_is_shown,
    every_version_has_an_hreflang_link_and_the_switcher_shows_them,
    an_unknown_campaign_gets_a_404_page_in_the_visitors_language,
    health_answers_while_the_database_does,
    pages_carry_security_headers_and_load_nothing_from_elsewhere,
    a_request_body_over_the_limit_is_refused,
    without_the_demo_option_the_site_starts_empty,
);

#[tokio::test]
async fn health_answers_503_when_postgresql_is_gone() {
    let Some(db) = TestDb::new(undersigned_store_tests::Backend::Postgres).await else {
        return;
    };
    let app = TestApp::spawn(&db).await;
    assert_eq!(app.get("/healthz").await.status, 200);
    db.drop_now().await;
    // The answer is kept for a second.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let page = app.get("/healthz").await;
    assert_eq!(page.status, 503);
    assert!(page.body.starts_with("unhealthy\nwrite: FAILED"), "{}", page.body);
    // Pages say so in words, not with a stack trace.
    let page = app.get(DEMO).await;
    assert_eq!(page.status, 503);
    assert_eq!(page.first("h1"), "Temporarily unavailable");
    app.stop().await;
}
