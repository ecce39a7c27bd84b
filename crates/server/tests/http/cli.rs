//! The `undersigned` binary's commands, run as a user would run them.

use std::path::Path;
use std::process::{Command, Output};

use undersigned_store_tests::{TestDb, demo_folder, on_both_backends};

fn undersigned(db: &TestDb, data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(args)
        .env("UNDERSIGNED_DATABASE", &db.url)
        .env("UNDERSIGNED_DATA_KEY", undersigned_store_tests::TEST_DATA_KEY)
        .env("UNDERSIGNED_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

async fn a_malformed_campaign_file_is_refused_and_nothing_is_imported(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good");
    let bad = dir.path().join("bad");
    copy_folder(&demo_folder(), &good);
    copy_folder(&demo_folder(), &bad);
    let campaign = std::fs::read_to_string(bad.join("campaign.toml")).unwrap();
    std::fs::write(
        bad.join("campaign.toml"),
        campaign.replace("slug = \"release-cai-guangye\"", "slug = \"other\""),
    )
    .unwrap();
    // A demand blank in every language (blank in one only is not yet translated there).
    for file in ["en.md", "zh-Hant.md"] {
        let text = std::fs::read_to_string(bad.join(file)).unwrap();
        std::fs::write(bad.join(file), text.replacen("demands = [", "demands = [\n    \"\",", 1)).unwrap();
    }

    let out =
        undersigned(db, dir.path(), &["campaign", "import", good.to_str().unwrap(), bad.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    let expected =
        format!("{}:6: field `demands[1]`: is blank in every language", bad.join("en.md").display());
    assert!(stderr.contains(&expected), "expected {expected} in:\n{stderr}");

    let store = db.store().await;
    assert!(store.has_no_campaigns().await.unwrap(), "the good folder was imported alone");
}

async fn a_campaign_exports_and_imports_back_unchanged(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let out = undersigned(db, dir.path(), &["campaign", "import", demo_folder().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "imported release-cai-guangye (2 language versions, 7 endorsements)"
    );

    let exported = dir.path().join("exported");
    let out = undersigned(
        db,
        dir.path(),
        &["campaign", "export", "release-cai-guangye", "--out", exported.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let original = undersigned_core::campaign_file::parse_folder(&demo_folder()).unwrap();
    let written = undersigned_core::campaign_file::parse_folder(&exported).unwrap();
    assert_eq!(written, original);

    // Importing the export again changes nothing, and keeps the campaign.
    let store = db.store().await;
    let before = store.campaign_by_slug(&original.content.slug).await.unwrap().unwrap();
    let out = undersigned(db, dir.path(), &["campaign", "import", exported.to_str().unwrap()]);
    assert!(out.status.success());
    let after = store.campaign_by_slug(&original.content.slug).await.unwrap().unwrap();
    assert_eq!(before, after);
    assert_eq!(store.endorsements(after.id).await.unwrap().len(), 7);

    let out = undersigned(db, dir.path(), &["campaign", "export", "no-such-campaign"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no campaign no-such-campaign"));
}

on_both_backends!(
    a_malformed_campaign_file_is_refused_and_nothing_is_imported,
    a_campaign_exports_and_imports_back_unchanged,
);

#[test]
fn config_example_prints_every_option() {
    let out = Command::new(env!("CARGO_BIN_EXE_undersigned")).args(["config", "example"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for line in
        ["#listen = \"127.0.0.1:8080\"", "#no_demo = false", "UNDERSIGNED_DATABASE", "UNDERSIGNED_BASE_URL"]
    {
        assert!(text.contains(line), "{line} missing:\n{text}");
    }
}

#[test]
fn a_bad_database_url_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(["campaign", "export", "x", "--database", "mysql://nope"])
        .env("UNDERSIGNED_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("must start with sqlite:// or postgres://"));
}

#[tokio::test]
async fn serve_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::support::process::free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("UNDERSIGNED_DATA_DIR", dir.path())
        .env("RUST_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/healthz");
    let mut up = false;
    for _ in 0..100 {
        if reqwest::get(&url).await.is_ok_and(|r| r.status() == 200) {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(up, "the server did not come up");
    // First start: the data directory now holds the database and a private secret key.
    let key = dir.path().join("secret.key");
    assert_eq!(std::fs::read_to_string(&key).unwrap().len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let kill = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("shutting down"), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
}

#[tokio::test]
async fn the_first_admin_is_created_with_a_password_from_standard_input() {
    use std::io::Write;
    let db = TestDb::new(undersigned_store_tests::Backend::Sqlite).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], stdin: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_undersigned"))
            .args(args)
            .env("UNDERSIGNED_DATABASE", &db.url)
            .env("UNDERSIGNED_DATA_KEY", undersigned_store_tests::TEST_DATA_KEY)
            .env("UNDERSIGNED_DATA_DIR", dir.path())
            .env_remove("UNDERSIGNED_PASSWORD")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run(&["user", "add", "Lam@Example.org", "--admin"], "a long enough password\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created the account lam@example.org"));
    let store = db.store().await;
    let (user, hash) = store.user_by_email("lam@example.org").await.unwrap().unwrap();
    assert!(user.is_admin);
    assert!(undersigned_core::account::verify_password("a long enough password", &hash.unwrap()));

    let short = run(&["user", "add", "b@example.org"], "short\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"));
    let again = run(&["user", "add", "lam@example.org"], "a long enough password\n");
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("there is an account for lam@example.org already")
    );

    // Endorsements collected offline, from the command line too: a named person.
    let added = run(&["campaign", "import", demo_folder().to_str().unwrap()], "");
    assert!(added.status.success());
    let person = run(
        &[
            "endorsement",
            "add",
            "--campaign",
            "release-cai-guangye",
            "--person",
            "Prof. Wong",
            "--country",
            "HK",
            "--source",
            "a letter",
        ],
        "",
    );
    assert!(person.status.success(), "{}", String::from_utf8_lossy(&person.stderr));
    let listed = run(&["endorsement", "list", "--state", "approved"], "");
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Prof. Wong (person)  HK  [approved]"));
}

#[tokio::test]
async fn retention_lists_then_anonymises_ended_campaigns() {
    use undersigned_core::signature::{MailBudget, NameDisplay, SignOutcome};
    let db = TestDb::new(undersigned_store_tests::Backend::Sqlite).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = db.store().await;
    let campaign = undersigned_store_tests::conformance::demo_campaign(store.as_ref()).await;
    let record = undersigned_store_tests::conformance::record(
        campaign,
        "kept@example.org",
        "Kept Name",
        NameDisplay::Full,
    );
    let SignOutcome::Created { id } = store.sign(&record, MailBudget::default()).await.unwrap() else {
        panic!()
    };
    store.confirm_signature(id, undersigned_core::store::now()).await.unwrap();
    let mut closed = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    closed.status = undersigned_core::CampaignStatus::Closed;
    store.save_campaign(campaign, &closed, false, undersigned_core::store::now()).await.unwrap();

    let kept = undersigned(&db, dir.path(), &["retention", "--dry-run"]);
    assert_eq!(String::from_utf8_lossy(&kept.stdout).trim(), "nothing is due", "180 days by default");
    std::thread::sleep(std::time::Duration::from_millis(5));
    let dry = undersigned(&db, dir.path(), &["retention", "--dry-run", "--retention-days", "0"]);
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(
        text.contains("release-cai-guangye: ended") && text.contains("would anonymise 1 signatures"),
        "{text}"
    );
    assert_eq!(
        store.signature(id).await.unwrap().unwrap().signer.email.as_str(),
        "kept@example.org",
        "a dry run changes nothing"
    );
    let run = undersigned(&db, dir.path(), &["retention", "--retention-days", "0"]);
    assert!(String::from_utf8_lossy(&run.stdout).contains("release-cai-guangye: anonymised 1 signatures"));
    let after = store.signature(id).await.unwrap().unwrap();
    assert!(after.signer.email.is_anonymised());
    assert_eq!(after.signer.name, "Kept Name", "the name as shown publicly stays");
    assert_eq!(store.counts(campaign).await.unwrap().signatures, 1, "the count stays");
}
