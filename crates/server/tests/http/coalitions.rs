//! Campaigning together (issue 16) over HTTP, on both backends: organisations made by an admin
//! and managed by their own admins; a campaign's lead and partners, each with its own link and
//! consent question; where signers came from (`?via=`, `?src=`) kept only when it is a known
//! partner or a short plain code; consent recorded per partner; a partner's export, sealed to its
//! key and opened with Debian's `age`, holding only the signers who consented to it, and nobody
//! else's; withdrawing a consent or a signature reaching the export and the partner's webhook; the
//! dashboard by source and partner; the API's `referrer_data`; an organisation's logo, uploaded by
//! its admin and shown by its name, without the photo's metadata.

use std::path::Path;

use undersigned_core::Store;
use undersigned_core::organisation::{NewOrganisation, OrgRole, PartnerSetting};
use undersigned_core::store::now;
use undersigned_core::{OrganisationType, Slug};
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::keys::{age_decrypt, keygen};
use crate::pictures::{PHOTO, assert_no_metadata};
use crate::support::{Browser, Page, TestApp};
use crate::tokens::{make_token, organiser, shown_token};
use crate::webhooks::{Receiver, options};

const DEMO: &str = "/c/release-cai-guangye";
const ORGS: &str = "/organise/organisations";
const PARTNERS: &str = "/organise/c/release-cai-guangye/partners";

async fn demo(store: &dyn Store) -> undersigned_core::Campaign {
    store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap()
}

/// An organisation made in the store, with `member` (an account made here) in it with `role`.
async fn org_with(store: &dyn Store, slug: &str, name: &str, member: Option<(&str, OrgRole)>) -> i64 {
    let org = NewOrganisation {
        slug: slug.into(),
        name: name.into(),
        org_type: OrganisationType::Ngo,
        region: Some("HK".into()),
        website: Some(format!("https://{slug}.example.org")),
    };
    let id = store.create_organisation(&org, now()).await.unwrap();
    if let Some((email, role)) = member {
        let (user, _) = store.user_by_email(email).await.unwrap().expect("the member's account");
        store.set_organisation_member(id, user.id, role).await.unwrap();
    }
    id
}

/// The signature made from `email`, pending or confirmed (the test's database holds a few).
async fn by_email(store: &dyn Store, email: &str) -> undersigned_core::signature::Signature {
    let ids: Vec<i64> = (1..5_000).collect();
    let all = store.signatures(&ids).await.unwrap();
    all.into_iter().find(|s| s.signer.email.as_str() == email).expect("the signature")
}

/// A partner's export as downloaded: its status, and its bytes.
async fn partner_export(browser: &Browser, org: &str, campaign: &str) -> (u16, Vec<u8>) {
    let page = browser.get(&format!("{ORGS}/{org}")).await;
    let csrf = if page.status == 200 { page.csrf() } else { String::new() };
    let response = browser
        .client
        .post(format!("{}{ORGS}/{org}/c/{campaign}/export", browser.base))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.bytes().await.unwrap().to_vec())
}

/// Signs through `link` (a campaign address with its query) with the form's hidden fields and
/// `extra` fields (the consents ticked), then confirms from the mail.
async fn sign_through(app: &TestApp, sink: &SmtpSink, link: &str, email: &str, extra: &[(&str, &str)]) {
    let browser = app.new_browser();
    let page = browser.get(link).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let hidden: Vec<(String, String)> = ["via", "src", "consents_asked"]
        .into_iter()
        .filter_map(|f| page.hidden(f).map(|v| (f.to_owned(), v)))
        .collect();
    let csrf = page.csrf();
    let mut fields =
        vec![("name", "Chan Tai Man"), ("email", email), ("country", "HK"), ("csrf", csrf.as_str())];
    fields.extend(hidden.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    fields.extend_from_slice(extra);
    let sent = browser.post(&format!("{DEMO}/sign"), &fields).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let mail = sink.one_for(email).await;
    let path = app.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).expect("a confirm link"));
    let page = app.get(&path).await;
    assert_eq!(app.post(&path, &[("csrf", &page.csrf())]).await.status, 303);
}

/// The manage link a signer asks for, by mail.
async fn manage_link(app: &TestApp, sink: &SmtpSink, email: &str) -> String {
    let manage = format!("{DEMO}/manage");
    app.new_browser().submit(&manage, &manage, &[("email", email)]).await;
    let mails = sink.wait_for(email, 2).await;
    let link = mails.iter().find_map(|m| m.link(&format!("{}/s/manage/", app.base))).expect("a manage link");
    app.path_of(&link)
}

fn opened(identity: &Path, sealed: &[u8]) -> String {
    String::from_utf8(age_decrypt(identity, sealed).expect("the export opens with age -d")).unwrap()
}

async fn organisations_are_made_by_admins_and_managed_by_their_admins(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let store = db.store().await;
    let admin = organiser(&app, store.as_ref(), "admin@example.org", None, true).await;
    let chief = organiser(&app, store.as_ref(), "chief@union.example", None, false).await;
    let member = organiser(&app, store.as_ref(), "member@union.example", None, false).await;
    let outsider = organiser(&app, store.as_ref(), "outsider@example.org", None, false).await;

    // Only an admin makes one; bad fields are named, and what was typed is kept.
    let fields = [("org_name", "HK Union"), ("org_slug", "hk-union"), ("org_type", "trade-union")];
    let csrf = chief.get("/organise/keys").await.csrf();
    assert_eq!(chief.post(ORGS, &[&fields[..], &[("csrf", csrf.as_str())]].concat()).await.status, 403);
    let bad = [
        ("org_name", ""),
        ("org_slug", "a b"),
        ("org_type", "club"),
        ("org_region", "XX"),
        ("org_website", "union"),
    ];
    let refused = admin.submit(ORGS, ORGS, &bad).await;
    assert_eq!(refused.status, 422);
    for field in ["org_name", "org_slug", "org_type", "org_region", "org_website"] {
        assert!(refused.field_error(field).is_some(), "{field}: {}", refused.body);
    }
    assert_eq!(refused.input_value("org_slug").as_deref(), Some("a b"));
    let fields = [
        ("org_name", "HK Union"),
        ("org_slug", "HK-Union"),
        ("org_type", "trade-union"),
        ("org_region", "hk"),
        ("org_website", "https://union.example"),
    ];
    let made = admin.submit(ORGS, ORGS, &fields).await;
    assert_eq!((made.status, made.location()), (303, "/organise/organisations/hk-union"));
    let taken = admin.submit(ORGS, ORGS, &fields).await;
    assert_eq!(taken.status, 409);
    assert!(taken.field_error("org_slug").is_some());
    let org = store.organisation_by_slug("hk-union").await.unwrap().unwrap();
    assert_eq!((org.region.as_deref(), org.org_type), (Some("HK"), OrganisationType::TradeUnion));

    // The admin adds its admin; an address with no account is refused by the field.
    let page = format!("{ORGS}/hk-union");
    let add = format!("{page}/members");
    let nobody =
        admin.submit(&page, &add, &[("member_email", "nobody@example.org"), ("member_role", "admin")]).await;
    assert_eq!(nobody.status, 422);
    assert!(nobody.field_error("member_email").is_some(), "{}", nobody.body);
    let added =
        admin.submit(&page, &add, &[("member_email", "Chief@union.example"), ("member_role", "admin")]).await;
    assert_eq!(added.status, 303);
    // Its admin adds a member; the member sees the page but manages nothing.
    let added = chief
        .submit(&page, &add, &[("member_email", "member@union.example"), ("member_role", "member")])
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let seen = member.get(&page).await;
    assert_eq!(seen.status, 200);
    assert!(
        seen.body.contains("HK Union") && !seen.body.contains("/members\""),
        "no member form for a member"
    );
    let key = format!("{page}/key");
    let csrf = member.get("/organise/keys").await.csrf();
    assert_eq!(member.post(&key, &[("org_key", ""), ("csrf", &csrf)]).await.status, 403);
    // One who is no member is told it is not found.
    assert_eq!(outsider.get(&page).await.status, 404);
    assert!(!outsider.get(ORGS).await.body.contains("hk-union"));
    assert!(member.get(ORGS).await.body.contains("hk-union"));

    // Its key: checked as an organiser's own is; the admin of the organisation sets it.
    let refused = chief.submit(&page, &key, &[("org_key", "AGE-SECRET-KEY-1XYZ")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("org_key").is_some(), "{}", refused.body);
    let dir = tempfile::tempdir().unwrap();
    let (_, public) = keygen(dir.path(), "union.txt");
    assert_eq!(chief.submit(&page, &key, &[("org_key", &public)]).await.status, 303);
    assert_eq!(store.organisation_by_slug("hk-union").await.unwrap().unwrap().recipient, Some(public));

    // The member is taken off by the organisation's admin.
    let member_id = store.user_by_email("member@union.example").await.unwrap().unwrap().0.id;
    let removed = chief.submit(&page, &format!("{page}/members/{member_id}/remove"), &[]).await;
    assert_eq!(removed.status, 303);
    assert_eq!(member.get(&page).await.status, 404);
    app.stop().await;
}

/// An organisation's admin corrects its name, type, region and website; its slug stays, and the
/// page of a campaign it partners shows the new name at once.
async fn an_organisations_admin_corrects_its_details(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let store = db.store().await;
    let chief = organiser(&app, store.as_ref(), "chief@union.example", None, false).await;
    let member = organiser(&app, store.as_ref(), "member@union.example", None, false).await;
    let outsider = organiser(&app, store.as_ref(), "outsider@example.org", None, false).await;
    let org =
        org_with(store.as_ref(), "hk-union", "HK Union", Some(("chief@union.example", OrgRole::Admin))).await;
    let (member_id, _) = store.user_by_email("member@union.example").await.unwrap().unwrap();
    store.set_organisation_member(org, member_id.id, OrgRole::Member).await.unwrap();
    let setting = PartnerSetting {
        organisation_id: org,
        lead: true,
        consent: false,
        consent_texts: Default::default(),
    };
    store.set_campaign_partner(demo(store.as_ref()).await.id, &setting, now()).await.unwrap();
    assert!(app.get(DEMO).await.body.contains("HK Union"));

    let page = format!("{ORGS}/hk-union");
    let details = format!("{page}/details");
    let form = chief.get(&page).await;
    assert_eq!(form.input_value("org_name").as_deref(), Some("HK Union"), "the form holds what is stored");
    assert_eq!(form.input_value("org_website").as_deref(), Some("https://hk-union.example.org"));

    // Bad fields are named, what was typed kept, nothing changed.
    let bad =
        [("org_name", " "), ("org_type", "club"), ("org_region", "XX"), ("org_website", "union.example")];
    let refused = chief.submit(&page, &details, &bad).await;
    assert_eq!(refused.status, 422);
    for field in ["org_name", "org_type", "org_region", "org_website"] {
        assert!(refused.field_error(field).is_some(), "{field}: {}", refused.body);
    }
    assert_eq!(refused.input_value("org_website").as_deref(), Some("union.example"));
    assert_eq!(store.organisation_by_slug("hk-union").await.unwrap().unwrap().name, "HK Union");

    // A member sees no form and may not send it; one who is no member is told it is not found.
    let good = [
        ("org_name", "Hong Kong Workers' Union"),
        ("org_type", "trade-union"),
        ("org_region", "mo"),
        ("org_website", "https://workers.example"),
    ];
    let seen = member.get(&page).await;
    assert!(!seen.body.contains("/details\""), "no details form for a member");
    let csrf = member.get("/organise/keys").await.csrf();
    assert_eq!(member.post(&details, &[&good[..], &[("csrf", csrf.as_str())]].concat()).await.status, 403);
    let csrf = outsider.get("/organise/keys").await.csrf();
    assert_eq!(outsider.post(&details, &[&good[..], &[("csrf", csrf.as_str())]].concat()).await.status, 404);
    assert_eq!(chief.post(&details, &good).await.status, 403, "without the form's token");

    let saved = chief.submit(&page, &details, &good).await;
    assert_eq!((saved.status, saved.location()), (303, page.as_str()));
    let stored = store.organisation_by_slug("hk-union").await.unwrap().expect("the same slug");
    assert_eq!(
        (stored.name.as_str(), stored.org_type, stored.region.as_deref(), stored.website.as_deref()),
        (
            "Hong Kong Workers' Union",
            OrganisationType::TradeUnion,
            Some("MO"),
            Some("https://workers.example")
        )
    );
    let campaign_page = app.get(DEMO).await.body;
    assert!(campaign_page.contains("Hong Kong Workers"), "{campaign_page}");
    assert!(campaign_page.contains("https://workers.example") && !campaign_page.contains("HK Union"));
    app.stop().await;
}

async fn partners_links_consents_exports_and_withdrawals(db: &TestDb) {
    let sink = SmtpSink::start();
    let receiver = Receiver::start().await;
    let app = TestApp::spawn_with(db, options(&sink)).await;
    let store = db.store().await;
    let owner = organiser(&app, store.as_ref(), "owner@example.org", None, true).await;
    let alice = organiser(&app, store.as_ref(), "alice@a.example", None, false).await;
    let bob = organiser(&app, store.as_ref(), "bob@b.example", None, false).await;
    let campaign = demo(store.as_ref()).await;
    let lead = org_with(store.as_ref(), "lead", "Lead Alliance", None).await;
    let a = org_with(store.as_ref(), "a-union", "A Union", Some(("alice@a.example", OrgRole::Admin))).await;
    let b = org_with(store.as_ref(), "b-ngo", "B NGO", Some(("bob@b.example", OrgRole::Admin))).await;
    let dir = tempfile::tempdir().unwrap();
    let (a_identity, a_public) = keygen(dir.path(), "a.txt");
    let (b_identity, b_public) = keygen(dir.path(), "b.txt");
    store.set_organisation_key(a, Some(&a_public)).await.unwrap();

    // The owner chooses the lead and two partners, each asking for consent; A's question is its own.
    for (org, lead_box, text) in
        [("lead", true, ""), ("a-union", false, "A Union may write to me"), ("b-ngo", false, "")]
    {
        let mut fields = vec![("organisation", org), ("consent", "1"), ("consent_text_en", text)];
        if lead_box {
            fields.push(("lead", "1"));
        }
        let saved = owner.submit(PARTNERS, PARTNERS, &fields).await;
        assert_eq!(saved.status, 303, "{}", saved.body);
    }
    let listed = store.campaign_partners(campaign.id).await.unwrap();
    assert_eq!(listed.iter().map(|p| p.organisation.id).collect::<Vec<_>>(), [lead, a, b], "lead first");
    let page = owner.get(PARTNERS).await;
    assert!(page.body.contains(&format!("{}/c/release-cai-guangye?via=a-union", app.base)), "A's own link");

    // The page lists the partners, the lead first; each link asks its own partner's question and the lead's.
    let plain = app.get(DEMO).await;
    let (at_lead, at_a) = (plain.body.find("Lead Alliance").unwrap(), plain.body.find("A Union").unwrap());
    assert!(at_lead < at_a && plain.body.contains("https://a-union.example.org"));
    assert!(plain.body.contains("name=\"consent_lead\" value=\"lead\""));
    assert!(!plain.body.contains("consent_via"), "no partner's question without its link");
    let through_a = app.get(&format!("{DEMO}?via=a-union&src=Newsletter")).await;
    assert_eq!(through_a.hidden("via").as_deref(), Some("a-union"));
    assert_eq!(through_a.hidden("src").as_deref(), Some("newsletter"));
    assert!(through_a.body.contains("A Union may write to me"), "A's own text");
    assert!(!through_a.body.contains("value=\"b-ngo\""), "not B's question");
    let through_b = app.get(&format!("{DEMO}?via=b-ngo")).await;
    assert!(through_b.body.contains("Let B NGO keep me informed"), "the default text with its name");
    // Unknown and malformed ones are dropped from the page, silently.
    let odd = app.get(&format!("{DEMO}?via=nobody&src=%3Cscript%3E")).await;
    assert_eq!(odd.status, 200);
    assert!(odd.hidden("via").is_none() && odd.hidden("src").is_none());

    // A's webhook, registered on its own page by its admin.
    let org_page = "/organise/organisations/a-union";
    let hooks = format!("{org_page}/c/release-cai-guangye/webhooks");
    let made = alice.submit(org_page, &hooks, &[("url", &receiver.url)]).await;
    assert_eq!(made.status, 200, "{}", made.body);
    assert!(made.body.contains("whsec_"), "its secret, once");

    // Through A, consenting to A only; through B, consenting to B and the lead; a crafted consent
    // to B through A's link is not kept; an unknown partner and a malformed code are not stored.
    sign_through(
        &app,
        &sink,
        &format!("{DEMO}?via=a-union&src=Newsletter"),
        "one@signers.example",
        &[("consent_via", "a-union")],
    )
    .await;
    sign_through(
        &app,
        &sink,
        &format!("{DEMO}?via=b-ngo"),
        "two@signers.example",
        &[("consent_via", "b-ngo"), ("consent_lead", "lead")],
    )
    .await;
    sign_through(
        &app,
        &sink,
        &format!("{DEMO}?via=a-union"),
        "three@signers.example",
        &[("consent_via", "b-ngo")],
    )
    .await;
    let browser = app.new_browser();
    let csrf = browser.get(DEMO).await.csrf();
    let crafted = [
        ("name", "Lee"),
        ("email", "four@signers.example"),
        ("country", "HK"),
        ("via", "nobody"),
        ("src", "has space"),
        ("csrf", csrf.as_str()),
    ];
    assert_eq!(browser.post(&format!("{DEMO}/sign"), &crafted).await.status, 303);
    sink.one_for("four@signers.example").await;
    let by_email = |email: &'static str| by_email(store.as_ref(), email);
    let one = by_email("one@signers.example").await;
    assert_eq!((one.via, one.src.as_deref()), (Some(a), Some("newsletter")));
    assert_eq!(store.signature_consents(one.id).await.unwrap(), [a]);
    let two = by_email("two@signers.example").await;
    assert_eq!(store.signature_consents(two.id).await.unwrap(), [lead, b]);
    let three = by_email("three@signers.example").await;
    assert!(store.signature_consents(three.id).await.unwrap().is_empty(), "B's question was not asked");
    let four = by_email("four@signers.example").await;
    assert_eq!((four.via, four.src), (None, None), "an unknown partner and a malformed code are not stored");

    // A's page: its counts; its export holds its consenting signer only, and opens with age -d.
    let page = alice.get(org_page).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<dd class=\"count-total\">3</dd>"), "{}", page.body);
    assert!(
        page.body.contains("<dd class=\"count-via\">2</dd>")
            && page.body.contains("<dd class=\"count-consenting\">1</dd>")
    );
    let (status, sealed) = partner_export(&alice, "a-union", "release-cai-guangye").await;
    assert_eq!(status, 200);
    let csv = opened(&a_identity, &sealed);
    assert!(csv.contains("one@signers.example") && csv.contains("newsletter"), "{csv}");
    assert!(!csv.contains("two@signers.example") && !csv.contains("three@signers.example"), "{csv}");
    assert!(age_decrypt(&b_identity, &sealed).is_err(), "sealed to A's key only");
    // B has no key: no export, said plainly. B never sees A's signers.
    let (status, body) = partner_export(&bob, "b-ngo", "release-cai-guangye").await;
    assert_eq!(status, 409);
    assert!(
        String::from_utf8_lossy(&body).contains("No key, no export"),
        "{}",
        String::from_utf8_lossy(&body)
    );
    store.set_organisation_key(b, Some(&b_public)).await.unwrap();
    let (_, sealed) = partner_export(&bob, "b-ngo", "release-cai-guangye").await;
    let csv = opened(&b_identity, &sealed);
    assert!(csv.contains("two@signers.example") && !csv.contains("one@signers.example"), "{csv}");
    assert_eq!(bob.get(org_page).await.status, 404, "B's member sees nothing of A");
    let response = bob
        .client
        .post(format!("{}{org_page}/c/release-cai-guangye/export", app.base))
        .form(&[("csrf", bob.get("/organise/organisations/b-ngo").await.csrf().as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404, "B's member cannot export A's signers");

    // A's webhook heard of its consenting signer's confirmation, and of nobody else's.
    receiver.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let heard: Vec<serde_json::Value> = receiver.received().iter().map(|r| r.json()).collect();
    assert_eq!(heard.len(), 1, "{heard:#?}");
    assert_eq!(heard[0]["type"], "signature.confirmed");
    let osdi = &heard[0]["data"]["osdi:signature"];
    assert_eq!(osdi["person"]["email_addresses"][0]["address"], "one@signers.example");
    assert_eq!(osdi["referrer_data"]["source"], "newsletter");
    assert_eq!(osdi["referrer_data"]["referrer"], "a-union");

    // The signer withdraws their consent to A on the manage page: gone from A's export, and A hears.
    let manage = manage_link(&app, &sink, "one@signers.example").await;
    let page = app.get(&manage).await;
    assert!(page.body.contains("A Union"), "{}", page.body);
    let withdraw = format!("{manage}/consents/a-union/withdraw");
    assert_eq!(app.post(&withdraw, &[("csrf", &page.csrf())]).await.status, 303);
    assert!(store.signature_consents(one.id).await.unwrap().is_empty());
    let (_, sealed) = partner_export(&alice, "a-union", "release-cai-guangye").await;
    assert!(!opened(&a_identity, &sealed).contains("one@signers.example"));
    let heard = receiver.wait_for(2).await;
    assert_eq!(heard[1].json()["type"], "consent.withdrawn");
    assert_eq!(heard[1].json()["data"]["organisation"], "a-union");

    // A second signer through A consents, then withdraws the signature: A's export and hook hear.
    sign_through(
        &app,
        &sink,
        &format!("{DEMO}?via=a-union"),
        "five@signers.example",
        &[("consent_via", "a-union")],
    )
    .await;
    receiver.wait_for(3).await;
    let (_, sealed) = partner_export(&alice, "a-union", "release-cai-guangye").await;
    assert!(opened(&a_identity, &sealed).contains("five@signers.example"));
    let manage = manage_link(&app, &sink, "five@signers.example").await;
    let page = app.get(&manage).await;
    assert_eq!(app.post(&format!("{manage}/withdraw"), &[("csrf", &page.csrf())]).await.status, 303);
    let heard = receiver.wait_for(4).await;
    assert_eq!(heard[3].json()["type"], "signature.withdrawn");
    let (_, sealed) = partner_export(&alice, "a-union", "release-cai-guangye").await;
    assert!(!opened(&a_identity, &sealed).contains("five@signers.example"));

    // The dashboard counts confirmed signatures by partner and by source.
    let dashboard = owner.get("/organise/c/release-cai-guangye").await;
    assert!(
        dashboard.body.contains("id=\"by-source\"") && dashboard.body.contains("<code>newsletter</code>"),
        "{}",
        dashboard.body
    );
    assert!(dashboard.body.contains("id=\"by-partner\"") && dashboard.body.contains("A Union"));

    // The API and the CSV carry where it came from.
    let token = shown_token(&make_token(&owner, "CRM", "release-cai-guangye", &["pii_read"]).await).unwrap();
    let path = format!("/api/osdi/v1/petitions/release-cai-guangye/signatures/{}", one.id);
    let api = app.get_with(&path, &[("osdi-api-token", &token)]).await;
    assert_eq!(api.status, 200, "{}", api.body);
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["referrer_data"], serde_json::json!({ "source": "newsletter", "referrer": "a-union" }));
    let (csv, _) = crate::keys::export(&owner, &[]).await;
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.lines().next().unwrap().contains("source_code,partner"), "{csv}");
    assert!(csv.contains(",newsletter,a-union"), "{csv}");
    app.stop().await;
}

/// A pending signature sent again takes the latest submission's partner, code and consents.
async fn a_resubmission_replaces_where_it_came_from_and_its_consents(db: &TestDb) {
    let (app, sink) = TestApp::with_mail(db).await;
    let store = db.store().await;
    let campaign = demo(store.as_ref()).await;
    let lead = org_with(store.as_ref(), "lead", "Lead Alliance", None).await;
    let a = org_with(store.as_ref(), "a-union", "A Union", None).await;
    for (org, is_lead) in [(lead, true), (a, false)] {
        let setting = undersigned_core::organisation::PartnerSetting {
            organisation_id: org,
            lead: is_lead,
            consent: true,
            consent_texts: Default::default(),
        };
        store.set_campaign_partner(campaign.id, &setting, now()).await.unwrap();
    }
    let sign = |query: &'static str, extra: &'static [(&'static str, &'static str)]| {
        let app = &app;
        async move {
            let browser = app.new_browser();
            let page = browser.get(&format!("{DEMO}{query}")).await;
            let (csrf, via, src) = (page.csrf(), page.hidden("via"), page.hidden("src"));
            let mut fields = vec![
                ("name", "Ho"),
                ("email", "again@signers.example"),
                ("country", "HK"),
                ("csrf", csrf.as_str()),
                ("consents_asked", "1"),
            ];
            if let Some(via) = &via {
                fields.push(("via", via));
            }
            if let Some(src) = &src {
                fields.push(("src", src));
            }
            fields.extend_from_slice(extra);
            assert_eq!(browser.post(&format!("{DEMO}/sign"), &fields).await.status, 303);
        }
    };
    sign("?via=a-union&src=flyer", &[("consent_via", "a-union"), ("consent_lead", "lead")]).await;
    sink.one_for("again@signers.example").await;
    let first = by_email(store.as_ref(), "again@signers.example").await;
    assert_eq!(store.signature_consents(first.id).await.unwrap(), [lead, a]);
    sign("?src=poster", &[]).await;
    let again = by_email(store.as_ref(), "again@signers.example").await;
    assert_eq!((again.via, again.src.as_deref()), (None, Some("poster")));
    assert!(store.signature_consents(again.id).await.unwrap().is_empty(), "the latest choices");
    app.stop().await;
}

/// Sends `bytes` as the organisation's logo, with the browser's token (from a page every
/// organiser has a form on).
async fn upload_logo(browser: &Browser, org: &str, media_type: &str, bytes: &[u8]) -> Page {
    let csrf = browser.get("/organise/keys").await.csrf();
    let file =
        reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("logo").mime_str(media_type).unwrap();
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part("file", file);
    let url = format!("{}{ORGS}/{org}/logo", browser.base);
    Page::from(browser.client.post(url).multipart(form).send().await.unwrap()).await
}

async fn an_organisations_logo_shows_by_its_name_without_the_photos_metadata(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let store = db.store().await;
    let chief = organiser(&app, store.as_ref(), "chief@union.example", None, false).await;
    let member = organiser(&app, store.as_ref(), "member@union.example", None, false).await;
    let org =
        org_with(store.as_ref(), "hk-union", "HK Union", Some(("chief@union.example", OrgRole::Admin))).await;
    let (user, _) = store.user_by_email("member@union.example").await.unwrap().unwrap();
    store.set_organisation_member(org, user.id, OrgRole::Member).await.unwrap();
    let campaign = demo(store.as_ref()).await;
    let setting = PartnerSetting {
        organisation_id: org,
        lead: true,
        consent: false,
        consent_texts: Default::default(),
    };
    store.set_campaign_partner(campaign.id, &setting, now()).await.unwrap();
    assert!(!app.get(DEMO).await.body.contains("/media/logo/"), "no logo yet");
    let page = format!("{ORGS}/hk-union");

    // A member sees the page but may not change the logo; a file that is no picture is refused by
    // its field, and nothing is kept.
    assert!(!member.get(&page).await.body.contains("/logo\""), "no logo form for a member");
    assert_eq!(upload_logo(&member, "hk-union", "image/jpeg", PHOTO).await.status, 403);
    let refused = upload_logo(&chief, "hk-union", "text/plain", b"Meeting at the gate at six.").await;
    assert_eq!(refused.status, 422);
    let error =
        refused.field_error("file").unwrap_or_else(|| panic!("no error by the field: {}", refused.body));
    assert!(error.contains("The file is not a picture"), "{error}");
    assert!(store.organisation_by_slug("hk-union").await.unwrap().unwrap().logo.is_none());

    // Its admin uploads a phone's photo: kept small, shown by its name on the campaign's page and
    // on its own, served from this site with none of the photo's metadata.
    let sent = upload_logo(&chief, "hk-union", "image/jpeg", PHOTO).await;
    assert_eq!((sent.status, sent.location()), (303, page.as_str()), "{}", sent.body);
    let logo = store.organisation_by_slug("hk-union").await.unwrap().unwrap().logo.expect("its logo");
    assert_eq!((logo.width, logo.height), (320, 205), "the 1000 × 640 photo, made small");
    let src = format!("src=\"/media/logo/{}\" alt=\"\"", logo.key);
    let shown = app.get(DEMO).await;
    let at = shown.body.find(&src).unwrap_or_else(|| panic!("no logo on the campaign page: {}", shown.body));
    assert!(shown.body[at..].find("HK Union").is_some_and(|n| n < 200), "the name beside it");
    assert!(shown.body[at..].contains("width=\"62\" height=\"40\""), "shown 40 pixels high");
    assert!(chief.get(&page).await.body.contains(&src), "and on its own page");
    let served =
        app.new_browser().client.get(format!("{}/media/logo/{}", app.base, logo.key)).send().await.unwrap();
    assert_eq!(served.status(), 200);
    let headers = served.headers().clone();
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_no_metadata(&served.bytes().await.unwrap(), "the logo");
    for missing in ["/media/logo/0123456789abcdef0123456789abcdef", "/media/logo/LOGO", "/media/logo/..%2F"] {
        assert_eq!(app.get(missing).await.status, 404, "{missing}");
    }

    // Removed by its admin (not by a member): gone from the page, and its address serves nothing.
    let remove = format!("{page}/logo/remove");
    let csrf = member.get("/organise/keys").await.csrf();
    assert_eq!(member.post(&remove, &[("csrf", &csrf)]).await.status, 403);
    assert_eq!(chief.submit(&page, &remove, &[]).await.status, 303);
    assert!(!app.get(DEMO).await.body.contains("/media/logo/"), "gone from the campaign page");
    assert_eq!(app.get(&format!("/media/logo/{}", logo.key)).await.status, 404);
    assert_eq!(chief.submit(&page, &remove, &[]).await.status, 404, "no logo to remove");
    app.stop().await;
}

on_both_backends!(
    organisations_are_made_by_admins_and_managed_by_their_admins,
    an_organisations_admin_corrects_its_details,
    partners_links_consents_exports_and_withdrawals,
    a_resubmission_replaces_where_it_came_from_and_its_consents,
    an_organisations_logo_shows_by_its_name_without_the_photos_metadata,
);
