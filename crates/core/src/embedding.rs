//! Which other sites may show a campaign's embeddable page (`/c/{slug}/embed`) in a frame: the
//! campaign's `frame-ancestors` (CSP). Every other page of the site may be framed by none.

use std::fmt;

use serde::Serialize;

use crate::validation::ValidationError;

/// The sites that may frame a campaign's embeddable page: any (`*`, the default: the page's one
/// action is the sign form, and a signature counts only once its signer confirms it from their
/// mail, so a site that frames it to trick people gains nothing), a list of https origins, or
/// none (an empty list).
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct EmbedSites(Vec<String>);

impl EmbedSites {
    /// At most this many sites are named (the header that lists them must stay small).
    pub const MAX: usize = 50;

    /// Any site.
    pub fn anywhere() -> Self {
        Self(vec!["*".to_owned()])
    }

    /// No site.
    pub fn nowhere() -> Self {
        Self(Vec::new())
    }

    pub fn is_anywhere(&self) -> bool {
        self.0.iter().any(|s| s == "*")
    }

    /// The sites from lines of text (as organisers type them, or as stored: one a line): each
    /// `*` or an https origin such as `https://union.example.org` (`https://*.union.example.org`
    /// for its subdomains), without a path. Blank lines are skipped; `*` among others is `*`.
    pub fn parse<'a>(field: &str, lines: impl IntoIterator<Item = &'a str>) -> Result<Self, ValidationError> {
        let mut sites = Vec::new();
        for line in lines.into_iter().map(str::trim).filter(|l| !l.is_empty()) {
            let site = if line == "*" {
                line.to_owned()
            } else {
                https_origin(line).ok_or_else(|| {
                ValidationError::new(
                    field,
                    format!("{line} is not an https origin such as https://union.example.org (nor * for any site)"),
                )
            })?
            };
            if !sites.contains(&site) {
                sites.push(site);
            }
        }
        if sites.len() > Self::MAX {
            return Err(ValidationError::new(field, format!("may name at most {} sites", Self::MAX)));
        }
        if sites.iter().any(|s| s == "*") {
            return Ok(Self::anywhere());
        }
        Ok(Self(sites))
    }

    /// The sites, one an entry (`*` for any).
    pub fn sites(&self) -> &[String] {
        &self.0
    }

    /// The value of CSP's `frame-ancestors` directive for them.
    pub fn frame_ancestors(&self) -> String {
        if self.0.is_empty() { "'none'".to_owned() } else { self.0.join(" ") }
    }

    /// As stored and shown in the settings form: one a line.
    pub fn lines(&self) -> String {
        self.0.join("\n")
    }
}

impl Default for EmbedSites {
    fn default() -> Self {
        Self::anywhere()
    }
}

impl fmt::Debug for EmbedSites {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EmbedSites({:?})", self.0)
    }
}

/// `text` as an https origin (scheme, host and port, lower-case, no path), if it is one. The host
/// is a DNS name (IDNs in their `xn--` form), optionally starting with `*.`.
fn https_origin(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://")?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    if let Some(port) = port
        && !(port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok_and(|p| p > 0))
    {
        return None;
    }
    let name = host.strip_prefix("*.").unwrap_or(host);
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    (name.len() <= 253 && name.split('.').all(label_ok)).then(|| format!("https://{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<EmbedSites, ValidationError> {
        EmbedSites::parse("embed_sites", text.lines())
    }

    #[test]
    fn https_origins_and_star_are_taken_and_nothing_else() {
        let sites =
            parse(" https://Union.example.org/ \n\nhttps://*.news.example:8443\nhttps://union.example.org")
                .unwrap();
        assert_eq!(sites.sites(), ["https://union.example.org", "https://*.news.example:8443"]);
        assert_eq!(sites.frame_ancestors(), "https://union.example.org https://*.news.example:8443");
        assert_eq!(parse("https://a.example\n*").unwrap(), EmbedSites::anywhere());
        assert_eq!(parse("").unwrap().frame_ancestors(), "'none'");
        assert_eq!(EmbedSites::default().frame_ancestors(), "*");
        for bad in [
            "http://union.example.org",
            "https://union.example.org/petitions",
            "https://union.example.org?x=1",
            "https://user@union.example.org",
            "union.example.org",
            "https://union example.org",
            "https://union.example.org:0",
            "https://union.example.org:99999",
            "https://-union.example.org",
            "https://",
            "'none'",
            "https://a.example; script-src *",
        ] {
            let err = parse(bad).unwrap_err();
            assert_eq!(err.field, "embed_sites", "{bad}");
        }
    }

    #[test]
    fn the_list_is_kept_short() {
        let many: Vec<String> = (0..=EmbedSites::MAX).map(|i| format!("https://s{i}.example")).collect();
        assert!(EmbedSites::parse("embed_sites", many.iter().map(String::as_str)).is_err());
        let enough = &many[..EmbedSites::MAX];
        assert_eq!(
            EmbedSites::parse("embed_sites", enough.iter().map(String::as_str)).unwrap().sites().len(),
            50
        );
    }
}
