//! A campaign's whole life over HTTP, on both backends: it shows its deadline and closes by
//! itself at its end date; its owner withdraws it (410) or unpublishes it (a draft again, 404) and
//! deletes a draft nobody signed; the dashboard counts the version signed and draws the countries;
//! the feeds name the campaign's contact.

use undersigned_core::account::{AuditEntry, Role};
use undersigned_core::store::{now, truncate};
use undersigned_core::{Slug, Store};
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::conformance::demo;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, TestApp};

const DEMO: &str = "/c/release-cai-guangye";
const ORG: &str = "/organise/c/release-cai-guangye";
const PASSWORD: &str = "a long enough password";

async fn demo_id(store: &dyn Store) -> i64 {
    store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap().id
}

/// An organiser logged in, with a role on the campaign `slug`.
async fn organiser(app: &TestApp, db: &TestDb, email: &str, slug: &str, role: Role) -> Browser {
    let store = db.store().await;
    let (_, id) = undersigned::add_user(store.as_ref(), email, None, false, PASSWORD).await.unwrap();
    let campaign = store.campaign_by_slug(&Slug::parse("s", slug).unwrap()).await.unwrap().unwrap();
    store.set_role(campaign.id, id, Some(role)).await.unwrap();
    let browser = app.new_browser();
    browser.submit("/login", "/login", &[("email", email), ("password", PASSWORD)]).await;
    browser
}

/// Signs from a visitor reading the campaign `?lang=`, and confirms from the mail.
async fn sign(app: &TestApp, sink: &SmtpSink, email: &str, lang: &str, country: &str) {
    let visitor = app.new_browser();
    let page = format!("{DEMO}?lang={lang}");
    visitor
        .submit(&page, &format!("{DEMO}/sign"), &[("name", "Signer"), ("email", email), ("country", country)])
        .await;
    let mail = sink.one_for(email).await;
    let path = visitor.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).unwrap());
    let confirm = visitor.get(&path).await;
    assert_eq!(visitor.post(&path, &[("csrf", &confirm.csrf())]).await.status, 303);
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn the_page_shows_the_deadline_and_the_campaign_closes_the_moment_it_passes(db: &TestDb) {
    let (app, _sink) = TestApp::with_mail(db).await;
    let store = db.store().await;
    let id = demo_id(store.as_ref()).await;
    let mut content = store.campaign_by_id(id).await.unwrap().unwrap().content;
    // Two seconds from now, to the second, so that the page can say when.
    let closes = truncate(now() + time::Duration::seconds(2)).replace_nanosecond(0).unwrap();
    content.closes_at = Some(closes);
    store.save_campaign(id, &content, false, now()).await.unwrap();

    let open = app.get(DEMO).await;
    let when = format!("{:02}:{:02}", closes.hour(), closes.minute());
    let day = format!("{} {} {}", closes.day(), closes.month(), closes.year());
    assert!(open.body.contains(&format!("Signing closes on {day} at {when} (UTC).")), "{}", open.body);
    assert!(open.body.contains(&format!("action=\"{DEMO}/sign\"")));
    let zh = app.new_browser().get(&format!("{DEMO}?lang=zh-Hant")).await;
    assert!(
        zh.body.contains(&format!(
            "{}年{}月{}日 {when}（UTC）截止",
            closes.year(),
            u8::from(closes.month()),
            closes.day()
        )),
        "{}",
        zh.body
    );
    let count = json(&app.get(&format!("{DEMO}/count.json")).await.body);
    assert_eq!(count["status"], "open");

    let wait = closes - now() + time::Duration::milliseconds(100);
    tokio::time::sleep(wait.try_into().unwrap()).await;
    // No upkeep has run since (it runs every ten seconds): reading says closed all the same.
    let closed = app.new_browser().get(DEMO).await;
    assert!(closed.body.contains("Closed: this campaign no longer takes signatures"), "{}", closed.body);
    assert!(!closed.body.contains("Signing closes on"));
    assert!(!closed.body.contains(&format!("action=\"{DEMO}/sign\"")), "no sign form");
    let count = json(&app.get(&format!("{DEMO}/count.json")).await.body);
    assert_eq!(count["status"], "closed");
    // The home page lists the open campaigns; the archive, the closed ones, saying so.
    let home = app.new_browser().get("/").await;
    assert!(!home.body.contains(&format!("href=\"{DEMO}\"")), "no longer among the open ones");
    let archive = app.new_browser().get("/archive").await;
    assert!(archive.body.contains(&format!("href=\"{DEMO}\"")));
    assert!(archive.body.contains("Closed: this campaign no longer takes signatures"));
    // A form loaded before the deadline, sent after it.
    let late = [("name", "Late"), ("email", "late@example.org"), ("country", "HK"), ("csrf", "")];
    let refused = app.post(&format!("{DEMO}/sign"), &late).await;
    assert_eq!(refused.status, 409);
    app.stop().await;
}

async fn a_campaign_past_its_end_date_is_closed_and_audited_without_any_request(db: &TestDb) {
    let store = db.store().await;
    let mut spec = demo();
    let ended = truncate(now() - time::Duration::hours(1));
    spec.content.closes_at = Some(ended);
    store.import_campaigns(&[spec]).await.unwrap();
    let id = demo_id(store.as_ref()).await;
    assert!(store.audit_log(Some(id), 10).await.unwrap().is_empty());

    let (app, _sink) = TestApp::with_mail(db).await;
    let mut log = Vec::new();
    for _ in 0..50 {
        log = store.audit_log(Some(id), 10).await.unwrap();
        if !log.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(log.len(), 1, "closed by the server's upkeep, once");
    assert_eq!((log[0].actor.as_str(), log[0].action.as_str()), (AuditEntry::SYSTEM, "change-status"));
    assert!(log[0].detail.starts_with("open → closed"), "{}", log[0].detail);
    assert_eq!(store.ended_at(id).await.unwrap(), Some(ended), "the retention period runs from its end date");
    assert!(store.close_ended_campaigns(now()).await.unwrap().is_empty(), "recorded already");
    let audit_page = {
        let admin_store = db.store().await;
        undersigned::add_user(admin_store.as_ref(), "admin@example.org", None, true, PASSWORD).await.unwrap();
        let admin = app.new_browser();
        admin.submit("/login", "/login", &[("email", "admin@example.org"), ("password", PASSWORD)]).await;
        admin.get("/organise/audit").await
    };
    assert!(audit_page.body.contains("system"), "{}", audit_page.body);
    app.stop().await;
}

async fn the_owner_withdraws_a_signed_campaign_and_deletes_an_unsigned_draft(db: &TestDb) {
    let (app, sink) = TestApp::with_mail(db).await;
    sign(&app, &sink, "signer@example.org", "en", "HK").await;
    let editor = organiser(&app, db, "editor@example.org", "release-cai-guangye", Role::Editor).await;
    assert_eq!(editor.get(&format!("{ORG}/unpublish")).await.status, 403);
    assert_eq!(editor.get(&format!("{ORG}/delete")).await.status, 403);
    assert!(!editor.get(ORG).await.body.contains("/unpublish\""));

    let owner = organiser(&app, db, "owner@example.org", "release-cai-guangye", Role::Owner).await;
    let dashboard = owner.get(ORG).await;
    assert!(dashboard.body.contains(&format!("<a href=\"{ORG}/unpublish\">Withdraw this campaign</a>")));
    assert!(!dashboard.body.contains("/delete\""), "what people signed is not deleted");
    let ask = owner.get(&format!("{ORG}/unpublish")).await;
    assert_eq!(ask.first("h1"), "Withdraw this campaign?");
    assert_eq!(owner.post(&format!("{ORG}/unpublish"), &[("csrf", "forged")]).await.status, 403);
    assert_eq!(app.new_browser().get(DEMO).await.status, 200, "a forged form changes nothing");
    let done = owner.post(&format!("{ORG}/unpublish"), &[("csrf", &ask.csrf())]).await;
    assert_eq!((done.status, done.location()), (303, ORG));

    let gone = app.new_browser().get(DEMO).await;
    assert_eq!(gone.status, 410);
    assert_eq!(gone.first("h1"), "Campaign withdrawn");
    assert!(gone.body.contains("This campaign was withdrawn by its organisers."));
    assert_eq!(app.new_browser().get(&format!("{DEMO}/count.json")).await.status, 410);
    assert!(!app.new_browser().get("/").await.body.contains(DEMO));
    let zh = app.new_browser().get(&format!("{DEMO}?lang=zh-Hant")).await;
    assert_eq!((zh.status, zh.first("h1").as_str()), (410, "聯署已撤回"));
    let dashboard = owner.get(ORG).await;
    assert!(dashboard.body.contains("Withdrawn by its organisers"));
    assert!(dashboard.body.contains("<strong class=\"count-number\">16</strong>"), "the signature is kept");
    assert!(!dashboard.body.contains("/unpublish\"") && !dashboard.body.contains("/delete\""));
    assert_eq!(owner.get(&format!("{ORG}/delete")).await.status, 409);

    // A campaign nobody signed goes back to being a draft, and a draft can be deleted.
    let store = db.store().await;
    let mut second = demo();
    second.content.slug = Slug::parse("s", "second").unwrap();
    store.import_campaigns(&[second]).await.unwrap();
    let owner2 = organiser(&app, db, "owner2@example.org", "second", Role::Owner).await;
    assert_eq!(app.new_browser().get("/c/second").await.status, 200);
    let ask = owner2.get("/organise/c/second/unpublish").await;
    assert_eq!(ask.first("h1"), "Unpublish this campaign?");
    owner2.post("/organise/c/second/unpublish", &[("csrf", &ask.csrf())]).await;
    assert_eq!(app.new_browser().get("/c/second").await.status, 404);
    let dashboard = owner2.get("/organise/c/second").await;
    assert!(dashboard.body.contains("<a href=\"/organise/c/second/delete\">Delete this draft</a>"));
    // A draft whose end date has passed does not open (it would be closed at once).
    let draft = store.campaign_by_slug(&Slug::parse("s", "second").unwrap()).await.unwrap().unwrap();
    let mut content = draft.content.clone();
    content.closes_at = Some(truncate(now() - time::Duration::hours(1)));
    store.save_campaign(draft.id, &content, false, now()).await.unwrap();
    let refused =
        owner2.post("/organise/c/second/status", &[("to", "open"), ("csrf", &dashboard.csrf())]).await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("A campaign whose end date has passed cannot open"), "{}", refused.body);
    let ask = owner2.get("/organise/c/second/delete").await;
    assert_eq!(ask.first("h1"), "Delete this draft?");
    assert_eq!(owner2.post("/organise/c/second/delete", &[("csrf", "forged")]).await.status, 403);
    let deleted = owner2.post("/organise/c/second/delete", &[("csrf", &ask.csrf())]).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.first("h1"), "The draft was deleted");
    assert_eq!(owner2.get("/organise/c/second").await.status, 404);
    assert!(store.campaign_by_slug(&Slug::parse("s", "second").unwrap()).await.unwrap().is_none());

    let log: Vec<(String, String, String)> =
        store.audit_log(None, 20).await.unwrap().into_iter().map(|e| (e.actor, e.action, e.detail)).collect();
    assert!(
        log.contains(&("owner@example.org".into(), "unpublish".into(), "open → withdrawn".into())),
        "{log:?}"
    );
    assert!(
        log.contains(&("owner2@example.org".into(), "unpublish".into(), "open → draft".into())),
        "{log:?}"
    );
    assert!(log.iter().any(|(actor, action, _)| actor == "owner2@example.org" && action == "delete-draft"));
    app.stop().await;
}

async fn the_dashboard_counts_the_version_signed_and_charts_the_countries(db: &TestDb) {
    let (app, sink) = TestApp::with_mail(db).await;
    // Simplified Chinese readers get the Traditional Chinese version: the campaign has no other.
    sign(&app, &sink, "hans@example.org", "zh-Hans", "HK").await;
    sign(&app, &sink, "hant@example.org", "zh-Hant", "TW").await;
    sign(&app, &sink, "en@example.org", "en", "HK").await;
    let owner = organiser(&app, db, "owner@example.org", "release-cai-guangye", Role::Owner).await;
    let dashboard = owner.get(ORG).await;
    assert!(dashboard.body.contains("<td lang=\"zh-Hant\">繁體中文</td><td>2</td>"), "{}", dashboard.body);
    assert!(dashboard.body.contains("<td lang=\"en\">English</td><td>1</td>"));
    assert!(!dashboard.body.contains("<td lang=\"zh-Hans\">"), "a version the campaign does not have");
    assert!(dashboard.body.contains("<svg class=\"chart chart-bars\""));
    assert!(dashboard.body.contains("<title>Hong Kong: 2</title>"));
    assert!(dashboard.body.contains("<title>Taiwan: 1</title>"));
    app.stop().await;
}

async fn the_feeds_name_the_campaigns_contact_as_author(db: &TestDb) {
    let (app, _sink) = TestApp::with_mail(db).await;
    let editor = organiser(&app, db, "editor@example.org", "release-cai-guangye", Role::Editor).await;
    let path = format!("{ORG}/updates");
    let csrf = editor.get(&path).await.csrf();
    let posted =
        editor.post(&path, &[("title_en", "News"), ("body_en", "Text."), ("csrf", csrf.as_str())]).await;
    assert_eq!(posted.status, 303);
    for feed in [format!("{DEMO}/updates.atom"), "/updates.atom".to_owned()] {
        let body = app.get(&feed).await.body;
        let doc = roxmltree::Document::parse(&body).unwrap();
        let authors: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("author"))
            .filter_map(|a| a.children().find(|c| c.has_tag_name("name")).and_then(|n| n.text()))
            .collect();
        assert_eq!(authors, ["Lam"], "{feed}");
    }
    app.stop().await;
}

async fn signers_of_a_withdrawn_campaign_manage_their_signature_and_the_owner_republishes_it(db: &TestDb) {
    let (app, sink) = TestApp::with_mail(db).await;
    sign(&app, &sink, "signer@example.org", "en", "HK").await;
    let owner = organiser(&app, db, "owner@example.org", "release-cai-guangye", Role::Owner).await;
    let ask = owner.get(&format!("{ORG}/unpublish")).await;
    owner.post(&format!("{ORG}/unpublish"), &[("csrf", &ask.csrf())]).await;
    assert_eq!(app.new_browser().get(DEMO).await.status, 410);

    // The signer asks for their link: the campaign page stays gone, its signers' rights do not.
    let signer = app.new_browser();
    let manage = format!("{DEMO}/manage");
    let form = signer.get(&manage).await;
    assert_eq!(form.status, 200);
    assert_eq!(form.first("h1"), "Manage your signature");
    assert!(
        form.body.contains("This campaign was withdrawn by its organisers. You can still"),
        "{}",
        form.body
    );
    assert!(!form.body.contains(&format!("href=\"{DEMO}\"")), "no link to a page that is gone");
    let sent = signer.post(&manage, &[("email", "signer@example.org"), ("csrf", &form.csrf())]).await;
    assert_eq!(sent.status, 200);
    let mails = sink.wait_for("signer@example.org", 2).await;
    let link = mails.get(1).and_then(|m| m.link(&format!("{}/s/manage/", app.base))).expect("a manage link");
    let path = signer.path_of(&link);
    let page = signer.get(&path).await;
    assert_eq!((page.status, page.first("h1").as_str()), (200, "Manage your signature"));
    assert!(page.body.contains("<dd>signer@example.org</dd>"));
    let done = signer.post(&format!("{path}/withdraw"), &[("csrf", &page.csrf())]).await;
    assert_eq!(done.location(), format!("{DEMO}/withdrawn"));
    let withdrawn = signer.get(done.location()).await;
    assert_eq!(
        (withdrawn.status, withdrawn.first("h1").as_str()),
        (200, "Your signature has been withdrawn")
    );
    assert!(!withdrawn.body.contains(&format!("href=\"{DEMO}\"")));
    let store = db.store().await;
    assert!(!store.has_signatures(demo_id(store.as_ref()).await).await.unwrap(), "the signature is gone");
    assert_eq!(app.new_browser().get(DEMO).await.status, 410, "the campaign stays withdrawn");
    let zh = app.new_browser().get(&format!("{manage}?lang=zh-Hant")).await;
    assert_eq!(zh.status, 200);
    assert!(zh.body.contains("此聯署已由發起人撤回"), "{}", zh.body);

    // Its owner puts it back: it was open, with no end date, so it opens again.
    let editor = organiser(&app, db, "editor@example.org", "release-cai-guangye", Role::Editor).await;
    assert_eq!(editor.get(&format!("{ORG}/republish")).await.status, 403);
    let dashboard = owner.get(ORG).await;
    assert!(
        dashboard.body.contains(&format!("<a href=\"{ORG}/republish\">Republish this campaign</a>")),
        "{}",
        dashboard.body
    );
    let ask = owner.get(&format!("{ORG}/republish")).await;
    assert_eq!(ask.first("h1"), "Republish this campaign?");
    assert!(ask.body.contains("It will be open for signatures again"), "{}", ask.body);
    assert_eq!(owner.post(&format!("{ORG}/republish"), &[("csrf", "forged")]).await.status, 403);
    assert_eq!(editor.post(&format!("{ORG}/republish"), &[("csrf", &ask.csrf())]).await.status, 403);
    assert_eq!(app.new_browser().get(DEMO).await.status, 410, "a forged form changes nothing");
    let done = owner.post(&format!("{ORG}/republish"), &[("csrf", &ask.csrf())]).await;
    assert_eq!((done.status, done.location()), (303, ORG));
    let page = app.new_browser().get(DEMO).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("action=\"{DEMO}/sign\"")), "it takes signatures again");
    let dashboard = owner.get(ORG).await;
    assert!(!dashboard.body.contains("/republish\""));
    assert_eq!(owner.get(&format!("{ORG}/republish")).await.status, 409, "not withdrawn now");

    // Closed, then withdrawn: it comes back closed.
    let csrf = owner.get(ORG).await.csrf();
    assert_eq!(owner.post(&format!("{ORG}/status"), &[("to", "closed"), ("csrf", &csrf)]).await.status, 303);
    sign_directly(store.as_ref()).await;
    let ask = owner.get(&format!("{ORG}/unpublish")).await;
    owner.post(&format!("{ORG}/unpublish"), &[("csrf", &ask.csrf())]).await;
    assert_eq!(app.new_browser().get(DEMO).await.status, 410);
    let ask = owner.get(&format!("{ORG}/republish?lang=zh-Hant")).await;
    assert!(ask.body.contains("重新發佈"), "{}", ask.body);
    let ask = owner.get(&format!("{ORG}/republish?lang=en")).await;
    assert!(ask.body.contains("It will be public again, closed"), "{}", ask.body);
    owner.post(&format!("{ORG}/republish"), &[("csrf", &ask.csrf())]).await;
    let page = app.new_browser().get(DEMO).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Closed: this campaign no longer takes signatures"));

    let log: Vec<(String, String, String)> =
        store.audit_log(None, 30).await.unwrap().into_iter().map(|e| (e.actor, e.action, e.detail)).collect();
    for detail in ["withdrawn → open", "withdrawn → closed"] {
        assert!(
            log.contains(&("owner@example.org".into(), "republish".into(), detail.into())),
            "{detail}: {log:?}"
        );
    }
    app.stop().await;
}

/// A confirmed signature, made in the store.
async fn sign_directly(store: &dyn Store) {
    let id = demo_id(store).await;
    let record = undersigned_store_tests::conformance::record(
        id,
        "later@example.org",
        "Later",
        undersigned_core::signature::NameDisplay::Full,
    );
    let outcome = store.sign(&record, undersigned_core::signature::MailBudget::default()).await.unwrap();
    let undersigned_core::signature::SignOutcome::Created { id } = outcome else { panic!("{outcome:?}") };
    store.confirm_signature(id, now()).await.unwrap();
}

on_both_backends!(
    the_page_shows_the_deadline_and_the_campaign_closes_the_moment_it_passes,
    a_campaign_past_its_end_date_is_closed_and_audited_without_any_request,
    the_owner_withdraws_a_signed_campaign_and_deletes_an_unsigned_draft,
    the_dashboard_counts_the_version_signed_and_charts_the_countries,
    the_feeds_name_the_campaigns_contact_as_author,
    signers_of_a_withdrawn_campaign_manage_their_signature_and_the_owner_republishes_it,
);
