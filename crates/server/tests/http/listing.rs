//! Finding campaigns (issue 15), on both backends: the home page lists the open ones (most signed
//! in the last day first, or newest, or closing soonest), the archive the closed and won ones;
//! the search finds a Chinese campaign by a word of two characters, every word must be there,
//! and a query of any length or shape gets a page, not an error.

use time::Duration;
use undersigned_core::store::now;
use undersigned_core::{CampaignContent, CampaignStatus, CampaignVersion, Contact, Lang, Slug, Store};
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{TestApp, strip_tags};

async fn campaign(
    store: &dyn Store,
    slug: &str,
    lang: &str,
    title: &str,
    body: &str,
    status: CampaignStatus,
    closes_in: Option<i64>,
) {
    let version = CampaignVersion::parse(Lang::known(lang), title, "", "The target", body).unwrap();
    let mut content = CampaignContent {
        slug: Slug::parse("slug", slug).unwrap(),
        status: CampaignStatus::Draft,
        opens_at: None,
        closes_at: closes_in.map(|days| now() + Duration::days(days)),
        dated: None,
        contact: Contact { name: "Organiser".into(), email: None },
        signature_goal: None,
        default_lang: Lang::known(lang),
        versions: vec![version],
        demands: undersigned_core::demand::by_position(&[(Lang::known(lang), vec![Some("A demand".into())])]),
        embed_sites: Default::default(),
    };
    let id = store.create_campaign(&content, None, now()).await.unwrap();
    content.status = status;
    store.save_campaign(id, &content, false, now()).await.unwrap();
}

/// The titles a listing shows, in order.
fn titles(body: &str) -> Vec<String> {
    body.split("<li class=\"campaign-card\"")
        .skip(1)
        .map(|card| {
            let start = card.find("<h2>").unwrap() + 4;
            strip_tags(&card[start..start + card[start..].find("</h2>").unwrap()])
        })
        .collect()
}

async fn the_public_finds_campaigns_by_words_in_every_language(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let store = db.store().await;
    let body = "我們要求立即釋放被囚禁的工人代表李旺陽。";
    campaign(store.as_ref(), "li-wangyang", "zh-Hant", "釋放工人代表", body, CampaignStatus::Open, None)
        .await;
    campaign(
        store.as_ref(),
        "library",
        "en",
        "Save the library",
        "Keep it open.",
        CampaignStatus::Open,
        Some(3),
    )
    .await;
    campaign(store.as_ref(), "old-fight", "en", "An old fight", "Long ago.", CampaignStatus::Closed, None)
        .await;
    campaign(store.as_ref(), "won-fight", "en", "A fight won", "We won.", CampaignStatus::Won, None).await;

    let all = app.get("/").await;
    assert_eq!(all.status, 200);
    let open = titles(&all.body);
    assert_eq!(open.len(), 3, "{open:?}");
    assert!(!open.iter().any(|t| t.contains("fight")), "closed and won ones are in the archive: {open:?}");

    // A word of two characters inside a sentence without spaces.
    let found = titles(&app.get(&format!("/?q={}", urlencode("旺陽"))).await.body);
    assert_eq!(found, ["釋放工人代表"]);
    let found = titles(&app.get(&format!("/?q={}", urlencode("工人 李旺陽"))).await.body);
    assert_eq!(found, ["釋放工人代表"], "every word, anywhere in the text");
    let none = app.get(&format!("/?q={}", urlencode("旺陽 library"))).await;
    assert!(titles(&none.body).is_empty());
    assert!(none.body.contains("No campaign has all these words"));
    assert!(none.body.contains("value=\"旺陽 library\""), "the search field keeps what was typed");
    assert_eq!(titles(&app.get("/?q=LIBRARY").await.body), ["Save the library"]);

    // Closing soonest first: the one with an end date.
    assert_eq!(titles(&app.get("/?sort=closing").await.body)[0], "Save the library");
    // The archive: closed and won, searchable too.
    let archive = titles(&app.get("/archive").await.body);
    assert_eq!(archive.len(), 2, "{archive:?}");
    assert_eq!(titles(&app.get("/archive?q=won").await.body), ["A fight won"]);

    // Garbage of any length gets a page.
    for query in ["/?q=%00%ff", "/?page=-3&sort=%3Cscript%3E", "/?page=99999999999999999999"] {
        assert_eq!(app.get(query).await.status, 200, "{query}");
    }
    let long = "字".repeat(5_000);
    assert_eq!(app.get(&format!("/?q={}", urlencode(&long))).await.status, 200);
    app.stop().await;
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

on_both_backends!(the_public_finds_campaigns_by_words_in_every_language);
