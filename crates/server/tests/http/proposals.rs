//! A petitions site (issue 15), on both backends: an admin lets anyone start a campaign; a visitor
//! proposes one in Chinese and confirms it from their mail; sponsors sign it from the sponsor link
//! and confirm from theirs (twice from one address counts once); with enough it waits for the
//! moderators, who are mailed; a moderator rejects another proposal with a public reason and
//! publishes this one; the proposer and the sponsors hear the decision in their language; the
//! sponsor link then says it was decided.

use undersigned::config::Options;
use undersigned_smtp_sink::{ReceivedMail, SmtpSink};
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, Page, TestApp, strip_tags};

const PASSWORD: &str = "a long enough password";

/// The newest mail to `to` that says `words`, waited for up to 30 s.
pub(crate) async fn mail_saying(sink: &SmtpSink, to: &str, words: &str) -> ReceivedMail {
    for _ in 0..60 {
        if let Some(mail) = sink.all().into_iter().rev().find(|m| {
            m.to.iter().any(|t| t.eq_ignore_ascii_case(to))
                && (m.subject().contains(words) || m.text().contains(words))
        }) {
            return mail;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    panic!(
        "no mail to {to} saying {words:?}; all: {:?}",
        sink.all().iter().map(|m| m.subject()).collect::<Vec<_>>()
    );
}

pub(crate) async fn admin(app: &TestApp, db: &TestDb) -> Browser {
    let store = db.store().await;
    undersigned::add_user(store.as_ref(), "admin@example.org", None, true, PASSWORD).await.unwrap();
    let browser = app.new_browser();
    let login =
        browser.submit("/login", "/login", &[("email", "admin@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(login.status, 303, "{}", login.body);
    browser
}

/// Proposes a campaign from a new browser whose language is `ui`; the proposer's private path,
/// from their mail.
pub(crate) async fn propose(app: &TestApp, sink: &SmtpSink, ui: &str, title: &str, email: &str) -> String {
    let visitor = app.new_browser();
    visitor.get(&format!("/?lang={ui}")).await;
    let fields = [
        ("lang", "zh-Hant"),
        ("title", title),
        ("summary", "勞工權益"),
        ("target", "中華人民共和國國務院"),
        ("body", "我們要求立即釋放被囚禁的工人代表。"),
        ("demands", "立即釋放\n撤銷控罪"),
        ("name", "陳大文"),
        ("email", email),
    ];
    let sent = visitor.submit("/propose", "/propose", &fields).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.location(), "/propose/sent");
    let mail = mail_saying(sink, email, title).await;
    app.path_of(&mail.link(&format!("{}/p/", app.base)).expect("the private link"))
}

/// Confirms a proposal from its private page; the sponsor link it then shows.
pub(crate) async fn confirm_proposal(app: &TestApp, private: &str) -> String {
    let page = app.get(private).await;
    assert!(page.body.contains("name=\"action\" value=\"confirm\""), "{}", page.body);
    let confirmed = app.post(private, &[("csrf", &page.csrf()), ("action", "confirm")]).await;
    assert_eq!(confirmed.status, 303);
    let page = app.get(private).await;
    let marker = "id=\"sponsor-link\" class=\"share-link\" type=\"text\" readonly value=\"";
    let start =
        page.body.find(marker).unwrap_or_else(|| panic!("no sponsor link in {}", page.body)) + marker.len();
    app.path_of(&page.body[start..start + page.body[start..].find('"').unwrap()])
}

/// A sponsor signs from the sponsor link and confirms from their mail; the confirmation's page.
async fn sponsor(app: &TestApp, sink: &SmtpSink, link: &str, email: &str) -> Page {
    let browser = app.new_browser();
    let fields = [("name", "Sponsor"), ("email", email), ("country", "HK"), ("display", "hidden")];
    let signed = browser.submit(link, &format!("{link}/sign"), &fields).await;
    assert_eq!(signed.status, 200, "{}", signed.body);
    assert!(signed.body.contains("Check your email"), "{}", signed.body);
    let mail = mail_saying(sink, email, "/s/confirm/").await;
    let path = app.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).expect("a confirm link"));
    let page = browser.get(&path).await;
    browser
        .post(&path, &[("csrf", &page.csrf()), ("revision", &page.hidden("revision").unwrap_or_default())])
        .await
}

async fn a_visitor_proposes_sponsors_back_and_a_moderator_decides(db: &TestDb) {
    let sink = SmtpSink::start();
    let options = Options {
        smtp_url: Some(sink.url()),
        mail_retry_seconds: Some(1),
        // Every sponsor here comes from one address.
        sign_rate_limit: Some(0),
        ..Default::default()
    };
    let app = TestApp::spawn_with(db, options).await;
    let admin = admin(&app, db).await;

    // Only admins start campaigns until the site says otherwise: there is no public form.
    assert_eq!(app.get("/propose").await.status, 404);
    let home = app.get("/").await;
    assert!(!home.body.contains("href=\"/propose\""));
    let bad = admin
        .submit(
            "/organise/settings",
            "/organise/settings",
            &[("who_starts", "everybody"), ("sponsors_needed", "-1")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.field_error("who_starts").is_some() && bad.field_error("sponsors_needed").is_some());
    assert_eq!(bad.input_value("sponsors_needed").as_deref(), Some("-1"), "what was typed is kept");
    let saved = admin
        .submit(
            "/organise/settings",
            "/organise/settings",
            &[("who_starts", "anyone"), ("sponsors_needed", "2")],
        )
        .await;
    assert_eq!(saved.status, 303);
    assert!(app.get("/").await.body.contains("href=\"/propose\""), "the home page says how to start one");

    // A proposal with its fields wrong names each and keeps what was typed.
    let visitor = app.new_browser();
    let wrong = visitor
        .submit(
            "/propose",
            "/propose",
            &[("lang", "zh-Hant"), ("title", "釋放李旺陽"), ("email", "not an address")],
        )
        .await;
    assert_eq!(wrong.status, 422);
    for field in ["target", "body", "demands", "name", "email"] {
        assert!(wrong.field_error(field).is_some(), "{field} is named: {}", wrong.body);
    }
    assert_eq!(wrong.input_value("title").as_deref(), Some("釋放李旺陽"));

    // Proposed in Chinese by a visitor reading the site in Chinese: the mail is in Chinese.
    let private = propose(&app, &sink, "zh-Hant", "釋放李旺陽", "chan@example.org").await;
    let mail = mail_saying(&sink, "chan@example.org", "釋放李旺陽").await;
    assert!(mail.subject().contains("確認"), "in the proposer's language: {}", mail.subject());
    let sponsor_link = confirm_proposal(&app, &private).await;

    // Until someone sponsors it, its proposer may change it.
    let page = app.get(&private).await;
    let edited = app
        .post(
            &private,
            &[
                ("csrf", &page.csrf()),
                ("action", "save"),
                ("title", "釋放李旺陽！"),
                ("target", "中華人民共和國國務院"),
                ("body", "我們要求立即釋放被囚禁的工人代表。"),
                ("demands", "立即釋放\n撤銷控罪\n賠償"),
            ],
        )
        .await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    let sponsor_page = app.get(&sponsor_link).await;
    assert_eq!(sponsor_page.status, 200);
    assert!(sponsor_page.body.contains("釋放李旺陽！") && sponsor_page.body.contains("賠償"));
    assert!(strip_tags(&sponsor_page.body).contains("0 of 2 sponsors"), "{}", sponsor_page.body);

    // The proposer's page stays open in a tab while the first sponsor signs.
    let open_tab = app.get(&private).await;
    // The first sponsor, twice with one address: counted once.
    let first = sponsor(&app, &sink, &sponsor_link, "lee@example.org").await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(strip_tags(&first.body).contains("1 of 2 sponsors"), "{}", first.body);
    let again = app.new_browser();
    let fields =
        [("name", "Sponsor"), ("email", "lee@example.org"), ("country", "HK"), ("display", "hidden")];
    again.submit(&sponsor_link, &format!("{sponsor_link}/sign"), &fields).await;
    // Now the text is what a sponsor signed: it stays.
    let page = app.get(&private).await;
    assert!(!page.body.contains("value=\"save\""), "no edit form once sponsored");
    let frozen = app
        .post(
            &private,
            &[
                ("csrf", &open_tab.csrf()),
                ("action", "save"),
                ("title", "Changed"),
                ("target", "t"),
                ("body", "b"),
                ("demands", "d"),
            ],
        )
        .await;
    assert_eq!(frozen.status, 409);

    // No moderator has been asked yet.
    assert!(sink.all().iter().all(|m| !m.to.iter().any(|t| t == "admin@example.org")));
    let second = sponsor(&app, &sink, &sponsor_link, "wong@example.org").await;
    assert!(strip_tags(&second.body).contains("2 of 2 sponsors"), "{}", second.body);
    let waiting = mail_saying(&sink, "admin@example.org", "waits for moderation").await;
    assert!(waiting.text().contains("/organise/proposals"));

    // Another proposal, rejected as a duplicate: the note is needed, then listed publicly.
    let other = propose(&app, &sink, "en", "Free Li Wangyang", "other@example.org").await;
    let other_sponsor_link = confirm_proposal(&app, &other).await;
    let queue = admin.get("/organise/proposals").await;
    assert_eq!(queue.status, 200);
    let other_id = id_of(&queue, "Free Li Wangyang");
    let action = format!("/organise/proposals/{other_id}/decide");
    let no_note =
        admin.post(&action, &[("csrf", &queue.csrf()), ("action", "reject"), ("reason", "duplicate")]).await;
    assert_eq!(no_note.status, 422);
    assert!(no_note.body.contains(&format!("id=\"f-note-{other_id}-error\"")), "{}", no_note.body);
    let rejected = admin
        .post(
            &action,
            &[
                ("csrf", &queue.csrf()),
                ("action", "reject"),
                ("reason", "duplicate"),
                ("note", "See 釋放李旺陽"),
            ],
        )
        .await;
    assert_eq!(rejected.status, 303);
    let public = app.get("/rejected").await;
    assert!(
        public.body.contains("Free Li Wangyang")
            && public.body.contains("There is already a petition about this.")
    );
    assert!(public.body.contains("See 釋放李旺陽"));
    let told = mail_saying(&sink, "other@example.org", "Not published").await;
    assert!(told.text().contains("See 釋放李旺陽"));

    // One rejected as offensive is not listed.
    let hidden = propose(&app, &sink, "en", "Something vile", "vile@example.org").await;
    confirm_proposal(&app, &hidden).await;
    let queue = admin.get("/organise/proposals").await;
    let hidden_id = id_of(&queue, "Something vile");
    let action = format!("/organise/proposals/{hidden_id}/decide");
    admin.post(&action, &[("csrf", &queue.csrf()), ("action", "reject"), ("reason", "offensive")]).await;
    assert!(!app.get("/rejected").await.body.contains("Something vile"));
    // And then deleted for good, with what its draft held.
    let queue = admin.get("/organise/proposals").await;
    assert!(queue.body.contains("Something vile"));
    let deleted = admin.post(&action, &[("csrf", &queue.csrf()), ("action", "delete")]).await;
    assert_eq!(deleted.status, 303);
    assert!(!admin.get("/organise/proposals").await.body.contains("Something vile"));
    assert_eq!(app.get(&hidden).await.status, 404, "its private link leads nowhere now");

    // Published: its page is public, its sponsors its first signatures; everyone hears.
    let queue = admin.get("/organise/proposals").await;
    let id = id_of(&queue, "釋放李旺陽！");
    let published = admin
        .post(&format!("/organise/proposals/{id}/decide"), &[("csrf", &queue.csrf()), ("action", "publish")])
        .await;
    assert_eq!(published.status, 303);
    let page = app.get(&private).await;
    let start = page.body.find("href=\"/c/").expect("a link to the campaign") + "href=\"".len();
    let campaign = page.body[start..start + page.body[start..].find('"').unwrap()].to_owned();
    let count: serde_json::Value =
        serde_json::from_str(&app.get(&format!("{campaign}/count.json")).await.body).unwrap();
    assert_eq!(count["signature_count"].as_i64(), Some(2), "the sponsors are its first signatures");
    let proposer = mail_saying(&sink, "chan@example.org", "已公開").await;
    let set_password =
        proposer.link(&format!("{}/account/password/", app.base)).expect("a set-password link");
    for sponsor in ["lee@example.org", "wong@example.org"] {
        let told = mail_saying(&sink, sponsor, "Published").await;
        assert!(told.text().contains(&campaign), "{}", told.text());
    }
    // The proposer sets a password from the mail and manages their campaign.
    let owner = app.new_browser();
    let form = owner.get(&owner.path_of(&set_password)).await;
    let set = owner
        .post(
            &owner.path_of(&set_password),
            &[("csrf", &form.csrf()), ("password", PASSWORD), ("password_again", PASSWORD)],
        )
        .await;
    assert!(set.status == 303 || set.status == 200, "{}", set.body);
    let login =
        owner.submit("/login", "/login", &[("email", "chan@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(login.status, 303);
    let slug = campaign.trim_start_matches("/c/");
    assert_eq!(owner.get(&format!("/organise/c/{slug}")).await.status, 200, "the proposer owns it");

    // The sponsor link now says it was decided, and where to sign.
    let decided = app.get(&sponsor_link).await;
    assert!(
        decided.body.contains("has been decided") && decided.body.contains(&campaign),
        "{}",
        decided.body
    );
    let rejected_link = app.get(&other_sponsor_link).await;
    assert_eq!(rejected_link.status, 410);
    assert!(rejected_link.body.contains("There is already a petition about this."));

    // Privacy: a rejected proposal, sponsored by nobody, has its proposer's address forgotten with
    // the retention period (here 0 days); one never confirmed is forgotten after a month.
    let store = db.store().await;
    let other_id: i64 = other_id.parse().unwrap();
    assert!(!store.proposal(other_id).await.unwrap().unwrap().proposer_email.is_anonymised());
    undersigned::commands::retention::run(store.as_ref(), 0, false).await.unwrap();
    let forgotten = store.proposal(other_id).await.unwrap().unwrap();
    assert!(forgotten.proposer_email.is_anonymised(), "the address is gone");
    assert_eq!(forgotten.proposer_name, "陳大文", "the name stays, as the page showed it");
    let old = propose(&app, &sink, "en", "Never confirmed", "late@example.org").await;
    let month_ago = undersigned_core::store::now() - time::Duration::days(31);
    assert_eq!(store.forget_unconfirmed_proposals(month_ago).await.unwrap(), 0, "a fresh one is kept");
    let soon = undersigned_core::store::now() + time::Duration::seconds(1);
    assert_eq!(store.forget_unconfirmed_proposals(soon).await.unwrap(), 1, "only the unconfirmed one");
    assert_eq!(app.get(&old).await.status, 404);
    assert_eq!(app.get(&private).await.status, 200, "a confirmed one stays");
    app.stop().await;
}

/// The id of the proposal titled `title` in the moderators' queue.
fn id_of(queue: &Page, title: &str) -> String {
    let at =
        queue.body.find(&format!(">{title}</h2>")).unwrap_or_else(|| panic!("{title} in {}", queue.body));
    let marker = "id=\"proposal-";
    let start = queue.body[..at].rfind(marker).unwrap() + marker.len();
    queue.body[start..start + queue.body[start..].find('"').unwrap()].to_owned()
}

/// "Any organiser" may start a campaign where the site says so, and owns what they start; until
/// then only admins may. Anyone else still finds no public form.
async fn any_organiser_starts_a_campaign_where_the_site_lets_them(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let admin = admin(&app, db).await;
    let organiser = app.organiser(db, "editor@example.org", undersigned_core::account::Role::Editor).await;
    assert_eq!(organiser.get("/organise/new").await.status, 403, "admins only, by default");
    let home = organiser.get("/organise").await;
    assert!(!home.body.contains("href=\"/organise/new\""));
    let saved = admin
        .submit(
            "/organise/settings",
            "/organise/settings",
            &[("who_starts", "organisers"), ("sponsors_needed", "5")],
        )
        .await;
    assert_eq!(saved.status, 303);
    assert!(organiser.get("/organise").await.body.contains("href=\"/organise/new\""));
    let fields = [("slug", "save-the-docks"), ("title", "Save the docks"), ("lang", "en")];
    let created = organiser.submit("/organise/new", "/organise/new", &fields).await;
    assert_eq!((created.status, created.location()), (303, "/organise/c/save-the-docks/edit"));
    assert_eq!(organiser.get("/organise/c/save-the-docks/team").await.status, 200, "they own it");
    assert_eq!(app.new_browser().get("/propose").await.status, 404, "the public does not propose");
    let unseen = app.new_browser().get("/organise/new").await;
    assert_eq!(
        (unseen.status, unseen.location()),
        (303, "/login?next=/organise/new"),
        "nor start one unseen"
    );
    app.stop().await;
}

on_both_backends!(
    a_visitor_proposes_sponsors_back_and_a_moderator_decides,
    any_organiser_starts_a_campaign_where_the_site_lets_them
);
