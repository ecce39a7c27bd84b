//! The organisers' side over HTTP, on both backends: accounts and sessions, the authorisation
//! matrix, moderation, offline endorsements, exports, and the audit log. Mail arrives over SMTP.

use undersigned::config::Options;
use undersigned_core::Slug;
use undersigned_core::account::Role;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, PASSWORD, Page, TestApp, account};

const DEMO: &str = "/c/release-cai-guangye";
const ORG: &str = "/organise/c/release-cai-guangye";

async fn app(db: &TestDb) -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Default::default() }).await;
    (app, sink)
}

async fn log_in(browser: &Browser, email: &str, password: &str) -> Page {
    browser
        .submit("/login", "/login", &[("email", email), ("password", password), ("next", "/organise")])
        .await
}

fn session_cookie(page: &Page) -> Option<String> {
    page.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("session=").map(|v| v.split(';').next().unwrap().to_owned()))
}

async fn logging_in_and_out(db: &TestDb) {
    let (app, _sink) = app(db).await;
    account(db, "admin@example.org", None, true).await;
    let page = app.get("/organise").await;
    assert_eq!((page.status, page.location()), (303, "/login?next=/organise"));

    let wrong = log_in(&app, "admin@example.org", "not the password").await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("That email address and password do not match an account."));
    assert_eq!(wrong.input_value("email").as_deref(), Some("admin@example.org"));
    let unknown = log_in(&app, "nobody@example.org", PASSWORD).await;
    assert_eq!(unknown.status, 401, "the same answer for an unknown address");

    let ok = log_in(&app, "Admin@Example.org", PASSWORD).await;
    assert_eq!((ok.status, ok.location()), (303, "/organise"));
    let cookie = ok.header("set-cookie").to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let first = session_cookie(&ok).unwrap();
    let home = app.get("/organise").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Logged in as admin"));

    // Logging in again gives a new session id; the old one is ended.
    let again = log_in(&app, "admin@example.org", PASSWORD).await;
    let second = session_cookie(&again).unwrap();
    assert_ne!(first, second);
    let stale = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let old = stale
        .get(format!("{}/organise", app.base))
        .header("cookie", format!("session={first}"))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status().as_u16(), 303, "the old session no longer works");

    let csrf = app.get("/organise").await.csrf();
    let out = app.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!((out.status, out.location()), (303, "/"));
    assert_eq!(app.get("/organise").await.status, 303);
    app.stop().await;
}

async fn a_forgotten_password_is_reset_by_email(db: &TestDb) {
    let (app, sink) = app(db).await;
    account(db, "lam@example.org", Some(Role::Owner), false).await;
    let sent = app.submit("/account/forgot", "/account/forgot", &[("email", "lam@example.org")]).await;
    assert_eq!(sent.first("h1"), "Check your email");
    let unknown = app.submit("/account/forgot", "/account/forgot", &[("email", "who@example.org")]).await;
    assert_eq!(unknown.body, sent.body, "nothing tells whether the address has an account");

    let mail = sink.one_for("lam@example.org").await;
    assert_eq!(mail.subject(), "Reset your password on Undersigned");
    let path = app.path_of(&mail.link(&format!("{}/account/password/", app.base)).unwrap());
    let page = app.get(&path).await;
    assert_eq!(page.first("h1"), "Set your password");
    let short =
        app.post(&path, &[("password", "short"), ("password_again", "short"), ("csrf", &page.csrf())]).await;
    assert_eq!(short.status, 422);
    assert_eq!(
        short.field_error("password").as_deref(),
        Some("The password must be at least 10 characters.")
    );
    let mismatch = app
        .post(
            &path,
            &[
                ("password", "a new password 1"),
                ("password_again", "a new password 2"),
                ("csrf", &page.csrf()),
            ],
        )
        .await;
    assert_eq!(
        mismatch.field_error("password_again").as_deref(),
        Some("The two passwords are not the same.")
    );
    let done = app
        .post(
            &path,
            &[
                ("password", "a new password 1"),
                ("password_again", "a new password 1"),
                ("csrf", &page.csrf()),
            ],
        )
        .await;
    assert_eq!((done.status, done.location()), (303, "/organise"));
    assert_eq!(app.get("/organise").await.status, 200, "logged in");

    let fresh = app.new_browser();
    assert_eq!(log_in(&fresh, "lam@example.org", PASSWORD).await.status, 401, "the old password is gone");
    assert_eq!(log_in(&fresh, "lam@example.org", "a new password 1").await.status, 303);
    assert_eq!(app.get(&path).await.status, 404, "a reset link works once");
    app.stop().await;
}

async fn logging_in_is_rate_limited_per_account(db: &TestDb) {
    let (app, _sink) = app(db).await;
    account(db, "target@example.org", None, false).await;
    for _ in 0..10 {
        assert_eq!(log_in(&app, "target@example.org", "guess guess guess").await.status, 401);
    }
    let limited = log_in(&app, "target@example.org", PASSWORD).await;
    assert_eq!(limited.status, 429);
    assert!(limited.body.contains("Too many attempts to log in"));
    app.stop().await;
}

async fn an_invited_organiser_sets_a_password_and_has_the_role(db: &TestDb) {
    let (app, sink) = app(db).await;
    account(db, "owner@example.org", Some(Role::Owner), false).await;
    log_in(&app, "owner@example.org", PASSWORD).await;
    let team = app.get(&format!("{ORG}/team")).await;
    assert_eq!(team.status, 200);
    let sent = app
        .post(
            &format!("{ORG}/team"),
            &[
                ("name", "Wong Mei"),
                ("email", "wong@example.org"),
                ("role", "editor"),
                ("csrf", &team.csrf()),
            ],
        )
        .await;
    assert_eq!(sent.status, 303);
    assert!(app.get(&format!("{ORG}/team")).await.body.contains("<td>wong@example.org</td><td>editor</td>"));

    let mail = sink.one_for("wong@example.org").await;
    assert_eq!(mail.subject(), "You are invited to organise campaigns on Undersigned");
    let invitee = app.new_browser();
    let path = invitee.path_of(&mail.link(&format!("{}/account/password/", app.base)).unwrap());
    let page = invitee.get(&path).await;
    let done = invitee
        .post(&path, &[("password", PASSWORD), ("password_again", PASSWORD), ("csrf", &page.csrf())])
        .await;
    assert_eq!(done.status, 303);
    let home = invitee.get("/organise").await;
    assert!(home.body.contains("Free Cai Guangye"), "{}", home.body);
    assert!(home.body.contains(" · editor"));
    app.stop().await;
}

/// Every organiser page and action, for every kind of visitor: allowed, sent to log in, or refused.
async fn the_authorisation_matrix(db: &TestDb) {
    let (app, _sink) = app(db).await;
    let people: [(&str, Option<Role>, bool); 5] = [
        ("moderator@example.org", Some(Role::Moderator), false),
        ("editor@example.org", Some(Role::Editor), false),
        ("owner@example.org", Some(Role::Owner), false),
        ("admin@example.org", None, true),
        ("stranger@example.org", None, false),
    ];
    let mut browsers = vec![("anonymous", None, false, app.new_browser())];
    for (email, role, admin) in people {
        account(db, email, role, admin).await;
        let browser = app.new_browser();
        assert_eq!(log_in(&browser, email, PASSWORD).await.status, 303);
        browsers.push((email, role, admin, browser));
    }
    // (method, path, least role; None: admins only)
    let pages: [(&str, String, Option<Role>); 37] = [
        ("POST", format!("{ORG}/comments/mode"), Some(Role::Moderator)),
        ("POST", format!("{ORG}/comments/999999/hide"), Some(Role::Moderator)),
        ("GET", format!("{ORG}/updates"), Some(Role::Editor)),
        ("POST", format!("{ORG}/updates"), Some(Role::Editor)),
        ("GET", format!("{ORG}/response"), Some(Role::Editor)),
        ("POST", format!("{ORG}/response"), Some(Role::Editor)),
        ("GET", format!("{ORG}/demands"), Some(Role::Editor)),
        ("POST", format!("{ORG}/demands/1"), Some(Role::Editor)),
        ("GET", format!("{ORG}/endorsements/import"), Some(Role::Moderator)),
        ("POST", format!("{ORG}/endorsements/import/confirm"), Some(Role::Moderator)),
        ("GET", format!("{ORG}/invalidate?email_domain=x.example"), Some(Role::Moderator)),
        ("POST", format!("{ORG}/invalidations/999999/restore"), Some(Role::Moderator)),
        ("GET", format!("{ORG}/edit"), Some(Role::Editor)),
        ("POST", format!("{ORG}/edit"), Some(Role::Editor)),
        ("GET", format!("{ORG}/edit/en"), Some(Role::Editor)),
        ("POST", format!("{ORG}/edit/en"), Some(Role::Editor)),
        ("POST", format!("{ORG}/delivery/en"), Some(Role::Editor)),
        ("POST", format!("{ORG}/delivery/en/pdf"), Some(Role::Editor)),
        ("GET", format!("{ORG}/delivery"), Some(Role::Editor)),
        ("POST", format!("{ORG}/delivery"), Some(Role::Owner)),
        ("POST", format!("{ORG}/status"), Some(Role::Owner)),
        ("GET", "/organise/new".to_owned(), None),
        ("GET", ORG.to_owned(), Some(Role::Moderator)),
        ("GET", format!("{ORG}/moderation"), Some(Role::Moderator)),
        ("POST", format!("{ORG}/endorsements/999999/decide"), Some(Role::Moderator)),
        ("GET", format!("{ORG}/endorsements/new"), Some(Role::Moderator)),
        ("POST", format!("{ORG}/endorsements/new"), Some(Role::Moderator)),
        ("POST", format!("{ORG}/export.csv"), Some(Role::Editor)),
        // A POST's query: fields of its form.
        ("POST", format!("{ORG}/export.csv?emails=1"), Some(Role::Owner)),
        ("GET", format!("{ORG}/team"), Some(Role::Owner)),
        ("POST", format!("{ORG}/team"), Some(Role::Owner)),
        ("POST", format!("{ORG}/team/999999/remove"), Some(Role::Owner)),
        ("GET", "/organise/people".to_owned(), None),
        ("POST", "/organise/people/999999/log-out".to_owned(), None),
        ("GET", "/organise/audit".to_owned(), None),
        ("GET", "/organise/invite".to_owned(), None),
        ("POST", "/organise/invite".to_owned(), None),
    ];
    let mut wrong = Vec::new();
    for (who, role, admin, browser) in &browsers {
        let csrf = browser.get("/login").await.csrf();
        for (method, path, least) in &pages {
            let page = if *method == "GET" {
                browser.get(path).await
            } else {
                let (action, query) = path.split_once('?').unwrap_or((path, ""));
                let mut fields = vec![("csrf", csrf.as_str())];
                fields.extend(query.split('&').filter_map(|pair| pair.split_once('=')));
                browser.post(action, &fields).await
            };
            let expected = if *who == "anonymous" {
                "login"
            } else if *admin || matches!((least, role), (Some(least), Some(role)) if role >= least) {
                "allowed"
            } else {
                "refused"
            };
            let got = match page.status {
                303 if page.location().starts_with("/login") => "login",
                403 => "refused",
                401 => "login",
                _ => "allowed",
            };
            if got != expected {
                wrong.push(format!(
                    "{who} {method} {path}: expected {expected}, got {} {}",
                    page.status,
                    page.location()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    app.stop().await;
}

async fn moderators_approve_and_reject_endorsements_and_it_is_recorded(db: &TestDb) {
    let (app, sink) = app(db).await;
    for (name, email, country) in
        [("Approved Union", "a@union.example.org", "GB"), ("Rejected Ltd", "r@ltd.example.org", "US")]
    {
        let fields = [
            ("organisation", name),
            ("org_type", "trade-union"),
            ("country", country),
            ("contact_name", "Contact"),
            ("contact_email", email),
        ];
        app.submit(&format!("{DEMO}/endorse"), &format!("{DEMO}/endorse"), &fields).await;
        let mail = sink.one_for(email).await;
        let path = app.path_of(&mail.link(&format!("{}/e/confirm/", app.base)).unwrap());
        let page = app.get(&path).await;
        app.post(&path, &[("csrf", &page.csrf())]).await;
    }
    account(db, "mod@example.org", Some(Role::Moderator), false).await;
    let moderator = app.new_browser();
    log_in(&moderator, "mod@example.org", PASSWORD).await;
    let dashboard = moderator.get(ORG).await;
    assert!(dashboard.body.contains("2 endorsements await approval"), "{}", dashboard.body);
    let queue = moderator.get(&format!("{ORG}/moderation")).await;
    assert!(queue.body.contains("Approved Union") && queue.body.contains("Rejected Ltd"));
    assert!(queue.body.contains("a@union.example.org"), "moderators see the contact");
    let ids: Vec<String> = queue
        .body
        .match_indices("/endorsements/")
        .map(|(i, _)| queue.body[i + "/endorsements/".len()..].split('/').next().unwrap().to_owned())
        .filter(|id| id.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let csrf = queue.csrf();
    let approve = moderator
        .post(&format!("{ORG}/endorsements/{}/decide", ids[0]), &[("decision", "approve"), ("csrf", &csrf)])
        .await;
    assert_eq!(approve.status, 303);
    let reject = moderator
        .post(
            &format!("{ORG}/endorsements/{}/decide", ids[1]),
            &[("decision", "reject"), ("reason", "not a union"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(reject.status, 303);
    let public = app.get(DEMO).await;
    assert!(public.body.contains("Approved Union"));
    assert!(!public.body.contains("Rejected Ltd"));
    assert!(moderator.get(&format!("{ORG}/moderation")).await.body.contains("Nothing is waiting."));

    account(db, "admin@example.org", None, true).await;
    let admin = app.new_browser();
    log_in(&admin, "admin@example.org", PASSWORD).await;
    let log = admin.get("/organise/audit").await;
    assert!(log.body.contains("<td>mod@example.org</td><td>approve-endorsement</td>"), "{}", log.body);
    assert!(log.body.contains("<td>reject-endorsement</td>") && log.body.contains("<td>not a union</td>"));
    app.stop().await;
}

async fn offline_endorsements_are_entered_in_the_browser(db: &TestDb) {
    let (app, _sink) = app(db).await;
    account(db, "mod@example.org", Some(Role::Moderator), false).await;
    log_in(&app, "mod@example.org", PASSWORD).await;
    let form = format!("{ORG}/endorsements/new");
    let missing = app.submit(&form, &form, &[("kind", "individuals"), ("individuals", "12")]).await;
    assert_eq!(missing.status, 422);
    assert_eq!(
        missing.field_error("source").as_deref(),
        Some("Say where the endorsement came from (at most 500 characters).")
    );
    assert_eq!(missing.input_value("individuals").as_deref(), Some("12"));
    let added = app
        .submit(
            &form,
            &form,
            &[
                ("kind", "individuals"),
                ("individuals", "12"),
                ("country", "MO"),
                ("source", "paper forms, Macao"),
            ],
        )
        .await;
    assert_eq!(added.status, 200);
    assert!(added.body.contains("Added: 12 individuals."));
    let org = app
        .submit(
            &form,
            &form,
            &[
                ("kind", "organisation"),
                ("organisation", "Macao Workers"),
                ("org_type", "trade-union"),
                ("country", "MO"),
                ("source", "by email"),
            ],
        )
        .await;
    assert!(org.body.contains("Added: Macao Workers."));
    let person = app
        .submit(
            &form,
            &form,
            &[("kind", "person"), ("person", "Prof. Ng"), ("country", "MO"), ("source", "a letter")],
        )
        .await;
    assert!(person.body.contains("Added: Prof. Ng."), "{}", person.body);
    let public = app.get(DEMO).await;
    let macao = public.body.find("<h3>Macao</h3>").expect("a Macao group");
    assert!(public.body[macao..].contains("12 individuals"));
    assert!(public.body[macao..].contains("Macao Workers"));
    assert!(public.body[macao..].contains("Prof. Ng"));
    assert!(
        public.body.contains("<strong class=\"count-number\">28</strong>"),
        "15 + 12 individuals + one named person"
    );
    // Without its CSRF token, nothing is added, and what was typed is kept.
    let refused = app.post(&form, &[("kind", "individuals"), ("individuals", "5"), ("source", "x")]).await;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.input_value("individuals").as_deref(), Some("5"));
    app.stop().await;
}

async fn exports_neutralise_formulas_and_show_addresses_to_owners_only(db: &TestDb) {
    let (app, sink) = app(db).await;
    let fields = [
        ("name", "=HYPERLINK(\"http://evil.example\",\"x\")"),
        ("email", "formula@example.org"),
        ("country", "HK"),
        ("display", "full"),
        ("comment", "+1 for this"),
    ];
    app.submit(DEMO, &format!("{DEMO}/sign"), &fields).await;
    let mail = sink.one_for("formula@example.org").await;
    let path = app.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).unwrap());
    let page = app.get(&path).await;
    app.post(&path, &[("csrf", &page.csrf())]).await;

    account(db, "owner@example.org", Some(Role::Owner), false).await;
    account(db, "editor@example.org", Some(Role::Editor), false).await;
    let owner = app.new_browser();
    log_in(&owner, "owner@example.org", PASSWORD).await;
    let export = format!("{ORG}/export.csv");
    let csv = owner.submit(ORG, &export, &[("emails", "1"), ("bom", "1")]).await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.body.starts_with('\u{feff}'), "a byte-order mark for Excel");
    assert!(csv.body.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\""), "{}", csv.body);
    assert!(csv.body.contains("'+1 for this"));
    assert!(csv.body.contains("formula@example.org"));
    assert!(csv.body.contains("organisation,") && csv.body.contains("Globalization Monitor"));

    let editor = app.new_browser();
    log_in(&editor, "editor@example.org", PASSWORD).await;
    let plain = editor.submit(ORG, &export, &[]).await;
    assert_eq!(plain.status, 200);
    assert!(!plain.body.starts_with('\u{feff}'));
    assert!(!plain.body.contains("formula@example.org"));
    assert!(!plain.body.lines().next().unwrap().contains("email"));
    assert_eq!(editor.submit(ORG, &export, &[("emails", "1")]).await.status, 403);

    let store = db.store().await;
    let actions: Vec<String> = store
        .audit_log(None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {}", e.actor, e.action))
        .collect();
    assert!(actions.contains(&"owner@example.org export-with-emails".to_owned()), "{actions:?}");
    assert!(actions.contains(&"editor@example.org export".to_owned()), "{actions:?}");
    app.stop().await;
}

async fn the_dashboard_and_the_delivery_document(db: &TestDb) {
    let (app, sink) = app(db).await;
    for (name, email, display, lang) in [
        ("Chan Tai Man", "chan@example.org", "full", "en"),
        ("Hidden Person", "hidden@example.org", "hidden", "zh-Hant"),
    ] {
        let visitor = app.new_browser();
        visitor.get(&format!("{DEMO}?lang={lang}")).await;
        let fields = [("name", name), ("email", email), ("country", "HK"), ("display", display)];
        visitor.submit(DEMO, &format!("{DEMO}/sign"), &fields).await;
        let mail = sink.one_for(email).await;
        let path = visitor.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).unwrap());
        let page = visitor.get(&path).await;
        visitor.post(&path, &[("csrf", &page.csrf())]).await;
    }
    // One more, never confirmed.
    app.submit(
        DEMO,
        &format!("{DEMO}/sign"),
        &[("name", "Late"), ("email", "late@example.org"), ("country", "HK")],
    )
    .await;

    account(db, "owner@example.org", Some(Role::Owner), false).await;
    log_in(&app, "owner@example.org", PASSWORD).await;
    let dashboard = app.get(ORG).await;
    assert!(dashboard.body.contains("<svg class=\"chart\""), "a chart drawn by the server");
    assert!(dashboard.body.contains("<td lang=\"en\">English</td><td>1</td>"));
    assert!(dashboard.body.contains("<td lang=\"zh-Hant\">繁體中文</td><td>1</td>"));
    assert!(dashboard.body.contains("One signature awaits its signer’s confirmation"));

    let en = app.submit(ORG, &format!("{ORG}/delivery/en"), &[]).await;
    assert_eq!(en.status, 200);
    assert_eq!(en.html_lang(), "en");
    assert_eq!(en.first("h1"), "Free Cai Guangye, jailed for writing about laid-off workers");
    assert!(en.body.contains("<li>Release Cai Guangye immediately.</li>"));
    assert!(en.body.contains("<h3>Hong Kong</h3>"));
    assert!(en.body.contains("<li>Chan Tai Man <span class=\"signer-country\">Hong Kong</span></li>"));
    assert!(!en.body.contains("Hidden Person") && !en.body.contains("hidden@example.org"));
    assert!(en.body.contains("And 1 more who chose not to be named."));
    assert!(en.body.contains("<strong class=\"count-number\">17</strong>"), "15 offline + 2 confirmed");
    let zh = app.submit(ORG, &format!("{ORG}/delivery/zh-Hant"), &[]).await;
    assert_eq!(zh.html_lang(), "zh-Hant");
    assert!(zh.body.contains("<h2>我們的要求</h2>"));
    assert!(zh.body.contains("<h3>香港</h3>"));
    assert_eq!(app.submit(ORG, &format!("{ORG}/delivery/fr"), &[]).await.status, 404);
    let store = db.store().await;
    let actions: Vec<String> =
        store.audit_log(None, 5).await.unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.contains(&"print-delivery".to_owned()));
    app.stop().await;
}

async fn signatures_are_invalidated_in_bulk_after_a_preview_and_restored(db: &TestDb) {
    let (app, sink) = app(db).await;
    for email in ["one@spam.example", "two@SPAM.example", "real@example.org"] {
        let visitor = app.new_browser();
        visitor
            .submit(
                DEMO,
                &format!("{DEMO}/sign"),
                &[("name", "Someone"), ("email", email), ("country", "HK")],
            )
            .await;
        let mail = sink.one_for(email).await;
        let path = visitor.path_of(&mail.link(&format!("{}/s/confirm/", app.base)).unwrap());
        let page = visitor.get(&path).await;
        visitor.post(&path, &[("csrf", &page.csrf())]).await;
    }
    let count = |body: String| -> i64 {
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        json["online_signature_count"].as_i64().unwrap()
    };
    assert_eq!(count(app.get(&format!("{DEMO}/count.json")).await.body), 3);

    account(db, "mod@example.org", Some(Role::Moderator), false).await;
    log_in(&app, "mod@example.org", PASSWORD).await;
    let bad = app.get(&format!("{ORG}/invalidate?email_domain=not%20a%20domain")).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.field_error("email_domain").as_deref(), Some("Enter a domain such as example.org."));
    let preview = app.get(&format!("{ORG}/invalidate?email_domain=spam.example")).await;
    assert!(preview.body.contains("2 signatures match"), "{}", preview.body);
    assert_eq!(count(app.get(&format!("{DEMO}/count.json")).await.body), 3, "a preview changes nothing");
    let done = app
        .post(&format!("{ORG}/invalidate"), &[("email_domain", "spam.example"), ("csrf", &preview.csrf())])
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(count(app.get(&format!("{DEMO}/count.json")).await.body), 1);

    let moderation = app.get(&format!("{ORG}/moderation")).await;
    assert!(moderation.body.contains("2 signatures (email domain spam.example), by mod@example.org"));
    let restore = moderation.body.find("/restore\"").map(|i| {
        let start = moderation.body[..i].rfind("/invalidations/").unwrap();
        moderation.body[start..i + "/restore".len()].to_owned()
    });
    let restored = app.post(&format!("{ORG}{}", restore.unwrap()), &[("csrf", &moderation.csrf())]).await;
    assert_eq!(restored.status, 303);
    assert_eq!(count(app.get(&format!("{DEMO}/count.json")).await.body), 3);

    // One by one, from the list of latest signatures.
    let store = db.store().await;
    let campaign =
        store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
    let latest = store.latest_signatures(campaign.id, 1).await.unwrap();
    let id = latest[0].id.to_string();
    let one = app
        .post(&format!("{ORG}/invalidate"), &[("signature", id.as_str()), ("csrf", &moderation.csrf())])
        .await;
    assert_eq!(one.status, 303);
    assert_eq!(count(app.get(&format!("{DEMO}/count.json")).await.body), 2);
    let moderation = app.get(&format!("{ORG}/moderation")).await;
    assert!(moderation.body.contains(&format!("One signature (signature #{id}), by mod@example.org")));
    assert!(!moderation.body.contains("1 signatures"));
    let actions: Vec<String> =
        store.audit_log(None, 10).await.unwrap().into_iter().map(|e| e.action).collect();
    assert!(
        actions.contains(&"invalidate-signatures".to_owned())
            && actions.contains(&"restore-signatures".to_owned())
    );
    app.stop().await;
}

async fn upload(browser: &Browser, csv: &str) -> Page {
    let path = format!("{ORG}/endorsements/import");
    let csrf = browser.get(&path).await.csrf();
    let file = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec())
        .file_name("paper.csv")
        .mime_str("text/csv")
        .unwrap();
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part("file", file);
    let response =
        browser.client.post(format!("{}{path}", browser.base)).multipart(form).send().await.unwrap();
    Page::from(response).await
}

async fn a_csv_of_paper_endorsements_is_checked_then_imported_all_at_once(db: &TestDb) {
    let (app, _sink) = app(db).await;
    account(db, "mod@example.org", Some(Role::Moderator), false).await;
    log_in(&app, "mod@example.org", PASSWORD).await;

    let bad = "type,name,org_type,count,country,source\n\
               organisation,Taipei Labour Front,trade-union,,TW,paper forms\n\
               individuals,,,many,HK,paper forms\n\
               organisation,,ngo,,GB,by email\n";
    let page = upload(&app, bad).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Nothing was imported: the file has errors."));
    assert!(page.body.contains("<tr><td>3</td><td>count</td><td>Enter the number of individuals, a whole number above 0.</td></tr>"), "{}", page.body);
    assert!(page.body.contains("<tr><td>4</td><td>name</td>"));
    assert!(!app.get(DEMO).await.body.contains("Taipei Labour Front"), "the good row was not imported alone");

    let good = "\u{feff}type,name,org_type,count,country,source\n\
                organisation,Taipei Labour Front,trade-union,,TW,paper forms\n\
                individuals,,,40,HK,May Day rally\n";
    let preview = upload(&app, good).await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("2 endorsements are ready to import"));
    assert!(!app.get(DEMO).await.body.contains("Taipei Labour Front"), "a preview imports nothing");
    let csv = preview
        .body
        .split("name=\"csv\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&#39;", "'");
    let done = app
        .post(&format!("{ORG}/endorsements/import/confirm"), &[("csv", good), ("csrf", &preview.csrf())])
        .await;
    assert!(!csv.is_empty());
    assert!(done.body.contains("2 endorsements were imported."), "{}", done.body);
    let public = app.get(DEMO).await;
    assert!(public.body.contains("Taipei Labour Front"));
    assert!(public.body.contains("<strong class=\"count-number\">55</strong>"), "15 + 40 individuals");
    app.stop().await;
}

on_both_backends!(
    a_csv_of_paper_endorsements_is_checked_then_imported_all_at_once,
    signatures_are_invalidated_in_bulk_after_a_preview_and_restored,
    the_dashboard_and_the_delivery_document,
    logging_in_and_out,
    a_forgotten_password_is_reset_by_email,
    logging_in_is_rate_limited_per_account,
    an_invited_organiser_sets_a_password_and_has_the_role,
    the_authorisation_matrix,
    moderators_approve_and_reject_endorsements_and_it_is_recorded,
    offline_endorsements_are_entered_in_the_browser,
    exports_neutralise_formulas_and_show_addresses_to_owners_only,
);
