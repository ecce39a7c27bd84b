//! A campaign: one appeal in several language versions, sharing one count.

use std::fmt;

use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::Lang;
use crate::demand::{Demand, VersionDemand};
use crate::embedding::EmbedSites;
use crate::endorsement::EndorsementSpec;
use crate::validation::{self, Email, ValidationError};

pub use crate::id::CampaignId;

/// The campaign's name in its address, `/c/{slug}`: lower-case ASCII letters, digits and single
/// hyphens, 1 to 80 characters.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 80;

    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        let value = value.trim();
        let ok_chars = value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if value.is_empty() || value.len() > Self::MAX_LEN {
            return Err(ValidationError::new(field, format!("must be 1 to {} characters", Self::MAX_LEN)));
        }
        if !ok_chars || value.starts_with('-') || value.ends_with('-') || value.contains("--") {
            return Err(ValidationError::new(
                field,
                "may hold only lower-case letters a-z, digits and single hyphens between them",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Slug({})", self.0)
    }
}

/// Where a campaign is in its life. Only an open campaign takes signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CampaignStatus {
    Draft,
    Open,
    Closed,
    Won,
    /// Taken down by its owner after people signed: hidden, its signatures kept (the public
    /// address says it was withdrawn).
    Withdrawn,
}

impl CampaignStatus {
    pub const ALL: [Self; 5] = [Self::Draft, Self::Open, Self::Closed, Self::Won, Self::Withdrawn];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Won => "won",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == value.trim())
            .ok_or_else(|| ValidationError::new(field, "must be one of draft, open, closed, won, withdrawn"))
    }

    /// Whether the public can see the campaign at all (drafts are the organisers' own; a
    /// withdrawn campaign is taken down).
    pub fn is_public(self) -> bool {
        !matches!(self, Self::Draft | Self::Withdrawn)
    }

    /// Whether the campaign has stopped taking signatures for good (and so its retention period
    /// runs).
    pub fn has_ended(self) -> bool {
        matches!(self, Self::Closed | Self::Won | Self::Withdrawn)
    }

    /// What unpublishing makes of a campaign: a draft again when nobody has signed it, else
    /// withdrawn (hidden, its signatures kept). `None`: it is not public, so there is nothing to
    /// unpublish.
    pub fn unpublished(self, signed: bool) -> Option<Self> {
        match self {
            Self::Open | Self::Closed | Self::Won => Some(if signed { Self::Withdrawn } else { Self::Draft }),
            Self::Draft | Self::Withdrawn => None,
        }
    }

    /// What republishing makes of a withdrawn campaign, `had` being the status it had when it was
    /// withdrawn: it goes back to that, won or closed as it was, and open again if it was open,
    /// unless its end date has passed by `now` (then closed, as it would have closed by itself).
    /// `None` for a status no withdrawn campaign keeps.
    pub fn republished(had: Self, closes_at: Option<OffsetDateTime>, now: OffsetDateTime) -> Option<Self> {
        match had {
            Self::Open if closes_at.is_some_and(|t| t <= now) => Some(Self::Closed),
            Self::Open | Self::Closed | Self::Won => Some(had),
            Self::Draft | Self::Withdrawn => None,
        }
    }

    /// Only a draft that nobody signed may be deleted: a signature is kept until its signer
    /// withdraws it or the retention period ends.
    pub fn may_delete(self, signed: bool) -> bool {
        self == Self::Draft && !signed
    }

    /// The moves a campaign's life allows: draft → open → closed or won; a closed campaign may
    /// still be won (the target gives in after signatures stopped).
    pub fn can_become(self, next: Self) -> bool {
        matches!(
            (self, next),
            (Self::Draft, Self::Open)
                | (Self::Open, Self::Closed)
                | (Self::Open, Self::Won)
                | (Self::Closed, Self::Won)
        )
    }
}

/// The person to write to about the campaign. The email is published on the campaign page, so it
/// is an organisation's address, not a signer's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub name: String,
    pub email: Option<Email>,
}

impl Contact {
    pub fn parse(name: &str, email: Option<&str>) -> Result<Self, ValidationError> {
        Ok(Self {
            name: validation::name("contact.name", name, 1, 200)?,
            email: email
                .filter(|e| !e.trim().is_empty())
                .map(|e| Email::parse("contact.email", e))
                .transpose()?,
        })
    }
}

/// One language version of a campaign: the appeal as its readers in that language see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CampaignVersion {
    pub lang: Lang,
    pub title: String,
    pub summary: String,
    /// Whom the appeal is addressed to, as written in this language.
    pub target: String,
    /// The appeal's long text, in Markdown (rendered and sanitised for display).
    pub body: String,
}

impl CampaignVersion {
    /// The version's own fields; its demands are the campaign's ([`CampaignContent::demands`]).
    pub fn parse(
        lang: Lang,
        title: &str,
        summary: &str,
        target: &str,
        body: &str,
    ) -> Result<Self, ValidationError> {
        Ok(Self {
            lang,
            title: validation::text("title", title, 1, 200, false)?,
            summary: validation::text("summary", summary, 0, 1_000, true)?,
            target: validation::text("target", target, 0, 300, false)?,
            body: validation::text("body", body, 0, 100_000, true)?,
        })
    }
}

/// Everything a campaign is, apart from its identity in the database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CampaignContent {
    pub slug: Slug,
    pub status: CampaignStatus,
    pub opens_at: Option<OffsetDateTime>,
    pub closes_at: Option<OffsetDateTime>,
    /// The date the appeal carries ("10th February, 2004").
    pub dated: Option<Date>,
    pub contact: Contact,
    pub signature_goal: Option<u32>,
    pub default_lang: Lang,
    /// The language versions, the default one first.
    pub versions: Vec<CampaignVersion>,
    /// The numbered demands, in order, the same in every version (each written in some of its
    /// languages).
    pub demands: Vec<Demand>,
    /// The sites that may show the campaign's embeddable page in a frame.
    pub embed_sites: EmbedSites,
}

impl CampaignContent {
    /// The rules that span fields: a version in the default language, one version per language,
    /// closing after opening.
    pub fn check(&self) -> Result<(), ValidationError> {
        if self.version(&self.default_lang).is_none() {
            return Err(ValidationError::new(
                "default_language",
                format!("there is no version in the default language {}", self.default_lang),
            ));
        }
        for (i, v) in self.versions.iter().enumerate() {
            if self.versions[..i].iter().any(|w| w.lang == v.lang) {
                return Err(ValidationError::new("lang", format!("two versions in {}", v.lang)));
            }
        }
        if let (Some(open), Some(close)) = (self.opens_at, self.closes_at)
            && close <= open
        {
            return Err(ValidationError::new("closes_at", "must be after opens_at"));
        }
        if self.signature_goal == Some(0) {
            return Err(ValidationError::new("signature_goal", "must be a positive number"));
        }
        let langs: Vec<&Lang> = self.versions.iter().map(|v| &v.lang).collect();
        crate::demand::check(&self.demands, &langs)
    }

    /// Whether the campaign takes signatures at `now`: open, and within its dates where it has them.
    pub fn is_open_at(&self, now: OffsetDateTime) -> bool {
        self.status == CampaignStatus::Open
            && self.opens_at.is_none_or(|t| t <= now)
            && self.closes_at.is_none_or(|t| now < t)
    }

    /// A campaign whose end date has passed is closed, whether or not the server's upkeep has
    /// recorded it yet: reading it at `now` says so. Whether it changed.
    pub fn close_if_ended(&mut self, now: OffsetDateTime) -> bool {
        let status = self.status_at(now);
        let ended = status != self.status;
        self.status = status;
        ended
    }

    /// The status at `now`: an open campaign whose end date has passed is closed.
    pub fn status_at(&self, now: OffsetDateTime) -> CampaignStatus {
        match self.status {
            CampaignStatus::Open if self.closes_at.is_some_and(|t| t <= now) => CampaignStatus::Closed,
            status => status,
        }
    }

    /// A campaign opens only with every version complete: a title, a text and at least one demand
    /// (a demand not yet translated in a version shows there in the default language's words).
    pub fn ready_to_open(&self) -> Result<(), ValidationError> {
        for v in &self.versions {
            if v.title.is_empty() || v.body.is_empty() || self.demands.is_empty() {
                return Err(ValidationError::new(
                    "status",
                    format!("the {} version needs a title, a text and at least one demand", v.lang),
                ));
            }
        }
        Ok(())
    }

    pub fn version(&self, lang: &Lang) -> Option<&CampaignVersion> {
        self.versions.iter().find(|v| &v.lang == lang)
    }

    /// The demands as the readers of the `lang` version read them.
    pub fn demands_in(&self, lang: &Lang) -> Vec<VersionDemand<'_>> {
        crate::demand::read_in(&self.demands, &self.default_lang, lang)
    }

    /// The demands' texts as the readers of the `lang` version read them, in order: what their
    /// signatures commit to ([`crate::signature_log::version_hash`]) and what the history keeps.
    pub fn demand_texts_in(&self, lang: &Lang) -> Vec<String> {
        self.demands_in(lang).into_iter().map(|d| d.text.to_owned()).collect()
    }

    /// Drops the texts of languages the campaign has no version in (after a version is removed).
    pub fn drop_texts_without_version(&mut self) {
        let langs: Vec<Lang> = self.versions.iter().map(|v| v.lang.clone()).collect();
        for d in &mut self.demands {
            d.texts.retain(|(l, _)| langs.contains(l));
        }
        self.demands.retain(|d| !d.texts.is_empty());
    }

    pub fn default_version(&self) -> &CampaignVersion {
        self.version(&self.default_lang).unwrap_or(&self.versions[0])
    }

    /// The version a reader gets: the first of their languages (best first) that the campaign has,
    /// exactly or by primary language, else the default. The one rule for pages, feeds and mail.
    pub fn version_for(&self, preferences: &[Lang]) -> &CampaignVersion {
        let langs: Vec<Lang> = self.versions.iter().map(|v| v.lang.clone()).collect();
        crate::lang::best_match(preferences, &langs)
            .and_then(|l| self.version(&l))
            .unwrap_or_else(|| self.default_version())
    }

    /// Puts the default version first and the others in tag order, the order stores return.
    pub fn sort_versions(&mut self) {
        let default = self.default_lang.clone();
        self.versions.sort_by(|a, b| (a.lang != default, &a.lang).cmp(&(b.lang != default, &b.lang)));
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Campaign {
    pub id: CampaignId,
    #[serde(flatten)]
    pub content: CampaignContent,
}

/// A campaign as it is written in files: its content and the endorsements that came with it
/// (collected offline, like the 2004 appeal's list of endorsing organisations).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignSpec {
    pub content: CampaignContent,
    pub endorsements: Vec<EndorsementSpec>,
}

/// A version's text as it was before an edit made after people had signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Revision {
    pub version: CampaignVersion,
    /// Its demands as its readers read them then.
    pub demands: Vec<String>,
    /// When this text was replaced.
    pub replaced_at: OffsetDateTime,
}

/// What whom the campaign addressed answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetResponse {
    pub text: String,
    pub responded_on: Option<time::Date>,
    /// Where the response can be read in full (http or https).
    pub link: Option<String>,
}

/// A campaign whose signers' personal data is due to go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionDue {
    pub campaign: CampaignId,
    pub ended_at: OffsetDateTime,
    pub signatures: i64,
    pub endorsements: i64,
}

/// Figures for a campaign's dashboard.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CampaignStats {
    /// Confirmed signatures per day (UTC), oldest first; days without any are left out.
    pub per_day: Vec<(time::Date, i64)>,
    /// Confirmed signatures per language version signed, most first.
    pub by_lang: Vec<(String, i64)>,
    /// Signatures waiting for their signer's confirmation.
    pub pending: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_moves_forward_only() {
        use CampaignStatus::*;
        assert!(Draft.can_become(Open));
        assert!(Open.can_become(Closed) && Open.can_become(Won) && Closed.can_become(Won));
        for (from, to) in
            [(Draft, Closed), (Draft, Won), (Open, Draft), (Closed, Open), (Won, Open), (Open, Open)]
        {
            assert!(!from.can_become(to), "{from:?} -> {to:?}");
        }
        for s in CampaignStatus::ALL {
            assert!(!s.can_become(Withdrawn), "only unpublishing withdraws ({s:?})");
        }
    }

    #[test]
    fn unpublishing_keeps_what_was_signed() {
        use CampaignStatus::*;
        for s in [Open, Closed, Won] {
            assert_eq!(s.unpublished(false), Some(Draft));
            assert_eq!(s.unpublished(true), Some(Withdrawn));
        }
        assert_eq!(Draft.unpublished(false), None);
        assert_eq!(Withdrawn.unpublished(true), None);
        assert!(Draft.may_delete(false));
        assert!(!Draft.may_delete(true));
        for s in [Open, Closed, Won, Withdrawn] {
            assert!(!s.may_delete(false), "{s:?}");
        }
        assert!(!Withdrawn.is_public() && !Draft.is_public() && Closed.is_public());
    }

    #[test]
    fn republishing_puts_a_campaign_back_as_it_was() {
        use CampaignStatus::*;
        let now = OffsetDateTime::now_utc();
        let later = Some(now + time::Duration::days(1));
        let earlier = Some(now - time::Duration::days(1));
        assert_eq!(CampaignStatus::republished(Open, None, now), Some(Open));
        assert_eq!(CampaignStatus::republished(Open, later, now), Some(Open));
        assert_eq!(CampaignStatus::republished(Open, earlier, now), Some(Closed), "its end date passed");
        assert_eq!(CampaignStatus::republished(Closed, later, now), Some(Closed), "closed by its owner");
        assert_eq!(CampaignStatus::republished(Won, earlier, now), Some(Won));
        assert_eq!(CampaignStatus::republished(Draft, None, now), None);
        assert_eq!(CampaignStatus::republished(Withdrawn, None, now), None);
    }

    #[test]
    fn a_campaign_past_its_end_date_reads_as_closed() {
        let mut c = crate::campaign_file::parse_folder(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/release-cai-guangye"),
        )
        .unwrap()
        .content;
        let now = OffsetDateTime::now_utc();
        c.status = CampaignStatus::Open;
        c.closes_at = Some(now + time::Duration::seconds(1));
        assert!(!c.close_if_ended(now));
        assert_eq!(c.status, CampaignStatus::Open);
        assert!(c.close_if_ended(now + time::Duration::seconds(1)));
        assert_eq!(c.status, CampaignStatus::Closed);
        c.status = CampaignStatus::Won;
        assert!(!c.close_if_ended(now + time::Duration::days(1)), "won stays won");
    }

    #[test]
    fn a_reader_gets_their_first_language_the_campaign_has_else_the_default() {
        let version = |tag: &str| CampaignVersion::parse(Lang::known(tag), tag, "", "", "").unwrap();
        let mut c = crate::campaign_file::parse_folder(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/release-cai-guangye"),
        )
        .unwrap()
        .content;
        c.versions = vec![version("en"), version("zh-Hant"), version("pt")];
        c.demands.clear();
        c.default_lang = Lang::known("zh-Hant");
        let read = |prefs: &[&str]| {
            let prefs: Vec<Lang> = prefs.iter().map(|t| Lang::known(t)).collect();
            c.version_for(&prefs).lang.to_string()
        };
        assert_eq!(read(&["de", "en-GB"]), "en", "by primary language");
        assert_eq!(read(&["pt-BR", "en"]), "en", "an exact match first");
        assert_eq!(read(&["pt-BR"]), "pt");
        assert_eq!(read(&["de"]), "zh-Hant", "else the default");
        assert_eq!(read(&[]), "zh-Hant");
    }

    #[test]
    fn slugs() {
        assert!(Slug::parse("slug", "release-cai-guangye").is_ok());
        for bad in ["", "Release", "a--b", "-a", "a-", "a b", "ä", &"a".repeat(81)] {
            assert!(Slug::parse("slug", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_version_needs_a_title() {
        let err = CampaignVersion::parse(Lang::known("en"), " ", "", "", "").unwrap_err();
        assert_eq!(err.field, "title");
    }
}
