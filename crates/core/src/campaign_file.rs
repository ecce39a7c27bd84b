//! Campaign files: a campaign written as text, so it can be edited and versioned like any document.
//!
//! A campaign is a folder holding `campaign.toml` (what all languages share, and the endorsements
//! that came with the appeal) and one `<lang>.md` per language version: Markdown with TOML front
//! matter between `+++` lines (title, summary, target, demands). `parse_folder` reads one;
//! `write_folder` writes one back, so that the two round-trip.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use toml::Spanned;
use toml::value::Datetime;

use crate::campaign::{CampaignContent, CampaignSpec, CampaignStatus, CampaignVersion, Contact, Slug};
use crate::demand::{Demand, MAX_DEMANDS, by_position, lists_of};
use crate::embedding::EmbedSites;
use crate::endorsement::{EndorsementSpec, Endorser, OrganisationType};
use crate::records::CampaignRecords;
use crate::{Lang, ValidationError};

mod records;
mod source;
pub use records::target_response;
pub use source::FileError;
use source::{Source, toml_datetime};

pub const CAMPAIGN_FILE: &str = "campaign.toml";
const FENCE: &str = "+++";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCampaign {
    slug: Spanned<String>,
    status: Spanned<String>,
    default_language: Spanned<String>,
    dated: Option<Spanned<Datetime>>,
    opens_at: Option<Spanned<Datetime>>,
    closes_at: Option<Spanned<Datetime>>,
    signature_goal: Option<Spanned<i64>>,
    contact: RawContact,
    #[serde(default)]
    endorsements: Vec<Spanned<RawEndorsement>>,
    #[serde(default)]
    updates: Vec<Spanned<records::RawUpdate>>,
    response: Option<Spanned<records::RawResponse>>,
    /// The sites that may frame the campaign's embeddable page; absent: any.
    embed_sites: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContact {
    name: Spanned<String>,
    email: Option<Spanned<String>>,
}

#[derive(Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
struct RawEndorsement {
    #[serde(skip_serializing_if = "Option::is_none")]
    organisation: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    org_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    individuals: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    person: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    website: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    statement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    /// `file` (the default), `offline` or `online`: see [`crate::records`].
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    added: Option<Datetime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    title: Spanned<String>,
    #[serde(default)]
    summary: Option<Spanned<String>>,
    #[serde(default)]
    target: Option<Spanned<String>>,
    #[serde(default)]
    demands: Vec<Spanned<String>>,
}

/// A campaign folder's whole content: the campaign and the records it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignFolder {
    pub spec: CampaignSpec,
    pub records: CampaignRecords,
}

/// Reads a campaign folder (or the `campaign.toml` in it), without the records it carries.
pub fn parse_folder(path: &Path) -> Result<CampaignSpec, FileError> {
    read_folder(path).map(|f| f.spec)
}

/// Reads a campaign folder (or the `campaign.toml` in it), with the records it carries.
pub fn read_folder(path: &Path) -> Result<CampaignFolder, FileError> {
    let dir =
        if path.is_dir() { path.to_owned() } else { path.parent().unwrap_or(Path::new(".")).to_owned() };
    let campaign_path = dir.join(CAMPAIGN_FILE);
    let text = read(&campaign_path)?;
    let mut version_files = std::fs::read_dir(&dir)
        .map_err(|e| FileError { file: dir.clone(), line: None, field: None, message: e.to_string() })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect::<Vec<_>>();
    version_files.sort();
    let versions =
        version_files.into_iter().map(|p| read(&p).map(|t| (p, t))).collect::<Result<Vec<_>, _>>()?;
    parse_all(&campaign_path, &text, &versions)
}

/// Parses a campaign from the texts of its files: `campaign.toml` and each `<lang>.md`, with the
/// paths they are reported under.
pub fn parse_texts(
    campaign_path: &Path,
    text: &str,
    versions: &[(PathBuf, String)],
) -> Result<CampaignSpec, FileError> {
    parse_all(campaign_path, text, versions).map(|f| f.spec)
}

/// [`parse_texts`], with the records the files carry.
pub fn parse_all(
    campaign_path: &Path,
    text: &str,
    versions: &[(PathBuf, String)],
) -> Result<CampaignFolder, FileError> {
    let src = Source { path: campaign_path, text, toml_start: 0 };
    let raw: RawCampaign = src.toml(text)?;
    let default_lang = Lang::parse("default_language", raw.default_language.get_ref())
        .map_err(|e| src.invalid(raw.default_language.span(), e))?;
    let read = versions.iter().map(|(p, t)| parse_version(p, t)).collect::<Result<Vec<_>, _>>()?;
    let demands = demands_of(&read)?;
    let versions: Vec<CampaignVersion> = read.into_iter().map(|r| r.version).collect();
    if versions.is_empty() {
        return Err(src.error(
            None,
            None,
            format!("no language version: add a file such as {}.md", default_lang),
        ));
    }

    let mut content = CampaignContent {
        slug: Slug::parse("slug", raw.slug.get_ref()).map_err(|e| src.invalid(raw.slug.span(), e))?,
        status: CampaignStatus::parse("status", raw.status.get_ref())
            .map_err(|e| src.invalid(raw.status.span(), e))?,
        dated: raw.dated.map(|d| date(&src, "dated", d)).transpose()?,
        opens_at: raw.opens_at.map(|d| datetime(&src, "opens_at", d)).transpose()?,
        closes_at: raw.closes_at.clone().map(|d| datetime(&src, "closes_at", d)).transpose()?,
        signature_goal: raw
            .signature_goal
            .as_ref()
            .map(|g| {
                u32::try_from(*g.get_ref()).ok().filter(|n| *n > 0).ok_or_else(|| {
                    src.invalid(g.span(), ValidationError::new("signature_goal", "must be a positive number"))
                })
            })
            .transpose()?,
        contact: {
            let email = raw.contact.email.as_ref();
            Contact::parse(raw.contact.name.get_ref(), email.map(|e| e.get_ref().as_str())).map_err(|e| {
                let span = if e.field == "contact.email" { email.map(|s| s.span()) } else { None };
                src.invalid(span.unwrap_or_else(|| raw.contact.name.span()), e)
            })?
        },
        default_lang,
        versions,
        demands,
        embed_sites: match &raw.embed_sites {
            Some(sites) => EmbedSites::parse("embed_sites", sites.get_ref().iter().map(String::as_str))
                .map_err(|e| src.invalid(sites.span(), e))?,
            None => EmbedSites::anywhere(),
        },
    };
    content.sort_versions();
    content.check().map_err(|e| {
        let span = match e.field.as_str() {
            "closes_at" => raw.closes_at.as_ref().map(|s| s.span()),
            "signature_goal" => raw.signature_goal.as_ref().map(|s| s.span()),
            _ => Some(raw.default_language.span()),
        };
        src.error(span, Some(&e.field), e.reason)
    })?;

    let (mut endorsements, mut kept) = (Vec::new(), Vec::new());
    for (i, e) in raw.endorsements.into_iter().enumerate() {
        let span = e.span();
        let mut e = e.into_inner();
        let origin = records::origin(e.origin.take(), e.key.take(), e.added.take());
        let parsed = origin.and_then(|origin| Ok((origin, endorsement(e)?)));
        match parsed.map_err(|err| {
            let span = src.key_span(span, &err.field);
            src.error(Some(span), Some(&format!("endorsements[{}].{}", i + 1, err.field)), err.reason)
        })? {
            (None, spec) => endorsements.push(spec),
            (Some(origin), spec) => kept.push(records::kept(spec, origin)),
        }
    }
    let (updates, response) = records::read(&src, raw.updates, raw.response)?;
    Ok(CampaignFolder {
        spec: CampaignSpec { content, endorsements },
        records: CampaignRecords { endorsements: kept, updates, response },
    })
}

/// The line of `campaign.toml` in `dir` that holds `near` (the first line starting with it, else
/// holding it), as an error about `field`: for refusals found after the files were read.
pub fn error_at(dir: &Path, field: &str, near: &str, message: impl Into<String>) -> FileError {
    let file = if dir.is_dir() { dir.join(CAMPAIGN_FILE) } else { dir.to_owned() };
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let lines = || text.lines().enumerate();
    let line = lines()
        .find(|(_, l)| l.trim_start().starts_with(near))
        .or_else(|| lines().find(|(_, l)| l.contains(near)))
        .map(|(i, _)| i + 1);
    FileError { file, line, field: Some(field.to_owned()), message: message.into() }
}

fn read(path: &Path) -> Result<String, FileError> {
    std::fs::read_to_string(path).map_err(|e| FileError {
        file: path.to_owned(),
        line: None,
        field: None,
        message: e.to_string(),
    })
}

fn date(src: &Source, field: &str, value: Spanned<Datetime>) -> Result<Date, FileError> {
    let span = value.span();
    let dt = value.into_inner();
    match (dt.date, dt.time) {
        (Some(d), None) => Date::from_calendar_date(
            i32::from(d.year),
            time::Month::try_from(d.month)
                .map_err(|e| src.error(Some(span.clone()), Some(field), e.to_string()))?,
            d.day,
        )
        .map_err(|e| src.error(Some(span), Some(field), e.to_string())),
        _ => Err(src.error(Some(span), Some(field), "must be a date such as 2004-02-10")),
    }
}

fn datetime(src: &Source, field: &str, value: Spanned<Datetime>) -> Result<OffsetDateTime, FileError> {
    let span = value.span();
    OffsetDateTime::parse(&value.get_ref().to_string(), &Rfc3339).map_err(|_| {
        src.error(
            Some(span),
            Some(field),
            "must be a date and time with an offset, such as 2004-02-10T09:00:00+08:00",
        )
    })
}

fn endorsement(raw: RawEndorsement) -> Result<EndorsementSpec, ValidationError> {
    let endorser = match (raw.organisation, raw.individuals, raw.person) {
        (None, None, Some(name)) => EndorsementSpec::person(&name)?,
        (Some(name), None, None) => {
            let org_type = OrganisationType::parse("type", raw.org_type.as_deref().unwrap_or("other"))?;
            EndorsementSpec::organisation(&name, org_type, raw.website.as_deref())?
        }
        (None, Some(count), None) => EndorsementSpec::individuals(count)?,
        _ => {
            return Err(ValidationError::new(
                "organisation",
                "give one of `organisation = \"name\"`, `person = \"name\"` or `individuals = <count>`",
            ));
        }
    };
    Ok(EndorsementSpec {
        endorser,
        country: raw.country.map(|c| EndorsementSpec::parse_country("country", &c)).transpose()?,
        statement: EndorsementSpec::optional_text("statement", raw.statement.as_deref(), 5_000)?,
        source_note: EndorsementSpec::optional_text("source", raw.source.as_deref(), 500)?,
    })
}

/// One `<lang>.md` as read: the version, its demands by position (`None`: left blank, not yet
/// translated), and for each blank one the error to give if no other language has it.
struct ReadVersion {
    version: CampaignVersion,
    demands: Vec<Option<String>>,
    blanks: Vec<(usize, FileError)>,
}

/// The campaign's demands from the versions' lists, matched by position: a list shorter than
/// another, or a blank entry (`""`), leaves that demand untranslated in its language; a position
/// blank in every language is an error.
fn demands_of(read: &[ReadVersion]) -> Result<Vec<Demand>, FileError> {
    let longest = read.iter().map(|r| r.demands.len()).max().unwrap_or(0);
    for i in 0..longest {
        if read.iter().all(|r| r.demands.get(i).is_none_or(Option::is_none))
            && let Some((_, err)) = read.iter().flat_map(|r| &r.blanks).find(|(j, _)| *j == i)
        {
            return Err(err.clone());
        }
    }
    let lists: Vec<_> = read.iter().map(|r| (r.version.lang.clone(), r.demands.clone())).collect();
    Ok(by_position(&lists))
}

/// Parses one `<lang>.md` language version.
fn parse_version(path: &Path, text: &str) -> Result<ReadVersion, FileError> {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let whole = Source { path, text, toml_start: 0 };
    let lang = Lang::parse("lang", stem).map_err(|e| {
        whole.error(None, Some("lang"), format!("{} (the file name is the version's language)", e.reason))
    })?;
    let rest = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - rest.len();
    let Some(after_fence) =
        rest.strip_prefix(FENCE).and_then(|r| r.strip_prefix('\n').or(r.strip_prefix("\r\n")))
    else {
        return Err(whole.error(
            Some(0..0),
            None,
            "must start with a `+++` line, then TOML front matter, then `+++`",
        ));
    };
    let toml_start = bom + (rest.len() - after_fence.len());
    let Some(end) = front_matter_end(after_fence) else {
        return Err(whole.error(None, None, "the front matter has no closing `+++` line"));
    };
    let front = &after_fence[..end];
    let body = after_fence[end + FENCE.len()..].trim_start_matches(['\r', '\n']);
    let src = Source { path, text, toml_start };
    let raw: RawVersion = src.toml(front)?;
    let (mut demands, mut blanks) = (Vec::new(), Vec::new());
    if let Some(extra) = raw.demands.get(MAX_DEMANDS) {
        let e = ValidationError::new("demands", format!("at most {MAX_DEMANDS} demands"));
        return Err(src.invalid(extra.span(), e));
    }
    for (i, d) in raw.demands.iter().enumerate() {
        let field = format!("demands[{}]", i + 1);
        if d.get_ref().trim().is_empty() {
            let why = "is blank in every language: write the demand (leave it blank only where another language has it, not yet translated)";
            blanks.push((i, src.invalid(d.span(), ValidationError::new(field, why))));
            demands.push(None);
        } else {
            demands
                .push(Some(Demand::parse_text(&field, d.get_ref()).map_err(|e| src.invalid(d.span(), e))?));
        }
    }
    let version = CampaignVersion::parse(
        lang,
        raw.title.get_ref(),
        raw.summary.as_ref().map_or("", |s| s.get_ref()),
        raw.target.as_ref().map_or("", |s| s.get_ref()),
        body,
    )
    .map_err(|e| {
        let span = match e.field.as_str() {
            "title" => Some(raw.title.span()),
            "summary" => raw.summary.as_ref().map(|s| s.span()),
            "target" => raw.target.as_ref().map(|s| s.span()),
            _ => None,
        };
        match span {
            Some(span) => src.invalid(span, e),
            // The body follows the front matter: point at its first line.
            None => src.error(Some(end + FENCE.len()..end), Some(&e.field), e.reason),
        }
    })?;
    Ok(ReadVersion { version, demands, blanks })
}

/// Where the front matter ends: the first `+++` line before which the text is valid TOML (a line
/// of a multi-line string may start with `+++` too), else the first `+++` line, for its error.
fn front_matter_end(after_fence: &str) -> Option<usize> {
    let mut ends = after_fence
        .starts_with(FENCE)
        .then_some(0)
        .into_iter()
        .chain(after_fence.match_indices("\n+++").map(|(i, _)| i + 1));
    let first = ends.clone().next()?;
    Some(ends.find(|&end| toml::from_str::<toml::Table>(&after_fence[..end]).is_ok()).unwrap_or(first))
}

#[derive(Serialize)]
struct CampaignOut<'a> {
    slug: &'a str,
    status: &'a str,
    default_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dated: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    opens_at: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closes_at: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signature_goal: Option<u32>,
    /// Written only when it is not the default (any site), so older files read as they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    embed_sites: Option<&'a [String]>,
    contact: ContactOut<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    endorsements: Vec<RawEndorsement>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    updates: Vec<records::RawUpdate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response: Option<records::RawResponse>,
}

#[derive(Serialize)]
struct ContactOut<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
}

#[derive(Serialize)]
struct VersionOut<'a> {
    title: &'a str,
    summary: &'a str,
    target: &'a str,
    /// By position; `""` for a demand not yet translated in this language.
    demands: Vec<String>,
}

fn raw_endorsement(e: &EndorsementSpec) -> RawEndorsement {
    let mut raw = RawEndorsement {
        country: e.country.clone(),
        statement: e.statement.clone(),
        source: e.source_note.clone(),
        ..Default::default()
    };
    match &e.endorser {
        Endorser::Organisation { name, org_type, website } => {
            raw.organisation = Some(name.clone());
            raw.org_type = Some(org_type.as_str().to_owned());
            raw.website = website.clone();
        }
        Endorser::Individuals { count } => raw.individuals = Some(i64::from(*count)),
        Endorser::Person { name } => raw.person = Some(name.clone()),
    }
    raw
}

/// The files of a campaign folder, as (file name, contents).
pub fn render_folder(spec: &CampaignSpec) -> Vec<(String, String)> {
    render_all(&CampaignFolder { spec: spec.clone(), records: CampaignRecords::default() })
}

/// The files of a campaign folder with the records it carries, as (file name, contents): the
/// files' own endorsements first, then the others marked by origin.
pub fn render_all(folder: &CampaignFolder) -> Vec<(String, String)> {
    let spec = &folder.spec;
    let c = &spec.content;
    let mut endorsements: Vec<RawEndorsement> = spec.endorsements.iter().map(raw_endorsement).collect();
    for e in &folder.records.endorsements {
        let (origin, key, added) = records::endorsement_out(e);
        endorsements.push(RawEndorsement {
            origin: Some(origin),
            key: Some(key),
            added: Some(added),
            ..raw_endorsement(&e.spec)
        });
    }
    let (updates, response) = records::write(&folder.records);
    let out = CampaignOut {
        slug: c.slug.as_str(),
        status: c.status.as_str(),
        default_language: c.default_lang.as_str(),
        dated: c.dated.map(|d| toml_datetime(d.to_string())),
        opens_at: c.opens_at.map(|d| toml_datetime(d.format(&Rfc3339).expect("RFC 3339 formats any date"))),
        closes_at: c.closes_at.map(|d| toml_datetime(d.format(&Rfc3339).expect("RFC 3339 formats any date"))),
        signature_goal: c.signature_goal,
        contact: ContactOut { name: &c.contact.name, email: c.contact.email.as_ref().map(|e| e.as_str()) },
        endorsements,
        updates,
        response,
        embed_sites: (!c.embed_sites.is_anywhere()).then(|| c.embed_sites.sites()),
    };
    let mut files =
        vec![(CAMPAIGN_FILE.to_owned(), toml::to_string(&out).expect("campaign serialises to TOML"))];
    for v in &c.versions {
        let demands = lists_of(&c.demands, &v.lang).into_iter().map(Option::unwrap_or_default).collect();
        let front = VersionOut { title: &v.title, summary: &v.summary, target: &v.target, demands };
        let front = toml::to_string(&front).expect("version serialises to TOML");
        files.push((format!("{}.md", v.lang), format!("{FENCE}\n{front}{FENCE}\n\n{}\n", v.body)));
    }
    files
}

/// Writes a campaign folder; returns the paths written.
pub fn write_folder(spec: &CampaignSpec, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    write_files(render_folder(spec), dir)
}

/// Writes a campaign folder with the records it carries; returns the paths written.
pub fn write_all(folder: &CampaignFolder, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    write_files(render_all(folder), dir)
}

fn write_files(files: Vec<(String, String)>, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    files
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text)?;
            Ok(path)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAMPAIGN: &str = r#"slug = "free-them"
status = "open"
default_language = "en"
dated = 2004-02-10
signature_goal = 500

[contact]
name = "Lam"
email = "lam@example.org"

[[endorsements]]
organisation = "A Union"
type = "trade-union"
country = "hk"

[[endorsements]]
individuals = 15
source = "on paper"
"#;

    const EN: &str = "+++\ntitle = \"Free them\"\nsummary = \"Now\"\ntarget = \"The government\"\ndemands = [\"Release them\", \"Stop it\"]\n+++\n\nThe **body**.\n";

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    #[test]
    fn a_campaign_folder_round_trips() {
        let dir = folder(&[
            (CAMPAIGN_FILE, CAMPAIGN),
            ("en.md", EN),
            ("zh-hant.md", &EN.replace("Free them", "釋放")),
        ]);
        let spec = parse_folder(dir.path()).unwrap();
        assert_eq!(spec.content.versions.len(), 2);
        assert_eq!(spec.content.versions[0].lang.as_str(), "en");
        assert_eq!(spec.content.versions[1].lang.as_str(), "zh-Hant");
        assert_eq!(spec.content.demand_texts_in(&Lang::known("en")), ["Release them", "Stop it"]);
        assert_eq!(spec.content.versions[0].body, "The **body**.");
        assert_eq!(spec.endorsements[0].country.as_deref(), Some("HK"));
        let out = tempfile::tempdir().unwrap();
        write_folder(&spec, out.path()).unwrap();
        assert_eq!(parse_folder(out.path()).unwrap(), spec);
    }

    #[test]
    fn errors_name_the_file_line_and_field() {
        let bad = EN.replace("title = \"Free them\"", "title = \"\"");
        let dir = folder(&[(CAMPAIGN_FILE, CAMPAIGN), ("en.md", &bad)]);
        let err = parse_folder(dir.path()).unwrap_err();
        assert!(err.file.ends_with("en.md"), "{err}");
        assert_eq!((err.line, err.field.as_deref()), (Some(2), Some("title")), "{err}");

        let bad = CAMPAIGN.replace("signature_goal = 500", "signature_goal = \"many\"");
        let dir = folder(&[(CAMPAIGN_FILE, &bad), ("en.md", EN)]);
        let err = parse_folder(dir.path()).unwrap_err();
        assert_eq!((err.line, err.field.as_deref()), (Some(5), Some("signature_goal")), "{err}");

        let bad = CAMPAIGN.replace("country = \"hk\"", "country = \"XX\"");
        let dir = folder(&[(CAMPAIGN_FILE, &bad), ("en.md", EN)]);
        let err = parse_folder(dir.path()).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("endorsements[1].country"), "{err}");
        assert_eq!(err.line, Some(14), "{err}");

        let bad = CAMPAIGN.replace("status = \"open\"", "status = \"open\"\nstatuss = 1");
        let dir = folder(&[(CAMPAIGN_FILE, &bad), ("en.md", EN)]);
        let err = parse_folder(dir.path()).unwrap_err();
        assert_eq!((err.line, err.field.as_deref()), (Some(3), Some("statuss")), "{err}");

        let bad =
            EN.replace("demands = [\"Release them\", \"Stop it\"]", "demands = [\"Release them\",\n  \"\"]");
        let dir = folder(&[(CAMPAIGN_FILE, CAMPAIGN), ("en.md", &bad)]);
        let err = parse_folder(dir.path()).unwrap_err();
        assert_eq!((err.line, err.field.as_deref()), (Some(6), Some("demands[2]")), "{err}");
    }

    #[test]
    fn a_demand_blank_or_missing_in_one_language_is_not_yet_translated_there() {
        let zh = EN
            .replace("Free them", "釋放")
            .replace("demands = [\"Release them\", \"Stop it\"]", "demands = [\"\", \"停止\"]");
        let short = EN.replace("demands = [\"Release them\", \"Stop it\"]", "demands = [\"Libérez\"]");
        let dir = folder(&[(CAMPAIGN_FILE, CAMPAIGN), ("en.md", EN), ("zh-hant.md", &zh), ("fr.md", &short)]);
        let spec = parse_folder(dir.path()).unwrap();
        let zh = spec.content.demands_in(&Lang::known("zh-Hant"));
        assert_eq!((zh[0].text, zh[0].translated), ("Release them", false));
        assert_eq!((zh[1].text, zh[1].translated), ("停止", true));
        let fr = spec.content.demands_in(&Lang::known("fr"));
        assert_eq!((fr[1].text, fr[1].translated), ("Stop it", false));
        let out = tempfile::tempdir().unwrap();
        write_folder(&spec, out.path()).unwrap();
        assert_eq!(parse_folder(out.path()).unwrap(), spec, "untranslated demands round-trip");
    }

    #[test]
    fn the_default_language_needs_a_version() {
        let dir = folder(&[(CAMPAIGN_FILE, CAMPAIGN), ("fr.md", EN)]);
        let err = parse_folder(dir.path()).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("default_language"), "{err}");
        assert_eq!(err.line, Some(3));
    }
}
