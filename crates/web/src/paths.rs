//! Paths taken from a request and put back into a page or a redirect (`?next=`, the language
//! links): only a path of this site, whatever a browser would make of it.

/// `raw` when it is a path on this site: it starts with a single `/`, and neither it nor its
/// percent-decoded form has `//` or `/\` at the start, a backslash, or a control or whitespace
/// character (browsers strip tabs and newlines, so `/%09/evil.example` becomes `//evil.example`).
pub fn same_site(raw: &str) -> Option<&str> {
    let decoded = percent_decode(raw);
    let plain = |text: &str| {
        text.starts_with('/')
            && !text.starts_with("//")
            && !text.contains('\\')
            && !text.chars().any(|c| c.is_control() || c.is_whitespace())
    };
    // Decoded twice as well: a path that is decoded again on its way (`%2509`) must still be safe.
    (plain(raw) && plain(&decoded) && plain(&percent_decode(&decoded))).then_some(raw)
}

/// Percent-encodes a path for a query string (`/login?next=`): what a path holds stays readable.
pub fn query_escape(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only local paths are followed after login (no open redirect); the organisers' home otherwise.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(same_site).unwrap_or("/organise").to_owned()
}

/// `%XX` sequences decoded; anything else (and invalid UTF-8) kept as it is. A text without `%`
/// is itself (every request's path passes here: most have none).
fn percent_decode(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('%') {
        return std::borrow::Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    std::borrow::Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::same_site;

    #[test]
    fn only_paths_of_this_site_pass() {
        for good in ["/organise", "/c/free-lam?lang=en", "/c/%E4%B8%AD", "/a/b/"] {
            assert_eq!(same_site(good), Some(good));
        }
        for bad in [
            "",
            "organise",
            "//evil.example",
            "/\\evil.example",
            "/%09/evil.example",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/\t/evil.example",
            "/a\nb",
            "/a%0d%0aSet-Cookie:x",
            "/%2509/evil.example",
            "https://evil.example",
            "/a b",
        ] {
            assert_eq!(same_site(bad), None, "{bad:?}");
        }
    }
}
