//! The lock file names no crate with a known, unfixed vulnerability that we do not need.

/// RUSTSEC-2023-0071 (`rsa`, a timing side channel) came in through sqlx's MySQL driver, which
/// nothing uses: `cargo audit` reads the lock file, not what is built.
#[test]
fn the_lock_file_has_no_mysql_driver_and_no_rsa() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock")).unwrap();
    for name in ["rsa", "sqlx-mysql"] {
        assert!(!lock.contains(&format!("\nname = \"{name}\"\n")), "Cargo.lock has {name}");
    }
}
