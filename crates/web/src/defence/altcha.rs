//! The proof of work, in ALTCHA's format (altcha.org, "server verification"): a challenge is
//! `{algorithm: "SHA-256", challenge, salt, signature, maxnumber}` where `challenge` is the hex
//! SHA-256 of `salt ‖ number` for a secret random `number` ≤ `maxnumber`, `signature` the hex
//! HMAC-SHA256 of `challenge` under a key derived from `secret.key`, and the salt carries its
//! expiry as ALTCHA's does (`…?expires=UNIX`). The browser finds `number` by trying each; its
//! answer is ALTCHA's payload, base64 of `{algorithm, challenge, number, salt, signature}`.
//! Nothing about a challenge is kept until it is solved; then its hash is kept until it expires,
//! so that each solution is taken once (`DefenceStore::spend_solution`).
//!
//! Written here rather than taken from a crate: the format is five fields and two hashes, and the
//! Rust ALTCHA crates pull in a second HMAC and JSON stack for it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub const ALGORITHM: &str = "SHA-256";

/// A challenge, as sent to the browser.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Challenge {
    pub algorithm: String,
    pub challenge: String,
    pub salt: String,
    pub signature: String,
    pub maxnumber: u64,
}

/// A solution, as the browser sends it back (ALTCHA's payload, decoded).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Solution {
    pub algorithm: String,
    pub challenge: String,
    pub number: u64,
    pub salt: String,
    pub signature: String,
}

/// Why a solution is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unverified {
    /// Not a payload at all, or its number does not give its challenge.
    Wrong,
    /// Its challenge was not made here (the signature does not match).
    Forged,
    /// Made here, but past its expiry.
    Expired,
}

/// A verified solution: its challenge's hash (to take it once) and when it expires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub spent: [u8; 32],
    pub expires: i64,
}

fn sha256_hex(salt: &str, number: u64) -> String {
    let mut hash = Sha256::new();
    hash.update(salt.as_bytes());
    hash.update(number.to_string().as_bytes());
    hex::encode(hash.finalize())
}

fn sign(key: &[u8; 32], challenge: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(challenge.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A new challenge, expiring at `expires` (seconds since 1970), its number at most `maxnumber`.
pub fn challenge(key: &[u8; 32], maxnumber: u64, expires: i64) -> Challenge {
    let salt = format!("{}?expires={expires}", hex::encode(rand::random::<[u8; 12]>()));
    let number = rand::random::<u64>() % (maxnumber.max(1) + 1);
    let challenge = sha256_hex(&salt, number);
    Challenge { algorithm: ALGORITHM.into(), signature: sign(key, &challenge), challenge, salt, maxnumber }
}

/// The expiry a salt carries (`expires=` among its parameters after `?`).
fn expiry(salt: &str) -> Option<i64> {
    let (_, query) = salt.split_once('?')?;
    query.split('&').find_map(|p| p.strip_prefix("expires=")).and_then(|e| e.parse().ok())
}

/// Checks a payload (base64 JSON) at `now` (seconds since 1970).
pub fn verify(key: &[u8; 32], payload: &str, now: i64) -> Result<Verified, Unverified> {
    let bytes = STANDARD.decode(payload.trim()).map_err(|_| Unverified::Wrong)?;
    let solution: Solution = serde_json::from_slice(&bytes).map_err(|_| Unverified::Wrong)?;
    if solution.algorithm != ALGORITHM {
        return Err(Unverified::Wrong);
    }
    let expected = sign(key, &solution.challenge);
    if !bool::from(expected.as_bytes().ct_eq(solution.signature.to_ascii_lowercase().as_bytes())) {
        return Err(Unverified::Forged);
    }
    // Signed here, so the salt is ours: its expiry is believed. A salt without one is not ours.
    let expires = expiry(&solution.salt).ok_or(Unverified::Forged)?;
    if sha256_hex(&solution.salt, solution.number) != solution.challenge.to_ascii_lowercase() {
        return Err(Unverified::Wrong);
    }
    if now > expires {
        return Err(Unverified::Expired);
    }
    Ok(Verified { spent: Sha256::digest(solution.challenge.as_bytes()).into(), expires })
}

/// Solves a challenge by trying every number, as the browser's script does (for tests).
pub fn solve(challenge: &Challenge) -> Option<String> {
    let number =
        (0..=challenge.maxnumber).find(|n| sha256_hex(&challenge.salt, *n) == challenge.challenge)?;
    let solution = Solution {
        algorithm: challenge.algorithm.clone(),
        challenge: challenge.challenge.clone(),
        number,
        salt: challenge.salt.clone(),
        signature: challenge.signature.clone(),
    };
    Some(STANDARD.encode(serde_json::to_vec(&solution).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_solution_verifies_until_its_challenge_expires() {
        let key = [3; 32];
        let made = challenge(&key, 2_000, 1_000);
        assert!(made.salt.ends_with("?expires=1000"));
        let payload = solve(&made).unwrap();
        let verified = verify(&key, &payload, 999).unwrap();
        assert_eq!(verified.expires, 1_000);
        assert_eq!(verify(&key, &payload, 1_001), Err(Unverified::Expired));
        assert_eq!(verify(&[4; 32], &payload, 999), Err(Unverified::Forged));
        assert_eq!(verify(&key, "not base64!", 999), Err(Unverified::Wrong));
    }

    #[test]
    fn a_wrong_number_or_a_moved_expiry_does_not_verify() {
        let key = [3; 32];
        let made = challenge(&key, 50, 1_000);
        let payload = solve(&made).unwrap();
        let mut solution: Solution = serde_json::from_slice(&STANDARD.decode(&payload).unwrap()).unwrap();
        solution.number = solution.number.wrapping_add(1);
        let wrong = STANDARD.encode(serde_json::to_vec(&solution).unwrap());
        assert_eq!(verify(&key, &wrong, 0), Err(Unverified::Wrong));
        solution.number = solution.number.wrapping_sub(1);
        solution.salt = solution.salt.replace("expires=1000", "expires=9999");
        let moved = STANDARD.encode(serde_json::to_vec(&solution).unwrap());
        assert_eq!(verify(&key, &moved, 0), Err(Unverified::Wrong), "the salt is part of the challenge");
    }
}
