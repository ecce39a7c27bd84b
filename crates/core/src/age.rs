//! Sealing to the organisers' own keys: the age v1 file format (age-encryption.org/v1, C2SP `age`),
//! X25519 recipients only, encryption only.
//!
//! The server never holds an identity (secret key): it writes files that only the campaign owners
//! open, with Debian's `age -d -i key.txt` or in the browser. No age crate is in the tree and the
//! reference crate (`age`) would bring a second set of curve, AEAD and KDF crates beside ring, which
//! rustls and the data key already build; the encryption side of the format is small, so it is
//! written here over ring and checked against the real `age` command in the tests.
//!
//! A file is `header ‖ nonce (16) ‖ payload`. [`Sealer`] makes one header (one file key, one X25519
//! agreement per recipient) and seals any number of payloads under it, each with its own nonce:
//! every `header ‖ sealed payload` is then a standard age file. The group commit makes one sealer
//! per batch and campaign, so a row costs one HKDF and one ChaCha20-Poly1305, not an X25519.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};
use ring::agreement::{EphemeralPrivateKey, UnparsedPublicKey, X25519, agree_ephemeral};
use ring::{hkdf, hmac, rand::SystemRandom};

const VERSION_LINE: &str = "age-encryption.org/v1";
const X25519_INFO: &[u8] = b"age-encryption.org/v1/X25519";
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
/// The bytes a sealed payload adds to its plaintext (one chunk): the nonce and one tag.
pub const PAYLOAD_OVERHEAD: usize = 16 + TAG;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecipientError {
    #[error("an age public key starts with “age1” (as age-keygen prints it on its “public key:” line)")]
    NotAnAgeKey,
    #[error(
        "this looks like a secret key (AGE-SECRET-KEY-…): never give it away, paste the public key “age1…”"
    )]
    SecretKey,
    #[error("only X25519 keys (age1…, 62 characters) are accepted, not post-quantum or plugin keys")]
    OtherKind,
    #[error("the key is damaged (its checksum does not match): copy it again in full")]
    Damaged,
}

/// An X25519 age recipient (`age1…`), checked: bech32 with the `age` prefix, 32 bytes, a point that
/// gives a usable shared secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Recipient {
    key: [u8; 32],
    text: String,
}

impl std::fmt::Debug for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Recipient {
    type Err = RecipientError;

    fn from_str(typed: &str) -> Result<Self, RecipientError> {
        let text = typed.trim().to_ascii_lowercase();
        if text.starts_with("age-secret-key-") {
            return Err(RecipientError::SecretKey);
        }
        if !text.starts_with("age1") {
            return Err(RecipientError::NotAnAgeKey);
        }
        if text.starts_with("age1pq1") || text.starts_with("age1tag") || text.len() != 62 {
            return Err(RecipientError::OtherKind);
        }
        let (hrp, data) = bech32::decode(&text).ok_or(RecipientError::Damaged)?;
        let key: [u8; 32] = match (hrp.as_str(), data.try_into()) {
            ("age", Ok(key)) => key,
            _ => return Err(RecipientError::OtherKind),
        };
        // A low-order point would give an all-zero shared secret, which ring refuses: such a key
        // could never be sealed to, so it is refused here, when it is typed.
        wrap_for(&key, &[0; 16]).map_err(|()| RecipientError::Damaged)?;
        Ok(Self { key, text })
    }
}

impl RecipientError {
    /// A short name of the reason, for a page to say it in the visitor's language.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotAnAgeKey => "not-age",
            Self::SecretKey => "secret-key",
            Self::OtherKind => "other-kind",
            Self::Damaged => "damaged",
        }
    }
}

impl Recipient {
    /// The key as age prints it (`age1…`, lower case).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// One header (one file key) and the payloads sealed under it.
pub struct Sealer {
    header: Vec<u8>,
    file_key: [u8; 16],
}

impl Sealer {
    /// A fresh file key wrapped to every recipient (one X25519 agreement each).
    pub fn new(recipients: &[Recipient]) -> Self {
        assert!(!recipients.is_empty(), "an age file needs a recipient");
        let file_key: [u8; 16] = rand::random();
        let mut header = format!("{VERSION_LINE}\n");
        for r in recipients {
            let (share, body) = wrap_for(&r.key, &file_key).expect("recipients are checked when parsed");
            header.push_str("-> X25519 ");
            header.push_str(&STANDARD_NO_PAD.encode(share));
            header.push('\n');
            header.push_str(&wrap_lines(&STANDARD_NO_PAD.encode(body), true));
        }
        header.push_str("---");
        let mac_key = hmac::Key::new(hmac::HMAC_SHA256, &hkdf32(&file_key, b"", b"header"));
        let mac = hmac::sign(&mac_key, header.as_bytes());
        header.push(' ');
        header.push_str(&STANDARD_NO_PAD.encode(mac.as_ref()));
        header.push('\n');
        Self { header: header.into_bytes(), file_key }
    }

    /// The header every payload of this sealer goes behind.
    pub fn header(&self) -> &[u8] {
        &self.header
    }

    /// `nonce ‖ payload` for `plaintext`: behind [`Sealer::header`] it is an age file.
    pub fn seal_payload(&self, plaintext: &[u8]) -> Vec<u8> {
        let (mut out, mut stream) = self.payload_stream();
        out.reserve(plaintext.len() + plaintext.len().div_ceil(CHUNK).max(1) * TAG);
        stream.seal_chunks(plaintext, true, &mut out);
        out
    }

    /// A payload that arrives in pieces (an export streamed page by page): `header ‖ nonce`, to
    /// send first, and the stream that seals what follows.
    pub fn stream(&self) -> (Vec<u8>, PayloadStream) {
        let (nonce, stream) = self.payload_stream();
        let mut start = self.header.clone();
        start.extend_from_slice(&nonce);
        (start, stream)
    }

    fn payload_stream(&self) -> (Vec<u8>, PayloadStream) {
        let nonce: [u8; 16] = rand::random();
        let key = aead_key(&hkdf32(&self.file_key, &nonce, b"payload"));
        (nonce.to_vec(), PayloadStream { key, counter: 0, buffer: Vec::new() })
    }

    /// A whole age file: `header ‖ nonce ‖ payload`.
    pub fn seal_file(&self, plaintext: &[u8]) -> Vec<u8> {
        let mut file = self.header.clone();
        file.extend_from_slice(&self.seal_payload(plaintext));
        file
    }
}

/// The STREAM of an age payload: 64 KiB chunks, each ChaCha20-Poly1305 under the payload key with
/// the chunk's number and, for the last, a flag as its nonce. A full chunk is held back until more
/// follows, so that the last one is never empty (unless the whole payload is).
pub struct PayloadStream {
    key: LessSafeKey,
    counter: u64,
    buffer: Vec<u8>,
}

impl PayloadStream {
    /// Seals what of `bytes` makes full chunks with more after them; keeps the rest.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.buffer.extend_from_slice(bytes);
        let mut out = Vec::new();
        if self.buffer.len() > CHUNK {
            let whole = (self.buffer.len() - 1) / CHUNK * CHUNK;
            let ready: Vec<u8> = self.buffer.drain(..whole).collect();
            self.seal_chunks(&ready, false, &mut out);
        }
        out
    }

    /// Seals the rest, as the last chunk.
    pub fn finish(mut self) -> Vec<u8> {
        let rest = std::mem::take(&mut self.buffer);
        let mut out = Vec::with_capacity(rest.len() + TAG);
        self.seal_chunks(&rest, true, &mut out);
        out
    }

    /// Appends `plaintext` sealed in chunks to `out`; `last`: its final chunk ends the payload.
    fn seal_chunks(&mut self, plaintext: &[u8], last: bool, out: &mut Vec<u8>) {
        let chunks = plaintext.len().div_ceil(CHUNK).max(1);
        for i in 0..chunks {
            let chunk = &plaintext[i * CHUNK..plaintext.len().min((i + 1) * CHUNK)];
            let mut n = [0u8; 12];
            n[3..11].copy_from_slice(&self.counter.to_be_bytes());
            n[11] = u8::from(last && i + 1 == chunks);
            self.counter += 1;
            let start = out.len();
            out.extend_from_slice(chunk);
            let tag = self
                .key
                .seal_in_place_separate_tag(Nonce::assume_unique_for_key(n), Aad::empty(), &mut out[start..])
                .expect("a chunk of 64 KiB seals");
            out.extend_from_slice(tag.as_ref());
        }
    }
}

/// One age file with its own file key and header (an export, a challenge).
pub fn encrypt(recipients: &[Recipient], plaintext: &[u8]) -> Vec<u8> {
    Sealer::new(recipients).seal_file(plaintext)
}

/// The ASCII armor of an age file (PEM-like, what `age -a` writes and `age -d` reads).
pub fn armor(file: &[u8]) -> String {
    let mut out = String::from("-----BEGIN AGE ENCRYPTED FILE-----\n");
    out.push_str(&wrap_lines(&STANDARD.encode(file), false));
    out.push_str("-----END AGE ENCRYPTED FILE-----\n");
    out
}

/// `share, body` of an X25519 stanza wrapping `file_key` to `recipient`.
fn wrap_for(recipient: &[u8; 32], file_key: &[u8; 16]) -> Result<([u8; 32], Vec<u8>), ()> {
    let rng = SystemRandom::new();
    let secret = EphemeralPrivateKey::generate(&X25519, &rng).map_err(|_| ())?;
    let public = secret.compute_public_key().map_err(|_| ())?;
    let share: [u8; 32] = public.as_ref().try_into().map_err(|_| ())?;
    let shared = agree_ephemeral(secret, &UnparsedPublicKey::new(&X25519, recipient), |s| s.to_vec())
        .map_err(|_| ())?;
    let mut salt = share.to_vec();
    salt.extend_from_slice(recipient);
    let key = aead_key(&hkdf32(&shared, &salt, X25519_INFO));
    let mut body = file_key.to_vec();
    key.seal_in_place_append_tag(Nonce::assume_unique_for_key([0; 12]), Aad::empty(), &mut body)
        .map_err(|_| ())?;
    Ok((share, body))
}

fn hkdf32(ikm: &[u8], salt: &[u8], info: &[u8]) -> [u8; 32] {
    let mut out = [0; 32];
    hkdf::Salt::new(hkdf::HKDF_SHA256, salt)
        .extract(ikm)
        .expand(&[info], hkdf::HKDF_SHA256)
        .and_then(|okm| okm.fill(&mut out))
        .expect("32 bytes is a valid HKDF-SHA256 length");
    out
}

fn aead_key(key: &[u8; 32]) -> LessSafeKey {
    LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, key).expect("a 32-byte key"))
}

/// Lines of 64 columns, each ending in a line feed. A stanza body must end with a line shorter
/// than 64 (`short_end`: an empty one if need be); the armor's last line may be full.
fn wrap_lines(text: &str, short_end: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 64 + 2);
    for line in text.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    if short_end && text.len().is_multiple_of(64) {
        out.push('\n');
    }
    out
}

/// Bech32 (BIP 173) decoding, the encoding of age keys: 30 lines rather than a crate for one call.
mod bech32 {
    const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    const GEN: [u32; 5] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3];

    fn polymod(values: impl Iterator<Item = u8>) -> u32 {
        values.fold(1u32, |chk, v| {
            let top = chk >> 25;
            let mut chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
            for (i, g) in GEN.iter().enumerate() {
                if (top >> i) & 1 == 1 {
                    chk ^= g;
                }
            }
            chk
        })
    }

    /// `(prefix, bytes)` of a lower-case bech32 string whose checksum holds.
    pub fn decode(text: &str) -> Option<(String, Vec<u8>)> {
        let sep = text.rfind('1')?;
        let (hrp, rest) = (&text[..sep], &text[sep + 1..]);
        if hrp.is_empty() || rest.len() < 6 {
            return None;
        }
        let data: Vec<u8> = rest
            .bytes()
            .map(|c| CHARSET.iter().position(|&x| x == c).map(|p| p as u8))
            .collect::<Option<_>>()?;
        let expanded = hrp.bytes().map(|b| b >> 5).chain([0]).chain(hrp.bytes().map(|b| b & 31));
        if polymod(expanded.chain(data.iter().copied())) != 1 {
            return None;
        }
        let (mut acc, mut bits, mut out) = (0u32, 0u32, Vec::new());
        for &v in &data[..data.len() - 6] {
            acc = (acc << 5) | u32::from(v);
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
            }
        }
        (bits < 5 && acc & ((1 << bits) - 1) == 0).then_some((hrp.to_owned(), out))
    }
}

#[cfg(test)]
#[path = "age_tests.rs"]
pub(crate) mod tests;
