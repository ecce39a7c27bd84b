//! The part of a campaign file that carries records from outside the files (see
//! [`crate::records`]): endorsements marked `origin = "online"` or `"offline"` with their `key`
//! and `added` date, `[[updates]]` and `[response]`.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use toml::Spanned;
use toml::value::Datetime;

use super::source::{FileError, Source, plain_date, toml_datetime};
use crate::Lang;
use crate::campaign::TargetResponse;
use crate::endorsement::{EndorsementSource, EndorsementSpec};
use crate::records::{CampaignRecords, KeptEndorsement, KeptUpdate, source_name};
use crate::update::UpdateText;
use crate::validation::{self, ValidationError};

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUpdate {
    key: String,
    published: Datetime,
    author: String,
    texts: Vec<RawUpdateText>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawUpdateText {
    lang: String,
    title: String,
    body: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawResponse {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    responded_on: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<String>,
}

fn time_of(field: &str, value: &Datetime) -> Result<OffsetDateTime, ValidationError> {
    OffsetDateTime::parse(&value.to_string(), &Rfc3339).map_err(|_| {
        ValidationError::new(field, "must be a date and time with an offset, such as 2004-02-10T09:00:00Z")
    })
}

fn datetime_out(t: OffsetDateTime) -> Datetime {
    toml_datetime(t.format(&Rfc3339).expect("RFC 3339 formats any date"))
}

/// An endorsement's origin: `None` for the files' own (no `origin`, or `origin = "file"`), else
/// where it came from, its key and when it was added.
pub(super) fn origin(
    origin: Option<String>,
    key: Option<String>,
    added: Option<Datetime>,
) -> Result<Option<(EndorsementSource, String, OffsetDateTime)>, ValidationError> {
    let source = match origin.as_deref().map(str::trim) {
        None | Some("file") => {
            if key.is_some() || added.is_some() {
                return Err(ValidationError::new(
                    "key",
                    "only endorsements with `origin = \"online\"` or `\"offline\"` have a key and a date added",
                ));
            }
            return Ok(None);
        }
        Some("online") => EndorsementSource::Online,
        Some("offline") => EndorsementSource::Offline,
        Some(_) => return Err(ValidationError::new("origin", "must be one of file, offline, online")),
    };
    let key =
        key.ok_or_else(|| ValidationError::new("key", "an endorsement with an origin needs its key"))?;
    let added =
        added.ok_or_else(|| ValidationError::new("added", "an endorsement with an origin needs its date"))?;
    Ok(Some((source, key, time_of("added", &added)?)))
}

/// The fields that mark a record's endorsement in the file.
pub(super) fn endorsement_out(e: &KeptEndorsement) -> (String, String, Datetime) {
    (source_name(e.source).to_owned(), e.key.clone(), datetime_out(e.added))
}

fn update(raw: RawUpdate) -> Result<KeptUpdate, ValidationError> {
    let published_at = time_of("published", &raw.published)?;
    let author = validation::text("author", &raw.author, 1, 200, false)?;
    let mut texts = Vec::with_capacity(raw.texts.len());
    for (i, t) in raw.texts.into_iter().enumerate() {
        let field = |f: &str| format!("texts[{}].{f}", i + 1);
        texts.push(UpdateText {
            lang: Lang::parse(&field("lang"), &t.lang)?,
            title: validation::text(&field("title"), &t.title, 1, 200, false)?,
            body: validation::text(&field("body"), &t.body, 1, 20_000, true)?,
        });
    }
    if texts.is_empty() {
        return Err(ValidationError::new("texts", "an update needs a text in at least one language"));
    }
    let mut update = KeptUpdate::new(published_at, author, texts);
    update.key = raw.key;
    Ok(update)
}

/// A response as the files and the organisers' form take it.
pub fn target_response(
    text: &str,
    responded_on: Option<time::Date>,
    link: Option<&str>,
) -> Result<TargetResponse, ValidationError> {
    let text = validation::text("text", text, 1, 10_000, true)?;
    let link = match link.map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(l)
            if (l.starts_with("https://") || l.starts_with("http://"))
                && l.len() <= 500
                && !l.contains(char::is_whitespace) =>
        {
            Some(l.to_owned())
        }
        Some(_) => return Err(ValidationError::new("link", "must be an http:// or https:// address")),
    };
    Ok(TargetResponse { text, responded_on, link })
}

/// Reads `[[updates]]` and `[response]`.
pub(super) fn read(
    src: &Source,
    updates: Vec<Spanned<RawUpdate>>,
    response: Option<Spanned<RawResponse>>,
) -> Result<(Vec<KeptUpdate>, Option<TargetResponse>), FileError> {
    let mut kept = Vec::with_capacity(updates.len());
    for (i, raw) in updates.into_iter().enumerate() {
        let span = raw.span();
        kept.push(update(raw.into_inner()).map_err(|e| {
            let span = src.key_span(span, e.field.split('[').next().unwrap_or_default());
            src.error(Some(span), Some(&format!("updates[{}].{}", i + 1, e.field)), e.reason)
        })?);
    }
    let response = match response {
        None => None,
        Some(raw) => {
            let span = raw.span();
            let raw = raw.into_inner();
            let parsed = raw
                .responded_on
                .as_ref()
                .map(|d| {
                    plain_date(d).ok_or_else(|| {
                        ValidationError::new("responded_on", "must be a date such as 2004-03-01")
                    })
                })
                .transpose()
                .and_then(|on| target_response(&raw.text, on, raw.link.as_deref()));
            Some(parsed.map_err(|e| {
                let span = src.key_span(span, &e.field);
                src.error(Some(span), Some(&format!("response.{}", e.field)), e.reason)
            })?)
        }
    };
    Ok((kept, response))
}

/// `[[updates]]` and `[response]` as written.
pub(super) fn write(records: &CampaignRecords) -> (Vec<RawUpdate>, Option<RawResponse>) {
    let updates = records
        .updates
        .iter()
        .map(|u| RawUpdate {
            key: u.key.clone(),
            published: datetime_out(u.published_at),
            author: u.author.clone(),
            texts: u
                .texts
                .iter()
                .map(|t| RawUpdateText {
                    lang: t.lang.to_string(),
                    title: t.title.clone(),
                    body: t.body.clone(),
                })
                .collect(),
        })
        .collect();
    let response = records.response.as_ref().map(|r| RawResponse {
        text: r.text.clone(),
        responded_on: r.responded_on.map(|d| toml_datetime(d.to_string())),
        link: r.link.clone(),
    });
    (updates, response)
}

/// An endorsement from outside the files, with its spec parsed.
pub(super) fn kept(
    spec: EndorsementSpec,
    (source, key, added): (EndorsementSource, String, OffsetDateTime),
) -> KeptEndorsement {
    KeptEndorsement { key, source, added, spec }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use time::macros::datetime;

    use super::super::{CampaignFolder, parse_all, render_all};
    use crate::Lang;
    use crate::campaign::TargetResponse;
    use crate::endorsement::{EndorsementSource, EndorsementSpec, OrganisationType};
    use crate::records::{CampaignRecords, KeptEndorsement, KeptUpdate, plan_import};
    use crate::update::UpdateText;

    const CAMPAIGN: &str =
        "slug = \"free-them\"\nstatus = \"open\"\ndefault_language = \"en\"\n\n[contact]\nname = \"Lam\"\n";
    const EN: &str = "+++\ntitle = \"Free them\"\ndemands = [\"Release them\"]\n+++\n\nThe text.\n";

    fn parse(campaign: &str) -> Result<CampaignFolder, super::FileError> {
        parse_all(Path::new("campaign.toml"), campaign, &[(PathBuf::from("en.md"), EN.to_owned())])
    }

    fn folder() -> CampaignFolder {
        let mut folder = parse(CAMPAIGN).unwrap();
        let union = EndorsementSpec {
            endorser: EndorsementSpec::organisation("Union", OrganisationType::TradeUnion, None).unwrap(),
            country: Some("GB".into()),
            statement: Some("With you.\nAll the way.".into()),
            source_note: None,
        };
        let en = UpdateText {
            lang: Lang::known("en"),
            title: "Day one".into(),
            body: "We *delivered*.\n\nMore.".into(),
        };
        folder.records = CampaignRecords {
            endorsements: vec![KeptEndorsement::new(
                EndorsementSource::Online,
                datetime!(2026-11-25 14:07:18.123456 UTC),
                union,
            )],
            updates: vec![KeptUpdate::new(datetime!(2026-11-26 09:00 UTC), "Organiser".into(), vec![en])],
            response: Some(TargetResponse {
                text: "Received.".into(),
                responded_on: Some(time::macros::date!(2026 - 12 - 01)),
                link: Some("https://gov.example/a".into()),
            }),
        };
        folder
    }

    #[test]
    fn records_round_trip_marked_by_origin() {
        let folder = folder();
        let files = render_all(&folder);
        let campaign = &files[0].1;
        assert!(campaign.contains("origin = \"online\""), "{campaign}");
        assert!(campaign.contains("[[updates]]") && campaign.contains("[response]"), "{campaign}");
        let back = parse(campaign).unwrap();
        assert_eq!(back, folder);
        assert_eq!(render_all(&back), files, "written the same again");
    }

    #[test]
    fn an_origin_needs_its_key_and_the_files_own_have_none() {
        let bad = format!("{CAMPAIGN}\n[[endorsements]]\nperson = \"Ann\"\norigin = \"offline\"\n");
        let err = parse(&bad).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("endorsements[1].key"), "{err}");
        let bad = format!("{CAMPAIGN}\n[[endorsements]]\nperson = \"Ann\"\nkey = \"abc\"\n");
        assert_eq!(parse(&bad).unwrap_err().field.as_deref(), Some("endorsements[1].key"));
        let bad = format!("{CAMPAIGN}\n[[endorsements]]\nperson = \"Ann\"\norigin = \"fax\"\n");
        assert_eq!(parse(&bad).unwrap_err().field.as_deref(), Some("endorsements[1].origin"));
        let bad = format!("{CAMPAIGN}\n[response]\ntext = \"Yes\"\nlink = \"javascript:x\"\n");
        let err = parse(&bad).unwrap_err();
        assert_eq!((err.field.as_deref(), err.line), (Some("response.link"), Some(10)), "{err}");
    }

    #[test]
    fn a_record_changed_in_the_file_is_refused() {
        let mut folder = folder();
        let files = render_all(&folder);
        let edited = files[0].1.replace("With you.", "Against you.");
        let edited = parse(&edited).unwrap();
        let err = plan_import(None, edited.spec, edited.records, "dir", datetime!(2026-11-27 0:00 UTC))
            .unwrap_err();
        assert_eq!(err.field, "endorsement.key");
        assert!(err.message.contains("no longer matches its key"), "{}", err.message);
        folder.records.updates[0].texts[0].title = "Day 1".into();
        let err = plan_import(None, folder.spec, folder.records, "dir", datetime!(2026-11-27 0:00 UTC))
            .unwrap_err();
        assert_eq!(err.field, "update.key");
    }
}
