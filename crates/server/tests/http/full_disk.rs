//! A full disk under signing load, on a real filesystem that fills up (a small tmpfs of the test's
//! own). While the database cannot write, signing answers 503 (never a 303 for a signature that
//! was not committed) and `/healthz` says so; once room is made the server recovers by itself; and
//! after a `kill -9` and a restart every acknowledged signature is there and the count is a
//! recount. On SQLite the data directory is on the tmpfs; on PostgreSQL, a cluster of the test's
//! own is.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use undersigned_store_tests::tmpfs::Tmpfs;
use undersigned_store_tests::{OwnPostgres, TestDb};

use crate::support::load::{demo_campaign, missing, public_count, recount, sign, signer};

/// The server process, killed (SIGKILL) when dropped, whatever the test did.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(database: &str, data_dir: &Path, port: u16, log: &Path) -> Running {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--sign-rate-limit", "0"])
        .args(["--page-cache-ms", "0"])
        .env("UNDERSIGNED_DATABASE", database)
        .env("UNDERSIGNED_DATA_KEY", undersigned_store_tests::TEST_DATA_KEY)
        .env("UNDERSIGNED_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    Running(child)
}

/// `/healthz`'s status and body.
async fn health(client: &reqwest::Client, base: &str) -> (u16, String) {
    match client.get(format!("{base}/healthz")).send().await {
        Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
        Err(e) => (0, e.to_string()),
    }
}

/// Waits (up to `within`) until `/healthz` answers `status`; its last answer.
async fn health_becomes(
    client: &reqwest::Client,
    base: &str,
    status: u16,
    within: Duration,
) -> (u16, String) {
    let until = Instant::now() + within;
    loop {
        let answer = health(client, base).await;
        if answer.0 == status || Instant::now() > until {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What the signers saw: (phase, address, status).
type Answers = Arc<Mutex<Vec<(u8, String, u16)>>>;

const RUNNING: u8 = 0;
const FULL: u8 = 1;
const FREED: u8 = 2;
const STOP: u8 = 3;

/// Eight signers, each address once, until the phase is `STOP`.
fn load(
    client: &reqwest::Client,
    base: &str,
    csrf: &str,
    phase: &Arc<AtomicU8>,
) -> (Answers, Vec<tokio::task::JoinHandle<()>>) {
    let answers: Answers = Arc::default();
    let workers = (0..8)
        .map(|worker| {
            let (client, base, csrf, answers, phase) =
                (client.clone(), base.to_owned(), csrf.to_owned(), answers.clone(), phase.clone());
            tokio::spawn(async move {
                for i in 0.. {
                    let now = phase.load(Ordering::SeqCst);
                    if now == STOP {
                        break;
                    }
                    let email = format!("f{worker}-{i}@example.org");
                    let status = sign(&client, &base, &csrf, &email).await.unwrap();
                    answers.lock().unwrap().push((now, email, status));
                    if status != 303 {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            })
        })
        .collect();
    (answers, workers)
}

/// The story on one database: `disk` is the filesystem the database writes to.
async fn ride_out_a_full_disk(database: &str, data_dir: &Path, disk: &Tmpfs) {
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("server.log");
    let log_tail = || {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        text.lines().rev().take(30).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n")
    };
    let port = crate::support::process::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = start(database, data_dir, port, &log);
    let client = reqwest::Client::new();
    assert_eq!(health_becomes(&client, &base, 200, Duration::from_secs(20)).await.0, 200, "{}", log_tail());
    let (browser, csrf) = signer(&base).await;
    let phase = Arc::new(AtomicU8::new(RUNNING));
    let (answers, workers) = load(&browser, &base, &csrf, &phase);
    tokio::time::sleep(Duration::from_millis(2_000)).await;

    let filler = disk.fill();
    phase.store(FULL, Ordering::SeqCst);
    // Signing stops being acknowledged: a signature now is refused with 503 and a Retry-After.
    let until = Instant::now() + Duration::from_secs(15);
    let refused = loop {
        let r = browser
            .post(format!("{base}/c/release-cai-guangye/sign"))
            .form(&[("name", "Full"), ("email", "full@example.org"), ("country", "HK"), ("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        if r.status() != 303 || Instant::now() > until {
            break r;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(refused.status(), 503, "signing on a full disk: {}", log_tail());
    assert_eq!(refused.headers()["retry-after"], "5", "the signer is told when to try again");
    let (status, body) = health_becomes(&client, &base, 503, Duration::from_secs(5)).await;
    assert_eq!(status, 503, "/healthz on a full disk: {body}");
    assert!(body.contains("write: FAILED"), "/healthz says what failed: {body}");
    tokio::time::sleep(Duration::from_millis(1_000)).await;

    disk.free(&filler);
    phase.store(FREED, Ordering::SeqCst);
    // It recovers by itself: no restart.
    let (status, body) = health_becomes(&client, &base, 200, Duration::from_secs(20)).await;
    assert_eq!(status, 200, "/healthz once the disk has room: {body}\n{}", log_tail());
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    phase.store(STOP, Ordering::SeqCst);
    for w in workers {
        w.await.unwrap();
    }
    let answers = answers.lock().unwrap().clone();
    let in_phase = |p: u8, status: u16| answers.iter().filter(|(q, _, s)| *q == p && *s == status).count();
    eprintln!(
        "before: {} acknowledged; disk full: {} answered 503, {} acknowledged; freed: {} acknowledged, {} answered 503",
        in_phase(RUNNING, 303),
        in_phase(FULL, 503),
        in_phase(FULL, 303),
        in_phase(FREED, 303),
        in_phase(FREED, 503),
    );
    assert!(in_phase(RUNNING, 303) > 20, "signing before the disk filled up");
    assert!(in_phase(FULL, 503) > 0, "503 while the disk was full");
    assert!(in_phase(FREED, 303) > 20, "signing again once the disk had room: {}", log_tail());
    let odd: Vec<_> = answers.iter().filter(|(_, _, s)| *s != 303 && *s != 503).collect();
    assert!(odd.is_empty(), "only 303 or 503, never another answer: {odd:?}");

    // kill -9, start again on the same data: everything acknowledged is there, counted once.
    drop(server);
    let _again = start(database, data_dir, port, &log);
    assert_eq!(health_becomes(&client, &base, 200, Duration::from_secs(20)).await.0, 200, "{}", log_tail());
    let db = TestDb::at(database.to_owned());
    let (store, campaign) = demo_campaign(&db).await;
    let acknowledged: Vec<String> =
        answers.iter().filter(|(_, _, s)| *s == 303).map(|(_, email, _)| email.clone()).collect();
    let missing = missing(&*store, &campaign, data_dir, &acknowledged).await;
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged signatures lost, such as {:?}",
        missing.len(),
        acknowledged.len(),
        missing.first()
    );
    assert_eq!(public_count(&browser, &base).await, recount(&*store, &campaign).await);
}

#[tokio::test]
async fn sqlite_on_a_full_disk_answers_503_recovers_by_itself_and_loses_nothing() {
    let Some(disk) = Tmpfs::mount(32) else { return };
    let data_dir = disk.path().join("data");
    let database = format!("sqlite://{}", data_dir.join("undersigned.db").display());
    ride_out_a_full_disk(&database, &data_dir, &disk).await;
}

#[tokio::test]
async fn postgres_on_a_full_disk_answers_503_recovers_by_itself_and_loses_nothing() {
    let Some(disk) = Tmpfs::mount(160) else { return };
    let Some(postgres) = OwnPostgres::start_in(disk.path()) else { return };
    let data_dir = tempfile::tempdir().unwrap();
    ride_out_a_full_disk(&postgres.url(), data_dir.path(), &disk).await;
}
