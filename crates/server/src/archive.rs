//! The backup file: a plain tar (so that `tar tf` lists it and `tar xf` unpacks it by hand) whose
//! first member, `manifest.json`, says what it is (`"format": "undersigned-backup"`, the format's
//! version, the program's, the backend, the schema as the migrations applied, when it was made)
//! and gives each other member's size and SHA-256. Reading checks all of that before anything
//! is written: a file cut short, another program's file, or a member changed is refused.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What the manifest's `format` says.
pub const FORMAT: &str = "undersigned-backup";
/// The version of the format this binary writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;
/// The manifest's name in the tar: always the first member.
const MANIFEST: &str = "manifest.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub program: String,
    pub program_version: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The migrations the database had: its schema.
    pub schema: Vec<i64>,
    /// The id of the data key the database's addresses are sealed with (never the key itself).
    pub data_key_id: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub bytes: u64,
    /// Hex.
    pub sha256: String,
}

impl Manifest {
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// A writer that hashes and counts what goes through it.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A member's size and SHA-256, read from `path`.
pub fn describe(name: &str, path: &Path) -> anyhow::Result<Member> {
    let mut file = File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut sink = Hashing { inner: std::io::sink(), hash: Sha256::new(), bytes: 0 };
    std::io::copy(&mut file, &mut sink).with_context(|| format!("reading {}", path.display()))?;
    Ok(Member { name: name.to_owned(), bytes: sink.bytes, sha256: hex::encode(sink.hash.finalize()) })
}

fn header(bytes: u64, mtime: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes);
    header.set_mode(0o600);
    header.set_mtime(mtime);
    header.set_entry_type(tar::EntryType::Regular);
    header
}

/// Writes the archive to `out`: the manifest, then each member from its file, in the manifest's
/// order. `files` gives each member's file by name.
pub fn write(out: &mut File, manifest: &Manifest, files: &[(&str, &Path)], mtime: u64) -> anyhow::Result<()> {
    let mut builder = tar::Builder::new(&mut *out);
    let json = serde_json::to_vec_pretty(manifest)?;
    builder.append_data(&mut header(json.len() as u64, mtime), MANIFEST, json.as_slice())?;
    for member in &manifest.members {
        let (_, path) = files.iter().find(|(n, _)| *n == member.name).context("a member without its file")?;
        let file = File::open(path).with_context(|| format!("reading {}", path.display()))?;
        builder.append_data(&mut header(member.bytes, mtime), &member.name, file)?;
    }
    builder.into_inner()?.flush()?;
    Ok(())
}

/// Copies `from` into `to`: how many bytes, and their SHA-256 (hex).
fn copy(from: &mut impl Read, to: impl Write) -> std::io::Result<(u64, String)> {
    let mut hashing = Hashing { inner: to, hash: Sha256::new(), bytes: 0 };
    std::io::copy(from, &mut hashing)?;
    hashing.flush()?;
    Ok((hashing.bytes, hex::encode(hashing.hash.finalize())))
}

fn not_ours(file: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "{} is not a backup of Undersigned (it does not begin with the manifest `undersigned backup` writes)",
        file.display()
    )
}

fn cut_short(file: &Path, what: &str) -> anyhow::Error {
    anyhow::anyhow!("{} is incomplete or damaged (cut short?): {what}", file.display())
}

/// A backup read through and checked: its manifest, and its small members (the keys) as read.
pub struct Checked {
    pub manifest: Manifest,
    pub small: Vec<(String, Vec<u8>)>,
}

impl Checked {
    /// A small member's text.
    pub fn text(&self, name: &str) -> Option<String> {
        self.small.iter().find(|(n, _)| n == name).map(|(_, b)| String::from_utf8_lossy(b).into_owned())
    }
}

/// The members kept in memory as they are read: the keys (64 hex digits and a newline).
const SMALL: u64 = 4096;

/// Reads the backup at `file` through: its manifest, and each member checked against it
/// (`keep` says which members to copy out, and where to). Errors say what is wrong with the file.
pub fn read(file: &Path, mut keep: impl FnMut(&Member) -> Option<File>) -> anyhow::Result<Checked> {
    let opened = File::open(file).with_context(|| format!("reading {}", file.display()))?;
    let mut archive = tar::Archive::new(BufReader::new(opened));
    let mut entries = archive.entries().map_err(|_| not_ours(file))?;
    let manifest = match entries.next() {
        Some(Ok(mut entry))
            if entry.path().is_ok_and(|p| p == Path::new(MANIFEST)) && entry.size() < 1 << 20 =>
        {
            let mut text = Vec::new();
            entry.read_to_end(&mut text).map_err(|_| cut_short(file, "its manifest is cut off"))?;
            let manifest: Manifest = serde_json::from_slice(&text).map_err(|_| not_ours(file))?;
            if manifest.format != FORMAT {
                return Err(not_ours(file));
            }
            manifest
        }
        _ => return Err(not_ours(file)),
    };
    if manifest.format_version > FORMAT_VERSION {
        bail!(
            "{} is a backup of format version {}, newer than this version of Undersigned ({}) reads: \
             restore it with undersigned {} or newer",
            file.display(),
            manifest.format_version,
            env!("CARGO_PKG_VERSION"),
            manifest.program_version
        );
    }
    let (mut seen, mut small) = (Vec::new(), Vec::new());
    for entry in entries {
        let mut entry = entry.map_err(|e| cut_short(file, &e.to_string()))?;
        let name = entry.path().map_err(|_| not_ours(file))?.to_string_lossy().into_owned();
        let Some(member) = manifest.member(&name) else {
            bail!("{} holds a member its manifest does not list ({name}): it was altered", file.display())
        };
        if seen.contains(&name) {
            bail!("{} holds the member {name} twice: it was altered", file.display());
        }
        let (bytes, hash) = match keep(member) {
            Some(out) => copy(&mut entry, out),
            None if member.bytes <= SMALL => {
                let mut kept = Vec::new();
                let read = copy(&mut entry, &mut kept);
                small.push((name.clone(), kept));
                read
            }
            None => copy(&mut entry, std::io::sink()),
        }
        .map_err(|e| cut_short(file, &format!("reading {name}: {e}")))?;
        if bytes != member.bytes {
            return Err(cut_short(
                file,
                &format!("{name} holds {bytes} bytes of the {} its manifest gives", member.bytes),
            ));
        }
        if hash != member.sha256 {
            bail!(
                "{} is damaged or was altered: the SHA-256 of {name} is not the one its manifest gives",
                file.display()
            );
        }
        seen.push(name);
    }
    if let Some(missing) = manifest.members.iter().find(|m| !seen.contains(&m.name)) {
        return Err(cut_short(file, &format!("{} is missing", missing.name)));
    }
    Ok(Checked { manifest, small })
}
