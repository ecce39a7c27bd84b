//! The data key: what the server itself must be able to read of a signer but a copy of the database
//! must not give away (the email address it sends mail to, the IP hash its abuse rules group by).
//!
//! The key lives outside the database (a file beside `secret.key`, or an environment variable), so
//! a dump, a stolen backup or a seized disk of the database alone holds only ciphertext. Lookups go
//! through the keyed hashes of [`crate::keys`] (the blind index), never through the ciphertext,
//! which is randomised: two rows with the same address do not look alike.
//!
//! Format of a sealed value: `0x01 ‖ nonce (12 bytes) ‖ ChaCha20-Poly1305(plaintext) ‖ tag (16)`,
//! with the purpose (which column it belongs to) as associated data, so that a value moved by hand
//! to another column does not open. ring's AEAD, already built for TLS, does the work.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use sha2::Sha256;

const VERSION: u8 = 1;
const TAG_LEN: usize = 16;

/// The bytes a sealed value adds to its plaintext.
pub const OVERHEAD: usize = 1 + NONCE_LEN + TAG_LEN;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DataKeyError {
    /// Not made by this key, damaged, or sealed for another purpose.
    #[error("a sealed value does not open with this data key (another key, or damaged)")]
    DoesNotOpen,
}

pub struct DataKey {
    key: LessSafeKey,
    id: String,
    /// The key of [`DataKey::digest`], derived from the secret (not the sealing key itself).
    digest_key: [u8; 32],
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataKey").field("id", &self.id).finish_non_exhaustive()
    }
}

impl DataKey {
    pub fn new(secret: [u8; 32]) -> Self {
        let key = LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &secret).expect("a 32-byte key"));
        let mut mac = Hmac::<Sha256>::new_from_slice(&secret).expect("HMAC takes any key length");
        mac.update(b"undersigned/data-key-id/v1");
        let id = hex::encode(&mac.finalize().into_bytes()[..8]);
        let mut mac = Hmac::<Sha256>::new_from_slice(&secret).expect("HMAC takes any key length");
        mac.update(b"undersigned/data-key-digest/v1");
        let digest_key = mac.finalize().into_bytes().into();
        Self { key, id, digest_key }
    }

    /// A keyed digest of `bytes` for `purpose` (16 bytes): the same value gives the same digest, so
    /// that sealed values (randomised) can be compared without opening them; without the key it
    /// says nothing of the value.
    pub fn digest(&self, purpose: &[u8], bytes: &[u8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.digest_key).expect("HMAC takes any key length");
        mac.update(purpose);
        mac.update(&[0]);
        mac.update(bytes);
        mac.finalize().into_bytes()[..16].to_vec()
    }

    /// Names the key without giving it away (16 hex digits): kept in the database, so that a server
    /// started with another key, or none, can say which one the rows need.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Seals `plaintext` for `purpose` (for example `b"signatures.email"`).
    pub fn seal(&self, purpose: &[u8], plaintext: &[u8]) -> Vec<u8> {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let mut out = Vec::with_capacity(plaintext.len() + OVERHEAD);
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        let tag = self
            .key
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(purpose),
                &mut out[1 + NONCE_LEN..],
            )
            .expect("ChaCha20-Poly1305 seals any length we store");
        out.extend_from_slice(tag.as_ref());
        out
    }

    /// Opens what [`DataKey::seal`] sealed for the same purpose.
    pub fn open(&self, purpose: &[u8], sealed: &[u8]) -> Result<Vec<u8>, DataKeyError> {
        if sealed.len() < OVERHEAD || sealed[0] != VERSION {
            return Err(DataKeyError::DoesNotOpen);
        }
        let nonce: [u8; NONCE_LEN] = sealed[1..1 + NONCE_LEN].try_into().expect("checked length");
        let mut body = sealed[1 + NONCE_LEN..].to_vec();
        let len = self
            .key
            .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(purpose), &mut body)
            .map_err(|_| DataKeyError::DoesNotOpen)?
            .len();
        body.truncate(len);
        Ok(body)
    }

    /// Seals a text (an email address).
    pub fn seal_str(&self, purpose: &[u8], plaintext: &str) -> Vec<u8> {
        self.seal(purpose, plaintext.as_bytes())
    }

    /// Opens a sealed text.
    pub fn open_string(&self, purpose: &[u8], sealed: &[u8]) -> Result<String, DataKeyError> {
        String::from_utf8(self.open(purpose, sealed)?).map_err(|_| DataKeyError::DoesNotOpen)
    }

    /// Seals a text for a text column: the sealed bytes in URL-safe base64 (no `@`, no padding),
    /// so that a column of addresses can hold both the sealed values and, until they are sealed,
    /// the addresses a version before the data key wrote.
    pub fn seal_text(&self, purpose: &[u8], plaintext: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.seal(purpose, plaintext.as_bytes()))
    }

    /// Opens what [`DataKey::seal_text`] sealed for the same purpose.
    pub fn open_text(&self, purpose: &[u8], sealed: &str) -> Result<String, DataKeyError> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).map_err(|_| DataKeyError::DoesNotOpen)?;
        self.open_string(purpose, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_with_its_key_and_purpose_only() {
        let key = DataKey::new([3; 32]);
        let sealed = key.seal_str(b"signatures.email", "chan@example.org");
        assert_eq!(sealed.len(), "chan@example.org".len() + OVERHEAD);
        assert!(!sealed.windows(4).any(|w| w == b"chan"), "no plaintext in the sealed value");
        assert_eq!(key.open_string(b"signatures.email", &sealed).unwrap(), "chan@example.org");
        assert_eq!(key.open(b"comments.email", &sealed), Err(DataKeyError::DoesNotOpen));
        assert_eq!(DataKey::new([4; 32]).open(b"signatures.email", &sealed), Err(DataKeyError::DoesNotOpen));
        let mut damaged = sealed.clone();
        damaged[20] ^= 1;
        assert_eq!(key.open(b"signatures.email", &damaged), Err(DataKeyError::DoesNotOpen));
        assert_eq!(key.open(b"signatures.email", b"short"), Err(DataKeyError::DoesNotOpen));
    }

    #[test]
    fn a_sealed_text_is_text_without_an_at_sign_and_opens_back() {
        let key = DataKey::new([3; 32]);
        let sealed = key.seal_text(b"signatures.email", "chan@example.org");
        assert!(!sealed.contains('@') && !sealed.contains("chan"), "{sealed}");
        assert_eq!(key.open_text(b"signatures.email", &sealed).unwrap(), "chan@example.org");
        assert_eq!(key.open_text(b"commenters.email", &sealed), Err(DataKeyError::DoesNotOpen));
        assert_eq!(key.open_text(b"signatures.email", "chan@example.org"), Err(DataKeyError::DoesNotOpen));
    }

    #[test]
    fn the_same_address_seals_differently_each_time() {
        let key = DataKey::new([3; 32]);
        assert_ne!(key.seal_str(b"p", "a@example.org"), key.seal_str(b"p", "a@example.org"));
    }

    #[test]
    fn the_id_names_the_key_without_giving_it_away() {
        let (a, b) = (DataKey::new([3; 32]), DataKey::new([4; 32]));
        assert_eq!(a.id().len(), 16);
        assert_ne!(a.id(), b.id());
        assert_eq!(a.id(), DataKey::new([3; 32]).id());
    }
}
