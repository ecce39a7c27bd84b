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

    /// The conditions in words, for the record.
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
        if let Some(k) = &self.ip_key {
            parts.push(format!("IP hash {}", k.iter().map(|b| format!("{b:02x}")).collect::<String>()));
        }
        if let Some(id) = self.signature_id {
            parts.push(format!("signature #{id}"));
        }
        parts.join(", ")
    }
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
