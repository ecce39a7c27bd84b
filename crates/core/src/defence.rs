//! Bots stopped without a third party: the "under attack" mode of a campaign or of the whole site,
//! the block lists an organiser edits (email domains, IP ranges, IP hashes), and the alert when one
//! domain or IP hash signs unusually fast. The web layer decides with these per request, in
//! memory; the store keeps them so that every instance on one database agrees.

use std::net::IpAddr;

use crate::validation::ValidationError;

/// The scope of the whole site, where a campaign's id would be.
pub const SITE: i64 = 0;

/// Why the mode is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttackCause {
    /// An organiser, an admin or the operator turned it on.
    Hand,
    /// The automatic switch: signatures came faster than the configured rate, from many addresses.
    Rate,
}

impl AttackCause {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hand => "hand",
            Self::Rate => "rate",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Hand, Self::Rate].into_iter().find(|c| c.as_str() == text)
    }
}

/// The mode, on for one scope (a campaign's id, or [`SITE`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnderAttack {
    pub scope: i64,
    /// Since when, in seconds since 1970.
    pub since: i64,
    pub cause: AttackCause,
    /// Who turned it on, or the rate seen that did.
    pub detail: String,
    /// The last time the rate was above the switch's (seconds): the automatic mode goes off after
    /// a quiet period since.
    pub busy_at: i64,
}

/// What a block list names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// An email domain and its subdomains.
    Domain,
    /// An IP range (CIDR), checked against the request's address in memory.
    IpRange,
    /// A day's IP hash, as the moderation page shows it (32 hex digits).
    IpHash,
}

impl BlockKind {
    pub const ALL: [Self; 3] = [Self::Domain, Self::IpRange, Self::IpHash];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Domain => "domain",
            Self::IpRange => "ip_range",
            Self::IpHash => "ip_hash",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The form field that edits this list.
    pub fn field(self) -> &'static str {
        match self {
            Self::Domain => "blocked_domains",
            Self::IpRange => "blocked_ip_ranges",
            Self::IpHash => "blocked_ip_hashes",
        }
    }

    /// Reads one entry of the list, as stored (lower case, a range in its canonical form).
    pub fn entry(self, text: &str) -> Result<String, String> {
        match self {
            Self::Domain => domain(text),
            Self::IpRange => IpRange::parse(text).map(|r| r.to_string()),
            Self::IpHash => ip_hash(text),
        }
    }

    /// Reads a list as typed, one entry a line (blank lines and `#` comments skipped); the
    /// error names the field, the line and what is wrong with it.
    pub fn list(self, text: &str) -> Result<Vec<String>, ValidationError> {
        let mut entries = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let entry = self
                .entry(line)
                .map_err(|reason| ValidationError::new(self.field(), format!("line {}: {reason}", n + 1)))?;
            if !entries.contains(&entry) {
                entries.push(entry);
            }
        }
        if entries.len() > MAX_ENTRIES {
            return Err(ValidationError::new(self.field(), format!("at most {MAX_ENTRIES} entries")));
        }
        Ok(entries)
    }
}

/// Entries in one list: enough for a campaign's worst week, few enough to check each signature
/// against in memory.
pub const MAX_ENTRIES: usize = 1_000;

fn domain(text: &str) -> Result<String, String> {
    let domain = text.trim().trim_start_matches("*.").trim_start_matches('@').trim_end_matches('.');
    let domain = domain.to_ascii_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if domain.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(format!(
            "“{}” is not an email domain (like example.org; a domain in another script as xn--…)",
            text.trim()
        ));
    }
    Ok(domain)
}

fn ip_hash(text: &str) -> Result<String, String> {
    let hash = text.trim().to_ascii_lowercase();
    if hash.len() == 32 && hash.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(hash)
    } else {
        Err(format!(
            "“{}” is not an IP hash: 32 hex digits, as the moderation page's links carry them",
            text.trim()
        ))
    }
}

/// Whether an email domain is `blocked` or a subdomain of it.
pub fn domain_blocked(domain: &str, blocked: &str) -> bool {
    domain == blocked || domain.strip_suffix(blocked).is_some_and(|rest| rest.ends_with('.'))
}

/// An IP range (CIDR): an address and how many of its leading bits a match shares. Written here
/// (thirty lines) rather than taken from a crate: only parsing and one comparison are needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    pub base: IpAddr,
    pub prefix: u8,
}

impl IpRange {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let wrong =
            || format!("“{text}” is not an IP range (like 203.0.113.0/24, 2001:db8::/32 or one address)");
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let base: IpAddr = address.parse().map_err(|_| wrong())?;
        let bits = if base.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= bits).ok_or_else(wrong)?,
            None => bits,
        };
        let base = match base {
            IpAddr::V4(a) => IpAddr::V4((u32::from(a) & mask(prefix, 32) as u32).into()),
            IpAddr::V6(a) => IpAddr::V6((u128::from(a) & mask(prefix, 128)).into()),
        };
        Ok(Self { base, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        match (self.base, ip) {
            (IpAddr::V4(b), IpAddr::V4(a)) => u32::from(a) & mask(self.prefix, 32) as u32 == u32::from(b),
            (IpAddr::V6(b), IpAddr::V6(a)) => u128::from(a) & mask(self.prefix, 128) == u128::from(b),
            _ => false,
        }
    }
}

fn mask(prefix: u8, bits: u32) -> u128 {
    match prefix {
        0 => 0,
        p => (u128::MAX << (128 - u32::from(p))) >> (128 - bits),
    }
}

impl std::fmt::Display for IpRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.base, self.prefix)
    }
}

/// What a trending alert is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrendKind {
    Domain,
    IpHash,
}

impl TrendKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Domain => "domain",
            Self::IpHash => "ip_hash",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Domain, Self::IpHash].into_iter().find(|k| k.as_str() == text)
    }
}

/// One email domain or IP hash that signed a campaign unusually fast in an hour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrendAlert {
    pub id: i64,
    pub campaign_id: i64,
    pub kind: TrendKind,
    /// The domain, or the IP hash as the moderation page shows it.
    pub shown: String,
    /// Hours since 1970.
    pub hour: i64,
    /// Signatures in the hour up to when it was last counted.
    pub count: i64,
    /// Whether its organisers were mailed.
    pub notified: bool,
}

/// A domain or IP hash seen signing a campaign unusually fast: what an alert records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trend {
    pub campaign_id: i64,
    pub kind: TrendKind,
    /// The domain, or the IP hash as the moderation page shows it.
    pub shown: String,
    /// Hours since 1970.
    pub hour: i64,
    /// Signatures in the sixty minutes up to now.
    pub count: i64,
}

/// Signatures counted by one instance for one campaign in one minute: all of them (`kind` "all",
/// `key` empty), per keyed IP hash ("ip") and per email domain ("domain").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    pub campaign_id: i64,
    pub minute: i64,
    pub kind: &'static str,
    pub key: String,
    pub count: i64,
}

/// A campaign's signing in the last minutes, summed over every instance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pace {
    pub signatures: i64,
    pub distinct_ips: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_match_their_addresses_only() {
        let range = IpRange::parse("203.0.113.77/24").unwrap();
        assert_eq!(range.to_string(), "203.0.113.0/24");
        assert!(range.contains("203.0.113.5".parse().unwrap()));
        assert!(range.contains("::ffff:203.0.113.5".parse().unwrap()));
        assert!(!range.contains("203.0.114.5".parse().unwrap()));
        let one = IpRange::parse("2001:db8::1").unwrap();
        assert!(one.contains("2001:db8::1".parse().unwrap()));
        assert!(!one.contains("2001:db8::2".parse().unwrap()));
        assert!(IpRange::parse("0.0.0.0/0").unwrap().contains("8.8.8.8".parse().unwrap()));
        assert!(IpRange::parse("10.0.0.0/33").is_err());
        assert!(IpRange::parse("example.org").is_err());
    }

    #[test]
    fn lists_name_the_field_and_line_at_fault() {
        assert_eq!(
            BlockKind::Domain.list("Spam.Example\n\n# ours\n*.bots.test\nspam.example").unwrap(),
            ["spam.example", "bots.test"]
        );
        let err = BlockKind::Domain.list("ok.org\nnot a domain").unwrap_err();
        assert_eq!(err.field, "blocked_domains");
        assert!(err.reason.starts_with("line 2:"), "{}", err.reason);
        assert!(BlockKind::IpHash.list("0123456789abcdef0123456789ABCDEF").is_ok());
        assert_eq!(BlockKind::IpHash.list("abc").unwrap_err().field, "blocked_ip_hashes");
        assert!(domain_blocked("mail.bots.test", "bots.test"));
        assert!(!domain_blocked("notbots.test", "bots.test"));
    }
}
