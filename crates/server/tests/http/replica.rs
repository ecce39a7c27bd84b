//! The public lists read from a PostgreSQL hot standby (`--database-replica`), on two real
//! clusters of the test's own: a primary made with `initdb` and a standby made from it with
//! `pg_basebackup -R`, the `undersigned` binary running against both. A signature confirmed on
//! the primary is listed once the standby has it; with the standby's replay paused it is counted
//! (the count reads the primary) but not listed (the lists read the standby); with the standby
//! stopped the lists answer from the primary, and the server says so once; started again, the
//! standby serves the lists again.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::Connection;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::OwnPostgres;

use crate::support::Browser;
use crate::support::load::public_count;

const DEMO: &str = "/c/release-cai-guangye";
/// The public lists of the demo's signers: the page and the API.
const LISTS: [&str; 2] =
    ["/c/release-cai-guangye/signatures", "/api/v1/campaigns/release-cai-guangye/signatures"];
/// What the server logs when the standby fails, and when it answers again.
const FAILED: &str = "the database replica failed";
const AGAIN: &str = "the database replica answers again";

/// The server process, killed when dropped, whatever the test did.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(primary: &str, replica: &str, smtp: &str, data_dir: &Path, port: u16, log: &Path) -> Running {
    let log = std::fs::File::create(log).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--sign-rate-limit", "0"])
        .args(["--page-cache-ms", "0", "--smtp-url", smtp])
        .env("UNDERSIGNED_DATABASE", primary)
        .env("UNDERSIGNED_DATABASE_REPLICA", replica)
        .env("UNDERSIGNED_DATA_KEY", undersigned_store_tests::TEST_DATA_KEY)
        .env("UNDERSIGNED_DATA_DIR", data_dir)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    Running(child)
}

/// The first column of a query's one row, as text, asked of a server directly.
async fn ask(url: &str, sql: &str) -> String {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    let (text,): (String,) =
        sqlx::query_as(sql).fetch_one(&mut conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    text
}

/// Waits until the standby has replayed everything the primary has written so far.
async fn caught_up(primary: &OwnPostgres, standby: &OwnPostgres) {
    let written = ask(&primary.url(), "SELECT pg_current_wal_lsn()::text").await;
    let until = Instant::now() + Duration::from_secs(30);
    let check = format!("SELECT (pg_last_wal_replay_lsn() >= '{written}'::pg_lsn)::text");
    while ask(&standby.url(), &check).await != "true" {
        assert!(Instant::now() < until, "the standby did not replay up to {written} within 30 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Pauses or resumes the standby's replay (and waits until a pause has taken hold).
async fn replay(standby: &OwnPostgres, paused: bool) {
    let url = standby.url();
    if !paused {
        ask(&url, "SELECT pg_wal_replay_resume()::text").await;
        return;
    }
    ask(&url, "SELECT pg_wal_replay_pause()::text").await;
    let until = Instant::now() + Duration::from_secs(10);
    while ask(&url, "SELECT pg_get_wal_replay_pause_state()").await != "paused" {
        assert!(Instant::now() < until, "the standby's replay did not pause");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Signs the demo as `name` (listed by full name) and confirms from the mail.
async fn sign_and_confirm(site: &Browser, sink: &SmtpSink, email: &str, name: &str) {
    let fields = [("name", name), ("email", email), ("country", "HK"), ("display", "full")];
    let signed = site.submit(DEMO, &format!("{DEMO}/sign"), &fields).await;
    assert_eq!(signed.status, 303, "signing: {}", signed.body);
    let mail = sink.one_for(email).await;
    let link = mail.link(&format!("{}/s/confirm/", site.base)).expect("a confirmation link");
    let path = site.path_of(&link);
    let confirmed = site.submit(&path, &path, &[]).await;
    assert_eq!(confirmed.status, 303, "confirming: {}", confirmed.body);
    assert!(confirmed.location().starts_with(&format!("{DEMO}/thanks")), "{}", confirmed.location());
}

/// Both lists, each 200 (with the server's log when not).
async fn lists(site: &Browser, log: &Path) -> [String; 2] {
    let mut bodies = [String::new(), String::new()];
    for (path, body) in LISTS.iter().zip(&mut bodies) {
        let page = site.get(path).await;
        assert_eq!(page.status, 200, "{path}: {}\n{}", page.body, log_text(log));
        *body = page.body;
    }
    bodies
}

/// Waits (up to `within`) until both lists name `name`, or neither does (`listed` false).
async fn listed(site: &Browser, log: &Path, name: &str, listed: bool, within: Duration) {
    let until = Instant::now() + within;
    loop {
        let bodies = lists(site, log).await;
        if bodies.iter().all(|body| body.contains(name) == listed) {
            return;
        }
        assert!(Instant::now() < until, "{name} listed: {listed} not within {within:?}\n{}", log_text(log));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn log_text(log: &Path) -> String {
    std::fs::read_to_string(log).unwrap_or_default()
}

fn times_logged(log: &Path, what: &str) -> usize {
    log_text(log).lines().filter(|line| line.contains(what)).count()
}

#[tokio::test]
async fn the_public_lists_read_from_the_standby_and_from_the_primary_while_it_is_down() {
    let Some(primary) = OwnPostgres::start() else { return };
    let standby = primary.standby();
    let sink = SmtpSink::start();
    let (data_dir, logs) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let log = logs.path().join("server.log");
    let port = crate::support::process::free_port();
    let _server = start(&primary.url(), &standby.url(), &sink.url(), data_dir.path(), port, &log);
    let site = Browser::new(&format!("http://127.0.0.1:{port}"));
    let until = Instant::now() + Duration::from_secs(30);
    while site.client.get(format!("{}/healthz", site.base)).send().await.map_or(true, |r| r.status() != 200) {
        assert!(Instant::now() < until, "the server did not start:\n{}", log_text(&log));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The tables the server made on the primary, on the standby too.
    caught_up(&primary, &standby).await;

    // A signature confirmed on the primary is listed once the standby has it.
    sign_and_confirm(&site, &sink, "one@example.org", "Replica One").await;
    listed(&site, &log, "Replica One", true, Duration::from_secs(10)).await;

    // The lists come from the standby: with its replay paused, a new signature is counted at once
    // (the count reads the primary) and not listed until the standby replays again.
    replay(&standby, true).await;
    let before = public_count(&site.client, &site.base).await;
    sign_and_confirm(&site, &sink, "two@example.org", "Replica Two").await;
    assert_eq!(public_count(&site.client, &site.base).await, before + 1, "counted on the primary");
    for _ in 0..10 {
        for (path, body) in LISTS.iter().zip(lists(&site, &log).await) {
            assert!(body.contains("Replica One"), "{path} lists what the standby had");
            assert!(!body.contains("Replica Two"), "{path} lists what the paused standby has not replayed");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    replay(&standby, false).await;
    listed(&site, &log, "Replica Two", true, Duration::from_secs(10)).await;
    assert_eq!(times_logged(&log, FAILED), 0, "{}", log_text(&log));

    // The standby stops: the lists answer from the primary, at once and fresh; and the server
    // says so once, not for every request.
    standby.stop_immediately();
    sign_and_confirm(&site, &sink, "three@example.org", "Replica Three").await;
    for _ in 0..20 {
        for (path, body) in LISTS.iter().zip(lists(&site, &log).await) {
            assert!(body.contains("Replica Three"), "{path} lists from the primary what it has");
        }
    }
    for path in ["/", "/api/v1/campaigns"] {
        assert_eq!(site.get(path).await.status, 200, "{path}: the campaign listings too");
    }
    assert_eq!(times_logged(&log, FAILED), 1, "{}", log_text(&log));

    // Started again, the standby catches up and serves the lists again (within seconds): with its
    // replay paused, a new signature stops being listed once the server reads the standby.
    standby.start_again();
    caught_up(&primary, &standby).await;
    replay(&standby, true).await;
    sign_and_confirm(&site, &sink, "four@example.org", "Replica Four").await;
    listed(&site, &log, "Replica Four", false, Duration::from_secs(20)).await;
    assert_eq!(times_logged(&log, AGAIN), 1, "{}", log_text(&log));
    replay(&standby, false).await;
    listed(&site, &log, "Replica Four", true, Duration::from_secs(10)).await;
    assert_eq!(times_logged(&log, FAILED), 1, "one failure, logged once: {}", log_text(&log));
}
