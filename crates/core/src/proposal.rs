//! Campaigns the public proposes, as on the UK Parliament's petitions site: anyone (when the site
//! allows it) writes a proposal and confirms their address by mail; it gathers sponsors from a
//! link its proposer passes on (each confirms by mail, and counts as one of its first
//! signatures); with enough sponsors it waits for a moderator, who publishes it (the proposer
//! becomes its owner) or rejects it with a standard reason and a note, published unless the
//! reason hides it.
//!
//! A proposal is a draft campaign with a row of its own beside it: its text is the campaign's,
//! its sponsors are the campaign's signatures, so that what is published is what was sponsored
//! and nothing is copied.

use serde::Serialize;
use time::OffsetDateTime;

use crate::Lang;
use crate::campaign::CampaignId;
use crate::demand::Demand;
use crate::validation::{self, Email, ValidationError};

/// Who may start a campaign: a site setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WhoStarts {
    /// Only admins (the default: a site run by one organisation).
    #[default]
    Admins,
    /// Any organiser with an account.
    Organisers,
    /// Anyone: the public proposes, sponsors back, moderators decide.
    Anyone,
}

impl WhoStarts {
    pub const ALL: [Self; 3] = [Self::Admins, Self::Organisers, Self::Anyone];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admins => "admins",
            Self::Organisers => "organisers",
            Self::Anyone => "anyone",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|w| w.as_str() == value.trim())
            .ok_or_else(|| ValidationError::new(field, "must be admins, organisers or anyone"))
    }
}

/// The site's settings for starting campaigns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SiteSettings {
    pub who_starts: WhoStarts,
    /// How many confirmed sponsors a proposal needs before a moderator sees it.
    pub sponsors_needed: u32,
    /// Whether everyone who may see personal data (admins, and owners of a campaign) must have a
    /// second factor before they use the organisers' pages.
    pub require_second_factor: bool,
}

impl SiteSettings {
    /// e-petitions asks for five.
    pub const DEFAULT_SPONSORS: u32 = 5;
    pub const MAX_SPONSORS: u32 = 1_000;

    pub fn parse_sponsors(field: &str, value: &str) -> Result<u32, ValidationError> {
        match value.trim().parse::<u32>() {
            Ok(n) if n <= Self::MAX_SPONSORS => Ok(n),
            _ => {
                Err(ValidationError::new(field, format!("must be a number from 0 to {}", Self::MAX_SPONSORS)))
            }
        }
    }
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            who_starts: WhoStarts::default(),
            sponsors_needed: Self::DEFAULT_SPONSORS,
            require_second_factor: false,
        }
    }
}

/// Where a proposal is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProposalState {
    /// Its proposer has not confirmed their address yet.
    Unconfirmed,
    /// Confirmed, gathering sponsors.
    Gathering,
    /// Enough sponsors: waiting for a moderator.
    Moderation,
    /// Published: a campaign like any other, owned by its proposer.
    Published,
    /// Rejected, with a reason and a note.
    Rejected,
}

impl ProposalState {
    pub const ALL: [Self; 5] =
        [Self::Unconfirmed, Self::Gathering, Self::Moderation, Self::Published, Self::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unconfirmed => "unconfirmed",
            Self::Gathering => "gathering",
            Self::Moderation => "moderation",
            Self::Published => "published",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether a moderator has decided it (published or rejected): its sponsor link then says so.
    pub fn is_decided(self) -> bool {
        matches!(self, Self::Published | Self::Rejected)
    }

    /// Whether sponsors may still back it: from its proposer's confirmation until a decision.
    pub fn takes_sponsors(self) -> bool {
        matches!(self, Self::Gathering | Self::Moderation)
    }
}

/// Why a moderator rejected a proposal: e-petitions' standard reasons, in short.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RejectionReason {
    /// A campaign for the same thing exists (the note names it).
    Duplicate,
    /// Not something the target can do.
    NotActionable,
    /// Offensive, defamatory, or otherwise not to be published.
    Offensive,
    /// It holds someone's personal data.
    PersonalData,
    Other,
}

impl RejectionReason {
    pub const ALL: [Self; 5] =
        [Self::Duplicate, Self::NotActionable, Self::Offensive, Self::PersonalData, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Duplicate => "duplicate",
            Self::NotActionable => "not-actionable",
            Self::Offensive => "offensive",
            Self::PersonalData => "personal-data",
            Self::Other => "other",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == value.trim())
            .ok_or_else(|| ValidationError::new(field, "must be one of the standard reasons"))
    }

    /// Whether a proposal rejected for this reason is kept off the public list of rejected
    /// proposals: publishing an offensive text, or someone's personal data, with the reason would
    /// publish what the rejection keeps out.
    pub fn hides(self) -> bool {
        matches!(self, Self::Offensive | Self::PersonalData)
    }
}

/// A proposal as stored. Its text is its campaign's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub proposer_name: String,
    pub proposer_email: Email,
    /// The proposer's address's keyed digest: what their private link is bound to.
    pub email_key: Vec<u8>,
    /// The language the proposer wrote in: their mail comes in it.
    pub lang: Lang,
    pub state: ProposalState,
    pub reason: Option<RejectionReason>,
    /// The moderator's note with a rejection (published with it unless the reason hides it).
    pub note: String,
    /// The proposer's account, once published.
    pub owner: Option<i64>,
    pub created_at: OffsetDateTime,
    pub sponsored_at: Option<OffsetDateTime>,
    pub decided_at: Option<OffsetDateTime>,
}

/// What a moderator decides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Publish,
    Reject { reason: RejectionReason, note: String },
}

impl Decision {
    pub const NOTE_MAX: usize = 2_000;

    /// A rejection as the moderation form sends it: the reason, and a note (required for
    /// "duplicate" and "other", which mean nothing without one).
    pub fn reject(reason: &str, note: &str) -> Result<Self, ValidationError> {
        let reason = RejectionReason::parse("reason", reason)?;
        let needs_note = matches!(reason, RejectionReason::Duplicate | RejectionReason::Other);
        let note = validation::text("note", note, usize::from(needs_note), Self::NOTE_MAX, true)?;
        Ok(Self::Reject { reason, note })
    }
}

/// The text of a proposal as its form sends it, each field checked on its own so that the form
/// names every field that is wrong at once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ProposalText {
    pub title: String,
    pub summary: String,
    pub target: String,
    pub body: String,
    /// One demand a line.
    pub demands: String,
}

impl ProposalText {
    /// The demands, one a line, blank lines dropped.
    pub fn demand_lines(&self) -> Vec<String> {
        self.demands.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
    }

    /// The language version the text makes, with its demands, or every field's error.
    pub fn version(&self, lang: Lang) -> Result<(crate::CampaignVersion, Vec<Demand>), Vec<ValidationError>> {
        let demands = self.demand_lines();
        let mut errors: Vec<ValidationError> = [
            validation::text("title", &self.title, 1, 200, false).err(),
            validation::text("summary", &self.summary, 0, 1_000, true).err(),
            validation::text("target", &self.target, 1, 300, false).err(),
            validation::text("body", &self.body, 1, 20_000, true).err(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if demands.is_empty() || demands.len() > crate::demand::MAX_DEMANDS {
            errors.push(ValidationError::new("demands", "one to thirty demands, one a line"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let demands = demands
            .into_iter()
            .map(|d| Demand::parse_text("demands", &d).map(Some))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| vec![e])?;
        let demands = crate::demand::by_position(&[(lang.clone(), demands)]);
        let version =
            crate::CampaignVersion::parse(lang, &self.title, &self.summary, &self.target, &self.body)
                .map_err(|e| vec![e])?;
        Ok((version, demands))
    }

    /// The form filled with a version's text, and its demands as its readers read them.
    pub fn of(content: &crate::CampaignContent, version: &crate::CampaignVersion) -> Self {
        Self {
            title: version.title.clone(),
            summary: version.summary.clone(),
            target: version.target.clone(),
            body: version.body.clone(),
            demands: content.demand_texts_in(&version.lang).join("\n"),
        }
    }
}

/// A campaign's address made from its title: the ASCII letters and digits of its words, joined
/// by hyphens (a title in Chinese has none: then just "proposal"), with a random tail so that two
/// proposals with one title do not collide.
pub fn slug_for(title: &str, tail: u32) -> crate::Slug {
    let mut slug = String::new();
    for word in title.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if slug.len() + word.len() + 1 > 50 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    if slug.is_empty() {
        slug.push_str("proposal");
    }
    let slug = format!("{slug}-{:04x}", tail & 0xffff);
    crate::Slug::parse("slug", &slug).expect("ASCII words and hyphens make a slug")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_keeps_the_ascii_words_of_a_title() {
        assert_eq!(slug_for("Free Li Wangyang!", 0xab).as_str(), "free-li-wangyang-00ab");
        assert_eq!(slug_for("釋放李旺陽", 0x1234).as_str(), "proposal-1234");
        assert_eq!(slug_for("李旺陽 2004 appeal", 1).as_str(), "2004-appeal-0001");
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let text = ProposalText { title: " ".into(), body: "x".into(), ..Default::default() };
        let errors = text.version(Lang::known("en")).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "target", "demands"]);
    }

    #[test]
    fn reasons_that_hide_and_notes_that_are_needed() {
        assert!(RejectionReason::Offensive.hides() && RejectionReason::PersonalData.hides());
        assert!(!RejectionReason::Duplicate.hides());
        assert!(Decision::reject("duplicate", "").is_err(), "a duplicate names the other campaign");
        assert!(Decision::reject("offensive", "").is_ok());
        assert!(Decision::reject("nonsense", "x").is_err());
    }
}
