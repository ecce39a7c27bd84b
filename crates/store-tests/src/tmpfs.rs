//! A small filesystem of the test's own that can be filled up: a tmpfs mounted on a temporary
//! folder (the tests run as root here and in CI). Unmounted when dropped, whatever happened.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// A tmpfs of `megabytes` MB. Without the right to mount (not root), `None` with a loud
    /// warning, or a panic where the tests must not skip (`UNDERSIGNED_REQUIRE_POSTGRES`, which CI
    /// sets, or `CI`).
    pub fn mount(megabytes: u32) -> Option<Self> {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m,mode=0755"), "tmpfs"])
            .arg(dir.path())
            .output();
        match mounted {
            Ok(output) if output.status.success() => Some(Self { dir }),
            other => {
                let why = match other {
                    Ok(output) => String::from_utf8_lossy(&output.stderr).into_owned(),
                    Err(e) => e.to_string(),
                };
                let required = crate::postgres_required() || std::env::var_os("CI").is_some();
                assert!(!required, "this test needs to mount a tmpfs (run as root): {why}");
                eprintln!(
                    "SKIPPED (LOUDLY): this test needs to mount a tmpfs (run the tests as root): {why}"
                );
                None
            }
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a filler file until the filesystem has no room left; its path, to remove it.
    pub fn fill(&self) -> PathBuf {
        let path = self.path().join("filler");
        let mut file = std::fs::File::create(&path).expect("the filler file");
        let block = vec![0x5a_u8; 64 * 1024];
        loop {
            if let Err(e) = file.write_all(&block) {
                assert_eq!(e.raw_os_error(), Some(28), "the disk filled up (ENOSPC): {e}");
                break;
            }
        }
        // The last bytes, one at a time, so that not even a small write finds room.
        while file.write_all(&[0x5a]).is_ok() {}
        path
    }

    /// Frees all the room the filler took.
    pub fn free(&self, filler: &Path) {
        std::fs::remove_file(filler).expect("removing the filler");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazily: a server process that is still dying must not keep the mount behind.
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).output();
    }
}
