//! Rows as both dialects read them from their tables, before they are parsed back into domain
//! types: the parsing, and its errors (stored data that no longer parses is `Corrupt`), in one
//! place.

use time::OffsetDateTime;
use undersigned_core::campaign::{CampaignContent, CampaignStatus, CampaignVersion, Contact};
use undersigned_core::data_key::DataKey;
use undersigned_core::demand::Demand;
use undersigned_core::endorsement::{
    EndorsementSource, EndorsementSpec, EndorsementState, Endorser, OrganisationType,
};
use undersigned_core::private_fields::is_sealed_to_owners;
use undersigned_core::signature::{NameDisplay, NewSignature, Signature, SignatureStatus};
use undersigned_core::store::{StoreError, StoreResult};
use undersigned_core::{Campaign, CampaignId, Email, EmbedSites, Endorsement, Lang, Slug};

use crate::sealed::{SIGNATURE_EMAIL, open_email, open_private};

/// A campaign as both backends read it from their tables, before it is parsed back into domain
/// types. Keeps the parsing, and its errors, in one place.
pub struct CampaignRow {
    pub id: CampaignId,
    pub slug: String,
    pub status: String,
    pub opens_at: Option<OffsetDateTime>,
    pub closes_at: Option<OffsetDateTime>,
    pub dated: Option<time::Date>,
    pub contact_name: String,
    pub contact_email: Option<String>,
    pub signature_goal: Option<i64>,
    pub default_lang: String,
    /// When its owner withdrew it (unpublished it after people signed).
    pub withdrawn_at: Option<OffsetDateTime>,
    /// The sites that may frame its embeddable page, one a line.
    pub embed_sites: String,
}

/// A language version row (its demands are the campaign's).
pub struct VersionRow {
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub target: String,
    pub body: String,
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
    pub created_at: OffsetDateTime,
}

/// A signature as both backends read it.
pub struct SignatureRow {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub email_key: Vec<u8>,
    /// Sealed (or in clear, from before the data key).
    pub email: String,
    pub name: String,
    pub country: String,
    pub city: Option<String>,
    pub affiliation: Option<String>,
    pub comment: Option<String>,
    /// The private fields, sealed to the owners' keys or under the data key
    /// (`crate::owner_sealing`); rows written before them hold theirs in clear in the columns above.
    pub private_sealed: Option<String>,
    pub display: String,
    pub opt_in: bool,
    pub lang: String,
    pub status: String,
    pub created_at: OffsetDateTime,
    pub confirmed_at: Option<OffsetDateTime>,
    pub revision: i64,
    pub via: Option<i64>,
    pub src: Option<String>,
}

impl SignatureRow {
    /// The signature, its address opened with the data key (see `crate::sealed`).
    pub fn into_signature(self, key: &DataKey) -> StoreResult<Signature> {
        // Named only when a column is corrupt: a format per row slowed the export.
        let id = self.id;
        let what = move || format!("signature {id}");
        let email = open_email(key, SIGNATURE_EMAIL, &self.email_key, &self.email)
            .map_err(|e| corrupt(&what(), e))?;
        let private = self.private_sealed.as_deref();
        let private = open_private(key, &self.email_key, private).map_err(|e| corrupt(&what(), e))?;
        let sealed_to_owners = self.private_sealed.filter(|stored| is_sealed_to_owners(stored));
        let mut signature = Signature {
            id: self.id,
            campaign_id: self.campaign_id,
            email_key: self.email_key,
            status: SignatureStatus::parse(&self.status).ok_or_else(|| corrupt(&what(), &self.status))?,
            signer: NewSignature {
                name: self.name,
                email: if email.is_empty() {
                    Email::anonymised()
                } else {
                    Email::stored("email", &email).map_err(|e| corrupt(&what(), e))?
                },
                country: self.country,
                city: self.city,
                affiliation: self.affiliation,
                comment: self.comment,
                display: NameDisplay::parse("display", &self.display).map_err(|e| corrupt(&what(), e))?,
                opt_in: self.opt_in,
                lang: Lang::parse("lang", &self.lang).map_err(|e| corrupt(&what(), e))?,
                answers: Default::default(),
            },
            created_at: self.created_at,
            confirmed_at: self.confirmed_at,
            revision: self.revision,
            sealed_to_owners,
            receipt: None,
            via: self.via,
            src: self.src,
        };
        if !private.is_empty() {
            private.restore(&mut signature.signer);
        }
        Ok(signature)
    }
}

/// A listed signature's name as its signer chose to show it.
pub fn public_name(id: i64, name: &str, display: &str) -> StoreResult<String> {
    let display =
        NameDisplay::parse("display", display).map_err(|e| corrupt(&format!("signature {id}"), e))?;
    Ok(display.public_name(name).unwrap_or_default())
}

pub fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

impl VersionRow {
    pub fn into_version(self) -> StoreResult<CampaignVersion> {
        let lang = Lang::parse("lang", &self.lang).map_err(|e| corrupt("version", e))?;
        CampaignVersion::parse(lang, &self.title, &self.summary, &self.target, &self.body)
            .map_err(|e| corrupt("version", e))
    }
}

impl CampaignRow {
    pub fn into_campaign(self, versions: Vec<VersionRow>, demands: Vec<Demand>) -> StoreResult<Campaign> {
        let what = format!("campaign {}", self.id);
        let versions = versions
            .into_iter()
            .map(|v| {
                let lang = Lang::parse("lang", &v.lang)?;
                CampaignVersion::parse(lang, &v.title, &v.summary, &v.target, &v.body)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| corrupt(&what, e))?;
        if versions.is_empty() {
            return Err(corrupt(&what, "no language version"));
        }
        let mut content = CampaignContent {
            slug: Slug::parse("slug", &self.slug).map_err(|e| corrupt(&what, e))?,
            status: match self.withdrawn_at {
                Some(_) => CampaignStatus::Withdrawn,
                None => CampaignStatus::parse("status", &self.status).map_err(|e| corrupt(&what, e))?,
            },
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            dated: self.dated,
            contact: Contact::parse(&self.contact_name, self.contact_email.as_deref())
                .map_err(|e| corrupt(&what, e))?,
            signature_goal: self.signature_goal.and_then(|g| u32::try_from(g).ok()),
            default_lang: Lang::parse("default_lang", &self.default_lang).map_err(|e| corrupt(&what, e))?,
            versions,
            demands,
            embed_sites: EmbedSites::parse("embed_sites", self.embed_sites.lines())
                .map_err(|e| corrupt(&what, e))?,
        };
        content.sort_versions();
        content.close_if_ended(undersigned_core::clock::now());
        Ok(Campaign { id: self.id, content })
    }
}

impl EndorsementRow {
    pub fn into_endorsement(self) -> StoreResult<Endorsement> {
        let what = format!("endorsement {}", self.id);
        let endorser = match (self.kind.as_str(), self.name, self.individuals) {
            ("organisation", Some(name), _) => Endorser::Organisation {
                name,
                org_type: OrganisationType::parse("org_type", self.org_type.as_deref().unwrap_or("other"))
                    .map_err(|e| corrupt(&what, e))?,
                website: self.website,
            },
            ("individuals", Some(name), Some(1)) => Endorser::Person { name },
            ("individuals", None, Some(count)) => {
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

/// Where an endorsement stands, from its `status` column and whether its contact confirmed.
pub fn endorsement_state(status: &str, verified: bool) -> StoreResult<EndorsementState> {
    match (status, verified) {
        ("pending", false) => Ok(EndorsementState::Unverified),
        ("pending", true) => Ok(EndorsementState::AwaitingApproval),
        ("approved", _) => Ok(EndorsementState::Approved),
        ("rejected", _) => Ok(EndorsementState::Rejected),
        (other, _) => Err(corrupt("endorsement", format!("status {other}"))),
    }
}

/// A comment's status column.
pub fn comment_status(value: &str) -> StoreResult<undersigned_core::comment::CommentStatus> {
    undersigned_core::comment::CommentStatus::parse(value)
        .ok_or_else(|| corrupt("comment", format!("status {value}")))
}

/// An outbox row's kind column.
pub fn mail_kind(value: &str) -> StoreResult<undersigned_core::outbox::MailKind> {
    undersigned_core::outbox::MailKind::parse(value).ok_or_else(|| corrupt("mail", format!("kind {value}")))
}

/// A role column.
pub fn role(value: &str) -> StoreResult<undersigned_core::account::Role> {
    undersigned_core::account::Role::parse("role", value).map_err(|e| corrupt("role", e))
}
