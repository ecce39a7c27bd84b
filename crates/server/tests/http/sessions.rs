//! An organiser's sessions, over HTTP on both backends: two browsers (a laptop's Firefox and a
//! phone's Safari, from two networks behind a trusted proxy) each see both sessions with their
//! devices; one ends the other, or all the others, and those are logged out at once; an admin
//! ends every session of the account; neither an address nor a User-Agent is kept anywhere in
//! the database; "last seen" is written once in a few minutes, not on every page view.

use reqwest::header::{HeaderMap, HeaderValue};
use undersigned::config::Options;
use undersigned_store_tests::{Backend, TestDb, on_both_backends};

use crate::support::{Browser, TestApp, strip_tags};

const PASSWORD: &str = "a long enough password";
const SESSIONS: &str = "/organise/account/sessions";
const FIREFOX_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI_IOS: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
     (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
     Chrome/126.0.0.0 Safari/537.36";
const LAPTOP_IP: &str = "203.0.113.77";
const PHONE_IP: &str = "198.51.100.20";

/// The server behind a proxy it trusts (this machine), which says which address each request
/// came from.
async fn behind_proxy(db: &TestDb) -> TestApp {
    let options = Options { trusted_proxies: Some(vec!["127.0.0.1".parse().unwrap()]), ..Default::default() };
    TestApp::spawn_with(db, options).await
}

async fn account(db: &TestDb, email: &str, admin: bool) -> i64 {
    let store = db.store().await;
    let (_, id) = undersigned::add_user(store.as_ref(), email, None, admin, PASSWORD).await.unwrap();
    id
}

/// A browser of its own: its User-Agent, and the address the proxy says it comes from.
fn browser(app: &TestApp, user_agent: &str, ip: &str) -> Browser {
    let mut headers = HeaderMap::new();
    headers.insert("x-forwarded-for", HeaderValue::from_str(ip).unwrap());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent)
        .default_headers(headers)
        .build()
        .unwrap();
    Browser { base: app.base.clone(), client }
}

async fn log_in(browser: &Browser, email: &str) {
    let fields = [("email", email), ("password", PASSWORD), ("next", "/organise")];
    let page = browser.submit("/login", "/login", &fields).await;
    assert_eq!(page.status, 303, "{email} logs in");
}

async fn logged_in(browser: &Browser) -> bool {
    let page = browser.get("/organise").await;
    match page.status {
        200 => true,
        303 if page.location() == "/login?next=/organise" => false,
        other => panic!("/organise answered {other}"),
    }
}

/// The table row of the sessions page that mentions `device`, as HTML.
fn row<'a>(page: &'a str, device: &str) -> &'a str {
    page.split("<tr").find(|r| r.contains(device)).unwrap_or_else(|| panic!("no row for {device} in {page}"))
}

/// Presses the End button of the session on `device`, from `browser`'s sessions page.
async fn end(browser: &Browser, device: &str) -> crate::support::Page {
    let page = browser.get(SESSIONS).await;
    let row = row(&page.body, device);
    let id = row.split("name=\"session\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap();
    browser.post(&format!("{SESSIONS}/end"), &[("session", id), ("csrf", &page.csrf())]).await
}

async fn two_browsers_see_both_sessions_and_one_ends_the_other(db: &TestDb) {
    let app = behind_proxy(db).await;
    account(db, "lam@example.org", false).await;
    let laptop = browser(&app, FIREFOX_LINUX, LAPTOP_IP);
    let phone = browser(&app, SAFARI_IOS, PHONE_IP);
    log_in(&laptop, "lam@example.org").await;
    log_in(&phone, "lam@example.org").await;

    let page = laptop.get(SESSIONS).await;
    assert_eq!(page.status, 200);
    let text = strip_tags(row(&page.body, "Firefox on Linux"));
    assert!(text.contains("(this session)") && text.contains("The network you are on now"), "{text}");
    let text = strip_tags(row(&page.body, "Safari on iOS"));
    assert!(!text.contains("this session") && text.contains("Another network"), "{text}");
    assert!(page.body.contains("action=\"/organise/account/sessions/end-others\""));
    let from_phone = phone.get(SESSIONS).await;
    assert!(strip_tags(row(&from_phone.body, "Safari on iOS")).contains("(this session)"));
    assert!(strip_tags(row(&from_phone.body, "Firefox on Linux")).contains("Another network"));

    let ended = end(&laptop, "Safari on iOS").await;
    assert_eq!((ended.status, ended.location()), (303, "/organise/account/sessions?ended=one"));
    assert!(!logged_in(&phone).await, "the phone's session is over");
    assert!(logged_in(&laptop).await, "the laptop's is not");
    let page = laptop.get(&format!("{SESSIONS}?ended=one")).await;
    assert!(page.body.contains("The session has ended.") && !page.body.contains("Safari on iOS"));
    assert!(!page.body.contains("end-others"), "no other session left to end");

    // Nobody ends another account's session, even knowing its name.
    account(db, "wong@example.org", false).await;
    let wong = browser(&app, CHROME_WINDOWS, PHONE_IP);
    log_in(&wong, "wong@example.org").await;
    let lams = laptop.get(SESSIONS).await;
    let id = row(&lams.body, "Firefox on Linux").split("name=\"session\" value=\"").nth(1).unwrap();
    let id = id.split('"').next().unwrap();
    let csrf = wong.get(SESSIONS).await.csrf();
    let refused = wong.post(&format!("{SESSIONS}/end"), &[("session", id), ("csrf", &csrf)]).await;
    assert_eq!(refused.status, 404);
    assert!(logged_in(&laptop).await);
    app.stop().await;
}

async fn ending_all_other_sessions_keeps_only_this_one(db: &TestDb) {
    let app = behind_proxy(db).await;
    account(db, "lam@example.org", false).await;
    let laptop = browser(&app, FIREFOX_LINUX, LAPTOP_IP);
    let phone = browser(&app, SAFARI_IOS, PHONE_IP);
    let office = browser(&app, CHROME_WINDOWS, LAPTOP_IP);
    for b in [&laptop, &phone, &office] {
        log_in(b, "lam@example.org").await;
    }
    let page = office.get(SESSIONS).await;
    let done = office.post(&format!("{SESSIONS}/end-others"), &[("csrf", &page.csrf())]).await;
    assert_eq!((done.status, done.location()), (303, "/organise/account/sessions?ended=others"));
    assert!(!logged_in(&laptop).await && !logged_in(&phone).await, "the others are logged out");
    assert!(logged_in(&office).await, "this one stays");
    let page = office.get(&format!("{SESSIONS}?ended=others")).await;
    assert!(page.body.contains("Every other session has ended."));
    assert_eq!(page.body.matches("name=\"session\"").count(), 1);
    let forged = office.post(&format!("{SESSIONS}/end-others"), &[("csrf", "forged")]).await;
    assert_eq!(forged.status, 403, "a form without this browser's token is refused");
    app.stop().await;
}

async fn an_admin_ends_every_session_of_an_account(db: &TestDb) {
    let app = behind_proxy(db).await;
    account(db, "admin@example.org", true).await;
    let lam = account(db, "lam@example.org", false).await;
    let admin = browser(&app, CHROME_WINDOWS, PHONE_IP);
    log_in(&admin, "admin@example.org").await;
    let laptop = browser(&app, FIREFOX_LINUX, LAPTOP_IP);
    let phone = browser(&app, SAFARI_IOS, PHONE_IP);
    log_in(&laptop, "lam@example.org").await;
    log_in(&phone, "lam@example.org").await;

    let people = admin.get("/organise/people").await;
    let action = format!("/organise/people/{lam}/log-out");
    assert!(people.body.contains(&format!("action=\"{action}\"")));
    let ended = admin.post(&action, &[("csrf", &people.csrf())]).await;
    assert_eq!(ended.status, 303);
    assert!(!logged_in(&laptop).await && !logged_in(&phone).await, "both are logged out");
    assert!(logged_in(&admin).await);
    let log = admin.get("/organise/audit").await.body;
    assert!(
        log.contains(&format!("<td>end-sessions</td><td>user #{lam} lam@example.org</td><td>(2)</td>")),
        "{log}"
    );
    app.stop().await;
}

/// Every column of every table, as `table.column`.
async fn columns(db: &TestDb) -> Vec<String> {
    let sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table'"
        }
        Backend::Postgres => {
            "SELECT table_name || '.' || column_name FROM information_schema.columns \
             WHERE table_schema = 'public'"
        }
    };
    db.raw_texts(sql).await
}

async fn neither_an_address_nor_a_user_agent_is_kept(db: &TestDb) {
    let app = behind_proxy(db).await;
    account(db, "lam@example.org", false).await;
    let laptop = browser(&app, FIREFOX_LINUX, LAPTOP_IP);
    let phone = browser(&app, SAFARI_IOS, PHONE_IP);
    log_in(&laptop, "lam@example.org").await;
    log_in(&phone, "lam@example.org").await;
    laptop.get(SESSIONS).await;

    let hex = match db.backend() {
        Backend::Sqlite => "hex(network_key)",
        Backend::Postgres => "encode(network_key, 'hex')",
    };
    let mut kept =
        db.raw_texts(&format!("SELECT device || ' ' || {hex} FROM sessions ORDER BY device")).await;
    kept.iter_mut().for_each(|k| *k = k.to_lowercase());
    assert_eq!(kept.len(), 2);
    assert!(kept[0].starts_with("firefox/linux ") && kept[1].starts_with("safari/ios "), "{kept:?}");
    for k in &kept {
        let key = k.split(' ').nth(1).unwrap();
        assert_eq!(key.len(), 32, "a 16-byte keyed hash: {k}");
        // The addresses' bytes (203.0.113.77, 198.51.100.20) and their /24s are not in it.
        assert!(!key.contains("cb0071") && !key.contains("c63364"), "{k}");
    }
    let columns = columns(db).await;
    assert!(columns.len() > 100 && columns.contains(&"sessions.network_key".to_owned()), "{columns:?}");
    for column in columns {
        let (table, column) = column.split_once('.').unwrap();
        let sql = format!(
            "SELECT CAST(\"{column}\" AS TEXT) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE '%203.0.113%' \
             OR CAST(\"{column}\" AS TEXT) LIKE '%198.51.100%' OR CAST(\"{column}\" AS TEXT) LIKE '%Mozilla%'"
        );
        let found = db.raw_texts(&sql).await;
        assert!(found.is_empty(), "{table}.{column} keeps {found:?}");
    }
    app.stop().await;
}

/// Moves every session's times back by ten minutes, as if its last page view were that long ago.
async fn ten_minutes_pass(db: &TestDb) {
    db.raw(match db.backend() {
        Backend::Sqlite => {
            "UPDATE sessions SET created_at = created_at - 600000000, last_seen_at = last_seen_at - 600000000"
        }
        Backend::Postgres => {
            "UPDATE sessions SET created_at = created_at - interval '10 minutes', \
             last_seen_at = last_seen_at - interval '10 minutes'"
        }
    })
    .await;
}

async fn last_seen_is_written_once_in_a_few_minutes_not_on_every_page_view(db: &TestDb) {
    let app = behind_proxy(db).await;
    account(db, "lam@example.org", false).await;
    let laptop = browser(&app, FIREFOX_LINUX, LAPTOP_IP);
    log_in(&laptop, "lam@example.org").await;
    let seen = || db.raw_texts("SELECT CAST(last_seen_at AS TEXT) FROM sessions");
    let started = db.raw_texts("SELECT CAST(created_at AS TEXT) FROM sessions").await;
    assert_eq!(seen().await, started, "seen when it started");
    for _ in 0..5 {
        assert!(logged_in(&laptop).await);
    }
    assert_eq!(seen().await, started, "five page views at once wrote nothing");

    ten_minutes_pass(db).await;
    let before = seen().await;
    assert!(logged_in(&laptop).await);
    let after = seen().await;
    assert_ne!(after, before, "a page view after ten minutes notes it");
    for _ in 0..5 {
        assert!(logged_in(&laptop).await);
    }
    assert_eq!(seen().await, after, "and the next ones do not");
    app.stop().await;
}

on_both_backends!(
    two_browsers_see_both_sessions_and_one_ends_the_other,
    ending_all_other_sessions_keeps_only_this_one,
    an_admin_ends_every_session_of_an_account,
    neither_an_address_nor_a_user_agent_is_kept,
    last_seen_is_written_once_in_a_few_minutes_not_on_every_page_view,
);
