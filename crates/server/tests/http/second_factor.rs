//! Two-factor authentication for organisers (issue 18), over HTTP on both backends, with the codes
//! computed by Python's pyotp (an implementation independent of ours): switching it on with a QR
//! code drawn by the server, logging in with a code, a code refused when used again, five wrong
//! codes locking it for every instance, a recovery code working once, switching it off, the site
//! requiring it of whoever may see personal data, and sensitive actions asking for it again after
//! fifteen minutes.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use undersigned_core::account::Role;
use undersigned_core::proposal::SiteSettings;
use undersigned_store_tests::{Backend, TestDb, on_both_backends};

use crate::support::{Browser, PASSWORD, Page, TestApp, account};

const ORG: &str = "/organise/c/release-cai-guangye";
const ENROL: &str = "/organise/account/second-factor";

/// A browser past the password: the answer is the login's redirect.
async fn password(app: &TestApp, email: &str) -> (Browser, Page) {
    let browser = app.new_browser();
    let fields = [("email", email), ("password", PASSWORD), ("next", "/organise")];
    let page = browser.submit("/login", "/login", &fields).await;
    assert_eq!(page.status, 303, "{email} logs in");
    (browser, page)
}

/// The TOTP code of time step `step` for the base32 `secret`, as Python's pyotp computes it.
fn pyotp(secret: &str, step: i64) -> String {
    let script = format!("import pyotp; print(pyotp.TOTP('{secret}').at({}))", step * 30);
    let out = std::process::Command::new("python3")
        .args(["-c", &script])
        .output()
        .expect("python3 with pyotp (pip install pyotp)");
    assert!(out.status.success(), "pyotp: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// The current time step, started at most 20 seconds ago (waiting for the next one otherwise):
/// the codes of the step before, this one and the next are then all accepted for a while, and a
/// story uses them in that order.
async fn fresh_step() -> i64 {
    let into = unix_now() % 30;
    if into > 20 {
        tokio::time::sleep(Duration::from_secs((31 - into) as u64)).await;
    }
    unix_now() / 30
}

/// The secret shown as text on the enrolment page, without its spaces.
fn secret_of(page: &Page) -> String {
    let marker = "id=\"totp-secret\">";
    let start =
        page.body.find(marker).unwrap_or_else(|| panic!("no secret in:\n{}", page.body)) + marker.len();
    let end = start + page.body[start..].find('<').unwrap();
    page.body[start..end].replace(' ', "")
}

/// The recovery codes a page shows.
fn codes_of(page: &Page) -> Vec<String> {
    page.body.split("<li><code>").skip(1).map(|s| s[..s.find('<').unwrap()].to_owned()).collect()
}

/// Switches two-factor authentication on with the code of `step`: the secret and the recovery codes.
async fn enrol(browser: &Browser, step: i64) -> (String, Vec<String>) {
    let page = browser.get(ENROL).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let secret = secret_of(&page);
    let on = browser.post(ENROL, &[("code", &pyotp(&secret, step)), ("csrf", &page.csrf())]).await;
    assert_eq!(on.status, 200, "{}", on.body);
    let codes = codes_of(&on);
    (secret, codes)
}

/// Types `code` on the page after the password.
async fn type_code(browser: &Browser, code: &str) -> Page {
    let page = browser.get("/login/code?next=/organise").await;
    assert_eq!(page.status, 200, "{}", page.body);
    browser.post("/login/code", &[("code", code), ("next", "/organise"), ("csrf", &page.csrf())]).await
}

async fn audit_log(db: &TestDb) -> Vec<String> {
    db.raw_texts("SELECT action FROM audit_log ORDER BY id").await
}

async fn an_organiser_switches_two_factor_on_and_logs_in_with_a_code(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    account(db, "lam@example.org", Some(Role::Owner), false).await;
    let (lam, _) = password(&app, "lam@example.org").await;
    assert!(lam.get("/organise").await.body.contains(ENROL), "the organisers' home links to it");

    let page = lam.get(ENROL).await;
    assert_eq!(page.status, 200);
    // The QR code is drawn by the server, in the page: no image from anywhere.
    assert!(
        page.body.contains("<svg role=\"img\" aria-label=\"") && !page.body.contains("<img"),
        "{}",
        page.body
    );
    let secret = secret_of(&page);
    assert_eq!(secret.len(), 32, "20 bytes in base32");
    // Sealed in the database: not the 20 bytes of the secret.
    let stored = db.raw_texts("SELECT CAST(length(secret) AS TEXT) FROM second_factors").await;
    assert_eq!(stored, ["49"], "20 bytes sealed (version, nonce, tag)");

    let step = fresh_step().await;
    let wrong = lam.post(ENROL, &[("code", "12345"), ("csrf", &page.csrf())]).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.field_error("code").is_some_and(|e| e.contains("not right")), "{}", wrong.body);
    assert_eq!(wrong.input_value("code").as_deref(), Some("12345"), "what was typed is kept");
    assert_eq!(secret_of(&wrong), secret, "the same secret, to try again");
    let on = lam.post(ENROL, &[("code", &pyotp(&secret, step - 1)), ("csrf", &page.csrf())]).await;
    assert_eq!(on.status, 200, "{}", on.body);
    let codes = codes_of(&on);
    assert_eq!(codes.len(), 10, "{}", on.body);
    assert!(codes.iter().all(|c| c.len() == 19), "{codes:?}");
    assert!(lam.get(ENROL).await.body.contains("10 recovery codes left"));

    // Another login: the password alone opens nothing.
    let (phone, login) = password(&app, "lam@example.org").await;
    assert_eq!(login.location(), "/login/code?next=/organise");
    let organise = phone.get("/organise").await;
    assert_eq!((organise.status, organise.location()), (303, "/login?next=/organise"));
    assert_eq!(phone.get("/login?next=/organise").await.location(), "/login/code?next=/organise");
    let done = type_code(&phone, &pyotp(&secret, step)).await;
    assert_eq!((done.status, done.location()), (303, "/organise"), "{}", done.body);
    assert_eq!(phone.get("/organise").await.status, 200);
    let log = audit_log(db).await;
    assert!(log.contains(&"second-factor-on".to_owned()) && log.contains(&"login-second-factor".to_owned()));
    app.stop().await;
}

async fn a_code_is_refused_when_used_again(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    account(db, "lam@example.org", Some(Role::Editor), false).await;
    let (lam, _) = password(&app, "lam@example.org").await;
    let step = fresh_step().await;
    let (secret, _) = enrol(&lam, step - 1).await;
    let (laptop, _) = password(&app, "lam@example.org").await;
    assert_eq!(type_code(&laptop, &pyotp(&secret, step)).await.status, 303);

    // Seen over a shoulder and typed again: refused, the field named.
    let (thief, _) = password(&app, "lam@example.org").await;
    let again = type_code(&thief, &pyotp(&secret, step)).await;
    assert_eq!(again.status, 422);
    assert!(again.field_error("code").is_some_and(|e| e.contains("used already")), "{}", again.body);
    let earlier = type_code(&thief, &pyotp(&secret, step - 1)).await;
    assert_eq!(earlier.status, 422, "an earlier step neither");
    assert_eq!(thief.get("/organise").await.status, 303);
    assert_eq!(type_code(&thief, &pyotp(&secret, step + 1)).await.status, 303, "the next code works");
    app.stop().await;
}

async fn five_wrong_codes_lock_the_second_factor_for_fifteen_minutes(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    account(db, "lam@example.org", Some(Role::Owner), false).await;
    let (lam, _) = password(&app, "lam@example.org").await;
    let step = fresh_step().await;
    let (secret, codes) = enrol(&lam, step - 1).await;

    let (guesser, _) = password(&app, "lam@example.org").await;
    for n in 1..5 {
        let wrong = type_code(&guesser, &format!("00000{n}")).await;
        assert_eq!(wrong.status, 422, "wrong code {n}");
        assert!(wrong.field_error("code").is_some());
    }
    let fifth = type_code(&guesser, "000005").await;
    assert_eq!(fifth.status, 429, "{}", fifth.body);
    let retry: u64 = fifth.header("retry-after").parse().unwrap();
    assert!((850..=900).contains(&retry), "{retry}");
    assert!(fifth.body.contains("locked for 15 minutes: try again after "), "{}", fifth.body);
    // Locked: even the right code and a recovery code are refused.
    assert_eq!(type_code(&guesser, &pyotp(&secret, step)).await.status, 429);
    assert_eq!(type_code(&guesser, &codes[0]).await.status, 429);
    assert!(audit_log(db).await.contains(&"second-factor-locked".to_owned()));

    // Another instance of the site on the same database sees the same lock.
    if db.backend() == Backend::Postgres {
        let other = TestApp::spawn(db).await;
        let (there, _) = password(&other, "lam@example.org").await;
        assert_eq!(type_code(&there, &pyotp(&secret, step)).await.status, 429);
        other.stop().await;
    }

    // Fifteen minutes later (the lock moved back in the database), the code works.
    let back = match db.backend() {
        Backend::Sqlite => "UPDATE second_factors SET locked_until = locked_until - 901000000",
        Backend::Postgres => "UPDATE second_factors SET locked_until = locked_until - interval '901 seconds'",
    };
    db.raw(back).await;
    assert_eq!(type_code(&guesser, &pyotp(&secret, step)).await.status, 303);
    app.stop().await;
}

async fn a_recovery_code_works_once_and_switching_off_needs_a_code(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    account(db, "lam@example.org", Some(Role::Owner), false).await;
    let (lam, _) = password(&app, "lam@example.org").await;
    let step = fresh_step().await;
    let (_, codes) = enrol(&lam, step - 1).await;

    let (lost_phone, _) = password(&app, "lam@example.org").await;
    let used = type_code(&lost_phone, &codes[0].to_lowercase()).await;
    assert_eq!((used.status, used.location()), (303, "/organise"), "{}", used.body);
    let (again, _) = password(&app, "lam@example.org").await;
    let twice = type_code(&again, &codes[0]).await;
    assert_eq!(twice.status, 422, "a recovery code works once");
    assert!(twice.field_error("code").is_some());
    assert!(audit_log(db).await.contains(&"recovery-code-used".to_owned()));
    assert!(lam.get(ENROL).await.body.contains("9 recovery codes left"));

    let page = lam.get(ENROL).await;
    let wrong = lam.post(&format!("{ENROL}/off"), &[("off_code", "999999"), ("csrf", &page.csrf())]).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.field_error("off_code").is_some_and(|e| e.contains("not right")), "{}", wrong.body);
    let off = lam.post(&format!("{ENROL}/off"), &[("off_code", &codes[1]), ("csrf", &page.csrf())]).await;
    assert_eq!(off.status, 303, "{}", off.body);
    assert!(audit_log(db).await.contains(&"second-factor-off".to_owned()));
    let (_, login) = password(&app, "lam@example.org").await;
    assert_eq!(login.location(), "/organise", "the password alone again");
    app.stop().await;
}

async fn the_site_requires_a_second_factor_of_whoever_may_see_personal_data(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    account(db, "owner@example.org", Some(Role::Owner), false).await;
    account(db, "ed@example.org", Some(Role::Editor), false).await;
    account(db, "admin@example.org", None, true).await;
    let store = db.store().await;
    store
        .save_site_settings(&SiteSettings { require_second_factor: true, ..Default::default() })
        .await
        .unwrap();

    let (owner, _) = password(&app, "owner@example.org").await;
    let sent = owner.get("/organise").await;
    assert_eq!((sent.status, sent.location()), (303, "/organise/account/second-factor?next=/organise"));
    assert_eq!(owner.get(&format!("{ORG}/team")).await.status, 303, "no organiser page without one");
    let page = owner.get("/organise/account/second-factor?next=/organise").await;
    assert!(page.body.contains("This site requires two-factor authentication"), "{}", page.body);
    let (editor, _) = password(&app, "ed@example.org").await;
    assert_eq!(editor.get("/organise").await.status, 200, "an editor sees no addresses");

    let step = fresh_step().await;
    let secret = secret_of(&page);
    let code = pyotp(&secret, step - 1);
    let on = owner.post(ENROL, &[("code", &code), ("next", "/organise"), ("csrf", &page.csrf())]).await;
    assert_eq!(on.status, 200, "{}", on.body);
    assert!(on.body.contains("href=\"/organise\""), "on to where they were going");
    assert_eq!(owner.get("/organise").await.status, 200);

    let (admin, _) = password(&app, "admin@example.org").await;
    assert_eq!(admin.get("/organise/settings").await.status, 303, "admins too");
    let (_, _) = enrol(&admin, step).await;
    let settings = admin.get("/organise/settings").await;
    assert!(
        settings.body.contains("name=\"require_second_factor\" value=\"1\" aria-describedby=\"f-require_second_factor-hint\" checked"),
        "{}",
        settings.body
    );
    app.stop().await;
}

async fn sensitive_actions_ask_for_the_code_again_after_fifteen_minutes(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    account(db, "lam@example.org", Some(Role::Owner), false).await;
    let (lam, _) = password(&app, "lam@example.org").await;
    let step = fresh_step().await;
    let (secret, _) = enrol(&lam, step - 1).await;
    let team = format!("{ORG}/team");
    let invite = |email: &'static str| {
        let (lam, team) = (lam.clone(), team.clone());
        async move {
            let fields = [("email", email), ("name", "Ho"), ("role", "editor")];
            lam.submit(&team, &team, &fields).await
        }
    };
    assert_eq!(invite("ho@example.org").await.location(), team, "checked a moment ago");

    let back = match db.backend() {
        Backend::Sqlite => "UPDATE sessions SET second_factor_at = second_factor_at - 960000000",
        Backend::Postgres => {
            "UPDATE sessions SET second_factor_at = second_factor_at - interval '16 minutes'"
        }
    };
    db.raw(back).await;
    assert_eq!(lam.get(&team).await.status, 200, "pages still open");
    let confirm = format!("/organise/account/second-factor/confirm?next={team}");
    let asked = invite("mei@example.org").await;
    assert_eq!((asked.status, asked.location()), (303, confirm.as_str()));
    let page = lam.get(ORG).await;
    let export = lam.post(&format!("{ORG}/export.csv"), &[("emails", "1"), ("csrf", &page.csrf())]).await;
    assert_eq!(export.location(), format!("/organise/account/second-factor/confirm?next={ORG}"));
    assert!(!lam.get(&team).await.body.contains("mei@example.org"), "not given");

    let form = lam.get(&confirm).await;
    assert_eq!(form.status, 200);
    let fields = [("code", "000000"), ("next", team.as_str()), ("csrf", &form.csrf())];
    let wrong = lam.post("/organise/account/second-factor/confirm", &fields).await;
    assert_eq!(wrong.status, 422);
    let code = pyotp(&secret, step);
    let fields = [("code", code.as_str()), ("next", team.as_str()), ("csrf", &form.csrf())];
    let confirmed = lam.post("/organise/account/second-factor/confirm", &fields).await;
    assert_eq!((confirmed.status, confirmed.location()), (303, team.as_str()));
    assert_eq!(invite("mei@example.org").await.location(), team, "submitted again, done");
    assert!(lam.get(&team).await.body.contains("mei@example.org"));
    app.stop().await;
}

on_both_backends!(
    an_organiser_switches_two_factor_on_and_logs_in_with_a_code,
    a_code_is_refused_when_used_again,
    five_wrong_codes_lock_the_second_factor_for_fifteen_minutes,
    a_recovery_code_works_once_and_switching_off_needs_a_code,
    the_site_requires_a_second_factor_of_whoever_may_see_personal_data,
    sensitive_actions_ask_for_the_code_again_after_fifteen_minutes,
);
