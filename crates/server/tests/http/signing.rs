//! Signing and endorsing as the public does it, on both backends, with mail received by a real
//! SMTP server: sign, find the mail, confirm, see the count and the lists change.

use std::time::Duration;

use undersigned::config::Options;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Page, TestApp};

const DEMO: &str = "/c/release-cai-guangye";
const SIGN: &str = "/c/release-cai-guangye/sign";

async fn app_with_mail(db: &TestDb, options: Options) -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..options }).await;
    (app, sink)
}

async fn sign(app: &TestApp, email: &str, extra: &[(&str, &str)]) -> Page {
    let fields =
        [&[("name", "Chan Tai Man"), ("email", email), ("country", "HK"), ("display", "full")], extra]
            .concat();
    // Later fields win, as in a form.
    let mut merged: Vec<(&str, &str)> = Vec::new();
    for (k, v) in fields {
        merged.retain(|(key, _)| *key != k);
        merged.push((k, v));
    }
    app.submit(DEMO, SIGN, &merged).await
}

async fn count(app: &TestApp) -> i64 {
    let page = app.get(&format!("{DEMO}/count.json")).await;
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    json["signature_count"].as_i64().unwrap()
}

/// Opens the confirmation link of the latest mail to `email` and presses Confirm.
async fn confirm_from_mail(app: &TestApp, sink: &SmtpSink, email: &str) -> Page {
    let mail = sink.one_for(email).await;
    let link = mail.link(&format!("{}/s/confirm/", app.base)).expect("a confirm link");
    let path = app.path_of(&link);
    let page = app.get(&path).await;
    assert_eq!(page.status, 200);
    app.post(&path, &[("csrf", &page.csrf())]).await
}

async fn signing_confirming_and_seeing_the_count_change(db: &TestDb) {
    let (app, sink) = app_with_mail(db, Options::default()).await;
    assert_eq!(count(&app).await, 15, "the demo's 15 individuals collected offline");

    let signed = sign(&app, "chan@example.org", &[("comment", "Free him now"), ("city", "Kowloon")]).await;
    assert_eq!(signed.status, 303);
    assert_eq!(signed.location(), "/c/release-cai-guangye/check-email");
    let check = app.get(signed.location()).await;
    assert_eq!(check.first("h1"), "Check your email");

    let mail = sink.one_for("chan@example.org").await;
    assert_eq!(
        mail.subject(),
        "Please confirm your signature: Free Cai Guangye, jailed for writing about laid-off workers"
    );
    assert!(mail.text().starts_with("Hello Chan Tai Man,"), "{}", mail.text());
    let link = mail.link(&format!("{}/s/confirm/", app.base)).unwrap();
    assert!(mail.html().contains(&format!("href=\"{link}\"")));
    assert!(
        mail.link(&format!("{}/s/withdraw/", app.base)).is_some(),
        "every confirmation mail can withdraw"
    );
    assert_eq!(count(&app).await, 15, "pending signatures do not count");

    // Opening the link (as a mail scanner would) changes nothing.
    let path = app.path_of(&link);
    let page = app.get(&path).await;
    assert_eq!(page.first("h1"), "Confirm your signature");
    assert!(page.body.contains("<dd>Free him now</dd>"), "the signer sees what only the organisers read");
    assert!(page.body.contains("<button type=\"submit\" class=\"button\">Confirm my signature</button>"));
    assert_eq!(count(&app).await, 15);

    let confirmed = app.post(&path, &[("csrf", &page.csrf())]).await;
    assert_eq!(confirmed.status, 303);
    assert_eq!(
        confirmed.location(),
        "/c/release-cai-guangye/thanks?leaf=7",
        "the thanks page names the entry in the log"
    );
    let thanks = app.get(confirmed.location()).await;
    assert_eq!(thanks.first("h1"), "Thank you: your signature counts");
    assert!(thanks.body.contains("<strong class=\"count-number\">16</strong>"));
    assert_eq!(count(&app).await, 16);
    // Confirming twice is harmless.
    assert_eq!(app.post(&path, &[("csrf", &page.csrf())]).await.status, 303);
    assert_eq!(count(&app).await, 16);

    let list = app.get(&format!("{DEMO}/signatures")).await;
    assert!(list.body.contains("<span class=\"signer-name\">Chan Tai Man</span>"), "{}", list.body);
    // The city and the comment are for the organisers only: never on the public list.
    assert!(list.body.contains("<span class=\"signer-country\">Hong Kong</span>"), "{}", list.body);
    assert!(!list.body.contains("Kowloon") && !list.body.contains("Free him now"));
    assert!(list.body.contains("<tr><td>Hong Kong</td><td>1</td></tr>"));
    let campaign = app.get(DEMO).await;
    assert!(campaign.body.contains("<span class=\"signer-name\">Chan Tai Man</span>"));
    // The address never appears publicly.
    for page in [&list, &campaign, &thanks, &app.get(&format!("{DEMO}/count.json")).await] {
        assert!(!page.body.contains("chan@example.org"));
    }
    // count.json carries an ETag: a poller that sends it back gets 304 until the count changes.
    let counted = app.get(&format!("{DEMO}/count.json")).await;
    assert_eq!(counted.header("content-type"), "application/json");
    let etag = counted.header("etag").to_owned();
    let again = app.get_with(&format!("{DEMO}/count.json"), &[("if-none-match", &etag)]).await;
    assert_eq!((again.status, again.body.as_str()), (304, ""));
    sign(&app, "lee@example.org", &[]).await;
    confirm_from_mail(&app, &sink, "lee@example.org").await;
    let changed = app.get_with(&format!("{DEMO}/count.json"), &[("if-none-match", &etag)]).await;
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("etag"), etag);
    app.stop().await;
}

async fn a_chinese_reader_gets_the_mail_in_chinese(db: &TestDb) {
    let (app, sink) = app_with_mail(db, Options::default()).await;
    app.get(&format!("{DEMO}?lang=zh-Hant")).await;
    let signed = sign(&app, "wong@example.org", &[("name", "黃小明")]).await;
    assert_eq!(signed.status, 303);
    let mail = sink.one_for("wong@example.org").await;
    assert!(mail.subject().contains("釋放 Cai Guangye"), "{}", mail.subject());
    assert!(mail.text().contains("黃小明"), "{}", mail.text());
    assert!(!mail.text().contains("Hello"), "{}", mail.text());
    app.stop().await;
}

async fn one_person_one_signature_whatever_the_spelling(db: &TestDb) {
    let (app, sink) = app_with_mail(db, Options::default()).await;
    sign(&app, "J.Doe@Gmail.com", &[]).await;
    confirm_from_mail(&app, &sink, "J.Doe@Gmail.com").await;
    assert_eq!(count(&app).await, 16);
    // The same person with case, dots, a +tag, the other Google domain, full-width letters:
    for spelling in ["jdoe@gmail.com", "j.d.o.e+petition@googlemail.com", "ｊｄｏｅ@gmail.com"] {
        let again = sign(&app, spelling, &[]).await;
        assert_eq!(again.status, 303, "{spelling}");
        assert_eq!(again.location(), "/c/release-cai-guangye/check-email", "the same page: nothing revealed");
    }
    assert_eq!(count(&app).await, 16);
    // The signer hears that they had signed already (at most a few mails a day).
    let mails = sink.wait_for("J.Doe@Gmail.com", 3).await;
    assert_eq!(mails.len(), 3, "the confirmation, then two 'already signed' within the day's budget");
    assert!(mails[1].subject().starts_with("You have already signed"), "{}", mails[1].subject());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.all().len(), 3, "the budget holds");
    app.stop().await;
}

async fn twenty_signatures_at_once_from_one_address_count_once(db: &TestDb) {
    let (app, sink) = app_with_mail(db, Options::default()).await;
    let csrf = app.get(DEMO).await.csrf();
    let attempts = (0..20).map(|_| {
        let client = app.client.clone();
        let url = format!("{}{SIGN}", app.base);
        let csrf = csrf.clone();
        tokio::spawn(async move {
            let fields =
                [("name", "Race"), ("email", "race@example.org"), ("country", "TW"), ("csrf", &csrf)];
            client.post(url).form(&fields).send().await.unwrap().status().as_u16()
        })
    });
    for attempt in attempts {
        assert_eq!(attempt.await.unwrap(), 303);
    }
    confirm_from_mail(&app, &sink, "race@example.org").await;
    assert_eq!(count(&app).await, 16);
    app.stop().await;
}

async fn markup_in_a_name_or_comment_is_shown_as_text(db: &TestDb) {
    let (app, sink) = app_with_mail(db, Options::default()).await;
    let fields = [("name", "<script>alert(1)</script>"), ("comment", "<b onclick=\"x()\">bold</b>")];
    sign(&app, "markup@example.org", &fields).await;
    // The comment, for the organisers only, is shown to its signer on the confirmation page.
    let mail = sink.one_for("markup@example.org").await;
    let page = app.get(&app.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).unwrap())).await;
    assert!(page.body.contains("&lt;b onclick=&quot;x()&quot;&gt;bold&lt;/b&gt;"), "{}", page.body);
    assert!(!page.body.contains("<b onclick"));
    confirm_from_mail(&app, &sink, "markup@example.org").await;
    let list = app.get(&format!("{DEMO}/signatures")).await;
    assert!(list.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{}", list.body);
    assert!(!list.body.contains("<script>alert") && !list.body.contains("onclick"), "no comment listed");
    app.stop().await;
}

async fn bad_input_is_refused_field_by_field_and_nothing_is_stored(db: &TestDb) {
    let (app, sink) = app_with_mail(db, Options::default()).await;
    let long_name = "n".repeat(201);
    let page = sign(
        &app,
        "not-an-address",
        &[("name", &long_name), ("country", "XX"), ("comment", &"c".repeat(1001)), ("city", "Sai Kung")],
    )
    .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Please check the fields marked below."));
    assert_eq!(
        page.field_error("name").as_deref(),
        Some("Enter your name: 1 to 200 characters, with no invisible characters.")
    );
    assert_eq!(
        page.field_error("email").as_deref(),
        Some("Enter an email address like name@example.org (at most 254 characters).")
    );
    assert_eq!(page.field_error("country").as_deref(), Some("Choose a country or region from the list."));
    assert_eq!(page.field_error("comment").as_deref(), Some("The comment can be at most 1,000 characters."));
    assert_eq!(page.field_error("city"), None);
    // What was typed is kept.
    assert_eq!(page.input_value("email").as_deref(), Some("not-an-address"));
    assert_eq!(page.input_value("city").as_deref(), Some("Sai Kung"));
    assert_eq!(page.input_value("name").as_deref(), Some(long_name.as_str()));
    assert!(page.body.contains(&format!(">{}</textarea>", "c".repeat(1001))));

    // A name with a line break could forge a mail header: refused.
    let page = sign(&app, "ok@example.org", &[("name", "Eve\r\nBcc: victim@example.org")]).await;
    assert_eq!(page.status, 422);
    assert!(page.field_error("name").is_some());

    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sink.all().is_empty(), "no mail for refused signatures");
    let store = db.store().await;
    let campaign = store.campaign_by_slug(&"release-cai-guangye".parse_slug()).await.unwrap().unwrap();
    assert_eq!(store.counts(campaign.id).await.unwrap().signatures, 0);
    assert!(store.public_signatures(campaign.id, None, 10).await.unwrap().is_empty());
    app.stop().await;
}

trait ParseSlug {
    fn parse_slug(&self) -> undersigned_core::Slug;
}

impl ParseSlug for &str {
    fn parse_slug(&self) -> undersigned_core::Slug {
        undersigned_core::Slug::parse("slug", self).unwrap()
    }
}

async fn an_expired_link_says_what_to_do(db: &TestDb) {
    let (app, sink) = app_with_mail(db, Options { token_ttl_hours: Some(0), ..Default::default() }).await;
    sign(&app, "late@example.org", &[]).await;
    let mail = sink.one_for("late@example.org").await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let page = app.get(&app.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).unwrap())).await;
    assert_eq!(page.status, 410);
    assert_eq!(page.first("h1"), "This link has expired");
    assert!(page.body.contains("Sign again on the campaign’s page with the same address to get a new one."));
    assert!(page.body.contains("href=\"/c/release-cai-guangye\""));
    // A damaged link is told apart from an expired one.
    let damaged = app.get("/s/confirm/AAAA").await;
    assert_eq!(damaged.status, 404);
    assert_eq!(damaged.first("h1"), "This link does not work");
    app.stop().await;
}

async fn a_signer_withdraws_from_the_emailed_link(db: &TestDb) {
    let (app, sink) = app_with_mail(db, Options::default()).await;
    sign(&app, "leave@example.org", &[("name", "Leaving Person")]).await;
    confirm_from_mail(&app, &sink, "leave@example.org").await;
    assert_eq!(count(&app).await, 16);
    let mail = sink.one_for("leave@example.org").await;
    let path = app.path_of(&mail.link(&format!("{}/s/withdraw/", app.base)).unwrap());
    let page = app.get(&path).await;
    assert_eq!(page.first("h1"), "Withdraw your signature");
    assert_eq!(count(&app).await, 16, "opening the link withdraws nothing");
    let done = app.post(&path, &[("csrf", &page.csrf())]).await;
    assert_eq!(done.status, 303);
    assert_eq!(app.get(done.location()).await.first("h1"), "Your signature has been withdrawn");
    assert_eq!(count(&app).await, 15);
    assert!(!app.get(&format!("{DEMO}/signatures")).await.body.contains("Leaving Person"));
    // The link now leads nowhere: the data is gone.
    assert_eq!(app.get(&path).await.status, 404);
    app.stop().await;
}

async fn an_organisation_endorses_and_is_listed_by_region_once_approved(db: &TestDb) {
    let (app, sink) = app_with_mail(db, Options::default()).await;
    let form = app.get(&format!("{DEMO}/endorse")).await;
    assert_eq!(form.first("h1"), "Endorse as an organisation");
    let fields = [
        ("organisation", "Dockers’ Union"),
        ("org_type", "trade-union"),
        ("country", "GB"),
        ("website", "https://dockers.example.org"),
        ("contact_name", "Sam Lee"),
        ("contact_email", "office@dockers.example.org"),
        ("statement", "An injury to one is an injury to all."),
    ];
    let sent = app.submit(&format!("{DEMO}/endorse"), &format!("{DEMO}/endorse"), &fields).await;
    assert_eq!(sent.status, 303);
    let mail = sink.one_for("office@dockers.example.org").await;
    assert_eq!(mail.subject(), "Please confirm the endorsement of Dockers’ Union");
    let path = app.path_of(&mail.link(&format!("{}/e/confirm/", app.base)).unwrap());
    let page = app.get(&path).await;
    let confirmed = app.post(&path, &[("csrf", &page.csrf())]).await;
    assert_eq!(confirmed.first("h1"), "Thank you: the endorsement is confirmed");
    assert!(!app.get(DEMO).await.body.contains("Dockers’ Union"), "not listed before approval");

    let store = db.store().await;
    let waiting = undersigned::commands::endorsement::run(
        store.as_ref(),
        undersigned::cli::EndorsementCommand::List { campaign: None, state: "awaiting-approval".into() },
    )
    .await
    .unwrap();
    assert!(waiting.contains("Dockers’ Union (trade-union)  GB  [awaiting-approval]  contact: Sam Lee <office@dockers.example.org>"), "{waiting}");
    let id: i64 = waiting[1..waiting.find(' ').unwrap()].parse().unwrap();
    let approved = undersigned::commands::endorsement::run(
        store.as_ref(),
        undersigned::cli::EndorsementCommand::Approve { id },
    )
    .await
    .unwrap();
    assert!(approved.starts_with(&format!("approved endorsement #{id}")));

    let page = app.get(DEMO).await;
    let uk = page.body.find("<h3>United Kingdom</h3>").expect("a United Kingdom group");
    let listed = page.body[uk..].find("Dockers’ Union").expect("listed under it");
    assert!(listed < page.body[uk..].find("</ul>").unwrap());
    assert!(page.body.contains("7 organisations endorse this campaign."));
    assert!(!page.body.contains("office@dockers.example.org"));
    app.stop().await;
}

async fn a_form_without_its_csrf_token_is_refused_and_kept(db: &TestDb) {
    let (app, sink) = app_with_mail(db, Options::default()).await;
    app.get(DEMO).await;
    let page = app.post(SIGN, &[("name", "No Token"), ("email", "nt@example.org"), ("country", "HK")]).await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("This form had expired, so nothing was sent."));
    assert_eq!(page.input_value("name").as_deref(), Some("No Token"));
    let page =
        app.post(SIGN, &[("name", "Bad Token"), ("email", "nt@example.org"), ("csrf", "forged")]).await;
    assert_eq!(page.status, 403);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sink.all().is_empty());
    app.stop().await;
}

async fn a_bot_filling_the_honeypot_is_dropped_quietly(db: &TestDb) {
    let (app, sink) = app_with_mail(db, Options::default()).await;
    let page = sign(&app, "bot@example.org", &[("homepage", "http://spam.example")]).await;
    assert_eq!(page.status, 303, "the bot sees success");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sink.all().is_empty());
    app.stop().await;
}

async fn signing_is_limited_per_connection(db: &TestDb) {
    let (app, _sink) = app_with_mail(db, Options { sign_rate_limit: Some(2), ..Default::default() }).await;
    assert_eq!(sign(&app, "a1@example.org", &[]).await.status, 303);
    assert_eq!(sign(&app, "a2@example.org", &[]).await.status, 303);
    let third = sign(&app, "a3@example.org", &[]).await;
    assert_eq!(third.status, 429);
    assert!(third.body.contains("Too many signatures came from your internet connection in the last hour"));
    assert!(third.header("retry-after").parse::<u64>().unwrap() > 0);
    assert_eq!(third.input_value("email").as_deref(), Some("a3@example.org"), "what was typed is kept");
    app.stop().await;
}

async fn behind_a_trusted_proxy_the_forwarded_address_is_limited(db: &TestDb) {
    let options = Options {
        sign_rate_limit: Some(1),
        trusted_proxies: Some(vec!["127.0.0.1".parse().unwrap()]),
        ..Default::default()
    };
    let (app, _sink) = app_with_mail(db, options).await;
    let csrf = app.get(DEMO).await.csrf();
    let post = |from: &'static str, email: &'static str| {
        let request = app.client.post(format!("{}{SIGN}", app.base)).header("x-forwarded-for", from);
        let fields = [
            ("name", "Proxied".to_owned()),
            ("email", email.to_owned()),
            ("country", "HK".to_owned()),
            ("csrf", csrf.clone()),
        ];
        async move { request.form(&fields).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(post("203.0.113.7", "p1@example.org").await, 303);
    assert_eq!(post("203.0.113.7", "p2@example.org").await, 429, "the same client behind the proxy");
    assert_eq!(post("198.51.100.9", "p3@example.org").await, 303, "another client behind the proxy");
    // A spoofed header in front of the proxy does not help: the proxy's own last hop counts.
    assert_eq!(post("10.9.9.9, 203.0.113.7", "p4@example.org").await, 429);
    app.stop().await;
}

async fn forwarded_headers_from_untrusted_peers_are_ignored(db: &TestDb) {
    let (app, _sink) = app_with_mail(db, Options { sign_rate_limit: Some(1), ..Default::default() }).await;
    let csrf = app.get(DEMO).await.csrf();
    for (from, expected) in [("203.0.113.7", 303), ("198.51.100.9", 429)] {
        let fields =
            [("name", "Spoof"), ("email", "s@example.org"), ("country", "HK"), ("csrf", csrf.as_str())];
        let request = app.client.post(format!("{}{SIGN}", app.base)).header("x-forwarded-for", from);
        assert_eq!(request.form(&fields).send().await.unwrap().status().as_u16(), expected, "{from}");
    }
    app.stop().await;
}

async fn a_closed_campaign_shows_no_form_and_refuses_signatures(db: &TestDb) {
    let (app, _sink) = app_with_mail(db, Options::default()).await;
    let csrf = app.get(DEMO).await.csrf();
    let store = db.store().await;
    let mut closed = undersigned::demo::campaign();
    closed.content.status = undersigned_core::CampaignStatus::Closed;
    store.import_campaigns(&[closed]).await.unwrap();
    let page = app.get(DEMO).await;
    assert!(!page.body.contains("action=\"/c/release-cai-guangye/sign\""));
    assert!(page.body.contains("This campaign is not taking signatures."));
    let refused = app
        .post(SIGN, &[("name", "Late"), ("email", "late@example.org"), ("country", "HK"), ("csrf", &csrf)])
        .await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("This campaign is not taking signatures now, so nothing was sent."));
    app.stop().await;
}

async fn without_smtp_mail_is_written_to_files(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    assert_eq!(sign(&app, "file@example.org", &[]).await.status, 303);
    let mut found = None;
    for _ in 0..100 {
        if let Some(file) = app.mail_files().first() {
            found = Some(std::fs::read_to_string(file).unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let eml = found.expect("an .eml file");
    assert!(
        eml.contains("To: \"Chan Tai Man\" <file@example.org>")
            || eml.contains("To: Chan Tai Man <file@example.org>"),
        "{eml}"
    );
    assert!(eml.contains("Subject: Please confirm your signature"), "{eml}");
    app.stop().await;
}

async fn queued_mail_survives_a_restart(db: &TestDb) {
    // The first server cannot reach its SMTP server: the mail stays in the outbox.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("smtp://{}", dead.local_addr().unwrap());
    drop(dead);
    let options = Options { smtp_url: Some(dead_url), mail_retry_seconds: Some(1), ..Default::default() };
    let first = TestApp::spawn_with(db, options).await;
    assert_eq!(sign(&first, "patient@example.org", &[]).await.status, 303);
    tokio::time::sleep(Duration::from_millis(300)).await;
    first.stop().await;

    let (second, sink) =
        app_with_mail(db, Options { mail_retry_seconds: Some(1), ..Default::default() }).await;
    let mail = sink.one_for("patient@example.org").await;
    assert!(mail.subject().starts_with("Please confirm your signature"));
    second.stop().await;
}

on_both_backends!(
    signing_confirming_and_seeing_the_count_change,
    a_chinese_reader_gets_the_mail_in_chinese,
    one_person_one_signature_whatever_the_spelling,
    twenty_signatures_at_once_from_one_address_count_once,
    markup_in_a_name_or_comment_is_shown_as_text,
    bad_input_is_refused_field_by_field_and_nothing_is_stored,
    an_expired_link_says_what_to_do,
    a_signer_withdraws_from_the_emailed_link,
    an_organisation_endorses_and_is_listed_by_region_once_approved,
    a_form_without_its_csrf_token_is_refused_and_kept,
    a_bot_filling_the_honeypot_is_dropped_quietly,
    signing_is_limited_per_connection,
    behind_a_trusted_proxy_the_forwarded_address_is_limited,
    forwarded_headers_from_untrusted_peers_are_ignored,
    a_closed_campaign_shows_no_form_and_refuses_signatures,
    without_smtp_mail_is_written_to_files,
    queued_mail_survives_a_restart,
);
