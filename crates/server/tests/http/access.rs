//! Access that can be taken away, over HTTP on both backends: an owner removes someone from the
//! team, an admin disables an account, demotes an admin (never the last) and ends someone's
//! sessions; editors cannot open or close signing through the dates; inviting an existing
//! account as an admin makes it one. Each is in the audit log.

use undersigned_core::account::Role;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, PASSWORD, Page, TestApp, account, password_login};

const ORG: &str = "/organise/c/release-cai-guangye";

/// Presses the button that posts to `action` on `page`, as a browser would.
async fn press(browser: &Browser, page: &str, action: &str) -> Page {
    let form = browser.get(page).await;
    assert!(form.body.contains(&format!("action=\"{action}\"")), "{page} has no button for {action}");
    browser.post(action, &[("csrf", &form.csrf())]).await
}

async fn audit_log(admin: &Browser) -> String {
    admin.get("/organise/audit").await.body
}

async fn an_owner_removes_someone_from_the_team_but_not_the_last_owner(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let owner_id = account(db, "owner@example.org", Some(Role::Owner), false).await;
    let editor_id = account(db, "ed@example.org", Some(Role::Editor), false).await;
    account(db, "admin@example.org", None, true).await;
    let owner = password_login(&app, "owner@example.org").await;
    let editor = password_login(&app, "ed@example.org").await;
    assert_eq!(editor.get(&format!("{ORG}/edit")).await.status, 200);

    let team = format!("{ORG}/team");
    let removed = press(&owner, &team, &format!("{ORG}/team/{editor_id}/remove")).await;
    assert_eq!((removed.status, removed.location()), (303, team.as_str()));
    assert!(!owner.get(&team).await.body.contains("ed@example.org"));
    assert_eq!(editor.get(&format!("{ORG}/edit")).await.status, 403, "the editor's access is gone");

    let last = press(&owner, &team, &format!("{ORG}/team/{owner_id}/remove")).await;
    assert_eq!(last.status, 409);
    assert!(last.body.contains("That is the campaign’s last owner"), "{}", last.body);
    let admin = password_login(&app, "admin@example.org").await;
    let log = audit_log(&admin).await;
    assert!(
        log.contains("<td>remove-from-team</td><td>user #")
            && log.contains("ed@example.org</td><td>editor</td>")
    );
    app.stop().await;
}

async fn an_admin_disables_an_account_and_ends_its_sessions(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    account(db, "admin@example.org", None, true).await;
    let lam = account(db, "lam@example.org", Some(Role::Owner), false).await;
    let admin = password_login(&app, "admin@example.org").await;
    let victim = password_login(&app, "lam@example.org").await;
    let other_device = password_login(&app, "lam@example.org").await;

    let ended = press(&admin, "/organise/people", &format!("/organise/people/{lam}/log-out")).await;
    assert_eq!(ended.status, 303);
    for browser in [&victim, &other_device] {
        assert_eq!(browser.get("/organise").await.location(), "/login?next=/organise", "logged out");
    }
    let again = password_login(&app, "lam@example.org").await;

    let disabled = press(&admin, "/organise/people", &format!("/organise/people/{lam}/disable")).await;
    assert_eq!(disabled.status, 303);
    assert_eq!(again.get(ORG).await.status, 303, "the session ended with the account");
    let refused =
        again.submit("/login", "/login", &[("email", "lam@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("This account has been disabled."));
    assert!(admin.get("/organise/people").await.body.contains("<td>disabled</td>"));

    assert_eq!(
        press(&admin, "/organise/people", &format!("/organise/people/{lam}/enable")).await.status,
        303
    );
    password_login(&app, "lam@example.org").await;
    let log = audit_log(&admin).await;
    for action in ["end-sessions", "disable-account", "enable-account"] {
        assert!(log.contains(&format!("<td>{action}</td><td>user #{lam} lam@example.org</td>")), "{action}");
    }
    app.stop().await;
}

async fn an_admin_is_demoted_but_never_the_last(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let first = account(db, "first@example.org", None, true).await;
    let second = account(db, "second@example.org", None, true).await;
    let admin = password_login(&app, "first@example.org").await;
    let other = password_login(&app, "second@example.org").await;
    assert_eq!(other.get("/organise/audit").await.status, 200);
    let demoted = press(&admin, "/organise/people", &format!("/organise/people/{second}/demote")).await;
    assert_eq!(demoted.status, 303);
    assert_eq!(other.get("/organise/audit").await.status, 403, "no longer an admin, at once");
    let last = press(&admin, "/organise/people", &format!("/organise/people/{first}/demote")).await;
    assert_eq!(last.status, 409);
    assert!(last.body.contains("That is the last admin who can log in"));
    let log = audit_log(&admin).await;
    assert!(log.contains(&format!("<td>demote-admin</td><td>user #{second} second@example.org</td>")));
    app.stop().await;
}

async fn editors_cannot_open_or_close_signing_through_the_dates(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    account(db, "ed@example.org", Some(Role::Editor), false).await;
    account(db, "owner@example.org", Some(Role::Owner), false).await;
    let settings = format!("{ORG}/edit");
    let fields = |closes: &'static str| {
        [("contact_name", "Friends of Cai"), ("closes_on", closes), ("default_lang", "en")]
    };
    let editor = password_login(&app, "ed@example.org").await;
    let refused = editor.submit(&settings, &settings, &fields("2026-01-01")).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("Only the campaign’s owners can change the dates"));
    assert_eq!(refused.input_value("closes_on").as_deref(), Some("2026-01-01"), "what was typed is kept");
    assert!(app.get("/c/release-cai-guangye").await.body.contains("action=\"/c/release-cai-guangye/sign\""));
    let same_dates = editor.submit(&settings, &settings, &fields("")).await;
    assert_eq!(same_dates.status, 303, "other settings are the editor's to change");
    let owner = password_login(&app, "owner@example.org").await;
    assert_eq!(owner.submit(&settings, &settings, &fields("2026-01-01")).await.status, 303);
    assert!(!app.get("/c/release-cai-guangye").await.body.contains("action=\"/c/release-cai-guangye/sign\""));
    app.stop().await;
}

async fn inviting_an_existing_account_as_admin_makes_it_one(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    account(db, "admin@example.org", None, true).await;
    account(db, "lam@example.org", Some(Role::Editor), false).await;
    let admin = password_login(&app, "admin@example.org").await;
    let lam = password_login(&app, "lam@example.org").await;
    assert_eq!(lam.get("/organise/audit").await.status, 403);
    let invite = |admin_box: &'static str| {
        let fields = [("email", "Lam@example.org"), ("name", "Lam"), ("admin", admin_box)];
        let admin = admin.clone();
        async move { admin.submit("/organise/invite", "/organise/invite", &fields).await }
    };
    let answer = invite("on").await;
    assert_eq!(answer.status, 200);
    assert!(answer.body.contains("The account is now an admin."));
    assert_eq!(lam.get("/organise/audit").await.status, 200, "really an admin");
    let log = audit_log(&admin).await;
    assert!(log.contains("<td>grant-admin</td><td>user #") && !log.contains("<td>invite</td>"), "{log}");
    app.stop().await;
}

on_both_backends!(
    an_owner_removes_someone_from_the_team_but_not_the_last_owner,
    an_admin_disables_an_account_and_ends_its_sessions,
    an_admin_is_demoted_but_never_the_last,
    editors_cannot_open_or_close_signing_through_the_dates,
    inviting_an_existing_account_as_admin_makes_it_one,
);
