//! The storage interface. Each method is one use case, run by the backend in one transaction.
//! Backends: `undersigned-store-sqlite` (the embedded default) and `undersigned-store-postgres`.

use async_trait::async_trait;

use crate::campaign::{Campaign, CampaignId, CampaignSpec, Slug};
use crate::endorsement::Endorsement;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// The database could not be reached or answered with an error.
    #[error("database error: {0}")]
    Database(String),
    /// Stored data that does not parse back into domain types (a bug or a hand edit).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// The backend's name for logs ("sqlite", "postgres").
    fn backend(&self) -> &'static str;

    /// Answers when the database does (for `/healthz`).
    async fn ping(&self) -> StoreResult<()>;

    /// Whether no campaign exists yet (first start: load the demo).
    async fn has_no_campaigns(&self) -> StoreResult<bool>;

    /// Creates or replaces campaigns by slug, all or nothing. Replacing keeps the campaign's
    /// identity (and so its signatures) and replaces its versions, demands and the endorsements
    /// that came from files.
    async fn import_campaigns(&self, specs: &[CampaignSpec]) -> StoreResult<Vec<CampaignId>>;

    async fn campaign_by_slug(&self, slug: &Slug) -> StoreResult<Option<Campaign>>;

    /// Campaigns the public can see (open, closed, won), newest first.
    async fn public_campaigns(&self) -> StoreResult<Vec<Campaign>>;

    /// Approved endorsements of a campaign, in the order they were entered.
    async fn endorsements(&self, campaign: CampaignId) -> StoreResult<Vec<Endorsement>>;
}

/// A campaign as both backends read it from their tables, before it is parsed back into domain
/// types. Keeps the parsing, and its errors, in one place.
pub struct CampaignRow {
    pub id: CampaignId,
    pub slug: String,
    pub status: String,
    pub opens_at: Option<time::OffsetDateTime>,
    pub closes_at: Option<time::OffsetDateTime>,
    pub dated: Option<time::Date>,
    pub contact_name: String,
    pub contact_email: Option<String>,
    pub signature_goal: Option<i64>,
    pub default_lang: String,
}

/// A language version row with its demands, in order.
pub struct VersionRow {
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub target: String,
    pub body: String,
    pub demands: Vec<String>,
}

/// An endorsement row.
pub struct EndorsementRow {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub kind: String,
    pub name: Option<String>,
    pub org_type: Option<String>,
    pub website: Option<String>,
    pub individuals: Option<i64>,
    pub country: Option<String>,
    pub statement: Option<String>,
    pub source_note: Option<String>,
    pub offline: bool,
    pub from_file: bool,
    pub created_at: time::OffsetDateTime,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

impl CampaignRow {
    pub fn into_campaign(self, versions: Vec<VersionRow>) -> StoreResult<Campaign> {
        use crate::Lang;
        use crate::campaign::{CampaignContent, CampaignStatus, CampaignVersion, Contact};
        let what = format!("campaign {}", self.id);
        let versions = versions
            .into_iter()
            .map(|v| {
                let lang = Lang::parse("lang", &v.lang)?;
                CampaignVersion::parse(lang, &v.title, &v.summary, &v.target, &v.body, &v.demands)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| corrupt(&what, e))?;
        if versions.is_empty() {
            return Err(corrupt(&what, "no language version"));
        }
        let mut content = CampaignContent {
            slug: Slug::parse("slug", &self.slug).map_err(|e| corrupt(&what, e))?,
            status: CampaignStatus::parse("status", &self.status).map_err(|e| corrupt(&what, e))?,
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            dated: self.dated,
            contact: Contact::parse(&self.contact_name, self.contact_email.as_deref())
                .map_err(|e| corrupt(&what, e))?,
            signature_goal: self.signature_goal.and_then(|g| u32::try_from(g).ok()),
            default_lang: Lang::parse("default_lang", &self.default_lang).map_err(|e| corrupt(&what, e))?,
            versions,
        };
        content.sort_versions();
        Ok(Campaign { id: self.id, content })
    }
}

impl EndorsementRow {
    pub fn into_endorsement(self) -> StoreResult<Endorsement> {
        use crate::endorsement::{EndorsementSource, EndorsementSpec, Endorser, OrganisationType};
        let what = format!("endorsement {}", self.id);
        let endorser = match (self.kind.as_str(), self.name, self.individuals) {
            ("organisation", Some(name), _) => Endorser::Organisation {
                name,
                org_type: OrganisationType::parse("org_type", self.org_type.as_deref().unwrap_or("other"))
                    .map_err(|e| corrupt(&what, e))?,
                website: self.website,
            },
            ("individuals", _, Some(count)) => {
                Endorser::Individuals { count: u32::try_from(count).map_err(|e| corrupt(&what, e))? }
            }
            (kind, ..) => return Err(corrupt(&what, format!("kind {kind} without its fields"))),
        };
        Ok(Endorsement {
            id: self.id,
            campaign_id: self.campaign_id,
            spec: EndorsementSpec {
                endorser,
                country: self.country,
                statement: self.statement,
                source_note: self.source_note,
            },
            source: match (self.offline, self.from_file) {
                (_, true) => EndorsementSource::CampaignFile,
                (true, false) => EndorsementSource::Offline,
                (false, false) => EndorsementSource::Online,
            },
            created_at: self.created_at,
        })
    }
}

/// The columns an endorsement is stored in, the inverse of [`EndorsementRow::into_endorsement`]:
/// (kind, name, org_type, website, individuals).
pub fn endorser_columns(
    e: &crate::Endorser,
) -> (&'static str, Option<&str>, Option<&'static str>, Option<&str>, Option<i64>) {
    match e {
        crate::Endorser::Organisation { name, org_type, website } => {
            ("organisation", Some(name), Some(org_type.as_str()), website.as_deref(), None)
        }
        crate::Endorser::Individuals { count } => ("individuals", None, None, None, Some(i64::from(*count))),
    }
}
