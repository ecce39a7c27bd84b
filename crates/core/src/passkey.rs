//! Passkeys (WebAuthn) as an organiser's second factor beside TOTP (issue 18). The ceremonies are
//! webauthn-rs's, in the web crate; what is kept here is what the store keeps of them: each
//! credential as that crate serialises it, and the state of a ceremony between its challenge and
//! the browser's answer.

use time::{Duration, OffsetDateTime};

/// How long a challenge may be answered.
pub const CEREMONY_TTL: Duration = Duration::minutes(5);
/// The longest name an organiser may give a passkey, in characters.
pub const NAME_MAX: usize = 60;
/// The most passkeys one account may have.
pub const MAX_PER_ACCOUNT: usize = 20;

/// A passkey as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPasskey {
    pub id: i64,
    /// The credential's id, as the authenticator gave it.
    pub credential_id: Vec<u8>,
    /// What its organiser called it ("laptop").
    pub name: String,
    /// The credential as webauthn-rs serialises it (JSON).
    pub credential: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
}

/// Which ceremony a state belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ceremony {
    /// Adding a passkey.
    Register,
    /// Using one: after the password, or before a sensitive action.
    Authenticate,
}

impl Ceremony {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Authenticate => "authenticate",
        }
    }
}

/// A passkey's name as typed: trimmed; `None` when empty or longer than [`NAME_MAX`].
pub fn parse_name(typed: &str) -> Option<String> {
    let name = typed.trim();
    let length = name.chars().count();
    (length > 0 && length <= NAME_MAX && !name.chars().any(char::is_control)).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_not_empty_nor_too_long() {
        assert_eq!(parse_name("  laptop "), Some("laptop".to_owned()));
        assert_eq!(parse_name("   "), None);
        assert_eq!(parse_name(&"鍵".repeat(NAME_MAX)), Some("鍵".repeat(NAME_MAX)));
        assert_eq!(parse_name(&"a".repeat(NAME_MAX + 1)), None);
        assert_eq!(parse_name("a\u{0}b"), None);
    }
}
