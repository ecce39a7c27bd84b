//! What the server leaves on disk is its owner's only: the real binary, its real files, stat'ed.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::Browser;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

#[tokio::test]
async fn the_data_directory_and_every_file_in_it_are_the_owners_only() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("data");
    // A directory made by hand, readable by everyone, as `mkdir` under the usual umask makes it.
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let port = crate::support::process::free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("UNDERSIGNED_DATA_DIR", &dir)
        .env_remove("UNDERSIGNED_SMTP_URL")
        .env("RUST_LOG", "warn")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let browser = Browser::new(&format!("http://127.0.0.1:{port}"));
    crate::support::process::wait_up(&browser.base).await;
    let demo = "/c/release-cai-guangye";
    let signed = browser
        .submit(
            demo,
            &format!("{demo}/sign"),
            &[("name", "Lam"), ("email", "lam@example.org"), ("country", "HK")],
        )
        .await;
    assert_eq!(signed.status, 303);
    let mail = dir.join("mail");
    let mut eml = None;
    for _ in 0..200 {
        eml = crate::support::mail_files(&mail).into_iter().next();
        if eml.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let eml = eml.expect("the confirmation mail was written to a file");

    assert_eq!(mode(&dir), 0o700, "the data directory");
    assert_eq!(mode(&mail), 0o700, "the mail directory");
    for file in ["undersigned.db", "undersigned.db-wal", "undersigned.db-shm", "secret.key", "data.key"] {
        assert_eq!(mode(&dir.join(file)), 0o600, "{file}");
    }
    assert_eq!(mode(&eml), 0o600, "{}", eml.display());

    let kill = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    child.wait().unwrap();
    let mut log = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut log).unwrap();
    assert!(log.contains("the data directory could be read by others"), "{log}");
}
