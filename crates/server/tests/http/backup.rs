//! `undersigned backup` and `undersigned restore`, run as an operator runs them, on both backends.
//! A backup taken while signatures pour in holds every signature acknowledged before it began;
//! restored into an empty database and data directory, the site starts, shows the campaign with
//! its count, and its export verifies against the signature log. A file cut short, another
//! program's file, a member changed, or a target that is not empty is refused, saying why, and
//! nothing is written.

use std::path::Path;
use std::process::{Child, Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use undersigned_core::Email;
use undersigned_core::account::Role;
use undersigned_core::clock::now;
use undersigned_core::keys::Keys;
use undersigned_store_tests::{Backend, TEST_DATA_KEY, TestDb, on_both_backends};

use crate::support::Browser;
use crate::support::load::{demo_campaign, missing, public_count, recount, sign, signer};
use crate::support::process::{self, free_port, wait_up};

const ORG: &str = "/organise/c/release-cai-guangye";
const PASSWORD: &str = "a long enough password";

/// The binary with a command, against `database` and `data_dir`, with the tests' data key.
fn undersigned(database: &str, data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(args)
        .env("UNDERSIGNED_DATABASE", database)
        .env("UNDERSIGNED_DATA_KEY", TEST_DATA_KEY)
        .env("UNDERSIGNED_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn said(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn serve(database: &str, data_dir: &Path, port: u16) -> Child {
    process::serve(Some(database), data_dir, port, &["--sign-rate-limit", "0", "--page-cache-ms", "0"])
        .spawn()
        .unwrap()
}

/// Confirms the signatures of these addresses, as their confirmation links would.
async fn confirm(db: &TestDb, data_dir: &Path, emails: &[String]) {
    let (store, campaign) = demo_campaign(db).await;
    let secret: [u8; 32] = hex::decode(std::fs::read_to_string(data_dir.join("secret.key")).unwrap().trim())
        .unwrap()
        .try_into()
        .unwrap();
    let keys = Keys::new(secret);
    for email in emails {
        let key = keys.email_key(campaign.id, &Email::parse("email", email).unwrap().canonical());
        let signature = store.signature_by_key(&key).await.unwrap().expect("the signature");
        store.confirm_signature(signature.id, now()).await.unwrap();
    }
}

/// An empty database of the same backend as `db`, to restore into.
async fn empty_like(db: &TestDb) -> TestDb {
    TestDb::new(db.backend()).await.expect("a second database")
}

async fn a_backup_under_signing_load_restores_every_acknowledged_signature(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = serve(&db.url, &data_dir, port);
    wait_up(&base).await;
    let (store, campaign) = demo_campaign(db).await;
    let (_, owner) =
        undersigned::add_user(store.as_ref(), "owner@example.org", None, false, PASSWORD).await.unwrap();
    store.set_role(campaign.id, owner, Some(Role::Owner)).await.unwrap();
    let key = reqwest::get(format!("{base}/log/key")).await.unwrap().text().await.unwrap();

    let (client, csrf) = signer(&base).await;
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for worker in 0..8 {
        let (client, base, csrf, acknowledged, stop) =
            (client.clone(), base.clone(), csrf.clone(), acknowledged.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let email = format!("w{worker}-{i}@example.org");
                if let Ok(303) = sign(&client, &base, &csrf, &email).await {
                    acknowledged.lock().unwrap().push(email);
                }
                i += 1;
            }
        }));
    }
    // Until a fair number went through (a loaded machine signs slower).
    for _ in 0..300 {
        if acknowledged.lock().unwrap().len() >= 60 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Some are confirmed (counted), the rest stay pending: both kinds must come back.
    let first: Vec<String> = acknowledged.lock().unwrap().iter().take(25).cloned().collect();
    confirm(db, &data_dir, &first).await;

    // The backup, with signing going on all through it.
    let before_backup = acknowledged.lock().unwrap().clone();
    let file = dir.path().join("site.backup");
    let (url, data, out) = (db.url.clone(), data_dir.clone(), file.clone());
    let backup = tokio::task::spawn_blocking(move || {
        undersigned(&url, &data, &["backup", "--out", out.to_str().unwrap()])
    })
    .await
    .unwrap();
    let during = acknowledged.lock().unwrap().len() - before_backup.len();
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.unwrap();
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let text = said(&backup);
    assert!(backup.status.success(), "{text}");
    assert!(text.contains(&format!("wrote {}", file.display())), "{text}");
    assert!(text.contains("The data key (") && text.contains("is not in it"), "{text}");
    assert!(
        before_backup.len() > 50,
        "the load ran ({} acknowledged before the backup)",
        before_backup.len()
    );
    assert!(during > 0, "signing went on while the backup was taken");

    // Restored into an empty database and data directory.
    let target = empty_like(db).await;
    let restored_dir = dir.path().join("restored");
    let out = undersigned(&target.url, &restored_dir, &["restore", file.to_str().unwrap()]);
    let text = said(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(&format!("restored {}", file.display())), "{text}");
    assert!(text.contains("wrote the secret key to"), "{text}");
    assert!(text.contains("is the database's"), "the data key given is the database's: {text}");

    // Every signature acknowledged before the backup began is there, those confirmed counted.
    let (restored, restored_campaign) = demo_campaign(&target).await;
    let lost = missing(&*restored, &restored_campaign, &restored_dir, &before_backup).await;
    assert!(lost.is_empty(), "{} acknowledged signatures missing, such as {:?}", lost.len(), lost.first());
    let counted = recount(&*restored, &restored_campaign).await;
    assert!(counted >= first.len() as i64, "{counted} counted");

    // The restored site starts, shows that count, and its export verifies with the same key.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut again = serve(&target.url, &restored_dir, port);
    wait_up(&base).await;
    let (client, _) = signer(&base).await;
    assert_eq!(public_count(&client, &base).await, counted);
    assert_eq!(reqwest::get(format!("{base}/log/key")).await.unwrap().text().await.unwrap(), key);
    let owner = Browser::new(&base);
    let login = [("email", "owner@example.org"), ("password", PASSWORD), ("next", ORG)];
    owner.submit("/login", "/login", &login).await;
    let csv = owner.submit(ORG, &format!("{ORG}/export.csv"), &[("emails", "1")]).await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    let export = dir.path().join("export.csv");
    std::fs::write(&export, &csv.body).unwrap();
    let verified =
        undersigned(&target.url, &restored_dir, &["verify", export.to_str().unwrap(), "--key", &key]);
    assert!(verified.status.success(), "{}", said(&verified));
    assert!(said(&verified).starts_with("OK: "), "{}", said(&verified));
    again.kill().unwrap();
    again.wait().unwrap();
}

/// A backup of a small site (the demo campaign), taken with the server stopped.
async fn small_backup(db: &TestDb, dir: &Path) -> std::path::PathBuf {
    let store = db.store().await;
    store.import_campaigns(&[undersigned::demo::campaign()]).await.unwrap();
    let data_dir = dir.join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    std::fs::write(data_dir.join("secret.key"), "ab".repeat(32)).unwrap();
    let file = dir.join("small.backup");
    let out = undersigned(&db.url, &data_dir, &["backup", "--out", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", said(&out));
    file
}

/// Nothing is in the database at `target`, and nothing in `data_dir` but `left`.
async fn nothing_written(target: &TestDb, data_dir: &Path, left: &[&str]) {
    match target.backend() {
        Backend::Sqlite => {
            let path = target.url.strip_prefix("sqlite://").unwrap();
            assert!(!Path::new(path).exists(), "a database was written at {path}");
            let siblings: Vec<_> =
                std::fs::read_dir(Path::new(path).parent().unwrap()).unwrap().flatten().collect();
            assert!(siblings.is_empty(), "files left beside the database: {siblings:?}");
        }
        Backend::Postgres => {
            let tables =
                target.raw_texts("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'").await;
            assert!(tables.is_empty(), "tables written: {tables:?}");
        }
    }
    let mut there: Vec<String> = match std::fs::read_dir(data_dir) {
        Ok(entries) => entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    };
    there.sort();
    assert_eq!(there, left, "in the data directory");
}

/// `restore FILE` into an empty database and data directory: it fails, saying `expected`, and
/// writes nothing.
async fn refused(db: &TestDb, dir: &Path, file: &Path, expected: &str) {
    let target = empty_like(db).await;
    let data_dir = dir.join(format!("target-{:x}", rand_suffix()));
    let out = undersigned(&target.url, &data_dir, &["restore", file.to_str().unwrap()]);
    let text = said(&out);
    assert!(!out.status.success(), "restored {}: {text}", file.display());
    assert!(text.contains(expected), "expected {expected:?} in: {text}");
    nothing_written(&target, &data_dir, &[]).await;
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
}

async fn a_damaged_or_foreign_file_is_refused_and_nothing_is_written(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let file = small_backup(db, dir.path()).await;
    let bytes = std::fs::read(&file).unwrap();
    let write = |name: &str, content: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        path
    };
    let at = |needle: &[u8]| bytes.windows(needle.len()).position(|w| w == needle).expect("found");

    // Cut short: in the middle of the database, and just before the end.
    let cut = write("cut.backup", &bytes[..bytes.len() / 2]);
    refused(db, dir.path(), &cut, "is incomplete or damaged (cut short?)").await;
    let secret_at = at("ab".repeat(32).as_bytes());
    let cut = write("cut-late.backup", &bytes[..secret_at + 10]);
    refused(db, dir.path(), &cut, "is incomplete or damaged (cut short?)").await;

    // Another program's files: gzip, random bytes, an empty file, a tar of something else.
    let mut gzip = vec![0x1f, 0x8b, 0x08, 0x00];
    gzip.extend(std::iter::repeat_n(7u8, 2000));
    let foreign = write("other.tar.gz", &gzip);
    refused(db, dir.path(), &foreign, "is not a backup of Undersigned").await;
    let random: Vec<u8> = (0..5000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let foreign = write("random.bin", &random);
    refused(db, dir.path(), &foreign, "is not a backup of Undersigned").await;
    let foreign = write("empty", b"");
    refused(db, dir.path(), &foreign, "is not a backup of Undersigned").await;

    // One byte of a member changed: the secret key, then the database.
    let mut tampered = bytes.clone();
    tampered[secret_at] = if tampered[secret_at] == b'a' { b'c' } else { b'a' };
    let tampered = write("tampered-key.backup", &tampered);
    refused(db, dir.path(), &tampered, "the SHA-256 of secret.key is not the one its manifest gives").await;
    let (magic, member): (&[u8], &str) = match db.backend() {
        Backend::Sqlite => (b"SQLite format 3\0", "database.sqlite"),
        Backend::Postgres => (b"PGDMP", "database.pgdump"),
    };
    let mut tampered = bytes.clone();
    tampered[at(magic) + 40] ^= 0x55;
    let tampered = write("tampered-db.backup", &tampered);
    refused(db, dir.path(), &tampered, &format!("the SHA-256 of {member} is not the one its manifest gives"))
        .await;

    // Into the other backend: refused before anything is read from it.
    let (other, said_backend) = match db.backend() {
        Backend::Sqlite => ("postgres://postgres@127.0.0.1:1/none".to_owned(), "a SQLite database"),
        Backend::Postgres => {
            (format!("sqlite://{}", dir.path().join("other.db").display()), "a PostgreSQL database")
        }
    };
    let out = undersigned(&other, &dir.path().join("other-data"), &["restore", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(said(&out).contains(&format!("the backup is of {said_backend}")), "{}", said(&out));
    assert!(!dir.path().join("other.db").exists() && !dir.path().join("other-data").exists());

    // And the file itself restores.
    let target = empty_like(db).await;
    let out = undersigned(&target.url, &dir.path().join("good"), &["restore", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", said(&out));
}

async fn a_restore_into_a_database_or_data_directory_not_empty_is_refused(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let file = small_backup(db, dir.path()).await;

    // Into the database it came from (not empty), with an empty data directory.
    let data_dir = dir.path().join("empty-data");
    let out = undersigned(&db.url, &data_dir, &["restore", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let expected = match db.backend() {
        Backend::Sqlite => format!(
            "{} exists: a backup is restored only where there is no database yet",
            db.url.strip_prefix("sqlite://").unwrap()
        ),
        Backend::Postgres => "the database is not empty: it has".to_owned(),
    };
    assert!(said(&out).contains(&expected), "expected {expected:?} in {}", said(&out));
    assert!(!data_dir.exists() || std::fs::read_dir(&data_dir).unwrap().next().is_none(), "nothing written");

    // Into an empty database, with a data directory that holds a secret key, or anything else.
    let target = empty_like(db).await;
    let data_dir = dir.path().join("used-data");
    std::fs::create_dir_all(&data_dir).unwrap();
    std::fs::write(data_dir.join("secret.key"), "cd".repeat(32)).unwrap();
    let out = undersigned(&target.url, &data_dir, &["restore", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        said(&out).contains("secret.key exists: a backup is restored only into an empty data directory"),
        "{}",
        said(&out)
    );
    nothing_written(&target, &data_dir, &["secret.key"]).await;
    assert_eq!(std::fs::read_to_string(data_dir.join("secret.key")).unwrap(), "cd".repeat(32));
    if db.backend() == Backend::Sqlite {
        let data_dir = dir.path().join("mail-data");
        std::fs::create_dir_all(data_dir.join("mail")).unwrap();
        let out = undersigned(&target.url, &data_dir, &["restore", file.to_str().unwrap()]);
        assert!(!out.status.success());
        assert!(said(&out).contains("is not empty (it holds mail)"), "{}", said(&out));
        nothing_written(&target, &data_dir, &["mail"]).await;
    }

    // A backup is never written over a file.
    let out = undersigned(&db.url, &dir.path().join("data"), &["backup", "--out", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(said(&out).contains("exists already: name a new file"), "{}", said(&out));
}

async fn the_data_key_goes_into_a_backup_only_when_asked(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let file = small_backup(db, dir.path()).await;
    // Without the key: the restore says which key the database needs.
    let target = empty_like(db).await;
    let restored = dir.path().join("restored");
    let out = Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(["restore", file.to_str().unwrap()])
        .env("UNDERSIGNED_DATABASE", &target.url)
        .env("UNDERSIGNED_DATA_DIR", &restored)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", said(&out));
    let id = undersigned_store_tests::test_data_key().id().to_owned();
    assert!(
        said(&out)
            .contains(&format!("the database's addresses are sealed with data key {id}: put that key in")),
        "{}",
        said(&out)
    );
    assert!(!restored.join("data.key").exists());

    // With --include-data-key, it is in the file and restored to the data key's file.
    let with_key = dir.path().join("with-key.backup");
    let out = undersigned(
        &db.url,
        &dir.path().join("data"),
        &["backup", "--out", with_key.to_str().unwrap(), "--include-data-key"],
    );
    assert!(out.status.success(), "{}", said(&out));
    assert!(said(&out).contains("It also holds the data key"), "{}", said(&out));
    let target = empty_like(db).await;
    let restored = dir.path().join("restored-with-key");
    let out = Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(["restore", with_key.to_str().unwrap()])
        .env("UNDERSIGNED_DATABASE", &target.url)
        .env("UNDERSIGNED_DATA_DIR", &restored)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", said(&out));
    assert!(said(&out).contains("wrote the data key to"), "{}", said(&out));
    assert_eq!(std::fs::read_to_string(restored.join("data.key")).unwrap().trim(), TEST_DATA_KEY);
}

/// A newer binary backs up an older database before an upgrade: the backup says the schema the
/// database has, migrates nothing, and the copy restored is that schema until a server opens it.
async fn a_backup_of_an_older_schema_migrates_nothing(db: &TestDb) {
    db.store().await;
    // The database as version 41 left it: the migrations after it (42 to 48) undone.
    if db.backend() == Backend::Sqlite {
        db.raw("DROP TRIGGER campaigns_retire_id; DROP TRIGGER proposals_retire_id; DROP TABLE retired_ids")
            .await;
    }
    db.raw(
        "DROP TABLE oidc_flows; DROP TABLE oidc_identities; \
         DROP TABLE organisation_logos; DROP TABLE rate_limits; DROP TABLE recovery_codes; \
         DROP TABLE passkeys; DROP TABLE passkey_ceremonies; \
         DROP TABLE second_factors; ALTER TABLE sessions DROP COLUMN second_factor_at; \
         ALTER TABLE sessions DROP COLUMN device; ALTER TABLE sessions DROP COLUMN last_seen_at; \
         ALTER TABLE sessions DROP COLUMN network_key; DELETE FROM _sqlx_migrations WHERE version >= 42",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    std::fs::write(data_dir.join("secret.key"), "ab".repeat(32)).unwrap();
    let file = dir.path().join("older.backup");
    let out = undersigned(&db.url, &data_dir, &["backup", "--out", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(said(&out).contains("database at schema version 41"), "{}", said(&out));
    let version_42 = "SELECT CAST(version AS TEXT) FROM _sqlx_migrations WHERE version = 42";
    assert!(db.raw_texts(version_42).await.is_empty(), "the backup migrated the database it read");
    let manifest = undersigned::archive::read(&file, |_| None).unwrap().manifest;
    assert_eq!(manifest.format, "undersigned-backup");
    assert_eq!(manifest.schema.last(), Some(&41));
    assert!(!manifest.schema.contains(&42));

    let target = empty_like(db).await;
    let out = undersigned(&target.url, &dir.path().join("restored"), &["restore", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(target.raw_texts(version_42).await.is_empty(), "restored as it was");
    target.store().await;
    assert_eq!(target.raw_texts(version_42).await, ["42"], "migrated when opened");
}

on_both_backends!(
    a_backup_of_an_older_schema_migrates_nothing,
    a_backup_under_signing_load_restores_every_acknowledged_signature,
    a_damaged_or_foreign_file_is_refused_and_nothing_is_written,
    a_restore_into_a_database_or_data_directory_not_empty_is_refused,
    the_data_key_goes_into_a_backup_only_when_asked,
);
