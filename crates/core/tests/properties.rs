//! Property tests of the parsers a stranger's input reaches in the core: email addresses, the
//! tokens in emailed links and forms, and campaign files. 256 cases each by default; set
//! `PROPTEST_CASES` for more.

use proptest::prelude::*;
use time::{Duration, OffsetDateTime};
use undersigned_core::Email;
use undersigned_core::keys::{Keys, TokenCheck, TokenKind};

/// Characters that make addresses interesting: ASCII, full-width and compatibility forms,
/// look-alikes of `@` and `<`, combining marks, dotless and dotted i, ß, and spaces.
fn address_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range('a', 'z'),
        2 => proptest::char::range('A', 'Z'),
        1 => prop::sample::select(vec![
            '.', '+', '-', '_', '@', '＠', '﹫', '＜', '﹤', '＞', '＂', '，', '；', 'ı', 'İ', 'ß', 'ẞ', 'Ω',
            'K', 'Å', 'ﬁ', '\u{301}', '\u{0130}', '\u{2126}', 'ｌ', 'Ａ', '．', '。', '\u{3000}', ' ',
            '\u{a0}', '\u{200b}', '\u{feff}', 'ǅ', 'ǈ', 'ﷺ', '㎒', '①', '\u{fb01}', 'Ⅻ', 'ǲ', 'Σ', 'ς'
        ]),
        1 => any::<char>(),
    ]
}

fn address_like() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(address_char(), 0..20),
        prop::collection::vec(address_char(), 0..20),
        prop::sample::select(vec!["org", "com", "example", "XN--BCHER-KVA.example", "Bücher.example"]),
    )
        .prop_map(|(local, domain, tld)| {
            let local: String = local.into_iter().collect();
            let domain: String = domain.into_iter().collect();
            format!("{local}@{domain}.{tld}")
        })
}

/// The same address as one person might type it on different days.
fn spellings(local: &str, domain: &str, variant: u8) -> String {
    let full_width = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_alphanumeric() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c })
            .collect()
    };
    match variant % 5 {
        0 => format!("{local}@{domain}"),
        1 => format!("  {}@{} ", local.to_uppercase(), domain.to_uppercase()),
        2 => format!("{}@{domain}", full_width(local)),
        3 => format!("{local}@{}", domain.to_uppercase()),
        _ => format!("\t{}@{}", local.to_uppercase(), full_width(domain)),
    }
}

proptest! {
    /// Whatever is typed into an email field: no panic, and an accepted address canonicalises to
    /// an address that is itself accepted and canonicalises to itself.
    #[test]
    fn canonical_email_is_valid_and_idempotent(typed in prop_oneof![address_like(), any::<String>()]) {
        let Ok(email) = Email::parse("email", &typed) else { return Ok(()) };
        let canonical = email.canonical();
        let again = Email::parse("email", &canonical);
        prop_assert!(again.is_ok(), "{typed:?} canonicalised to {canonical:?}, which is refused: {again:?}");
        prop_assert_eq!(again.unwrap().canonical(), canonical);
    }

    /// One person's address canonicalises to the same value however it is cased, spaced or typed
    /// in full-width letters, and Gmail's dots and +tags fold away.
    #[test]
    fn equal_addresses_canonicalise_equal(
        local in "[a-z0-9][a-z0-9._-]{0,15}",
        domain in "[a-z0-9]{1,10}(\\.[a-z0-9]{1,10}){0,2}\\.(org|com|hk)",
        variant in 0u8..5,
        tag in proptest::option::of("[a-z0-9]{1,5}"),
        dots in prop::collection::vec(0usize..16, 0..3),
    ) {
        let canonical = |s: &str| Email::parse("email", s).map(|e| e.canonical());
        prop_assert_eq!(canonical(&spellings(&local, &domain, variant)), canonical(&format!("{local}@{domain}")));
        // Short enough for the 64-byte local part in full-width letters (3 bytes each).
        let local: String = local.replace('.', "").chars().take(10).collect();
        let mut gmail = local.clone();
        for d in dots {
            gmail.insert(d.min(gmail.len()), '.');
        }
        if let Some(tag) = tag {
            gmail.push('+');
            gmail.push_str(&tag);
        }
        let plain = format!("{local}@gmail.com");
        prop_assert_eq!(
            canonical(&spellings(&gmail, "googlemail.com", variant)).ok(),
            canonical(&plain).ok(),
            "{} / {}", gmail, plain
        );
    }
}

const KINDS: [TokenKind; 7] = [
    TokenKind::ConfirmSignature,
    TokenKind::WithdrawSignature,
    TokenKind::ConfirmEndorsement,
    TokenKind::SetPassword,
    TokenKind::Unsubscribe,
    TokenKind::ManageSignature,
    TokenKind::ConfirmComment,
];

fn any_kind() -> impl Strategy<Value = TokenKind> {
    prop::sample::select(KINDS.to_vec())
}

proptest! {
    /// A string that was not made by the server never opens anything, of any kind, for any row.
    #[test]
    fn arbitrary_tokens_never_verify(
        text in prop_oneof![any::<String>(), "[A-Za-z0-9_-]{40,48}", "[A-Za-z0-9_-]{44}"],
        binding in prop::collection::vec(any::<u8>(), 0..20),
    ) {
        let keys = Keys::new([9; 32]);
        let now = OffsetDateTime::now_utc();
        for kind in KINDS {
            if let Some(token) = keys.decode(kind, &text) {
                prop_assert_ne!(keys.check(&token, &binding, now), TokenCheck::Valid);
            }
        }
        prop_assert!(!keys.csrf_ok("a-cookie-of-22-chars-x", &text));
    }

    /// A genuine token with any one character (or any one of its bytes) changed never opens its
    /// row, nor any other.
    #[test]
    fn a_changed_token_never_verifies(
        kind in any_kind(),
        id in any::<i64>(),
        hours in 1i64..10_000,
        binding in prop::collection::vec(any::<u8>(), 16),
        position in any::<prop::sample::Index>(),
        replacement in any::<char>(),
        flip in 1u8..=255,
    ) {
        let keys = Keys::new([3; 32]);
        let now = OffsetDateTime::now_utc();
        let text = keys.token(kind, id, now + Duration::hours(hours), &binding);
        let genuine = keys.decode(kind, &text).expect("a token the server made decodes");
        prop_assert_eq!(keys.check(&genuine, &binding, now), TokenCheck::Valid);

        let mut chars: Vec<char> = text.chars().collect();
        let i = position.index(chars.len());
        if chars[i] != replacement {
            chars[i] = replacement;
            let changed: String = chars.into_iter().collect();
            for k in KINDS {
                if let Some(token) = keys.decode(k, &changed) {
                    prop_assert_ne!(keys.check(&token, &binding, now), TokenCheck::Valid, "{}", changed);
                }
            }
        }

        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut bytes = b64.decode(&text).unwrap();
        let i = position.index(bytes.len());
        bytes[i] ^= flip;
        let changed = b64.encode(&bytes);
        for k in KINDS {
            if let Some(token) = keys.decode(k, &changed) {
                prop_assert_ne!(keys.check(&token, &binding, now), TokenCheck::Valid, "byte {} ^ {}", i, flip);
            }
        }
    }
}
