//! The data key the server opens the database with: given in the configuration (hex), or read
//! from its file (`data.key` in the data directory, or `--data-key-file`), made there on the first
//! start of a database that has none yet. A database whose rows are sealed with a key names it by
//! its id; a server without that key refuses to start, with what to do about it.

use undersigned_core::data_key::DataKey;

use crate::config::{Config, write_private};

/// Where the operating guide explains the data key.
const GUIDE: &str = "docs/operating.md, \"The data key\"";

/// The data key for a database whose rows are sealed with the key `recorded` names (`None`: a
/// database without a key yet, which takes this one). Made, for such a database, where its file
/// is missing.
pub fn choose(config: &Config, recorded: Option<&str>) -> Result<DataKey, String> {
    let sealed_with = |id: &str| format!("the database's addresses are sealed with data key {id}");
    if let Some(hex_text) = &config.data_key {
        let key = parse(hex_text)
            .ok_or("the data key given (--data-key, UNDERSIGNED_DATA_KEY) is not 64 hex digits")?;
        return match recorded {
            Some(id) if id != key.id() => Err(format!(
                "{}; the data key given (--data-key, UNDERSIGNED_DATA_KEY) is data key {}, another: \
                 give the database's key (see {GUIDE})",
                sealed_with(id),
                key.id()
            )),
            _ => Ok(key),
        };
    }
    let path = &config.data_key_file;
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let key = parse(&text)
                .ok_or_else(|| format!("{} does not hold a data key (64 hex digits)", path.display()))?;
            match recorded {
                Some(id) if id != key.id() => Err(format!(
                    "{}; {} holds data key {}, another: restore the database's key from where you keep it \
                     (see {GUIDE})",
                    sealed_with(id),
                    path.display(),
                    key.id()
                )),
                _ => Ok(key),
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match recorded {
            Some(id) => Err(format!(
                "{}; {} is missing: restore it from where you keep it, or name it with --data-key-file \
                 (see {GUIDE})",
                sealed_with(id),
                path.display()
            )),
            None => {
                let secret: [u8; 32] = rand::random();
                write_private(path, &hex::encode(secret)).map_err(|e| format!("{e:#}"))?;
                let key = DataKey::new(secret);
                tracing::warn!(
                    path = %path.display(),
                    id = key.id(),
                    "generated a new data key: keep a copy of it apart from the database's backups \
                     (without it, the addresses in the database cannot be read)"
                );
                Ok(key)
            }
        },
        Err(e) => Err(format!("reading the data key {}: {e}", path.display())),
    }
}

fn parse(hex_text: &str) -> Option<DataKey> {
    let secret: [u8; 32] = hex::decode(hex_text.trim()).ok()?.try_into().ok()?;
    Some(DataKey::new(secret))
}
