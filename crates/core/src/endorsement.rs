//! Endorsements: organisations (unions, NGOs, media) standing behind a campaign, and groups of
//! individuals counted together ("15 individuals") when their names came by email or on paper.

use serde::Serialize;
use time::OffsetDateTime;

use crate::Lang;
use crate::id::CampaignId;
use crate::keys::ShortKey;
use crate::validation::Email;
use crate::validation::{self, ValidationError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrganisationType {
    TradeUnion,
    Ngo,
    Media,
    Other,
}

impl OrganisationType {
    pub const ALL: [Self; 4] = [Self::TradeUnion, Self::Ngo, Self::Media, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::TradeUnion => "trade-union",
            Self::Ngo => "ngo",
            Self::Media => "media",
            Self::Other => "other",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == value.trim())
            .ok_or_else(|| ValidationError::new(field, "must be one of trade-union, ngo, media, other"))
    }
}

/// Who endorses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Endorser {
    Organisation {
        name: String,
        org_type: OrganisationType,
        website: Option<String>,
    },
    /// A number of people whose names are not listed.
    Individuals {
        count: u32,
    },
    /// One person, named (a letter of support, a name on paper).
    Person {
        name: String,
    },
}

impl Endorser {
    /// Its parts as stored and as a record's key digests them: (kind, name, organisation type,
    /// website, individuals). One named person is a group of one, with a name.
    pub fn parts(&self) -> (&'static str, Option<&str>, Option<&'static str>, Option<&str>, Option<i64>) {
        match self {
            Self::Organisation { name, org_type, website } => {
                ("organisation", Some(name), Some(org_type.as_str()), website.as_deref(), None)
            }
            Self::Individuals { count } => ("individuals", None, None, None, Some(i64::from(*count))),
            Self::Person { name } => ("individuals", Some(name), None, None, Some(1)),
        }
    }
}

/// An endorsement as organisers enter it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EndorsementSpec {
    pub endorser: Endorser,
    /// ISO 3166-1 alpha-2 code of the country or region it is listed under.
    pub country: Option<String>,
    pub statement: Option<String>,
    /// Where an endorsement collected offline came from ("by email, 12 Feb 2004").
    pub source_note: Option<String>,
}

impl EndorsementSpec {
    pub fn organisation(
        name: &str,
        org_type: OrganisationType,
        website: Option<&str>,
    ) -> Result<Endorser, ValidationError> {
        let website = website.map(str::trim).filter(|w| !w.is_empty());
        if let Some(w) = website
            && !(w.starts_with("https://") || w.starts_with("http://"))
        {
            return Err(ValidationError::new("website", "must start with https:// or http://"));
        }
        Ok(Endorser::Organisation {
            name: validation::name("organisation", name, 1, 200)?,
            org_type,
            website: website.map(|w| validation::text("website", w, 1, 500, false)).transpose()?,
        })
    }

    pub fn person(name: &str) -> Result<Endorser, ValidationError> {
        Ok(Endorser::Person { name: validation::name("person", name, 1, 200)? })
    }

    pub fn individuals(count: i64) -> Result<Endorser, ValidationError> {
        match u32::try_from(count) {
            Ok(count) if count > 0 => Ok(Endorser::Individuals { count }),
            _ => Err(ValidationError::new("individuals", "must be a positive number")),
        }
    }

    pub fn parse_country(field: &str, value: &str) -> Result<String, ValidationError> {
        let code = value.trim().to_ascii_uppercase();
        if crate::country::is_known(&code) {
            Ok(code)
        } else {
            Err(ValidationError::new(
                field,
                format!("`{}` is not an ISO 3166 country or region code", value.trim()),
            ))
        }
    }

    pub fn optional_text(
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Result<Option<String>, ValidationError> {
        value
            .map(|v| validation::text(field, v, 0, max, true))
            .transpose()
            .map(|v| v.filter(|v| !v.is_empty()))
    }
}

/// The organisation endorsement form as submitted, before any checks.
#[derive(Clone, Debug, Default, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct EndorsementInput {
    pub organisation: String,
    pub org_type: String,
    pub country: String,
    pub website: String,
    pub contact_name: String,
    pub contact_email: String,
    pub statement: String,
}

/// An organisation's endorsement that passed every check, with the contact who will confirm it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganisationEndorsement {
    pub spec: EndorsementSpec,
    pub contact_name: String,
    pub contact_email: crate::Email,
}

pub const STATEMENT_MAX: usize = 2_000;

impl OrganisationEndorsement {
    /// Checks every field, returning every error at once.
    pub fn parse(input: &EndorsementInput) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let mut keep = |r: Result<(), ValidationError>| {
            if let Err(e) = r {
                errors.push(e);
            }
        };
        let mut org_type = OrganisationType::Other;
        keep(OrganisationType::parse("org_type", &input.org_type).map(|t| org_type = t));
        let mut endorser = None;
        keep(
            EndorsementSpec::organisation(&input.organisation, org_type, Some(&input.website))
                .map(|e| endorser = Some(e)),
        );
        let mut country = None;
        keep(if input.country.trim().is_empty() {
            Err(ValidationError::new("country", "choose a country or region"))
        } else {
            EndorsementSpec::parse_country("country", &input.country).map(|c| country = Some(c))
        });
        let mut contact_name = None;
        keep(validation::name("contact_name", &input.contact_name, 1, 200).map(|n| contact_name = Some(n)));
        let mut contact_email = None;
        keep(crate::Email::parse("contact_email", &input.contact_email).map(|e| contact_email = Some(e)));
        let mut statement = None;
        keep(
            EndorsementSpec::optional_text("statement", Some(&input.statement), STATEMENT_MAX)
                .map(|s| statement = s),
        );
        match (endorser, contact_name, contact_email) {
            (Some(endorser), Some(contact_name), Some(contact_email)) if errors.is_empty() => Ok(Self {
                spec: EndorsementSpec { endorser, country, statement, source_note: None },
                contact_name,
                contact_email,
            }),
            _ => Err(errors),
        }
    }
}

/// How an endorsement reached the campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EndorsementSource {
    /// Through the endorsement form, with a verified contact address.
    Online,
    /// By email or on paper, entered by an organiser.
    Offline,
    /// With the campaign's files (collected offline; replaced when the files are imported again).
    CampaignFile,
}

impl EndorsementSource {
    /// Collected outside the site, and so marked on public lists.
    pub fn is_offline(self) -> bool {
        self != Self::Online
    }
}

/// A stored endorsement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endorsement {
    pub id: i64,
    pub campaign_id: CampaignId,
    #[serde(flatten)]
    pub spec: EndorsementSpec,
    pub source: EndorsementSource,
    pub created_at: OffsetDateTime,
}

/// An organisation's endorsement sent through the form.
#[derive(Clone, Debug)]
pub struct EndorsementRequest {
    pub campaign_id: CampaignId,
    pub spec: EndorsementSpec,
    pub contact_name: String,
    pub contact_email: Email,
    pub email_key: ShortKey,
    pub lang: Lang,
    pub ip_key: Option<ShortKey>,
    pub now: OffsetDateTime,
}

/// Who to write to about an endorsement, and where it stands.
#[derive(Clone, Debug)]
pub struct EndorsementContact {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub organisation: String,
    /// Empty when it is sealed to the campaign owners' keys: the server cannot read it.
    pub contact_name: String,
    /// The contact's name is sealed to the campaign owners' keys (`contact_name` is empty).
    pub name_sealed_to_owners: bool,
    pub contact_email: String,
    pub email_key: Vec<u8>,
    pub lang: String,
    pub state: EndorsementState,
}

/// Where an endorsement stands on its way to the public list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EndorsementState {
    /// Its contact has not confirmed by email yet.
    Unverified,
    /// Confirmed; an organiser has still to approve it.
    AwaitingApproval,
    Approved,
    Rejected,
}

impl EndorsementState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unverified => "unverified",
            Self::AwaitingApproval => "awaiting-approval",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }
}
