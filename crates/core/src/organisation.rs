//! Campaigning together (issue 16): organisations with their own members and their own age key,
//! a campaign's partners (one of them may lead), the consent a signer gives to each partner, and
//! where a signature came from (`?via=PARTNER`, `?src=CODE`).
//!
//! A `via` or `src` that is not a known partner or a short plain code is dropped without a word:
//! a link carried around the web is not the signer's input to correct.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::endorsement::{EndorsementSpec, OrganisationType};
use crate::picture::PictureKey;
use crate::validation::{self, ValidationError};
use crate::{CampaignId, Lang};

/// An organisation's address on the site and in partners' links: 2 to 40 of `a-z`, `0-9`, `-`.
pub fn parse_slug(field: &str, typed: &str) -> Result<String, ValidationError> {
    let slug = typed.trim().to_ascii_lowercase();
    let ok = (2..=40).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-');
    if ok { Ok(slug) } else { Err(ValidationError::new(field, "2 to 40 of a-z, 0-9 and -")) }
}

/// A source code as kept with a signature: `^[a-z0-9][a-z0-9_.-]{0,39}$` after lower-casing;
/// anything else is no code at all.
pub fn source_code(typed: &str) -> Option<String> {
    let code = typed.trim().to_ascii_lowercase();
    let first = code.bytes().next()?;
    let ok = code.len() <= 40
        && (first.is_ascii_lowercase() || first.is_ascii_digit())
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b));
    ok.then_some(code)
}

/// An organisation's member's role: its admins manage its members and its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrgRole {
    Admin,
    Member,
}

impl OrgRole {
    pub const ALL: [Self; 2] = [Self::Admin, Self::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Member => "member",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == value.trim())
            .ok_or_else(|| ValidationError::new(field, "admin or member"))
    }
}

/// The organisation form as typed.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct OrganisationInput {
    pub org_slug: String,
    pub org_name: String,
    pub org_type: String,
    pub org_region: String,
    pub org_website: String,
}

/// An organisation as entered, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrganisation {
    pub slug: String,
    pub name: String,
    pub org_type: OrganisationType,
    /// ISO 3166-1 alpha-2, as endorsements have it.
    pub region: Option<String>,
    pub website: Option<String>,
}

impl NewOrganisation {
    /// Every field checked, every error at once.
    pub fn parse(input: &OrganisationInput) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let slug = keep(e, parse_slug("org_slug", &input.org_slug));
        let name = keep(e, validation::name("org_name", &input.org_name, 1, 200));
        let org_type = keep(e, OrganisationType::parse("org_type", &input.org_type));
        let region = keep(
            e,
            match input.org_region.trim() {
                "" => Ok(None),
                code => EndorsementSpec::parse_country("org_region", code).map(Some),
            },
        );
        let website = keep(
            e,
            match input.org_website.trim() {
                "" => Ok(None),
                w if w.starts_with("https://") || w.starts_with("http://") => {
                    validation::text("org_website", w, 1, 500, false).map(Some)
                }
                _ => Err(ValidationError::new("org_website", "must start with https:// or http://")),
            },
        );
        match (slug, name, org_type, region, website) {
            (Some(slug), Some(name), Some(org_type), Some(region), Some(website)) => {
                Ok(Self { slug, name, org_type, region, website })
            }
            _ => Err(errors),
        }
    }
}

fn keep<T>(errors: &mut Vec<ValidationError>, result: Result<T, ValidationError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// An organisation as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub org_type: OrganisationType,
    pub region: Option<String>,
    pub website: Option<String>,
    /// Its age public key (`age1…`): what its partner exports are sealed to. None: no export.
    pub recipient: Option<String>,
    pub created_at: OffsetDateTime,
    /// Its logo, if it has one (read with it, so that a campaign page's partners need no query
    /// of their own).
    pub logo: Option<Logo>,
}

/// The widest an organisation's logo is kept, in pixels: one rendition, no wider (a smaller
/// upload is kept as it is). Enough for the largest it is shown (on its own page) on a screen
/// with three device pixels to a CSS pixel.
pub const LOGO_WIDTH: u32 = 320;

/// An organisation's logo as its pages show it: the key of its address and its size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Logo {
    pub key: PictureKey,
    pub width: u32,
    pub height: u32,
}

impl Logo {
    /// Its address on this site.
    pub fn path(&self) -> String {
        format!("/media/logo/{}", self.key)
    }

    /// The size to show it at, `height` pixels high unless that makes it wider than `max_width`
    /// (then `max_width` wide), as its own proportions have it; never larger than it is.
    pub fn shown(&self, height: u32, max_width: u32) -> (u32, u32) {
        let (w, h) = (u64::from(self.width.max(1)), u64::from(self.height.max(1)));
        let height = u64::from(height.min(self.height).max(1));
        let width = (w * height + h / 2) / h;
        let (width, height) = if width > u64::from(max_width) {
            let width = u64::from(max_width);
            (width, ((h * width + w / 2) / w).max(1))
        } else {
            (width.max(1), height)
        };
        (u32::try_from(width).unwrap_or(max_width), u32::try_from(height).unwrap_or(1))
    }
}

/// A logo made ready to store: re-encoded without metadata, one rendition.
#[derive(Clone, PartialEq, Eq)]
pub struct NewLogo {
    pub key: PictureKey,
    /// As `image/png`.
    pub media_type: String,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for NewLogo {
    // Not the bytes: a picture in a log or a failed assertion is only noise.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewLogo {{ {}, {} × {}, {} bytes }}", self.key, self.width, self.height, self.bytes.len())
    }
}

/// A logo as served: its type and its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct LogoFile {
    pub media_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for LogoFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LogoFile {{ {}, {} bytes }}", self.media_type, self.bytes.len())
    }
}

/// An organisation's key as typed, checked as an organiser's own key is
/// ([`crate::owner_key::NewOwnerKey::register`]: the error's reason is
/// [`crate::age::RecipientError::code`]). Empty: no key.
pub fn parse_recipient(field: &str, typed: &str) -> Result<Option<String>, ValidationError> {
    if typed.trim().is_empty() {
        return Ok(None);
    }
    let recipient: crate::age::Recipient =
        typed.parse().map_err(|e: crate::age::RecipientError| ValidationError::new(field, e.code()))?;
    Ok(Some(recipient.as_str().to_owned()))
}

/// One of an organisation's members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Member {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub role: OrgRole,
}

/// An organisation a campaign partners with, as its owner set it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partner {
    pub campaign_id: CampaignId,
    pub organisation: Organisation,
    /// The campaign's lead organisation (one at most): listed first.
    pub lead: bool,
    /// The lead lets this partner ask the signers for their consent to hear from it.
    pub consent: bool,
    /// The consent question as edited, per language version; else the default text.
    pub consent_texts: BTreeMap<String, String>,
}

impl Partner {
    /// The consent question's edited text in `lang`, if any.
    pub fn consent_text(&self, lang: &Lang) -> Option<&str> {
        self.consent_texts.get(lang.as_str()).map(String::as_str).filter(|t| !t.trim().is_empty())
    }

    /// Whether a signer who came through `via` is asked for this partner's consent: the lead's
    /// question always, another partner's when its link brought them.
    pub fn asks(&self, via: Option<i64>) -> bool {
        self.consent && (self.lead || via == Some(self.organisation.id))
    }
}

/// The longest consent question an owner may write.
pub const CONSENT_TEXT_MAX: usize = 300;

/// A partner as its campaign's owner sets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerSetting {
    pub organisation_id: i64,
    pub lead: bool,
    pub consent: bool,
    pub consent_texts: BTreeMap<String, String>,
}

/// Where a signature came from and the consents its signer gave, as kept with it. The default (no
/// partner, no code, no consent question shown) costs the signing path nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignatureSource {
    /// The partner whose link brought the signer (a known partner of the campaign).
    pub via: Option<i64>,
    /// A short plain code from the link ([`source_code`]).
    pub src: Option<String>,
    /// The organisations the signer consented to hear from, when the form asked any: `None` when
    /// it asked none (then nothing is written), `Some` (even empty) to replace a pending
    /// signature's consents with the latest submission's.
    pub consents: Option<Vec<i64>>,
}

/// What a partner sees of a campaign it partners: confirmed signatures in all, through its link,
/// and consenting to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PartnerCounts {
    pub total: i64,
    pub via: i64,
    pub consenting: i64,
}

/// A campaign's confirmed signatures by where they came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceCounts {
    /// By source code (`None`: no code), most first.
    pub by_source: Vec<(Option<String>, i64)>,
    /// By partner's organisation id (`None`: through no partner's link), most first.
    pub by_partner: Vec<(Option<i64>, i64)>,
}

/// What a member of an organisation does on its pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgAction {
    /// See its page, its partner campaigns' counts, and export its consenting signers.
    View,
    /// Add and remove members, set its key, register its webhooks.
    Manage,
}

/// Whether `user` (with `role` in the organisation, if any) may do `action`: site admins may do
/// all, an organisation's admins manage it, its members see it.
pub fn org_allowed(user: &crate::account::User, role: Option<OrgRole>, action: OrgAction) -> bool {
    user.is_admin
        || matches!((action, role), (_, Some(OrgRole::Admin)) | (OrgAction::View, Some(OrgRole::Member)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_codes_are_short_and_plain() {
        assert_eq!(source_code("Newsletter-2026"), Some("newsletter-2026".into()));
        assert_eq!(source_code("a.b_c"), Some("a.b_c".into()));
        assert_eq!(source_code(&"x".repeat(40)), Some("x".repeat(40)));
        for bad in ["", "-x", "_x", "a b", "a/b", "<script>", "é", &"x".repeat(41), "https://x.org"] {
            assert_eq!(source_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_organisation_is_checked_field_by_field() {
        let input = OrganisationInput {
            org_slug: "HK-Union".into(),
            org_name: "HK Union".into(),
            org_type: "trade-union".into(),
            org_region: "hk".into(),
            org_website: "https://union.example".into(),
        };
        let org = NewOrganisation::parse(&input).unwrap();
        assert_eq!((org.slug.as_str(), org.region.as_deref()), ("hk-union", Some("HK")));
        let bad = OrganisationInput {
            org_slug: "a b".into(),
            org_name: "".into(),
            org_type: "club".into(),
            org_region: "XX".into(),
            org_website: "union.example".into(),
        };
        let fields: Vec<String> =
            NewOrganisation::parse(&bad).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["org_slug", "org_name", "org_type", "org_region", "org_website"]);
    }

    #[test]
    fn the_lead_asks_always_a_partner_through_its_own_link() {
        let org = |id| Organisation {
            id,
            slug: format!("o{id}"),
            name: "O".into(),
            org_type: OrganisationType::Ngo,
            region: None,
            website: None,
            recipient: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
            logo: None,
        };
        let partner = |id, lead, consent| Partner {
            campaign_id: 1,
            organisation: org(id),
            lead,
            consent,
            consent_texts: BTreeMap::new(),
        };
        assert!(partner(1, true, true).asks(None));
        assert!(partner(2, false, true).asks(Some(2)));
        assert!(!partner(2, false, true).asks(Some(3)));
        assert!(!partner(2, false, false).asks(Some(2)), "the lead did not allow it");
    }

    #[test]
    fn a_logo_is_shown_at_its_height_unless_too_wide_and_never_enlarged() {
        let logo = |width, height| Logo { key: PictureKey::random(), width, height };
        assert_eq!(logo(320, 160).shown(40, 160), (80, 40));
        assert_eq!(logo(320, 40).shown(40, 160), (160, 20), "a wide one fits the width");
        assert_eq!(logo(20, 10).shown(40, 160), (20, 10), "a small one is not enlarged");
        assert_eq!(logo(1, 8000).shown(40, 160), (1, 40));
        assert_eq!(logo(320, 1).shown(40, 160), (160, 1));
    }
}
