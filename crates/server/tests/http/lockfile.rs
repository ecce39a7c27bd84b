//! The lock file names no crate with a known, unfixed vulnerability that we do not need.

/// RUSTSEC-2023-0071 (`rsa`, a timing side channel) came in through sqlx's MySQL driver, which
/// nothing uses: `cargo audit` reads the lock file, not what is built. `rsa` is now there through
/// `openidconnect` and through `crypto-glue` (webauthn-rs's cryptography) alone (issue 18), which the
/// server uses only to check signatures with a public key: an ID token's with its provider's, a
/// passkey's (RS256 authenticators) with the key kept when it was registered. The advisory is about
/// operations with a private key (decrypting, signing), whose timing may tell the key; a public key
/// has nothing to tell. Only the tests' mock provider signs with it, with a test key. Any other way
/// in is refused here.
#[test]
fn the_lock_file_has_no_mysql_driver_and_no_rsa_but_to_verify_signatures() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock")).unwrap();
    assert!(!lock.contains("\nname = \"sqlx-mysql\"\n"), "Cargo.lock has sqlx-mysql");
    let needing_rsa: Vec<&str> = lock
        .split("[[package]]")
        .filter(|block| block.lines().any(|l| l.trim() == "\"rsa\"," || l.trim().starts_with("\"rsa ")))
        .filter_map(|block| block.lines().find_map(|l| l.strip_prefix("name = ")))
        .collect();
    let verifying = ["\"openidconnect\"", "\"crypto-glue\""];
    assert!(needing_rsa.iter().all(|name| verifying.contains(name)), "rsa needed by {needing_rsa:?}");
}
