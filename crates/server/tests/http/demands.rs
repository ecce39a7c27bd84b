//! Demands (issue 16), on both backends: one list in every language version (a demand added in
//! English shows in Chinese, marked not yet translated; moved in one version, it moves in all);
//! marked met, it shows on the page in the three languages of the site, in the API and in the
//! delivery document, and the signers who asked for news are mailed in their language with a
//! one-click unsubscribe; a milestone the organisers chose is mailed once.

use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_core::{Campaign, Lang, Slug, Store};
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, TestApp, strip_tags};
use crate::updates::sign;

const DEMO: &str = "/c/release-cai-guangye";
const ORG: &str = "/organise/c/release-cai-guangye";

async fn demo(store: &dyn Store) -> Campaign {
    store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap()
}

/// Saves a version from its form, its own fields as stored, its demands as given: (key, text)
/// in order (an empty key: a new demand).
async fn save_version(store: &dyn Store, owner: &Browser, lang: &str, demands: &[(String, &str)]) -> u16 {
    let campaign = demo(store).await;
    let v = campaign.content.version(&Lang::known(lang)).unwrap().clone();
    let path = format!("{ORG}/edit/{lang}");
    let csrf = owner.get(&path).await.csrf();
    let mut fields: Vec<(&str, &str)> =
        vec![("title", &v.title), ("summary", &v.summary), ("target", &v.target), ("body", &v.body)];
    for (key, text) in demands {
        fields.push(("demand_key", key));
        fields.push(("demand", text));
    }
    fields.extend([("op", "save"), ("csrf", &csrf)]);
    owner.post(&path, &fields).await.status
}

async fn a_demand_added_in_english_is_untranslated_in_chinese_and_moves_in_every_version(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let store = db.store().await;
    let owner = app.organiser(db, "owner@example.org", Role::Owner).await;
    let before = demo(store.as_ref()).await.content;
    let (en, zh) = (Lang::known("en"), Lang::known("zh-Hant"));
    let mut list: Vec<(String, &str)> =
        before.demands.iter().map(|d| (d.key.to_string(), d.text(&en).unwrap())).collect();
    list.push((String::new(), "Apologise to his family."));
    assert_eq!(save_version(store.as_ref(), &owner, "en", &list).await, 303);

    let zh_page = strip_tags(&app.get(&format!("{DEMO}?lang=zh-Hant")).await.body);
    assert!(zh_page.contains("Apologise to his family. (尚未翻譯)"), "{zh_page}");
    let form = owner.get(&format!("{ORG}/edit/zh-Hant")).await;
    assert!(form.body.contains("Apologise to his family."), "its Chinese form shows what readers see");

    // Moved first in the Chinese version: first in every version.
    let after = demo(store.as_ref()).await.content;
    let new = after.demands.last().unwrap().key;
    let mut zh_list: Vec<(String, &str)> = vec![(new.to_string(), "")];
    zh_list.extend(before.demands.iter().map(|d| (d.key.to_string(), d.text(&zh).unwrap())));
    assert_eq!(save_version(store.as_ref(), &owner, "zh-Hant", &zh_list).await, 303);
    let en_page = app.get(DEMO).await;
    assert!(en_page.first("ol").starts_with("Apologise to his family."), "{}", en_page.first("ol"));
    let moved = demo(store.as_ref()).await.content;
    assert_eq!(moved.demands[0].key, new);
    assert!(!moved.demands_in(&zh)[0].translated);
    assert_eq!(moved.demands_in(&zh)[1].text, before.demands[0].text(&zh).unwrap());

    // Removed in one version: gone from all.
    let en_list: Vec<(String, &str)> =
        before.demands.iter().map(|d| (d.key.to_string(), d.text(&en).unwrap())).collect();
    assert_eq!(save_version(store.as_ref(), &owner, "en", &en_list).await, 303);
    let zh_page = strip_tags(&app.get(&format!("{DEMO}?lang=zh-Hant")).await.body);
    assert!(!zh_page.contains("Apologise"), "{zh_page}");
    app.stop().await;
}

/// Marks the demo's demand `number` met through its form.
async fn mark_met(store: &dyn Store, owner: &Browser, number: usize, fields: &[(&str, &str)]) -> u16 {
    let key = demo(store).await.content.demands[number - 1].key;
    let csrf = owner.get(&format!("{ORG}/demands")).await.csrf();
    let all = [fields, &[("op", "met"), ("csrf", &csrf)]].concat();
    owner.post(&format!("{ORG}/demands/{key}"), &all).await.status
}

async fn a_demand_marked_met_shows_everywhere_and_mails_the_signers_who_asked_once(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Default::default() }).await;
    sign(&app, &sink, "en@example.org", "en", true).await;
    sign(&app, &sink, "zh@example.org", "zh-Hant", true).await;
    sign(&app, &sink, "quiet@example.org", "en", false).await;
    let store = db.store().await;
    let owner = app.organiser(db, "owner@example.org", Role::Owner).await;

    let bad = [("met_on", "3 March"), ("note_en", "Kept"), ("note_zh-Hant", "")];
    assert_eq!(mark_met(store.as_ref(), &owner, 2, &bad).await, 422);
    let met = [
        ("met_on", "2026-03-03"),
        ("note_en", "The court released him."),
        ("note_zh-Hant", "法院已釋放他。"),
    ];
    assert_eq!(mark_met(store.as_ref(), &owner, 2, &met).await, 303);

    for (lang, expected) in [
        ("en", "Met on 3 March 2026: The court released him."),
        ("zh-Hant", "已於2026年3月3日達成：法院已釋放他。"),
        ("zh-Hans", "已于2026年3月3日达成：法院已釋放他。"),
    ] {
        let page = strip_tags(&app.new_browser().get(&format!("{DEMO}?lang={lang}")).await.body);
        assert!(page.contains(expected), "{lang}: {page}");
    }

    let api: serde_json::Value =
        serde_json::from_str(&app.get("/api/v1/campaigns/release-cai-guangye").await.body).unwrap();
    for version in api["versions"].as_array().unwrap() {
        let second = &version["demand_items"][1];
        assert_eq!((second["number"].as_i64(), second["met_at"].as_str()), (Some(2), Some("2026-03-03")));
        assert!(version["demand_items"][0]["met_at"].is_null());
    }
    let zh_api = api["versions"].as_array().unwrap().iter().find(|v| v["language"] == "zh-Hant").unwrap();
    assert_eq!(zh_api["demand_items"][1]["met_note"], "法院已釋放他。");

    let delivery = strip_tags(&owner.submit(ORG, &format!("{ORG}/delivery/en"), &[]).await.body);
    assert!(delivery.contains("Met on 3 March 2026: The court released him."), "{delivery}");

    // The signers who asked for news, each in their language, with the one-click unsubscribe.
    let en = sink.wait_for("en@example.org", 2).await;
    let en = en.last().unwrap();
    assert!(en.subject().starts_with("Demand 2 has been met"), "{}", en.subject());
    assert!(en.text().contains("The court released him."));
    let zh = sink.wait_for("zh@example.org", 2).await;
    assert!(
        zh.last().unwrap().subject().starts_with("第 2 項要求已達成"),
        "{}",
        zh.last().unwrap().subject()
    );
    assert!(zh.last().unwrap().text().contains("法院已釋放他。"));
    let unsubscribe = en.header("List-Unsubscribe").unwrap();
    assert_eq!(en.header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));

    // A change of its date or notes mails nobody again.
    let changed = [("met_on", "2026-03-04"), ("note_en", "Released."), ("note_zh-Hant", "")];
    assert_eq!(mark_met(store.as_ref(), &owner, 2, &changed).await, 303);

    // One click unsubscribes: the next demand met reaches only the other.
    let url = unsubscribe.trim_start_matches('<').trim_end_matches('>').to_owned();
    let response = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(mark_met(store.as_ref(), &owner, 3, &[("met_on", "2026-03-05")]).await, 303);
    let zh = sink.wait_for("zh@example.org", 3).await;
    assert!(zh.last().unwrap().subject().starts_with("第 3 項要求已達成"));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let to = |address: &str| sink.all().iter().filter(|m| m.to.iter().any(|t| t == address)).count();
    assert_eq!(to("en@example.org"), 2, "unsubscribed: no more news");
    assert_eq!(to("quiet@example.org"), 1, "only the confirmation: no news asked for");
    assert_eq!(to("zh@example.org"), 3, "the changed date was not news");

    // Taken back: the page no longer says it.
    let key = demo(store.as_ref()).await.content.demands[2].key;
    let csrf = owner.get(&format!("{ORG}/demands")).await.csrf();
    let back = owner.post(&format!("{ORG}/demands/{key}"), &[("op", "unmet"), ("csrf", &csrf)]).await;
    assert_eq!(back.status, 303);
    let page = strip_tags(&app.get(DEMO).await.body);
    assert!(
        page.contains("Met on 4 March 2026: Released.") && !page.contains("Met on 5 March 2026"),
        "{page}"
    );
    app.stop().await;
}

async fn a_milestone_the_organisers_chose_is_mailed_once_to_the_signers_who_asked(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Default::default() }).await;
    let owner = app.organiser(db, "owner@example.org", Role::Owner).await;
    let path = format!("{ORG}/thresholds");
    let lines = [("thresholds-en", "16: We deliver the letter\n20: The target answers")];
    let refused = owner.submit(&path, &path, &[&lines[..], &[("milestones", "17")]].concat()).await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("milestones").is_some(), "{}", refused.body);
    let saved = owner.submit(&path, &path, &[&lines[..], &[("milestones", "16")]].concat()).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(owner.get(&path).await.input_value("milestones").as_deref(), Some("16"));

    // The demo counts 15: the next signature reaches 16.
    sign(&app, &sink, "zh@example.org", "zh-Hant", true).await;
    let mails = sink.wait_for("zh@example.org", 2).await;
    let milestone = mails.last().unwrap();
    assert!(milestone.subject().starts_with("已有 16 人聯署"), "{}", milestone.subject());
    assert!(milestone.header("List-Unsubscribe").is_some());
    sign(&app, &sink, "late@example.org", "en", true).await;
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    let to = |address: &str| sink.all().iter().filter(|m| m.to.iter().any(|t| t == address)).count();
    assert_eq!(to("zh@example.org"), 2, "once");
    assert_eq!(to("late@example.org"), 1, "signed after it: only the confirmation");
    app.stop().await;
}

on_both_backends!(
    a_demand_added_in_english_is_untranslated_in_chinese_and_moves_in_every_version,
    a_demand_marked_met_shows_everywhere_and_mails_the_signers_who_asked_once,
    a_milestone_the_organisers_chose_is_mailed_once_to_the_signers_who_asked,
);
