//! API tokens: what lets a program (a CRM's sync, a script) use the API on an organiser's behalf,
//! for one campaign or, an admin's, for the whole site, with scopes that say what more than
//! reading it may do. A token is shown once, when it is made; the store keeps only its SHA-256
//! and a short prefix to recognise it by.
//!
//! A token's rights are never more than its owner's: [`may_hold`] decides, through
//! [`crate::account::allowed`], both when a token is made and each time it is used, so a token
//! stops working for what its owner may no longer do (a role taken away, an admin demoted).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::{Date, Duration, OffsetDateTime, Time};

use crate::account::{Action, Role, User, allowed};
use crate::id::CampaignId;
use crate::validation::{self, ValidationError};

/// What every token starts with, so that it can be recognised (by secret scanners, in a leak).
pub const TOKEN_PREFIX: &str = "us_";

/// How many characters of a token are kept to recognise it by, `us_` included.
pub const VISIBLE_PREFIX_LEN: usize = 11;

/// A token's life when its maker does not choose one.
pub const DEFAULT_DAYS: i64 = 90;

/// The longest life a token may have: a year.
pub const MAX_DAYS: i64 = 365;

pub const NAME_MAX: usize = 100;

/// What a token may do beyond reading what its campaign shows the public and its signatures'
/// identifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Scope {
    /// Read the personal data of signers: names, addresses, what they chose.
    #[serde(rename = "pii:read")]
    PiiRead,
    /// Record signatures collected elsewhere (verified by the organisers), as offline signatures.
    #[serde(rename = "signatures:import")]
    SignaturesImport,
    /// Register and change webhooks.
    #[serde(rename = "webhooks:manage")]
    WebhooksManage,
}

impl Scope {
    pub const ALL: [Self; 3] = [Self::PiiRead, Self::SignaturesImport, Self::WebhooksManage];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PiiRead => "pii:read",
            Self::SignaturesImport => "signatures:import",
            Self::WebhooksManage => "webhooks:manage",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        Self::ALL.into_iter().find(|s| s.as_str() == value.trim()).ok_or_else(|| {
            ValidationError::new(field, "must be pii:read, signatures:import or webhooks:manage")
        })
    }

    /// What the token's owner must be allowed to do on the campaign for a token to have it: see
    /// the signers' addresses (their personal data) for `pii:read`, as the export with addresses
    /// (owners); enter endorsements collected offline for `signatures:import`, as the offline
    /// form and the spreadsheet import (moderators and up); change the campaign for
    /// `webhooks:manage` (editors and up: a webhook is part of how the campaign is run).
    pub fn needs(self) -> Action {
        match self {
            Self::PiiRead => Action::ExportEmails,
            Self::SignaturesImport => Action::AddOfflineEndorsements,
            Self::WebhooksManage => Action::EditCampaign,
        }
    }
}

/// A set of scopes, in the order of [`Scope::ALL`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Scopes(Vec<Scope>);

impl Scopes {
    pub fn new(scopes: impl IntoIterator<Item = Scope>) -> Self {
        let mut scopes: Vec<Scope> = scopes.into_iter().collect();
        scopes.sort();
        scopes.dedup();
        Self(scopes)
    }

    pub fn contains(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }

    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// As stored: the names, separated by spaces (none: empty).
    pub fn to_text(&self) -> String {
        self.0.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
    }

    /// Read back from [`Self::to_text`].
    pub fn from_text(text: &str) -> Result<Self, ValidationError> {
        text.split_whitespace()
            .map(|s| Scope::parse("scopes", s))
            .collect::<Result<Vec<_>, _>>()
            .map(Self::new)
    }
}

/// Whether `user` (with `role` on `campaign`, where the token is for one) may hold a token for
/// `campaign` (`None`: the whole site) with `scopes`: a site-wide token only for admins; a
/// campaign's only for its team (who see its dashboard), each scope only for who may do what it
/// needs ([`Scope::needs`]). The scope refused, if one is.
pub fn may_hold(
    user: &User,
    campaign: Option<CampaignId>,
    role: Option<Role>,
    scopes: &Scopes,
) -> Result<(), Refused> {
    match campaign {
        None if !allowed(Some(user), None, Action::Administer) => Err(Refused::SiteWide),
        Some(_) if !allowed(Some(user), role, Action::ViewDashboard) => Err(Refused::Campaign),
        _ => match scopes.iter().find(|s| !allowed(Some(user), role, s.needs())) {
            Some(scope) => Err(Refused::Scope(scope)),
            None => Ok(()),
        },
    }
}

/// Why a token may not be held (made, or used) by its owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Site-wide tokens are for admins.
    SiteWide,
    /// The owner has no role on the campaign.
    Campaign,
    /// The owner's role does not allow what the scope needs.
    Scope(Scope),
}

/// A token as it is handed to its maker, once: `us_` and 32 random bytes in base64url.
pub struct Secret(String);

impl Secret {
    /// A new token, from the operating system's random numbers.
    pub fn generate() -> Self {
        let bytes: [u8; 32] = rand::random();
        Self(format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part kept to recognise the token by, on the tokens page: `us_` and 8 characters.
    pub fn visible_prefix(&self) -> String {
        self.0.chars().take(VISIBLE_PREFIX_LEN).collect()
    }

    pub fn hash(&self) -> [u8; 32] {
        hash(&self.0)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// What a token is stored and looked up as: its SHA-256. A fast hash is right here, unlike for
/// passwords: a token is 256 random bits, so nobody can guess one by hashing candidates however
/// fast they hash, and a stolen table of hashes opens nothing. A slow hash would only make every
/// API request slow.
pub fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A token's name, to recognise it by on the tokens page, and its origin in what it imports.
pub fn token_name(field: &str, value: &str) -> Result<String, ValidationError> {
    validation::name(field, value, 1, NAME_MAX)
}

/// When a token chosen to last until `date` (inclusive; UTC) stops working: the start of the day
/// after. `today + 1` to `today +` [`MAX_DAYS`]` are allowed.
pub fn expiry(field: &str, date: &str, now: OffsetDateTime) -> Result<OffsetDateTime, ValidationError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = Date::parse(date.trim(), &format)
        .map_err(|_| ValidationError::new(field, "must be a date such as 2030-01-31"))?;
    let today = now.to_offset(time::UtcOffset::UTC).date();
    if date < today {
        return Err(ValidationError::new(field, "must not be in the past"));
    }
    if date > today + Duration::days(MAX_DAYS) {
        return Err(ValidationError::new(field, format!("must be at most {MAX_DAYS} days from today")));
    }
    Ok((date + Duration::days(1)).with_time(Time::MIDNIGHT).assume_utc())
}

/// The last day a token made now works by default.
pub fn default_last_day(now: OffsetDateTime) -> Date {
    now.to_offset(time::UtcOffset::UTC).date() + Duration::days(DEFAULT_DAYS)
}

/// A token about to be stored.
#[derive(Clone, Debug)]
pub struct NewToken {
    pub user_id: i64,
    pub campaign_id: Option<CampaignId>,
    pub name: String,
    pub scopes: Scopes,
    pub hash: [u8; 32],
    pub prefix: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// A stored token: everything but the token itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    /// The owner's address (for admins, who see every token).
    pub owner: String,
    pub campaign_id: Option<CampaignId>,
    pub name: String,
    pub scopes: Scopes,
    pub prefix: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

/// Whether a token works.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenState {
    Active,
    Expired,
    Revoked,
}

impl TokenState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
        }
    }
}

/// How long after its last recorded use a token's use is recorded again: at most one write a
/// minute per token, not one per request.
pub const USE_RECORDED_EVERY: Duration = Duration::minutes(1);

impl ApiToken {
    pub fn state(&self, now: OffsetDateTime) -> TokenState {
        if self.revoked_at.is_some() {
            TokenState::Revoked
        } else if now >= self.expires_at {
            TokenState::Expired
        } else {
            TokenState::Active
        }
    }

    /// Whether a use at `now` is to be recorded (the last one recorded is a minute old or more).
    pub fn use_to_record(&self, now: OffsetDateTime) -> bool {
        self.last_used_at.is_none_or(|last| now - last >= USE_RECORDED_EVERY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn user(admin: bool) -> User {
        User { id: 1, email: "o@example.org".into(), name: "O".into(), is_admin: admin }
    }

    #[test]
    fn a_token_is_us_and_256_random_bits_kept_as_its_sha256() {
        let (a, b) = (Secret::generate(), Secret::generate());
        assert_ne!(a.as_str(), b.as_str());
        assert!(a.as_str().starts_with("us_"));
        assert_eq!(a.as_str().len(), 3 + 43, "32 bytes in unpadded base64url");
        assert_eq!(URL_SAFE_NO_PAD.decode(&a.as_str()[3..]).unwrap().len(), 32);
        assert_eq!(a.visible_prefix().len(), VISIBLE_PREFIX_LEN);
        assert!(a.as_str().starts_with(&a.visible_prefix()));
        assert_eq!(a.hash(), hash(a.as_str()));
        assert_eq!(format!("{a:?}"), "Secret(..)");
    }

    #[test]
    fn scopes_are_kept_as_text_in_order() {
        let scopes = Scopes::new([Scope::WebhooksManage, Scope::PiiRead, Scope::PiiRead]);
        assert_eq!(scopes.to_text(), "pii:read webhooks:manage");
        assert_eq!(Scopes::from_text(&scopes.to_text()).unwrap(), scopes);
        assert!(Scopes::from_text("").unwrap().is_empty());
        assert_eq!(Scopes::from_text("pii:write").unwrap_err().field, "scopes");
    }

    #[test]
    fn a_token_holds_no_more_than_its_owner_may_do() {
        let pii = Scopes::new([Scope::PiiRead]);
        let import = Scopes::new([Scope::SignaturesImport]);
        let organiser = user(false);
        assert_eq!(may_hold(&organiser, None, None, &Scopes::default()), Err(Refused::SiteWide));
        assert_eq!(may_hold(&user(true), None, None, &pii), Ok(()));
        assert_eq!(may_hold(&organiser, Some(1), None, &Scopes::default()), Err(Refused::Campaign));
        assert_eq!(may_hold(&organiser, Some(1), Some(Role::Moderator), &Scopes::default()), Ok(()));
        assert_eq!(may_hold(&organiser, Some(1), Some(Role::Moderator), &import), Ok(()));
        assert_eq!(
            may_hold(&organiser, Some(1), Some(Role::Editor), &pii),
            Err(Refused::Scope(Scope::PiiRead)),
            "personal data is for owners, as the export with addresses"
        );
        assert_eq!(may_hold(&organiser, Some(1), Some(Role::Owner), &pii), Ok(()));
    }

    #[test]
    fn a_token_lasts_until_the_end_of_its_last_day_a_year_at_most() {
        let now = datetime!(2025-03-01 15:00 UTC);
        assert_eq!(expiry("expires", "2025-03-01", now).unwrap(), datetime!(2025-03-02 00:00 UTC));
        assert_eq!(expiry("expires", "2026-03-01", now).unwrap(), datetime!(2026-03-02 00:00 UTC));
        assert!(expiry("expires", "2026-03-02", now).is_err(), "more than a year");
        assert!(expiry("expires", "2025-02-28", now).is_err(), "in the past");
        assert!(expiry("expires", "soon", now).is_err());
        assert_eq!(default_last_day(now), time::macros::date!(2025 - 05 - 30));
    }

    #[test]
    fn a_token_works_until_revoked_or_expired_and_its_use_is_recorded_once_a_minute() {
        let now = datetime!(2025-03-01 15:00 UTC);
        let mut token = ApiToken {
            id: 1,
            user_id: 1,
            owner: "o@example.org".into(),
            campaign_id: None,
            name: "CRM".into(),
            scopes: Scopes::default(),
            prefix: "us_abcdefgh".into(),
            created_at: now,
            expires_at: now + Duration::days(1),
            last_used_at: None,
            revoked_at: None,
        };
        assert_eq!(token.state(now), TokenState::Active);
        assert_eq!(token.state(now + Duration::days(1)), TokenState::Expired);
        assert!(token.use_to_record(now));
        token.last_used_at = Some(now);
        assert!(!token.use_to_record(now + Duration::seconds(59)));
        assert!(token.use_to_record(now + Duration::seconds(60)));
        token.revoked_at = Some(now);
        assert_eq!(token.state(now), TokenState::Revoked);
    }
}
