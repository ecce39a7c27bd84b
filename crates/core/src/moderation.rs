//! Moderating signatures: which signatures a moderator means, the invalidations that took them
//! out of the counts (reversibly), and the abuse rule's groups of one IP hash.

use time::OffsetDateTime;

/// Which signatures a moderator means. Every condition given must hold; at least one is needed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignatureFilter {
    /// The part of the address after @, lower-cased.
    pub email_domain: Option<String>,
    pub country: Option<String>,
    /// Signed at or after.
    pub from: Option<OffsetDateTime>,
    /// Signed before.
    pub until: Option<OffsetDateTime>,
    pub ip_key: Option<Vec<u8>>,
    pub signature_id: Option<i64>,
}

impl SignatureFilter {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The conditions in words, for the record (kept in the database).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = &self.email_domain {
            parts.push(format!("email domain {d}"));
        }
        if let Some(c) = &self.country {
            parts.push(format!("country {c}"));
        }
        if let Some(t) = self.from {
            parts.push(format!("from {t}"));
        }
        if let Some(t) = self.until {
            parts.push(format!("until {t}"));
        }
        // Its first four hex digits only: the record (the invalidation, the audit log) outlives
        // the IP hashes by far, and holds nothing the data key seals (the moderation page shows
        // eight digits and the whole hash, which a copy of the database must not give away).
        if let Some(k) = &self.ip_key {
            parts.push(format!("IP hash {}…", hex::encode(&k[..2.min(k.len())])));
        }
        if let Some(id) = self.signature_id {
            parts.push(format!("signature #{id}"));
        }
        parts.join(", ")
    }
}

/// A record written before [`SignatureFilter::describe`] cut IP hashes short, with each whole
/// hash (32 hex digits after "IP hash ") cut as it now does; `None` when it holds none.
pub fn shorten_ip_hashes(text: &str) -> Option<String> {
    const MARK: &str = "IP hash ";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut found = false;
    while let Some(at) = rest.find(MARK) {
        let (before, after) = rest.split_at(at + MARK.len());
        out.push_str(before);
        let whole = after.len() >= 32 && after.as_bytes()[..32].iter().all(u8::is_ascii_hexdigit);
        if whole && !after[32..].starts_with(|c: char| c.is_ascii_hexdigit()) {
            out.push_str(&after[..4]);
            out.push('…');
            rest = &after[32..];
            found = true;
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    found.then_some(out)
}

/// A recorded invalidation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalidation {
    pub id: i64,
    pub conditions: String,
    pub signatures: i64,
    pub actor: String,
    pub created_at: OffsetDateTime,
    pub restored_at: Option<OffsetDateTime>,
}

/// Signatures sharing one IP hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpGroup {
    pub ip_key: Vec<u8>,
    pub signatures: i64,
    pub first: OffsetDateTime,
    pub last: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_names_an_ip_hash_by_four_digits_only() {
        let filter =
            SignatureFilter { ip_key: Some(vec![0x3f, 0xa1, 0x22, 0x33, 0x44]), ..Default::default() };
        assert_eq!(filter.describe(), "IP hash 3fa1…");
        let old = format!("3 signatures: country HK, IP hash {}", "3fa1".repeat(8));
        assert_eq!(shorten_ip_hashes(&old).unwrap(), "3 signatures: country HK, IP hash 3fa1…");
        assert_eq!(shorten_ip_hashes("3 signatures: IP hash 3fa1…"), None);
        assert_eq!(shorten_ip_hashes("country HK"), None);
    }
}
