//! The organisers' second factor: time-based one-time codes (TOTP, RFC 6238: HMAC-SHA-1, six
//! digits, 30-second steps, one step either side accepted, each step used once) and ten single-use
//! recovery codes.
//!
//! TOTP is written here over ring's HMAC (already built for TLS and the data key), about thirty
//! lines, rather than taken from `totp-rs`: its version 6 would bring a second major of `hmac`,
//! `sha2` and `rand` into the tree, and version 5 its own base32, `url` and `constant_time_eq`
//! for what ring and `subtle` already do. The codes are checked against Python's `pyotp` in the
//! server's tests (an independent implementation).

use ring::hmac;
use subtle::ConstantTimeEq;
use time::{Duration, OffsetDateTime};

/// How long one code lasts.
pub const STEP_SECONDS: i64 = 30;
/// How many digits a code has.
pub const DIGITS: u32 = 6;
/// How many bytes of randomness a secret has (RFC 4226 recommends 160 bits).
pub const SECRET_BYTES: usize = 20;
/// Wrong codes in a row before the second factor is locked.
pub const MAX_FAILURES: u32 = 5;
/// How long a locked second factor stays locked.
pub const LOCK_FOR: Duration = Duration::minutes(15);
/// How long a check of the second factor counts for sensitive actions (the step-up).
pub const STEP_UP_AFTER: Duration = Duration::minutes(15);
/// How many recovery codes an organiser gets.
pub const RECOVERY_CODES: usize = 10;

/// A TOTP secret: 20 random bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    pub fn generate() -> Self {
        Self(rand::random::<[u8; SECRET_BYTES]>().to_vec())
    }

    /// The secret as authenticator apps take it typed in: base32 (RFC 4648), no padding.
    pub fn base32(&self) -> String {
        base32(&self.0)
    }

    /// The `otpauth://` URI the QR code holds (the key URI format of Google Authenticator, which
    /// every app reads): `issuer` is the site's name, `account` the organiser's address.
    pub fn uri(&self, issuer: &str, account: &str) -> String {
        let label = format!("{}:{}", uri_escape(issuer), uri_escape(account));
        format!(
            "otpauth://totp/{label}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            self.base32(),
            uri_escape(issuer)
        )
    }

    /// The code of time step `step`.
    pub fn code_at(&self, step: i64) -> u32 {
        let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &self.0);
        let mac = hmac::sign(&key, &step.to_be_bytes());
        let mac = mac.as_ref();
        // RFC 4226 §5.3, dynamic truncation.
        let offset = usize::from(mac[mac.len() - 1] & 0x0f);
        let bits = u32::from_be_bytes([mac[offset], mac[offset + 1], mac[offset + 2], mac[offset + 3]]);
        (bits & 0x7fff_ffff) % 10u32.pow(DIGITS)
    }

    /// The time step `code` belongs to, if it is the code of the step at `now` or of one either
    /// side. Whether that step was used already is the store's to say.
    pub fn check(&self, code: &str, now: OffsetDateTime) -> Option<i64> {
        let code = parse_code(code)?;
        let current = step_of(now);
        // The latest first: of two steps with the same code (one in a million), the one not used.
        [current + 1, current, current - 1]
            .into_iter()
            .find(|&step| bool::from(self.code_at(step).to_be_bytes()[..].ct_eq(&code.to_be_bytes()[..])))
    }
}

/// The time step of `t`.
pub fn step_of(t: OffsetDateTime) -> i64 {
    t.unix_timestamp().div_euclid(STEP_SECONDS)
}

/// A code as typed: six digits, spaces allowed (apps show `123 456`).
pub fn parse_code(typed: &str) -> Option<u32> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != DIGITS as usize || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 (RFC 4648) without padding.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            out.push(char::from(ALPHABET[((bits >> (35 - i * 5)) & 31) as usize]));
        }
    }
    out
}

fn uri_escape(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A recovery code: 16 base32 characters (80 random bits), shown in four groups of four.
pub fn recovery_code() -> String {
    let raw = base32(&rand::random::<[u8; 10]>());
    raw.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// A recovery code as typed, in the form it is kept in: upper case, without dashes or spaces;
/// `None` when it cannot be one.
pub fn normalise_recovery_code(typed: &str) -> Option<String> {
    let code: String =
        typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == 16 && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// An account's second factor as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecondFactor {
    pub secret: Secret,
    /// When it was switched on; `None` while the organiser is enrolling (the secret shown, no
    /// code typed yet).
    pub enabled_at: Option<OffsetDateTime>,
    /// The last time step accepted: a code of that step or an earlier one is refused.
    pub last_step: Option<i64>,
    /// Wrong codes in a row since the last right one or the last lock.
    pub failures: u32,
    /// Until when codes are refused after [`MAX_FAILURES`] wrong ones.
    pub locked_until: Option<OffsetDateTime>,
    /// Recovery codes not used yet.
    pub recovery_codes_left: u32,
}

impl SecondFactor {
    pub fn is_on(&self) -> bool {
        self.enabled_at.is_some()
    }

    /// Until when it is locked, if it is at `now`.
    pub fn locked_at(&self, now: OffsetDateTime) -> Option<OffsetDateTime> {
        self.locked_until.filter(|until| *until > now)
    }
}

/// What the store says of a code's time step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    Accepted,
    /// That step, or a later one, was used already.
    Replayed,
    /// Locked until then.
    Locked(OffsetDateTime),
}

/// What a wrong code did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureOutcome {
    /// Counted: this many wrong codes in a row.
    Counted(u32),
    /// This one locked the second factor until then.
    Locked(OffsetDateTime),
}

/// The second factor as a session knows it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SessionFactor {
    /// Whether the account has a second factor switched on.
    pub on: bool,
    /// When this session last checked it (a code or a recovery code); `None` if never.
    pub checked_at: Option<OffsetDateTime>,
}

impl SessionFactor {
    /// Whether the session is waiting for its code after the password.
    pub fn pending(&self) -> bool {
        self.on && self.checked_at.is_none()
    }

    /// Whether a sensitive action needs the code again at `now`.
    pub fn needs_step_up(&self, now: OffsetDateTime) -> bool {
        self.on && self.checked_at.is_none_or(|at| now - at > STEP_UP_AFTER)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_6238_vectors_for_sha_1() {
        // RFC 6238 appendix B: the secret "12345678901234567890", eight digits there; the last six
        // here.
        let secret = Secret(b"12345678901234567890".to_vec());
        for (t, code) in
            [(59, 287_082), (1_111_111_109, 81_804), (1_234_567_890, 5_924), (2_000_000_000, 279_037)]
        {
            assert_eq!(secret.code_at(t / STEP_SECONDS), code, "at {t}");
        }
    }

    #[test]
    fn base32_is_rfc_4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b"12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    #[test]
    fn a_code_of_the_next_or_previous_step_is_accepted_not_two_away() {
        let secret = Secret::generate();
        let now = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        let step = step_of(now);
        let typed = |s: i64| format!("{:06}", secret.code_at(s));
        assert_eq!(secret.check(&typed(step), now), Some(step));
        assert_eq!(secret.check(&typed(step - 1), now), Some(step - 1));
        let spaced = typed(step + 1);
        assert_eq!(secret.check(&format!("{} {}", &spaced[..3], &spaced[3..]), now), Some(step + 1));
        assert_eq!(secret.check(&typed(step + 2), now).filter(|s| *s == step + 2), None);
        assert_eq!(secret.check("12345", now), None);
        assert_eq!(secret.check("abcdef", now), None);
    }

    #[test]
    fn recovery_codes_are_typed_loosely() {
        let code = recovery_code();
        assert_eq!(code.len(), 19);
        let kept = normalise_recovery_code(&code.to_lowercase()).unwrap();
        assert_eq!(kept, code.replace('-', ""));
        assert_eq!(normalise_recovery_code("123456"), None);
    }

    #[test]
    fn the_uri_names_the_site_and_the_account() {
        let secret = Secret(b"12345678901234567890".to_vec());
        assert_eq!(
            secret.uri("Undersigned HK", "lam@example.org"),
            "otpauth://totp/Undersigned%20HK:lam@example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Undersigned%20HK&algorithm=SHA1&digits=6&period=30"
        );
    }
}
