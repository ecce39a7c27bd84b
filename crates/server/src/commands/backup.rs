//! `undersigned backup --out FILE` and `undersigned restore FILE`: the database (copied while the
//! server runs, without writing to it: `undersigned_store::backup`) and the secret key, in one
//! file (`crate::archive`); the data key only when asked, since a backup without it gives no
//! signer's address away. Restoring goes only into an empty database and data directory, and
//! only from a file that checks whole; nothing is written before that.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use undersigned_store::backup::{self as db, Backend};

use crate::archive::{self, FORMAT, FORMAT_VERSION, Manifest};
use crate::config::{Config, SECRET_KEY_FILE, write_private};

const SECRET: &str = "secret.key";
const DATA_KEY: &str = "data.key";

fn database_member(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "database.sqlite",
        Backend::Postgres => "database.pgdump",
    }
}

/// 64 hex digits, or what is wrong with them.
fn key_hex(text: &str, what: &str) -> anyhow::Result<String> {
    let text = text.trim();
    if text.len() != 64 || hex::decode(text).is_err() {
        bail!("{what} is not 64 hex digits");
    }
    Ok(text.to_ascii_lowercase())
}

/// The secret key as configured, or read from the data directory; never made (unlike at the
/// server's start: a backup writes nothing where the server keeps its files).
fn secret_key(config: &Config) -> anyhow::Result<String> {
    if let Some(key) = &config.secret_key {
        return key_hex(key, "the secret key given (--secret-key, UNDERSIGNED_SECRET_KEY)");
    }
    let path = config.data_dir.join(SECRET_KEY_FILE);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!("reading the secret key {} (without it a backup cannot be restored whole)", path.display())
    })?;
    key_hex(&text, &path.display().to_string())
}

/// The data key as configured (`--data-key`, or its file), if there is one.
fn data_key(config: &Config) -> anyhow::Result<Option<(String, String)>> {
    if let Some(key) = &config.data_key {
        let what = "the data key given (--data-key, UNDERSIGNED_DATA_KEY)";
        return Ok(Some((key_hex(key, what)?, what.to_owned())));
    }
    let path = &config.data_key_file;
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some((
            key_hex(&text, &path.display().to_string())?,
            format!("the data key {}", path.display()),
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading the data key {}", path.display())),
    }
}

fn key_id(hex_key: &str) -> String {
    let secret: [u8; 32] = hex::decode(hex_key).expect("checked").try_into().expect("checked");
    undersigned_core::data_key::DataKey::new(secret).id().to_owned()
}

/// Takes a backup of the running (or stopped) site into `out`, which must not exist.
pub async fn backup(config: &Config, out: &Path, include_data_key: bool) -> anyhow::Result<String> {
    let backend = Backend::of(&config.database)?;
    if out.exists() {
        bail!("{} exists already: name a new file (a backup never replaces another)", out.display());
    }
    let secret = secret_key(config)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    // Beside the file to be, so that it appears whole or not at all (a rename).
    let work = tempfile::Builder::new()
        .prefix(".undersigned-backup-")
        .tempdir_in(&parent)
        .with_context(|| format!("making a working folder in {}", parent.display()))?;
    let db_name = database_member(backend);
    let db_path = work.path().join(db_name);
    let snapshot = db::snapshot(&config.database, &db_path).await?;
    let secret_path = work.path().join(SECRET);
    write_private(&secret_path, &format!("{secret}\n"))?;
    let mut files = vec![(db_name, db_path.as_path()), (SECRET, secret_path.as_path())];
    let data_key_path = work.path().join(DATA_KEY);
    if include_data_key {
        let Some((key, from)) = data_key(config)? else {
            bail!("--include-data-key: there is no data key ({} is missing)", config.data_key_file.display())
        };
        if let Some(id) = &snapshot.data_key_id
            && *id != key_id(&key)
        {
            bail!("--include-data-key: {from} is not the database's data key ({id})");
        }
        write_private(&data_key_path, &format!("{key}\n"))?;
        files.push((DATA_KEY, data_key_path.as_path()));
    }
    let members = files.iter().map(|(name, path)| archive::describe(name, path)).collect::<Result<_, _>>()?;
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0)?;
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        program: "undersigned".to_owned(),
        program_version: env!("CARGO_PKG_VERSION").to_owned(),
        backend: backend.name().to_owned(),
        schema: snapshot.schema.clone(),
        data_key_id: snapshot.data_key_id.clone(),
        created_at: now.format(&time::format_description::well_known::Rfc3339)?,
        members,
    };
    let mut file = tempfile::NamedTempFile::new_in(work.path())?;
    archive::write(file.as_file_mut(), &manifest, &files, now.unix_timestamp().max(0) as u64)?;
    file.as_file().sync_all()?;
    file.persist_noclobber(out).map_err(|e| anyhow::anyhow!("writing {}: {}", out.display(), e.error))?;
    let size = std::fs::metadata(out)?.len();
    let mut said = format!(
        "wrote {} ({size} bytes): the {} database at schema version {}, and the secret key\n",
        out.display(),
        backend.title(),
        snapshot.schema.last().copied().unwrap_or(0)
    );
    if include_data_key {
        said.push_str(
            "It also holds the data key: whoever has this file can read every signer's address. Keep it as you keep the key.\n",
        );
    } else if let Some(id) = &snapshot.data_key_id {
        said.push_str(&format!(
            "The data key ({id}) is not in it: keep a copy of the key apart from the backups (docs/operating.md, \"Backups\").\n"
        ));
    }
    Ok(said)
}

/// Where a restore writes, checked empty before anything is written.
struct Targets {
    backend: Backend,
    /// The secret key's file; none when the configured key is the backup's.
    secret: Option<PathBuf>,
    /// The data key's file, when the backup holds the key and it is not there yet.
    data_key: Option<PathBuf>,
}

/// Restores the backup `file` into the configured database and data directory, both empty.
pub async fn restore(config: &Config, file: &Path) -> anyhow::Result<String> {
    let target = Backend::of(&config.database)?;
    // The whole file is read and checked first: nothing is written from a file that fails.
    let checked = archive::read(file, |_| None)?;
    let manifest = &checked.manifest;
    let secret = key_hex(&checked.text(SECRET).unwrap_or_default(), "the backup's secret key")?;
    let included_data_key = match checked.text(DATA_KEY) {
        Some(text) => Some(key_hex(&text, "the backup's data key")?),
        None => None,
    };
    let targets = check_targets(config, target, manifest, &secret, included_data_key.as_deref()).await?;

    let member = database_member(targets.backend);
    match targets.backend {
        Backend::Sqlite => {
            let path = db::sqlite_path(&config.database)?;
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
                _ => PathBuf::from("."),
            };
            if parent == config.data_dir {
                crate::private_data_dir(&config.data_dir)?;
            } else {
                std::fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            // Beside the database to be, renamed into place once whole and checked.
            let copy = tempfile::Builder::new().prefix(".undersigned-restore-").tempfile_in(&parent)?;
            extract(file, member, copy.as_file())?;
            let snapshot = db::describe_sqlite_copy(copy.path()).await?;
            if snapshot.schema != manifest.schema {
                bail!("{}: the database's schema is not the one its manifest gives", file.display());
            }
            copy.persist_noclobber(&path)
                .map_err(|e| anyhow::anyhow!("writing {}: {}", path.display(), e.error))?;
        }
        Backend::Postgres => {
            let copy = tempfile::Builder::new().prefix("undersigned-restore-").tempfile()?;
            extract(file, member, copy.as_file())?;
            db::pg_restore(&config.database, copy.path()).await?;
        }
    }
    let mut said = format!(
        "restored {} (the {} database at schema version {}, made {} by undersigned {})\n",
        file.display(),
        targets.backend.title(),
        manifest.schema.last().copied().unwrap_or(0),
        manifest.created_at,
        manifest.program_version,
    );
    match &targets.secret {
        Some(path) => {
            crate::private_data_dir(&config.data_dir)?;
            write_private(path, &format!("{secret}\n"))?;
            said.push_str(&format!("wrote the secret key to {}\n", path.display()));
        }
        None => said.push_str("the secret key given (--secret-key) is the backup's\n"),
    }
    if let (Some(path), Some(key)) = (&targets.data_key, &included_data_key) {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        write_private(path, &format!("{key}\n"))?;
        said.push_str(&format!("wrote the data key to {}\n", path.display()));
    }
    said.push_str(&data_key_status(config, manifest.data_key_id.as_deref())?);
    Ok(said)
}

/// Copies one member out of the backup into `out`, checked again on the way (the file may have
/// changed since it was first read).
fn extract(file: &Path, name: &str, out: &std::fs::File) -> anyhow::Result<()> {
    let mut handle = Some(out.try_clone()?);
    archive::read(file, |m| if m.name == name { handle.take() } else { None })?;
    out.sync_all()?;
    Ok(())
}

/// Everything that would stop a restore, said before anything is written: another backend, a
/// newer schema, keys that differ from those configured, a database or data directory not empty.
async fn check_targets(
    config: &Config,
    target: Backend,
    manifest: &Manifest,
    secret: &str,
    included_data_key: Option<&str>,
) -> anyhow::Result<Targets> {
    let backend = match manifest.backend.as_str() {
        "sqlite" => Backend::Sqlite,
        "postgres" => Backend::Postgres,
        other => bail!("the backup is of a database this version does not know ({other})"),
    };
    if backend != target {
        bail!(
            "the backup is of a {} database, and --database names a {} one: a backup is restored into the \
             backend it was taken from (give --database {})",
            backend.title(),
            target.title(),
            match backend {
                Backend::Sqlite => "sqlite://PATH",
                Backend::Postgres => "postgres://USER@HOST/DB, an empty database",
            }
        );
    }
    let known = db::known_migrations();
    if let Some(newer) = manifest.schema.iter().find(|v| !known.contains(v)) {
        bail!(
            "the backup's database has migration {newer}, which this version of Undersigned ({}) does not know: \
             restore it with undersigned {} or newer",
            env!("CARGO_PKG_VERSION"),
            manifest.program_version
        );
    }
    if manifest.member(database_member(backend)).is_none() {
        bail!("the backup holds no {}", database_member(backend));
    }
    let secret = match &config.secret_key {
        Some(given)
            if key_hex(given, "the secret key given (--secret-key, UNDERSIGNED_SECRET_KEY)")? == secret =>
        {
            None
        }
        Some(_) => bail!(
            "the secret key given (--secret-key, UNDERSIGNED_SECRET_KEY) is not the backup's: leave it out, \
             and the backup's is written to the data directory"
        ),
        None => {
            let path = config.data_dir.join(SECRET_KEY_FILE);
            if path.exists() {
                bail!(
                    "{} exists: a backup is restored only into an empty data directory (move it away, or give \
                     another --data-dir)",
                    path.display()
                );
            }
            Some(path)
        }
    };
    if backend == Backend::Sqlite
        && let Ok(entries) = std::fs::read_dir(&config.data_dir)
    {
        for entry in entries.flatten() {
            // The data key, put there before from where it is kept, may wait for the database.
            if entry.path() != config.data_key_file {
                bail!(
                    "the data directory {} is not empty (it holds {}): a backup is restored only into an \
                     empty one",
                    config.data_dir.display(),
                    entry.file_name().to_string_lossy()
                );
            }
        }
    }
    db::check_empty(&config.database).await?;
    let data_key = match (included_data_key, data_key(config)?) {
        (None, _) => None,
        (Some(included), Some((present, _))) if present == included => None,
        (Some(_), Some((_, from))) => {
            bail!("the backup holds a data key, and {from} is another: remove it, or restore without it")
        }
        (Some(_), None) => Some(config.data_key_file.clone()),
    };
    Ok(Targets { backend, secret, data_key })
}

/// Whether the data key the server will start with is the restored database's, and if not, what
/// to do.
fn data_key_status(config: &Config, needed: Option<&str>) -> anyhow::Result<String> {
    let Some(needed) = needed else { return Ok(String::new()) };
    Ok(match data_key(config)? {
        Some((key, from)) if key_id(&key) == needed => format!("{from} is the database's ({needed})\n"),
        Some((_, from)) => format!(
            "the database's addresses are sealed with data key {needed}, and {from} is another: \
             put the database's key there before starting the server\n"
        ),
        None => format!(
            "the database's addresses are sealed with data key {needed}: put that key in {} (or give --data-key) \
             before starting the server\n",
            config.data_key_file.display()
        ),
    })
}
