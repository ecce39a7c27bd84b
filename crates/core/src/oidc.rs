//! Signing in with OpenID Connect (issue 18): the round trip to a provider and back, kept in the
//! database (so that any instance may take the callback) and used once; the identities linked to
//! organisers' accounts; and the operator's allow list for new organiser accounts from a provider.
//!
//! The protocol itself (discovery, the authorization code flow with PKCE, the ID token's checks) is
//! the web crate's, through the `openidconnect` crate; what is here is what it decides with.

use time::OffsetDateTime;

/// How long a visitor has between pressing a provider's button and coming back with its answer.
pub const FLOW_MINUTES: i64 = 10;

/// What a round trip to a provider is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    /// An organiser logs in (or, where the provider allows it, gets a new account).
    Login,
    /// A logged-in organiser links the identity to their account.
    Link,
    /// A commenter signs in instead of confirming an address by mail.
    Comment,
}

impl Purpose {
    pub const ALL: [Self; 3] = [Self::Login, Self::Link, Self::Comment];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Link => "link",
            Self::Comment => "comment",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == value)
    }
}

/// A round trip under way: what the callback needs to finish it, found by the keyed hash of its
/// `state` (the state itself is only in the provider's redirect), and only by the browser that
/// started it (`browser_key`, the keyed hash of a cookie of its own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    pub state_key: Vec<u8>,
    pub browser_key: Vec<u8>,
    /// The configured provider's id.
    pub provider: String,
    pub purpose: Purpose,
    /// The account being linked (for [`Purpose::Link`]).
    pub user_id: Option<i64>,
    /// The PKCE code verifier (S256), sent with the code.
    pub pkce_verifier: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// Where the visitor goes afterwards: a path of this site.
    pub return_to: String,
    pub expires_at: OffsetDateTime,
}

impl Flow {
    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        now >= self.expires_at
    }
}

/// A provider's identity linked to an organiser's account.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Identity {
    pub provider: String,
    /// The provider's `sub`: stable, unique within the provider.
    pub subject: String,
    pub created_at: OffsetDateTime,
}

/// Who may get a new organiser account from a provider (with no role until an admin gives one):
/// an address in one of `domains` that the provider says it verified, or a member of one of
/// `groups` (the ID token's `groups` claim). Both empty: nobody.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllowList {
    /// Lower-case domains, without `@`.
    pub domains: Vec<String>,
    pub groups: Vec<String>,
}

impl AllowList {
    pub fn admits(&self, email: Option<&str>, email_verified: bool, groups: &[String]) -> bool {
        let by_domain = email_verified
            && email.and_then(|e| e.rsplit_once('@')).is_some_and(|(local, domain)| {
                !local.is_empty() && self.domains.iter().any(|d| d.eq_ignore_ascii_case(domain))
            });
        let by_group = groups.iter().any(|g| self.groups.iter().any(|allowed| allowed == g));
        by_domain || by_group
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> AllowList {
        AllowList { domains: vec!["union.example".into()], groups: vec!["organisers".into()] }
    }

    #[test]
    fn a_verified_address_in_an_allowed_domain_or_an_allowed_group_is_admitted() {
        let none: [String; 0] = [];
        assert!(list().admits(Some("wong@union.example"), true, &none));
        assert!(list().admits(Some("wong@UNION.example"), true, &none));
        assert!(!list().admits(Some("wong@union.example"), false, &none), "unverified");
        assert!(!list().admits(Some("wong@evil-union.example"), true, &none));
        assert!(!list().admits(Some("wong@union.example.evil"), true, &none));
        assert!(!list().admits(Some("@union.example"), true, &none));
        assert!(!list().admits(None, true, &none));
        assert!(list().admits(None, false, &["organisers".to_owned()]));
        assert!(!list().admits(None, false, &["Organisers".to_owned(), "staff".to_owned()]));
        assert!(!AllowList::default().admits(Some("wong@union.example"), true, &["organisers".to_owned()]));
    }

    #[test]
    fn purposes_read_back() {
        for p in Purpose::ALL {
            assert_eq!(Purpose::parse(p.as_str()), Some(p));
        }
        assert_eq!(Purpose::parse("admin"), None);
    }
}
