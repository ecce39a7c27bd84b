//! Field validation shared by every entry point (forms, campaign files, the command line).

use std::fmt;

/// A value that failed to parse: which field, and why, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct ValidationError {
    pub field: String,
    pub reason: String,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { field: field.into(), reason: reason.into() }
    }
}

/// Checks a free-text field: trimmed length within `min..=max` characters and no control
/// characters (a newline is allowed only where `multiline`).
pub fn text(
    field: &str,
    value: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<String, ValidationError> {
    let value = value.trim();
    let len = value.chars().count();
    if len < min {
        return Err(ValidationError::new(
            field,
            if min == 1 {
                "must not be empty".to_owned()
            } else {
                format!("must be at least {min} characters")
            },
        ));
    }
    if len > max {
        return Err(ValidationError::new(field, format!("must be at most {max} characters (it has {len})")));
    }
    let bad = value
        .chars()
        .find(|&c| (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t'))) || !is_xml_char(c));
    if let Some(c) = bad {
        return Err(ValidationError::new(
            field,
            format!("must not contain the control character U+{:04X}", c as u32),
        ));
    }
    Ok(value.to_owned())
}

/// Whether XML 1.0 allows the character in a document (the Atom feeds): not U+FFFE, U+FFFF or
/// the C0 controls other than tab and line breaks. Text fields refuse the others too.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` without the characters XML 1.0 does not allow (for feeds of text stored before they
/// were refused).
pub fn xml_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().all(is_xml_char) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

/// Characters that change how the text around them is shown without showing themselves: bidi
/// overrides, isolates and marks, zero-width spaces and joiners, fillers, tags. A name with one
/// could pass for another name or for none.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{34F}'
            | '\u{61C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// A person's or organisation's name as others will read it: `text` on one line, and no
/// character that hides itself or reorders the text around it, except the joiners (U+200C,
/// U+200D) and variation selectors that some scripts and emoji need between visible
/// characters. A name of nothing but those is refused too.
pub fn name(field: &str, value: &str, min: usize, max: usize) -> Result<String, ValidationError> {
    let value = text(field, value, min, max, false)?;
    let needed = |c: char| matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}');
    if let Some(c) = value.chars().find(|&c| is_invisible(c) && !needed(c)) {
        return Err(ValidationError::new(
            field,
            format!("must not contain the invisible character U+{:04X}", c as u32),
        ));
    }
    if min > 0 && value.chars().all(|c| is_invisible(c) || c.is_whitespace()) {
        return Err(ValidationError::new(field, "must not be empty (it has only invisible characters)"));
    }
    Ok(value)
}

/// An email address with a plausible syntax (RFC 5321 lengths; one `@`; a dotted domain;
/// no spaces, control characters or angle brackets). Whether it exists is proved by mail, not here.
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        let email = Self(Self::syntax(field, value.trim())?.to_owned());
        // The form addresses are compared in must be an address too (NFKC folds `＠` into `@`).
        Self::syntax(field, &email.canonical())?;
        Ok(email)
    }

    /// An address read back from the store. It passed [`Self::parse`] on its way in, so only its
    /// shape is checked again: the NFKC of `parse`, on every row, made the export of a million
    /// signatures twice as slow.
    pub fn stored(field: &str, value: &str) -> Result<Self, ValidationError> {
        Ok(Self(Self::syntax(field, value)?.to_owned()))
    }

    /// RFC 5321 lengths; one `@`; a dotted domain; no spaces, control characters or angle brackets.
    fn syntax<'v>(field: &str, value: &'v str) -> Result<&'v str, ValidationError> {
        let invalid = |reason: &str| Err(ValidationError::new(field, reason));
        if value.is_empty() {
            return invalid("must not be empty");
        }
        if value.len() > Self::MAX_LEN {
            return invalid("is too long for an email address (at most 254 characters)");
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return invalid("is not an email address (it has no @)");
        };
        if local.is_empty() || local.len() > 64 {
            return invalid("is not an email address (the part before @ is empty or too long)");
        }
        if domain.is_empty() || !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return invalid("is not an email address (the part after @ is not a domain)");
        }
        if value
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '<' | '>' | '"' | ',' | ';'))
        {
            return invalid("is not an email address (it contains spaces or characters not allowed there)");
        }
        if local.contains('@') {
            return invalid("is not an email address (it has more than one @)");
        }
        Ok(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What is left of an address after the retention period: nothing.
    pub fn anonymised() -> Self {
        Self(String::new())
    }

    pub fn is_anonymised(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Addresses are personal data: keep them out of debug logs.
        f.write_str("Email(..)")
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text("name", "  Lam ", 1, 10, false).unwrap(), "Lam");
        assert!(text("name", "   ", 1, 10, false).unwrap_err().reason.contains("empty"));
        assert!(text("name", "abcdefghijk", 1, 10, false).unwrap_err().reason.contains("at most 10"));
        assert!(text("name", "a\u{7}b", 1, 10, false).is_err());
        assert!(text("body", "a\nb", 1, 10, true).is_ok());
        assert!(text("name", "a\nb", 1, 10, false).is_err());
    }

    #[test]
    fn names_refuse_what_hides_or_reorders_text() {
        assert_eq!(name("name", " Lam Wing-kee ", 1, 200).unwrap(), "Lam Wing-kee");
        // Persian needs the zero-width non-joiner, emoji the joiner.
        assert!(name("name", "\u{645}\u{6CC}\u{200C}\u{62E}\u{648}\u{627}\u{647}\u{645}", 1, 200).is_ok());
        assert!(name("name", "\u{1F469}\u{200D}\u{1F4BB}", 1, 200).is_ok());
        for bad in ["Lam\u{202E}eek", "\u{2066}Lam\u{2069}", "La\u{200B}m", "\u{FEFF}Lam", "Lam\u{E0041}"] {
            let e = name("name", bad, 1, 200).unwrap_err();
            assert!(e.reason.contains("invisible"), "{bad:?}: {e}");
        }
        for blank in ["\u{200C}", "\u{200D}\u{200C}", "\u{FE0F}"] {
            assert!(name("name", blank, 1, 200).unwrap_err().reason.contains("empty"), "{blank:?}");
        }
    }

    #[test]
    fn text_refuses_what_xml_cannot_carry() {
        assert!(text("title", "News\u{FFFE}", 1, 200, false).is_err());
        assert!(text("body", "a\u{FFFF}b", 1, 200, true).is_err());
        assert!(text("title", "a\u{0}b", 1, 200, false).is_err());
        assert_eq!(xml_text("a\u{FFFE}b\u{1}c\nd"), "abc\nd");
        assert!(matches!(xml_text("plain"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn email_syntax() {
        assert!(Email::parse("email", "lam@example.org").is_ok());
        for bad in
            ["", "lam", "lam@", "@example.org", "lam@example", "l am@example.org", "a@b@c.org", "x\r\n@a.org"]
        {
            assert!(Email::parse("email", bad).is_err(), "{bad:?} accepted");
        }
    }
}

impl Email {
    /// The form two addresses of one person share, for "one person, one signature": trimmed,
    /// Unicode NFKC, the domain lower-cased and IDNA-encoded, the local part lower-cased; for
    /// providers known to ignore dots and `+tags` in the local part (Gmail), those are folded too.
    ///
    /// Most addresses are ASCII: NFKC leaves ASCII as it is, and so does IDNA a domain with no
    /// `xn--` label, so both are skipped for them (they were a tenth of a signature's CPU time).
    pub fn canonical(&self) -> String {
        use unicode_normalization::UnicodeNormalization;
        let trimmed = self.0.trim();
        let normal: std::borrow::Cow<str> =
            if trimmed.is_ascii() { trimmed.into() } else { trimmed.nfkc().collect::<String>().into() };
        let (local, domain) = normal.rsplit_once('@').unwrap_or((&normal, ""));
        let domain = domain.trim_end_matches('.').to_lowercase();
        let domain = match domain.is_ascii() && !domain.contains("xn--") {
            true => domain,
            false => idna::domain_to_ascii(&domain).unwrap_or(domain),
        };
        let mut local = local.to_lowercase();
        let domain = match domain.as_str() {
            "gmail.com" | "googlemail.com" => {
                local = local.split('+').next().unwrap_or_default().replace('.', "");
                "gmail.com".to_owned()
            }
            _ => domain,
        };
        format!("{local}@{domain}")
    }
}

#[cfg(test)]
mod canonical_tests {
    use super::Email;

    fn canonical(s: &str) -> String {
        Email::parse("email", s).unwrap().canonical()
    }

    #[test]
    fn one_person_has_one_canonical_address() {
        assert_eq!(canonical("  Lam@Example.ORG "), "lam@example.org");
        assert_eq!(canonical("j.doe+petitions@GoogleMail.com"), "jdoe@gmail.com");
        assert_eq!(canonical("J.Doe@gmail.com"), "jdoe@gmail.com");
        // Dots and tags matter elsewhere.
        assert_eq!(canonical("j.doe+x@example.org"), "j.doe+x@example.org");
        // Unicode: full-width letters fold (NFKC), domains are IDNA-encoded.
        assert_eq!(canonical("ｌａｍ@example.org"), "lam@example.org");
        assert_eq!(canonical("lam@Bücher.example"), "lam@xn--bcher-kva.example");
        assert_eq!(canonical("lam@xn--bcher-kva.example"), "lam@xn--bcher-kva.example");
    }

    #[test]
    fn ascii_domains_are_what_idna_makes_of_them() {
        // The fast path of `canonical` must agree with IDNA on every ASCII domain it skips.
        for domain in
            ["example.org", "a-b.example", "-a.example", "a_b.example", "1.2.3.4", "a..b", "x.", "ab--c.org"]
        {
            assert_eq!(idna::domain_to_ascii(domain).unwrap_or(domain.to_owned()), domain, "{domain}");
        }
    }
}
