//! What a campaign's files carry beyond its text and the endorsements the files own: endorsements
//! that came through the site or were entered by organisers, updates, and the target's response.
//! Export writes them, marked by origin; import adds those a campaign lacks, so that export →
//! import moves a campaign to another server, and importing the same files twice changes nothing.
//!
//! Identity: each record carries a `key`, a digest of its origin, date and content. Import adds a
//! record whose key the campaign does not hold yet (as many times as the files list it), and refuses
//! a record whose key no longer matches its content: records collected outside the files are
//! changed where they were collected, not in an exported file. Signatures are personal data and
//! never go into files; neither do the contacts of endorsements sent through the site.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::account::AuditEntry;
use crate::campaign::TargetResponse;
use crate::campaign::{Campaign, CampaignId, CampaignSpec, CampaignStatus, Slug};
use crate::clock::micros;
use crate::edit_rules::{
    EditRefusal, LifeMoves, check_import, keeps_history, setting_changes, version_changes,
};
use crate::endorsement::{EndorsementSource, EndorsementSpec};
use crate::store::{CampaignStore, CountStore, EndorsementStore, LifeStore, StoreResult, UpdateStore};
use crate::update::UpdateText;

/// An endorsement that did not come with the files: through the site, or entered by an organiser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptEndorsement {
    pub key: String,
    /// `Online` or `Offline`.
    pub source: EndorsementSource,
    pub added: OffsetDateTime,
    pub spec: EndorsementSpec,
}

impl KeptEndorsement {
    pub fn new(source: EndorsementSource, added: OffsetDateTime, spec: EndorsementSpec) -> Self {
        let key = endorsement_key(source, added, &spec);
        Self { key, source, added, spec }
    }
}

/// An update as published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptUpdate {
    pub key: String,
    pub published_at: OffsetDateTime,
    pub author: String,
    /// One per language, in tag order.
    pub texts: Vec<UpdateText>,
}

impl KeptUpdate {
    pub fn new(published_at: OffsetDateTime, author: String, mut texts: Vec<UpdateText>) -> Self {
        texts.sort_by(|a, b| a.lang.cmp(&b.lang));
        let key = update_key(published_at, &author, &texts);
        Self { key, published_at, author, texts }
    }
}

/// Everything beyond the text and the files' own endorsements that files carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CampaignRecords {
    pub endorsements: Vec<KeptEndorsement>,
    /// Oldest first.
    pub updates: Vec<KeptUpdate>,
    pub response: Option<TargetResponse>,
}

impl CampaignRecords {
    pub fn is_empty(&self) -> bool {
        self.endorsements.is_empty() && self.updates.is_empty() && self.response.is_none()
    }
}

fn digest(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    hex::encode(&hash.finalize()[..8])
}

pub fn source_name(source: EndorsementSource) -> &'static str {
    match source {
        EndorsementSource::Online => "online",
        EndorsementSource::Offline => "offline",
        EndorsementSource::CampaignFile => "file",
    }
}

pub fn endorsement_key(source: EndorsementSource, added: OffsetDateTime, spec: &EndorsementSpec) -> String {
    let (kind, name, org_type, website, count) = spec.endorser.parts();
    let count = count.map(|c| c.to_string()).unwrap_or_default();
    let added = micros(added).to_string();
    let opt = |v: Option<&str>| v.unwrap_or("\u{0}").to_owned();
    digest(&[
        "endorsement",
        source_name(source),
        &added,
        kind,
        &opt(name),
        &opt(org_type),
        &opt(website),
        &count,
        &opt(spec.country.as_deref()),
        &opt(spec.statement.as_deref()),
        &opt(spec.source_note.as_deref()),
    ])
}

pub fn update_key(published_at: OffsetDateTime, author: &str, texts: &[UpdateText]) -> String {
    let at = micros(published_at).to_string();
    let mut parts = vec!["update", &at, author];
    for t in texts {
        parts.extend([t.lang.as_str(), t.title.as_str(), t.body.as_str()]);
    }
    digest(&parts)
}

/// A campaign as it stands, for planning an import over it.
#[derive(Clone, Debug)]
pub struct CurrentCampaign {
    pub campaign: Campaign,
    /// The endorsements that came with its files, in order.
    pub file_endorsements: Vec<EndorsementSpec>,
    pub records: CampaignRecords,
    pub confirmed_signatures: i64,
    /// Whether anyone signed it, and what republishing makes of it if it is withdrawn.
    pub life: LifeMoves,
}

/// What [`current_campaign`] and [`campaign_records`] read: named by area (not `Store`), so that
/// this module and the storage port, whose import area speaks of this module's types, do not
/// import each other.
pub trait RecordsSource: CampaignStore + CountStore + EndorsementStore + LifeStore + UpdateStore {}

impl<T: CampaignStore + CountStore + EndorsementStore + LifeStore + UpdateStore + ?Sized> RecordsSource
    for T
{
}

/// Reads a campaign's records from the store: approved endorsements not from files, every update
/// (oldest first) and the response.
pub async fn campaign_records<S: RecordsSource + ?Sized>(
    store: &S,
    campaign: CampaignId,
) -> StoreResult<CampaignRecords> {
    let endorsements = store
        .endorsements(campaign)
        .await?
        .into_iter()
        .filter(|e| e.source != EndorsementSource::CampaignFile)
        .map(|e| KeptEndorsement::new(e.source, e.created_at, e.spec))
        .collect();
    let mut updates: Vec<KeptUpdate> = store
        .updates(Some(campaign), u32::MAX)
        .await?
        .into_iter()
        .map(|u| KeptUpdate::new(u.published_at, u.author, u.texts))
        .collect();
    updates.sort_by(|a, b| (a.published_at, &a.key).cmp(&(b.published_at, &b.key)));
    Ok(CampaignRecords { endorsements, updates, response: store.response(campaign).await? })
}

/// The campaign with this slug as it stands, if there is one.
pub async fn current_campaign<S: RecordsSource + ?Sized>(
    store: &S,
    slug: &Slug,
) -> StoreResult<Option<CurrentCampaign>> {
    let Some(campaign) = store.campaign_by_slug(slug).await? else { return Ok(None) };
    let file_endorsements = store
        .endorsements(campaign.id)
        .await?
        .into_iter()
        .filter(|e| e.source == EndorsementSource::CampaignFile)
        .map(|e| e.spec)
        .collect();
    let republished = store
        .withdrawn_from(campaign.id)
        .await?
        .and_then(|had| CampaignStatus::republished(had, campaign.content.closes_at, crate::clock::now()));
    Ok(Some(CurrentCampaign {
        records: campaign_records(store, campaign.id).await?,
        confirmed_signatures: store.counts(campaign.id).await?.signatures,
        life: LifeMoves { signed: store.has_signatures(campaign.id).await?, republished },
        file_endorsements,
        campaign,
    }))
}

/// One campaign's import, planned: what the store writes, in one transaction with the others.
#[derive(Clone, Debug)]
pub struct CampaignImport {
    pub spec: CampaignSpec,
    /// The campaign replaced and the status it had when the import was planned; `None` for a new
    /// one. The store refuses the import (`Conflict`) if either changed meanwhile.
    pub replaces: Option<(CampaignId, CampaignStatus)>,
    /// Keep the text of every version the import changes or removes, for the public history.
    pub keep_revisions: bool,
    /// Replace the endorsements that came with the files (they changed).
    pub replace_file_endorsements: bool,
    /// Records to add; a response to set.
    pub add: CampaignRecords,
    /// The import declares the campaign won. As when an organiser does it in the browser, the win
    /// is announced: an update, mailed to the signers who asked for news, with the texts in
    /// [`Self::win`].
    pub declares_won: bool,
    /// The win announcement, one text per language version, in the site's words: the caller
    /// writes them (the core has no translations); the store posts them if there are any.
    pub win: Vec<UpdateText>,
    /// What changes, in words.
    pub changes: Vec<String>,
    /// The audit-log entry; the store fills in the campaign's id.
    pub audit: AuditEntry,
}

/// Why an import is refused: the field, a text to find its line by, and the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRefusal {
    pub field: String,
    /// A text on the line at fault (`status =`, a record's key).
    pub near: String,
    pub message: String,
}

impl From<EditRefusal> for ImportRefusal {
    fn from(e: EditRefusal) -> Self {
        Self { field: e.field().to_owned(), near: "status".into(), message: e.to_string() }
    }
}

/// Plans importing a campaign's files (`spec` and `records`, read from `folder`) over `current`:
/// the rules of the browser ([`check_import`], [`keeps_history`]), records added by key, and
/// `None` when nothing would change (a no-op, not audited: the audit log records changes).
pub fn plan_import(
    current: Option<&CurrentCampaign>,
    spec: CampaignSpec,
    records: CampaignRecords,
    folder: &str,
    now: OffsetDateTime,
) -> Result<Option<CampaignImport>, ImportRefusal> {
    check_keys(&records)?;
    let next = &spec.content;
    check_import(current.map(|c| (&c.campaign.content, c.life)), next)?;
    let audit = |changes: &[String]| AuditEntry {
        at: now,
        actor: "command line".into(),
        campaign_id: None,
        action: "import-campaign".into(),
        subject: format!("campaign {}", next.slug),
        detail: format!("from {folder}: {}", changes.join("; ")),
    };
    let Some(current) = current else {
        let endorsements = spec.endorsements.len() + records.endorsements.len();
        let changes = vec![format!(
            "created ({}, {} language versions, {endorsements} endorsements, {} updates)",
            next.status.as_str(),
            next.versions.len(),
            records.updates.len()
        )];
        return Ok(Some(CampaignImport {
            audit: audit(&changes),
            spec,
            replaces: None,
            keep_revisions: false,
            replace_file_endorsements: true,
            add: records,
            declares_won: false,
            win: Vec::new(),
            changes,
        }));
    };
    let now_content = &current.campaign.content;
    let keep = keeps_history(now_content.status, current.confirmed_signatures);
    let mut changes = setting_changes(now_content, next);
    changes.extend(version_changes(now_content, next, keep));
    let replace_file_endorsements = current.file_endorsements != spec.endorsements;
    if replace_file_endorsements {
        changes.push(format!("endorsements from the files replaced ({})", spec.endorsements.len()));
    }
    let add = missing_records(&current.records, records);
    if !add.endorsements.is_empty() {
        changes.push(format!("{} endorsements added", add.endorsements.len()));
    }
    if !add.updates.is_empty() {
        changes.push(format!("{} updates added", add.updates.len()));
    }
    if add.response.is_some() {
        changes.push("the target's response recorded".into());
    }
    // Won already, or withdrawn once won: no new announcement (republishing announces nothing).
    let was_won = match now_content.status {
        CampaignStatus::Withdrawn => current.life.republished == Some(CampaignStatus::Won),
        status => status == CampaignStatus::Won,
    };
    let declares_won = next.status == CampaignStatus::Won && !was_won;
    if declares_won {
        changes.push("the win announced to the signers who asked for news".into());
    }
    if changes.is_empty() {
        return Ok(None);
    }
    Ok(Some(CampaignImport {
        audit: audit(&changes),
        spec,
        replaces: Some((current.campaign.id, now_content.status)),
        keep_revisions: keep,
        replace_file_endorsements,
        add,
        declares_won,
        win: Vec::new(),
        changes,
    }))
}

/// Every record's key matches its content.
fn check_keys(records: &CampaignRecords) -> Result<(), ImportRefusal> {
    let refuse = |what: &str, key: &str| ImportRefusal {
        field: format!("{what}.key"),
        near: format!("\"{key}\""),
        message: format!(
            "this {what} no longer matches its key {key}: {what}s that did not come with the files are \
             changed where they were collected, not in an export (or remove `origin` and `key` to make it \
             the files' own)"
        ),
    };
    for e in &records.endorsements {
        if endorsement_key(e.source, e.added, &e.spec) != e.key {
            return Err(refuse("endorsement", &e.key));
        }
    }
    for u in &records.updates {
        if update_key(u.published_at, &u.author, &u.texts) != u.key {
            return Err(refuse("update", &u.key));
        }
    }
    Ok(())
}

/// The records of `files` that `current` does not hold, by key (a key listed twice is added until
/// the campaign holds it twice); the response where it differs.
fn missing_records(current: &CampaignRecords, files: CampaignRecords) -> CampaignRecords {
    fn missing<T>(held: Vec<&str>, listed: Vec<T>, key: impl Fn(&T) -> &str) -> Vec<T> {
        let mut held = held;
        let mut out = Vec::new();
        for item in listed {
            match held.iter().position(|k| *k == key(&item)) {
                Some(i) => {
                    held.swap_remove(i);
                }
                None => out.push(item),
            }
        }
        out
    }
    CampaignRecords {
        endorsements: missing(
            current.endorsements.iter().map(|e| e.key.as_str()).collect(),
            files.endorsements,
            |e| &e.key,
        ),
        updates: missing(current.updates.iter().map(|u| u.key.as_str()).collect(), files.updates, |u| &u.key),
        response: files.response.filter(|r| current.response.as_ref() != Some(r)),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::Lang;
    use crate::campaign::{CampaignContent, CampaignVersion, Contact};

    fn spec(status: CampaignStatus, title: &str) -> CampaignSpec {
        CampaignSpec {
            content: CampaignContent {
                slug: Slug::parse("slug", "a").unwrap(),
                status,
                opens_at: None,
                closes_at: None,
                dated: None,
                contact: Contact::parse("Lam", None).unwrap(),
                signature_goal: None,
                default_lang: Lang::known("en"),
                versions: vec![CampaignVersion::parse(Lang::known("en"), title, "", "", "Text").unwrap()],
                demands: crate::demand::by_position(&[(Lang::known("en"), vec![Some("Free them".into())])]),
                embed_sites: Default::default(),
            },
            endorsements: vec![],
        }
    }

    fn records() -> CampaignRecords {
        let individuals = EndorsementSpec {
            endorser: EndorsementSpec::individuals(15).unwrap(),
            country: None,
            statement: None,
            source_note: Some("paper".into()),
        };
        let e = KeptEndorsement::new(EndorsementSource::Offline, datetime!(2026-01-01 0:00 UTC), individuals);
        // The same paper forms entered twice at once: two endorsements with one key.
        CampaignRecords { endorsements: vec![e.clone(), e], updates: vec![], response: None }
    }

    fn current(spec: &CampaignSpec, records: CampaignRecords, signatures: i64) -> CurrentCampaign {
        CurrentCampaign {
            campaign: Campaign { id: 7, content: spec.content.clone() },
            file_endorsements: spec.endorsements.clone(),
            records,
            confirmed_signatures: signatures,
            life: LifeMoves { signed: signatures > 0, republished: None },
        }
    }

    const AT: OffsetDateTime = datetime!(2026-11-27 0:00 UTC);

    #[test]
    fn the_same_files_again_are_a_no_op() {
        let open = spec(CampaignStatus::Open, "T");
        let now = current(&open, records(), 3);
        assert!(plan_import(Some(&now), open.clone(), records(), "dir", AT).unwrap().is_none());
        // One of the two held: the other is added, once.
        let mut fewer = records();
        fewer.endorsements.pop();
        let plan = plan_import(Some(&current(&open, fewer, 3)), open, records(), "dir", AT).unwrap().unwrap();
        assert_eq!(plan.add.endorsements.len(), 1);
        assert_eq!(plan.changes, ["1 endorsements added"]);
    }

    #[test]
    fn an_import_follows_the_editors_rules() {
        let open = spec(CampaignStatus::Open, "T");
        let now = current(&open, records(), 3);
        let err =
            plan_import(Some(&now), spec(CampaignStatus::Draft, "T"), records(), "dir", AT).unwrap_err();
        assert_eq!((err.field.as_str(), err.near.as_str()), ("status", "status"));
        assert!(err.message.starts_with("cannot go from open to draft"), "{}", err.message);

        let plan = plan_import(Some(&now), spec(CampaignStatus::Closed, "New"), records(), "/d", AT)
            .unwrap()
            .unwrap();
        assert!(plan.keep_revisions);
        assert_eq!(plan.replaces, Some((7, CampaignStatus::Open)));
        assert_eq!(plan.audit.actor, "command line");
        assert_eq!(
            plan.audit.detail,
            "from /d: status open → closed; en changed (the text that was signed is kept in the public history)"
        );
        assert!(!plan.declares_won);
        let won =
            plan_import(Some(&now), spec(CampaignStatus::Won, "T"), records(), "/d", AT).unwrap().unwrap();
        assert!(won.declares_won, "declared won: announced as in the browser");
        let mut withdrawn = current(&spec(CampaignStatus::Withdrawn, "T"), records(), 3);
        withdrawn.life.republished = Some(CampaignStatus::Won);
        let back = plan_import(Some(&withdrawn), spec(CampaignStatus::Won, "T"), records(), "/d", AT);
        assert!(!back.unwrap().unwrap().declares_won, "won before it was withdrawn: nothing to announce");
        let unsigned = current(&open, records(), 0);
        let plan = plan_import(Some(&unsigned), spec(CampaignStatus::Open, "New"), records(), "/d", AT)
            .unwrap()
            .unwrap();
        assert!(!plan.keep_revisions, "nobody signed that text");
    }
}
