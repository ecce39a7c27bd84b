//! Checkpoints of the signature logs: a C2SP tlog-checkpoint body (origin, tree size, base64
//! root) in a C2SP signed note, signed with the instance's Ed25519 key (ring).
//!
//! A note is its text, a blank line, and one line per signature: `— NAME BASE64(keyid ‖ sig)`,
//! where keyid is the first four bytes of SHA-256(NAME ‖ "\n" ‖ 0x01 ‖ public key) and the
//! signature covers the text up to and including its last newline. The verifier key is written
//! `NAME+KEYID(hex)+BASE64(0x01 ‖ public key)`, the form other tools (`note` in Go's sumdb,
//! litetlog) read.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use sha2::{Digest, Sha256};

use crate::tlog::Hash;

/// The signature type of Ed25519 in signed notes.
const ED25519_TYPE: u8 = 0x01;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's name: the instance's host, "/c/", and the campaign's slug.
    pub origin: String,
    pub size: u64,
    pub root: Hash,
}

impl Checkpoint {
    pub fn body(&self) -> String {
        format!("{}\n{}\n{}\n", self.origin, self.size, STANDARD.encode(self.root))
    }

    fn parse_body(text: &str) -> Result<Self, CheckpointError> {
        let mut lines = text.lines();
        let origin = lines.next().filter(|o| !o.is_empty()).ok_or(CheckpointError::Malformed("origin"))?;
        let size = lines
            .next()
            .and_then(|s| (s == "0" || !s.starts_with('0')).then(|| s.parse().ok()).flatten())
            .ok_or(CheckpointError::Malformed("tree size"))?;
        let root = lines
            .next()
            .and_then(|r| STANDARD.decode(r).ok())
            .and_then(|r| Hash::try_from(r).ok())
            .ok_or(CheckpointError::Malformed("root hash"))?;
        Ok(Self { origin: origin.to_owned(), size, root })
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("the checkpoint is not a signed note: {0} is missing or malformed")]
    Malformed(&'static str),
    #[error("the verifier key is malformed (expected NAME+KEYID+KEY, as /log/key shows it)")]
    BadKey,
    #[error("the checkpoint carries no signature by the key {0}")]
    NotSignedBy(String),
    #[error("the checkpoint's signature by {0} does not verify: the note was changed after it was signed")]
    BadSignature(String),
}

fn key_id(name: &str, public: &[u8]) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([ED25519_TYPE]);
    h.update(public);
    h.finalize()[..4].try_into().expect("4 bytes")
}

/// The instance's signing key.
pub struct LogKey {
    name: String,
    pair: Ed25519KeyPair,
}

impl LogKey {
    /// `name` is the key's name in notes (the instance's host); `seed` from
    /// [`crate::keys::Keys::log_signing_seed`].
    pub fn new(name: &str, seed: &[u8; 32]) -> Self {
        let pair = Ed25519KeyPair::from_seed_unchecked(seed).expect("any 32 bytes are an Ed25519 seed");
        Self { name: name.to_owned(), pair }
    }

    pub fn verifier(&self) -> VerifierKey {
        let public: [u8; 32] = self.pair.public_key().as_ref().try_into().expect("32 bytes");
        VerifierKey { name: self.name.clone(), id: key_id(&self.name, &public), public }
    }

    /// The checkpoint as a signed note.
    pub fn sign(&self, checkpoint: &Checkpoint) -> String {
        let body = checkpoint.body();
        let mut sig = key_id(&self.name, self.pair.public_key().as_ref()).to_vec();
        sig.extend_from_slice(self.pair.sign(body.as_bytes()).as_ref());
        format!("{body}\n\u{2014} {} {}\n", self.name, STANDARD.encode(sig))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifierKey {
    pub name: String,
    id: [u8; 4],
    public: [u8; 32],
}

impl std::fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut key = vec![ED25519_TYPE];
        key.extend_from_slice(&self.public);
        write!(f, "{}+{}+{}", self.name, hex::encode(self.id), STANDARD.encode(key))
    }
}

impl VerifierKey {
    pub fn parse(text: &str) -> Result<Self, CheckpointError> {
        let mut parts = text.trim().splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(CheckpointError::BadKey);
        };
        let key = STANDARD.decode(key).map_err(|_| CheckpointError::BadKey)?;
        let public: [u8; 32] = match key.split_first() {
            Some((&ED25519_TYPE, public)) => public.try_into().map_err(|_| CheckpointError::BadKey)?,
            _ => return Err(CheckpointError::BadKey),
        };
        let expected = key_id(name, &public);
        if name.is_empty() || id != hex::encode(expected) {
            return Err(CheckpointError::BadKey);
        }
        Ok(Self { name: name.to_owned(), id: expected, public })
    }

    /// Opens a signed note: the checkpoint it carries if this key signed it.
    pub fn open(&self, note: &str) -> Result<Checkpoint, CheckpointError> {
        let (body, signatures) = note.split_once("\n\n").ok_or(CheckpointError::Malformed("blank line"))?;
        let body = format!("{body}\n");
        let checkpoint = Checkpoint::parse_body(&body)?;
        let prefix = format!("\u{2014} {} ", self.name);
        let mut found = false;
        for line in signatures.lines() {
            let Some(sig) = line.strip_prefix(&prefix).and_then(|s| STANDARD.decode(s).ok()) else {
                continue;
            };
            if sig.len() != 68 || sig[..4] != self.id {
                continue;
            }
            found = true;
            if UnparsedPublicKey::new(&ED25519, &self.public).verify(body.as_bytes(), &sig[4..]).is_ok() {
                return Ok(checkpoint);
            }
        }
        Err(if found {
            CheckpointError::BadSignature(self.name.clone())
        } else {
            CheckpointError::NotSignedBy(self.to_string())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkpoint() -> Checkpoint {
        Checkpoint { origin: "petitions.example/c/free-them".into(), size: 3, root: [7; 32] }
    }

    #[test]
    fn a_signed_checkpoint_opens_with_its_key_and_no_other() {
        let key = LogKey::new("petitions.example", &[1; 32]);
        let note = key.sign(&checkpoint());
        assert!(note.starts_with("petitions.example/c/free-them\n3\nBwcH"), "{note}");
        assert!(note.contains("\n\n\u{2014} petitions.example "));
        let verifier = VerifierKey::parse(&key.verifier().to_string()).unwrap();
        assert_eq!(verifier.open(&note), Ok(checkpoint()));
        let other = LogKey::new("petitions.example", &[2; 32]).verifier();
        assert!(matches!(other.open(&note), Err(CheckpointError::NotSignedBy(_))));
        let changed = note.replacen("\n3\n", "\n4\n", 1);
        assert_eq!(verifier.open(&changed), Err(CheckpointError::BadSignature("petitions.example".into())));
        assert_eq!(VerifierKey::parse("petitions.example+00000000+AQ"), Err(CheckpointError::BadKey));
    }

    /// NAME+KEYID+KEY, the key ID eight hex digits, the key starting with the type byte 0x01.
    #[test]
    fn the_key_text_has_the_spec_form() {
        let key = LogKey::new("PeterNeumann", &[0; 32]).verifier().to_string();
        let parts: Vec<&str> = key.split('+').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[1].len(), 8);
        assert!(parts[2].starts_with("A"), "type byte 0x01 first: {key}");
    }
}
