//! The format is checked against Debian's `age` (package `age`, installed by .ci/run): what the
//! server writes must open with the tool organisers use.

use super::*;
use std::io::Write;
use std::process::{Command, Stdio};

/// The example key pair of the age specification.
const IDENTITY: &str = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
const RECIPIENT: &str = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";

/// A key pair made by the real `age-keygen`: (identity file, recipient).
pub(crate) fn keygen(dir: &std::path::Path, name: &str) -> (std::path::PathBuf, Recipient) {
    let path = dir.join(name);
    let out = Command::new("age-keygen")
        .arg("-o")
        .arg(&path)
        .output()
        .expect("age-keygen from Debian's package `age` (apt-get install -y age)");
    assert!(out.status.success());
    let text = String::from_utf8(out.stderr).unwrap();
    let public = text.trim().strip_prefix("Public key: ").expect("age-keygen prints the public key");
    (path, public.parse().unwrap())
}

/// What the real `age -d -i identity` makes of `file`.
pub(crate) fn age_decrypt(identity: &std::path::Path, file: &[u8]) -> Result<Vec<u8>, String> {
    let mut child = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(identity)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("age from Debian's package `age` (apt-get install -y age)");
    let mut stdin = child.stdin.take().unwrap();
    let file = file.to_vec();
    // Written from a thread: age writes as it reads, and a full pipe both ways would stall.
    let writer = std::thread::spawn(move || stdin.write_all(&file));
    let out = child.wait_with_output().unwrap();
    let _ = writer.join(); // age may stop reading early, at a key that does not fit
    if out.status.success() { Ok(out.stdout) } else { Err(String::from_utf8_lossy(&out.stderr).into_owned()) }
}

#[test]
fn malformed_recipients_are_refused_with_a_reason() {
    assert_eq!(RECIPIENT.parse::<Recipient>().unwrap().as_str(), RECIPIENT);
    assert_eq!(format!("  {}\n", RECIPIENT.to_uppercase()).parse::<Recipient>().unwrap().as_str(), RECIPIENT);
    assert_eq!("".parse::<Recipient>(), Err(RecipientError::NotAnAgeKey));
    assert_eq!("ssh-ed25519 AAAA".parse::<Recipient>(), Err(RecipientError::NotAnAgeKey));
    assert_eq!(IDENTITY.parse::<Recipient>(), Err(RecipientError::SecretKey));
    assert_eq!(RECIPIENT[..40].parse::<Recipient>(), Err(RecipientError::OtherKind));
    let mut typo = RECIPIENT.to_owned();
    typo.replace_range(20..21, if &RECIPIENT[20..21] == "q" { "p" } else { "q" });
    assert_eq!(typo.parse::<Recipient>(), Err(RecipientError::Damaged));
    // The all-zero point (a low-order point): bech32-valid, but nothing can be sealed to it.
    let zero = "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq";
    assert!(zero.parse::<Recipient>().is_err());
}

#[test]
fn a_file_opens_with_the_real_age_for_each_recipient() {
    let dir = tempfile::tempdir().unwrap();
    let (alice, alice_key) = keygen(dir.path(), "alice.txt");
    let (bob, bob_key) = keygen(dir.path(), "bob.txt");
    let (eve, _) = keygen(dir.path(), "eve.txt");
    let file = encrypt(&[alice_key, bob_key], "Chan Wei, Hong Kong".as_bytes());
    assert!(!file.windows(4).any(|w| w == b"Chan"));
    assert_eq!(age_decrypt(&alice, &file).unwrap(), b"Chan Wei, Hong Kong");
    assert_eq!(age_decrypt(&bob, &file).unwrap(), b"Chan Wei, Hong Kong");
    assert!(age_decrypt(&eve, &file).is_err(), "a third key does not open it");
}

#[test]
fn the_spec_example_key_and_the_armor_and_empty_and_long_payloads_open() {
    let dir = tempfile::tempdir().unwrap();
    let identity = dir.path().join("spec.txt");
    std::fs::write(&identity, format!("{IDENTITY}\n")).unwrap();
    let to = [RECIPIENT.parse().unwrap()];
    assert_eq!(age_decrypt(&identity, armor(&encrypt(&to, b"armored")).as_bytes()).unwrap(), b"armored");
    // Armor whose base64 fills its last line exactly (a multiple of 48 bytes), and one byte less.
    let header = encrypt(&to, b"").len();
    for len in [48 * 10 - header % 48, 48 * 10 - header % 48 - 1] {
        let text = vec![b'x'; len];
        assert_eq!(age_decrypt(&identity, armor(&encrypt(&to, &text)).as_bytes()).unwrap(), text, "{len}");
    }
    assert_eq!(age_decrypt(&identity, &encrypt(&to, b"")).unwrap(), b"");
    for len in [CHUNK, CHUNK + 1, 2 * CHUNK + 7] {
        let long: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        assert_eq!(age_decrypt(&identity, &encrypt(&to, &long)).unwrap(), long, "{len} bytes");
    }
}

#[test]
fn payloads_of_one_batch_share_the_header_and_each_opens_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (alice, key) = keygen(dir.path(), "alice.txt");
    let sealer = Sealer::new(&[key]);
    let rows: Vec<Vec<u8>> =
        ["first row", "second row"].iter().map(|r| sealer.seal_payload(r.as_bytes())).collect();
    assert_ne!(rows[0][..16], rows[1][..16], "each row has its own nonce");
    for (row, text) in rows.iter().zip(["first row", "second row"]) {
        assert_eq!(row.len(), text.len() + PAYLOAD_OVERHEAD);
        let mut file = sealer.header().to_vec();
        file.extend_from_slice(row);
        assert_eq!(age_decrypt(&alice, &file).unwrap(), text.as_bytes());
    }
    let mut damaged = sealer.seal_file(b"row");
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    assert!(age_decrypt(&alice, &damaged).is_err());
}

#[test]
fn a_payload_streamed_in_pieces_opens_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (alice, key) = keygen(dir.path(), "alice.txt");
    let sealer = Sealer::new(&[key]);
    for sizes in
        [vec![], vec![0], vec![10, 20], vec![CHUNK], vec![CHUNK - 1, 1, 1], vec![3 * CHUNK + 5, 70_000, 9]]
    {
        let (mut file, mut stream) = sealer.stream();
        let mut whole = Vec::new();
        for (i, size) in sizes.iter().enumerate() {
            let piece: Vec<u8> = (0..*size).map(|j| ((i + j) % 251) as u8).collect();
            file.extend(stream.push(&piece));
            whole.extend(piece);
        }
        file.extend(stream.finish());
        assert_eq!(age_decrypt(&alice, &file).unwrap(), whole, "pieces of {sizes:?}");
    }
}

/// What sealing costs per row, a fresh age file each (one X25519 per recipient per row) against one
/// header per batch (one HKDF and one ChaCha20-Poly1305 per row):
/// `cargo test --release -p undersigned-core age::tests::cost -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, run by hand in release mode"]
fn cost_per_row_of_a_file_each_against_a_header_per_batch() {
    let keys: Vec<Recipient> = [RECIPIENT, RECIPIENT].iter().map(|r| r.parse().unwrap()).collect();
    let row = br#"{"name":"Chan Wei","city":"Hong Kong","affiliation":"HKCTU","comment":"Free him."}"#;
    for recipients in [&keys[..1], &keys[..]] {
        let n = 20_000;
        let start = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(encrypt(recipients, row));
        }
        let each = start.elapsed() / n;
        let start = std::time::Instant::now();
        for _ in 0..n / 500 {
            let sealer = Sealer::new(recipients);
            for _ in 0..500 {
                std::hint::black_box(sealer.seal_payload(row));
            }
        }
        let batched = start.elapsed() / n;
        // As `private_fields` stores a row: the header repeated before each payload, in base64.
        let fields = crate::private_fields::PrivateFields::from_json(row).unwrap();
        let start = std::time::Instant::now();
        for _ in 0..n / 500 {
            let sealer = Sealer::new(recipients);
            for _ in 0..500 {
                std::hint::black_box(fields.seal_to_owners(&sealer));
            }
        }
        let stored = start.elapsed() / n;
        println!(
            "{} recipient(s): a file per row {each:?}/row, a header per batch of 500 {batched:?}/row, \
             stored as private_fields does (JSON, header repeated, base64) {stored:?}/row",
            recipients.len()
        );
    }
}
