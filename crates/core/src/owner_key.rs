//! The organisers' own keys: the age public keys (X25519 recipients) that a campaign's private
//! fields and exports are sealed to. The server keeps only the public key; the identity (secret
//! key) stays with the organiser, made by `age-keygen` or in the browser.
//!
//! Lifecycle, per organiser account: register (the key is parsed, a challenge is sealed to it) →
//! prove (the organiser opens the challenge and types its code) → active. Activating a key retires
//! the organiser's previous one (rotation); rows sealed to it keep its id, so the key that opens
//! them is still named. A campaign's recipients are the active keys of its owners.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::age::{self, Recipient};
use crate::validation::ValidationError;

/// A key as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerKey {
    pub id: i64,
    pub user_id: i64,
    /// `age1…`, as age prints it.
    pub recipient: String,
    /// The challenge sealed to the key, ASCII-armored (ciphertext only).
    pub challenge: String,
    pub created_at: OffsetDateTime,
    pub activated_at: Option<OffsetDateTime>,
    /// When a newer key of the same organiser was activated.
    pub retired_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    /// Registered, its challenge not answered yet.
    Waiting,
    Active,
    Retired,
}

impl KeyState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Active => "active",
            Self::Retired => "retired",
        }
    }
}

impl OwnerKey {
    pub fn state(&self) -> KeyState {
        match (self.activated_at, self.retired_at) {
            (_, Some(_)) => KeyState::Retired,
            (Some(_), None) => KeyState::Active,
            (None, None) => KeyState::Waiting,
        }
    }
}

/// A key to register: the recipient, its challenge sealed to it, and the hash of the code the
/// organiser must type back (the code itself is not kept).
#[derive(Debug, Clone)]
pub struct NewOwnerKey {
    pub user_id: i64,
    pub recipient: String,
    pub challenge: String,
    pub code_hash: [u8; 32],
    pub created_at: OffsetDateTime,
}

/// The letters of a code: no 0/O, 1/I/L, so that it is typed back without doubt.
const CODE_LETTERS: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 10;

impl NewOwnerKey {
    /// Checks what was typed in `field` (the error's reason is [`age::RecipientError::code`]) and
    /// seals a fresh challenge to it.
    pub fn register(
        user_id: i64,
        field: &str,
        typed: &str,
        now: OffsetDateTime,
    ) -> Result<Self, ValidationError> {
        let recipient: Recipient =
            typed.parse().map_err(|e: age::RecipientError| ValidationError::new(field, e.code()))?;
        let code: String = (0..CODE_LEN)
            .map(|_| char::from(CODE_LETTERS[rand::random::<usize>() % CODE_LETTERS.len()]))
            .collect();
        let shown = format!("{}-{}", &code[..5], &code[5..]);
        let text = format!(
            "Undersigned: the code that proves you hold this key is\n\n    {shown}\n\nType it on the page that showed you this challenge.\n"
        );
        let challenge = age::armor(&age::encrypt(std::slice::from_ref(&recipient), text.as_bytes()));
        Ok(Self {
            user_id,
            recipient: recipient.as_str().to_owned(),
            challenge,
            code_hash: code_hash(&code),
            created_at: now,
        })
    }
}

/// The hash a typed answer is compared with: letters and digits only, upper-cased, so that the
/// dash, spaces and case do not matter.
pub fn code_hash(typed: &str) -> [u8; 32] {
    let normal: String =
        typed.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect();
    let mut hash = Sha256::new();
    hash.update(b"undersigned/owner-key-challenge/v1\0");
    hash.update(normal.as_bytes());
    hash.finalize().into()
}

/// The recipients a campaign's private fields are sealed to: its owners' active keys, with their
/// ids (kept beside each sealed row).
#[derive(Debug, Clone, Default)]
pub struct CampaignRecipients {
    pub keys: Vec<(i64, Recipient)>,
}

impl CampaignRecipients {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The key ids as stored beside a sealed row: `"3 7"`.
    pub fn ids(&self) -> String {
        self.keys.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>().join(" ")
    }

    pub fn recipients(&self) -> Vec<Recipient> {
        self.keys.iter().map(|(_, r)| r.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECIPIENT: &str = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";

    #[test]
    fn a_malformed_key_names_the_field_and_says_why() {
        let e =
            NewOwnerKey::register(1, "owner_key", "AGE-SECRET-KEY-1ABC", crate::clock::now()).unwrap_err();
        assert_eq!(e.field, "owner_key");
        assert_eq!(e.reason, "secret-key");
    }

    #[test]
    fn the_challenge_is_armored_and_the_code_is_kept_only_as_a_hash() {
        let key = NewOwnerKey::register(1, "owner_key", RECIPIENT, crate::clock::now()).unwrap();
        assert!(key.challenge.starts_with("-----BEGIN AGE ENCRYPTED FILE-----\n"));
        assert_eq!(code_hash("ab-cd e"), code_hash("ABCDE"));
        assert_ne!(code_hash("ABCDE"), code_hash("ABCDF"));
    }
}
