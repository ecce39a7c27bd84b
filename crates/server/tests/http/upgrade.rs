//! Upgrading, with the real binary, a database that older versions left with data in it
//! (`undersigned_store_tests::upgrade`), on both backends: a migration that loses data waits for
//! the word that the database was backed up, and says what it loses and how to go on; then the
//! server serves the old campaign with every signature counted. An older binary meeting a
//! database that a newer one migrated refuses to start, and says that downgrades are not
//! supported.

use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use undersigned_store_tests::upgrade::{self, OPEN, SIGNERS, Stage};
use undersigned_store_tests::{Backend, TEST_DATA_KEY, TestDb, on_both_backends};

/// The binary, on the test's database, with the old rows' secret key.
fn undersigned(db: &TestDb, data_dir: &std::path::Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_undersigned"));
    command
        .args(args)
        .env("UNDERSIGNED_DATABASE", &db.url)
        .env("UNDERSIGNED_DATA_KEY", TEST_DATA_KEY)
        .env("UNDERSIGNED_SECRET_KEY", hex::encode(upgrade::OLD_SECRET))
        .env("UNDERSIGNED_DATA_DIR", data_dir)
        .env("UNDERSIGNED_PAGE_CACHE_MS", "0")
        .env_remove("UNDERSIGNED_BACKED_UP")
        .env("RUST_LOG", "warn");
    command
}

fn run(db: &TestDb, data_dir: &std::path::Path, args: &[&str]) -> Output {
    undersigned(db, data_dir, args).output().expect("the binary runs")
}

/// The server, started on a free port; its base URL once it answers.
async fn serve(db: &TestDb, data_dir: &std::path::Path, env: &[(&str, &str)]) -> (Child, String) {
    let port = crate::support::process::free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = undersigned(db, data_dir, &["serve", "--listen", &listen])
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://{listen}");
    for _ in 0..400 {
        if reqwest::get(format!("{base}/healthz")).await.is_ok_and(|r| r.status() == 200) {
            return (child, base);
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the server stopped: {status}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    panic!("the server did not come up");
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// The campaign page's count (the individuals: online and offline), and count.json's.
async fn counts(base: &str) -> (String, i64) {
    let page = reqwest::get(format!("{base}/c/{OPEN}")).await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    let start = page.find("class=\"count-number\">").expect("the count on the page") + 21;
    let shown = page[start..].split('<').next().unwrap().to_owned();
    let json = reqwest::get(format!("{base}/c/{OPEN}/count.json")).await.unwrap().text().await.unwrap();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    (shown, json["signature_count"].as_i64().expect("a count"))
}

async fn applied(db: &TestDb) -> Vec<String> {
    db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM _sqlx_migrations WHERE success").await
}

/// The signatures the old rows count (their 15 individuals on paper besides), up to a stage.
fn counted(signers: usize) -> i64 {
    SIGNERS[..signers].iter().filter(|s| s.counted()).count() as i64 + 15
}

async fn a_lossy_migration_waits_for_a_backup_then_the_server_serves_every_old_signature(db: &TestDb) {
    upgrade::build_old(db, Stage::BeforeLife).await;
    let dir = tempfile::tempdir().unwrap();

    // Started as before: refused, saying what would be lost and how to go on; nothing changed.
    let out = run(db, dir.path(), &["serve", "--listen", "127.0.0.1:0"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    for words in [
        "the database holds data, and this version's migrations would lose some of it",
        "migration 18 (ip_hash_keys) forgets the IP hashes of the signatures and endorsements made before it",
        "Nothing was changed.",
        "Back the database up first with `undersigned backup --out FILE`",
        "then start again with --backed-up (UNDERSIGNED_BACKED_UP=true)",
    ] {
        assert!(said.contains(words), "{words:?} not in: {said}");
    }
    assert_eq!(applied(db).await, ["11"]);
    // So does any command that opens the database.
    let out = run(db, dir.path(), &["retention", "--dry-run"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("migration 18 (ip_hash_keys)"));
    assert_eq!(applied(db).await, ["11"]);

    // With the word (here in the environment): migrated, and serving the old campaign.
    let (server, base) = serve(db, dir.path(), &[("UNDERSIGNED_BACKED_UP", "true")]).await;
    let (shown, json) = counts(&base).await;
    assert_eq!(shown, counted(6).to_string());
    assert_eq!(json, counted(6));
    stop(server);
    let (all, _, _) = upgrade::recount(db).await;
    assert_eq!(all + 15, counted(6));

    // Started again without the word: nothing loses data any more.
    let (server, base) = serve(db, dir.path(), &[]).await;
    assert_eq!(counts(&base).await.1, counted(6));
    stop(server);
}

async fn the_server_serves_an_upgraded_database_and_seals_what_it_held_in_clear(db: &TestDb) {
    upgrade::build_old(db, Stage::BeforePrivateFields).await;
    let dir = tempfile::tempdir().unwrap();
    let (server, base) = serve(db, dir.path(), &[]).await;
    let (shown, json) = counts(&base).await;
    assert_eq!(shown, counted(SIGNERS.len()).to_string());
    assert_eq!(json, counted(SIGNERS.len()));
    // The public list names the signers who chose to be listed.
    let list = reqwest::get(format!("{base}/c/{OPEN}")).await.unwrap().text().await.unwrap();
    for signer in SIGNERS.iter().filter(|s| s.counted() && s.display == "full") {
        assert!(list.contains(signer.name), "{} not listed", signer.name);
    }
    // Sealed while the server runs; what it serves stays the same.
    let out = run(db, dir.path(), &["data", "seal"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("none is left in clear"));
    assert_eq!(counts(&base).await.1, counted(SIGNERS.len()));
    stop(server);
    upgrade::check_rows(db, true).await;
    upgrade::check_reads(db, db.store().await.as_ref()).await;
}

async fn an_older_binary_refuses_a_database_that_a_newer_one_migrated(db: &TestDb) {
    drop(db.store().await);
    // As a newer version would leave it: a migration this binary does not know.
    let (yes, bytes) = match db.backend() {
        Backend::Sqlite => ("1", "X'00'"),
        Backend::Postgres => ("TRUE", "'\\x00'::bytea"),
    };
    db.raw(&format!(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (9999, 'from a newer version', {yes}, {bytes}, 0)"
    ))
    .await;
    let dir = tempfile::tempdir().unwrap();
    for args in
        [&["serve", "--listen", "127.0.0.1:0"][..], &["serve", "--listen", "127.0.0.1:0", "--backed-up"]]
    {
        let out = run(db, dir.path(), args);
        assert!(!out.status.success());
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains(
                "the database was migrated by a newer version of Undersigned: it has migration 9999"
            ),
            "{said}"
        );
        assert!(said.contains("Downgrades are not supported"), "{said}");
    }
}

on_both_backends!(
    a_lossy_migration_waits_for_a_backup_then_the_server_serves_every_old_signature,
    the_server_serves_an_upgraded_database_and_seals_what_it_held_in_clear,
    an_older_binary_refuses_a_database_that_a_newer_one_migrated,
);
