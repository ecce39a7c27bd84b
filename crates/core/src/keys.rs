//! Everything derived from the server's secret key: the short keyed hashes that stand in for email
//! and IP addresses, the tokens in emailed links, and CSRF tokens.
//!
//! Tokens are HMACs rather than random values kept in the database: nothing that opens a
//! signature is stored, and a token is bound to the row it was made for (its email key), so a
//! reused id or a swapped kind does not verify.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

type HmacSha256 = Hmac<Sha256>;

/// A 16-byte keyed hash: long enough that collisions do not happen in practice, short enough to
/// keep the unique index on signatures small.
pub type ShortKey = [u8; 16];

/// What an emailed link may do. Part of the MAC, so a link of one kind is no good as another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum TokenKind {
    ConfirmSignature = 1,
    WithdrawSignature = 2,
    ConfirmEndorsement = 3,
    /// Set an organiser's password (an invitation or a reset); bound to the current hash, so it
    /// works once.
    SetPassword = 4,
    /// Stop the news of a campaign (in every update mail; one click, RFC 8058).
    Unsubscribe = 5,
    /// See, change, download or withdraw one's signature.
    ManageSignature = 6,
    /// Confirm a commenter's address.
    ConfirmComment = 7,
    /// A proposer's private link: confirm their address, edit the draft, follow it.
    EditProposal = 8,
    /// A proposal's sponsor link, passed on by its proposer.
    SponsorProposal = 9,
}

/// The UTC day `at` falls on, as days since 1970-01-01: the day whose IP hash key is used.
pub fn day_number(at: OffsetDateTime) -> i64 {
    at.unix_timestamp().div_euclid(86_400)
}

/// A decoded link token, not yet checked against its row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub id: i64,
    pub expires: i64,
    mac: [u8; 16],
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenCheck {
    Valid,
    Expired,
    /// Forged, damaged, or made for another row.
    Invalid,
}

pub struct Keys {
    /// HMAC-SHA256 keyed with the secret: its inner and outer pads hashed once, here, and cloned
    /// for each MAC (two of a short MAC's four SHA-256 blocks; several MACs per signature).
    keyed: HmacSha256,
}

impl Keys {
    pub fn new(secret: [u8; 32]) -> Self {
        Self { keyed: HmacSha256::new_from_slice(&secret).expect("HMAC takes any key length") }
    }

    fn mac(&self, purpose: &[u8], parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = self.keyed.clone();
        mac.update(purpose);
        for part in parts {
            mac.update(&(part.len() as u32).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    fn short(&self, purpose: &[u8], parts: &[&[u8]]) -> ShortKey {
        let full = self.mac(purpose, parts);
        full[..16].try_into().expect("16 of 32 bytes")
    }

    /// The seed of the instance's Ed25519 key that signs the signature logs' checkpoints
    /// (`crate::checkpoint`): derived, so that it needs no file of its own and lives as long as
    /// the secret key.
    pub fn log_signing_seed(&self) -> [u8; 32] {
        self.mac(b"undersigned/log-signing-key/v1", &[])
    }

    /// Identifies one person's signature on one campaign, from their canonical address.
    pub fn email_key(&self, campaign: i64, canonical_email: &str) -> ShortKey {
        self.short(b"undersigned/email/v1", &[&campaign.to_be_bytes(), canonical_email.as_bytes()])
    }

    /// The key of an address's mail budget for one purpose ("comment/7", "password-reset"...).
    pub fn budget_key(&self, purpose: &str, canonical_email: &str) -> ShortKey {
        self.short(b"undersigned/mail-budget/v1", &[purpose.as_bytes(), canonical_email.as_bytes()])
    }

    /// Stands in for an address that mail cannot reach (a permanent SMTP failure): the same for
    /// every campaign, so that no mail of any kind goes to it again; the address itself is not kept.
    pub fn undeliverable_key(&self, canonical_email: &str) -> ShortKey {
        self.short(b"undersigned/undeliverable/v1", &[canonical_email.as_bytes()])
    }

    /// Stands in for a client IP address in rate limits and abuse rules; the address itself is not kept.
    pub fn ip_key(&self, ip: &std::net::IpAddr) -> ShortKey {
        self.short(b"undersigned/ip/v1", &[ip.to_string().as_bytes()])
    }

    /// Stands in for a client IP address in stored rows (signatures, endorsements), for the abuse
    /// rule that groups them. Made with the day's key (`day_key`, random, kept in the database
    /// only until the hashes of that day are forgotten) as well as the secret key: once the day's
    /// key is deleted, nobody can tell which address a hash was made from, even with
    /// `secret.key`, by trying every address.
    pub fn stored_ip_key(&self, day_key: &[u8; 32], ip: &std::net::IpAddr) -> ShortKey {
        self.short(b"undersigned/stored-ip/v2", &[&day_key[..], ip.to_string().as_bytes()])
    }

    /// Stands in for the network an organiser's session is used from, on their sessions page:
    /// the address's /24 (IPv4) or /48 (IPv6), never the address, keyed with the session (its
    /// token's hash) so that two sessions' hashes, of one account or two, cannot be matched
    /// with each other. The page can only say whether a session was last seen from the network
    /// the reader is on now; whoever holds both the database and `secret.key` could find a /24
    /// by trying them all, for as long as the session lasts.
    pub fn session_network_key(&self, token_hash: &[u8], ip: &std::net::IpAddr) -> ShortKey {
        let network = match ip {
            std::net::IpAddr::V4(v4) => {
                std::net::IpAddr::V4(std::net::Ipv4Addr::from(v4.to_bits() & 0xffff_ff00))
            }
            std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => std::net::IpAddr::V4(std::net::Ipv4Addr::from(v4.to_bits() & 0xffff_ff00)),
                None => std::net::IpAddr::V6(std::net::Ipv6Addr::from(v6.to_bits() & !(u128::MAX >> 48))),
            },
        };
        self.short(b"undersigned/session-network/v1", &[token_hash, network.to_string().as_bytes()])
    }

    /// Stands in for what an OpenID Connect round trip is found and bound by (`what`: its `state`,
    /// or the cookie of the browser that started it) in the database, which keeps neither.
    pub fn oidc_key(&self, what: &str, value: &str) -> ShortKey {
        self.short(b"undersigned/oidc/v1", &[what.as_bytes(), value.as_bytes()])
    }

    /// The key that signs proof-of-work challenges (ALTCHA's HMAC-SHA256 `signature`): a
    /// forged challenge does not verify, and no challenge need be kept.
    pub fn pow_key(&self) -> [u8; 32] {
        self.mac(b"undersigned/altcha/v1", &[])
    }

    /// Stands in for a day's IP hash in the signing tallies (kept two hours), so that those rows
    /// cannot be joined to the signatures' hashes without `secret.key`.
    pub fn tally_ip_key(&self, stored: &ShortKey) -> ShortKey {
        self.short(b"undersigned/tally-ip/v1", &[&stored[..]])
    }

    /// Stands in for what a rate limit counts (an address's or an account's keyed hash, or both) in the
    /// counts shared by the instances (kept for the window, then deleted): keyed again with the
    /// limit and its window, so that those rows match no other table's hashes nor each other
    /// from one window to the next.
    pub fn limit_key(&self, limit: &str, ends_at: i64, parts: &[&[u8]]) -> ShortKey {
        let ends_at = ends_at.to_be_bytes();
        let mut all: Vec<&[u8]> = vec![limit.as_bytes(), &ends_at];
        all.extend_from_slice(parts);
        self.short(b"undersigned/rate-limit/v1", &all)
    }

    /// A link token for row `id` of `kind`, bound to `binding` (the row's email key).
    pub fn token(&self, kind: TokenKind, id: i64, expires: OffsetDateTime, binding: &[u8]) -> String {
        let expires = expires.unix_timestamp();
        let mac = self.token_mac(kind, id, expires, binding);
        let mut bytes = Vec::with_capacity(33);
        bytes.push(kind as u8);
        bytes.extend_from_slice(&id.to_be_bytes());
        bytes.extend_from_slice(&expires.to_be_bytes());
        bytes.extend_from_slice(&mac);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn token_mac(&self, kind: TokenKind, id: i64, expires: i64, binding: &[u8]) -> [u8; 16] {
        self.short(
            b"undersigned/token/v1",
            &[&[kind as u8], &id.to_be_bytes(), &expires.to_be_bytes(), binding],
        )
    }

    /// Reads a token of the expected kind; `None` when it is not one.
    pub fn decode(&self, kind: TokenKind, text: &str) -> Option<Token> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        if bytes.len() != 33 || bytes[0] != kind as u8 {
            return None;
        }
        Some(Token {
            kind,
            id: i64::from_be_bytes(bytes[1..9].try_into().ok()?),
            expires: i64::from_be_bytes(bytes[9..17].try_into().ok()?),
            mac: bytes[17..33].try_into().ok()?,
        })
    }

    /// Checks a decoded token against the row it names. Expiry is reported only for a genuine token.
    pub fn check(&self, token: &Token, binding: &[u8], now: OffsetDateTime) -> TokenCheck {
        let expected = self.token_mac(token.kind, token.id, token.expires, binding);
        if !bool::from(expected.ct_eq(&token.mac)) {
            TokenCheck::Invalid
        } else if now.unix_timestamp() > token.expires {
            TokenCheck::Expired
        } else {
            TokenCheck::Valid
        }
    }

    /// The CSRF token a form must carry for the browser holding `cookie`.
    pub fn csrf_token(&self, cookie: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.short(b"undersigned/csrf/v1", &[cookie.as_bytes()]))
    }

    pub fn csrf_ok(&self, cookie: &str, token: &str) -> bool {
        let expected = self.csrf_token(cookie);
        !cookie.is_empty() && bool::from(expected.as_bytes().ct_eq(token.as_bytes()))
    }

    /// The token a public form carries (`form`: "sign", "endorse"): bound to the form, its
    /// campaign and a time window (a number that goes up by one per window), not to a browser,
    /// so that the page that carries it can be the same bytes for everyone and works in a frame
    /// whose cookies the browser blocks.
    pub fn form_token(&self, form: &str, campaign: i64, window: i64) -> String {
        let parts: [&[u8]; 3] = [form.as_bytes(), &campaign.to_be_bytes(), &window.to_be_bytes()];
        URL_SAFE_NO_PAD.encode(self.short(b"undersigned/form/v1", &parts))
    }

    /// Whether `token` is the form's token of `window` or of the one before (a page rendered
    /// just before a window ended is still good through the next).
    pub fn form_token_ok(&self, form: &str, campaign: i64, window: i64, token: &str) -> bool {
        [window, window - 1]
            .into_iter()
            .any(|w| bool::from(self.form_token(form, campaign, w).as_bytes().ct_eq(token.trim().as_bytes())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    #[test]
    fn a_token_opens_only_its_own_row_and_kind_until_it_expires() {
        let keys = Keys::new([7; 32]);
        let now = OffsetDateTime::now_utc();
        let text = keys.token(TokenKind::ConfirmSignature, 42, now + Duration::hours(1), b"row-key");
        assert!(text.len() >= 128 / 6, "at least 128 bits");
        let token = keys.decode(TokenKind::ConfirmSignature, &text).unwrap();
        assert_eq!(token.id, 42);
        assert_eq!(keys.check(&token, b"row-key", now), TokenCheck::Valid);
        assert_eq!(keys.check(&token, b"other-row", now), TokenCheck::Invalid);
        assert_eq!(keys.check(&token, b"row-key", now + Duration::hours(2)), TokenCheck::Expired);
        assert!(keys.decode(TokenKind::WithdrawSignature, &text).is_none());
        assert!(keys.decode(TokenKind::ConfirmSignature, "garbage").is_none());
        // A different secret does not verify.
        assert_eq!(Keys::new([8; 32]).check(&token, b"row-key", now), TokenCheck::Invalid);
        // Changing the id breaks the MAC.
        let forged = Token { id: 43, ..token };
        assert_eq!(keys.check(&forged, b"row-key", now), TokenCheck::Invalid);
    }

    #[test]
    fn a_session_network_is_a_24_or_a_48_keyed_with_its_session() {
        let keys = Keys::new([3; 32]);
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        let key = |session: &[u8], s: &str| keys.session_network_key(session, &ip(s));
        assert_eq!(key(b"a", "192.0.2.7"), key(b"a", "192.0.2.200"), "one /24");
        assert_eq!(key(b"a", "::ffff:192.0.2.9"), key(b"a", "192.0.2.7"), "mapped IPv4");
        assert_ne!(key(b"a", "192.0.3.7"), key(b"a", "192.0.2.7"));
        assert_eq!(key(b"a", "2001:db8:1:2::1"), key(b"a", "2001:db8:1:ffff::9"), "one /48");
        assert_ne!(key(b"a", "2001:db8:2::1"), key(b"a", "2001:db8:1::1"));
        assert_ne!(key(b"b", "192.0.2.7"), key(b"a", "192.0.2.7"), "another session's hash differs");
    }

    #[test]
    fn form_tokens_belong_to_their_form_campaign_and_window() {
        let keys = Keys::new([1; 32]);
        let token = keys.form_token("sign", 7, 100);
        assert!(keys.form_token_ok("sign", 7, 100, &token));
        assert!(keys.form_token_ok("sign", 7, 101, &token), "the window after still takes it");
        assert!(!keys.form_token_ok("sign", 7, 102, &token), "two windows later it is stale");
        assert!(!keys.form_token_ok("sign", 7, 99, &token), "nor is a token of the future good");
        assert!(!keys.form_token_ok("endorse", 7, 100, &token));
        assert!(!keys.form_token_ok("sign", 8, 100, &token));
        assert!(!keys.form_token_ok("sign", 7, 100, ""));
        assert!(!Keys::new([2; 32]).form_token_ok("sign", 7, 100, &token));
    }

    #[test]
    fn csrf_tokens_belong_to_their_cookie() {
        let keys = Keys::new([1; 32]);
        let token = keys.csrf_token("abc");
        assert!(keys.csrf_ok("abc", &token));
        assert!(!keys.csrf_ok("abd", &token));
        assert!(!keys.csrf_ok("", &keys.csrf_token("")));
    }

    #[test]
    fn a_stored_ip_hash_needs_its_day_key_as_well_as_the_secret() {
        let keys = Keys::new([1; 32]);
        let ip: std::net::IpAddr = "203.0.113.7".parse().unwrap();
        let stored = keys.stored_ip_key(&[9; 32], &ip);
        assert_eq!(stored, keys.stored_ip_key(&[9; 32], &ip));
        assert_ne!(stored, keys.stored_ip_key(&[8; 32], &ip), "another day, another hash");
        assert_ne!(stored, keys.ip_key(&ip), "not the secret key's hash alone");
        assert_eq!(day_number(OffsetDateTime::UNIX_EPOCH + Duration::hours(47)), 1);
    }

    #[test]
    fn email_keys_differ_by_campaign() {
        let keys = Keys::new([1; 32]);
        assert_eq!(keys.email_key(1, "a@b.org"), keys.email_key(1, "a@b.org"));
        assert_ne!(keys.email_key(1, "a@b.org"), keys.email_key(2, "a@b.org"));
    }
}
