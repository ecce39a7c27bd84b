//! `POST /organise/c/{slug}/export.csv`: a campaign's confirmed signatures and endorsements, for
//! delivery. Addresses only for owners (`emails=1`), and every export goes into the audit log.
//! A POST with the form's CSRF token: a link from another site cannot make an owner's browser
//! download every address.
//!
//! Once the campaign's owners have an active key of their own (`/organise/keys`), the file is
//! sealed to their keys in the age format (`…-signatures.csv.age`, a fresh file key and header per
//! export), streamed as it is written: it opens with `age -d -i key.txt`, or on `/open` in the
//! browser. Until then it is the clear CSV it always was, and the dashboard invites them to
//! register a key.

use std::sync::Arc;

use axum::Form;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt, stream};
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use undersigned_core::account::Action;
use undersigned_core::age;
use undersigned_core::question::Question;
use undersigned_core::signature::{ListCursor, Signature};
use undersigned_core::{CampaignId, Endorsement, Endorser, Lang, Store};

use undersigned_core::signature_log::Salt;
use undersigned_core::store::LogLeaf;

use super::{CurrentUser, audit, authorize, step_up};
use crate::signature_log::log_key;
use crate::{AppError, AppState, Visitor};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExportQuery {
    csrf: String,
    /// Include email addresses (owners only).
    emails: Option<String>,
    /// Start with a byte-order mark, so that Excel reads the file as UTF-8.
    bom: Option<String>,
}

/// A cell a spreadsheet would run as a formula (`=HYPERLINK(...)`, `+1`, `-1`, `@SUM`) gets a
/// leading apostrophe, so that it is shown as the text it is.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_owned() }
}

/// Signatures read from the store per page of the export: the memory an export holds, whatever
/// the size of the campaign.
const EXPORT_PAGE: u32 = 2_000;

/// `private_sealed`: a signature's private fields sealed to the owners' keys (the base64 of an age
/// file, `base64 -d | age -d -i key.txt` or `/open` opens it), where the server could not put them
/// in the columns before.
///
/// `source_code` and `partner`: where a signature came from, a link's `?src=` and the slug of the
/// partner whose link it was (`?via=`, issue 16).
const HEADER: [&str; 14] = [
    "kind",
    "confirmed_at",
    "name",
    "public_name",
    "organisation_type",
    "country",
    "city",
    "affiliation",
    "comment",
    "language",
    "source",
    "private_sealed",
    "source_code",
    "partner",
];

pub async fn csv(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    Form(query): Form<ExportQuery>,
) -> Result<Response, AppError> {
    if !visitor.csrf_ok(&state.keys, &query.csrf) {
        return Err(AppError::Forbidden);
    }
    let with_emails = query.emails.is_some_and(|v| v == "1");
    let action = if with_emails { Action::ExportEmails } else { Action::ExportSignatures };
    let factor = current.1;
    let auth = authorize(&state, current, &slug, action, &format!("/organise/c/{slug}")).await?;
    if with_emails {
        step_up(factor, &format!("/organise/c/{slug}"))?;
    }
    let campaign = auth.campaign.id;
    let (counts, endorsements, recipients, partners, questions) = tokio::try_join!(
        state.store.counts(campaign),
        state.store.endorsements(campaign),
        state.store.campaign_recipients(campaign),
        state.store.campaign_partners(campaign),
        state.store.questions(campaign),
    )?;
    let partners: Arc<Partners> =
        Arc::new(partners.into_iter().map(|p| (p.organisation.id, p.organisation.slug)).collect());
    // A column per question of the campaign's own, retired ones too, after every other, in the
    // order they were added (a question retired or moved keeps its place in every export).
    let mut questions = questions;
    questions.sort_by_key(|q| q.id);
    let questions = Arc::new(Columns { questions, default: auth.campaign.content.default_lang.clone() });
    let ids: Vec<i64> = endorsements.iter().map(|e| e.id).collect();
    let leaves: std::collections::HashMap<i64, LogLeaf> =
        state.store.log_leaves_of_endorsements(&ids).await?.into_iter().collect();

    // The header and the endorsements are small; the signatures stream page by page between them.
    let head = head(query.bom.is_some_and(|v| v == "1"), with_emails, &questions)?;
    let tail = Bytes::from(encode(endorsements.iter().map(|e| {
        let mut row = endorsement_row(e, with_emails, leaves.get(&e.id));
        row.extend(questions.blank());
        row
    }))?);

    let what = if with_emails { "export-with-emails" } else { "export" };
    let mut detail = format!("{} signatures, {} endorsements", counts.signatures, endorsements.len());
    if !recipients.is_empty() {
        detail.push_str(&format!("; sealed to keys {}", recipients.ids()));
    }
    audit(&state, &auth.user, Some(campaign), what, format!("campaign {slug}"), detail).await;

    let pages = pages(state.clone(), campaign, slug.clone(), with_emails, tail, partners, questions);
    let csv = stream::once(async move { Ok(Bytes::from(head)) }).chain(pages);
    let (body, filename, content_type) = if recipients.is_empty() {
        (Body::from_stream(csv), format!("{slug}-signatures.csv"), "text/csv; charset=utf-8")
    } else {
        let sealed = sealed(&recipients.recipients(), csv);
        (Body::from_stream(sealed), format!("{slug}-signatures.csv.age"), "application/octet-stream")
    };
    let filename = format!("attachment; filename=\"{filename}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, filename),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// `csv` sealed to `recipients` as one age file, as it streams: the header and nonce first, then
/// each 64 KiB chunk as soon as the next has begun, the last when the CSV ends.
fn sealed(
    recipients: &[age::Recipient],
    csv: impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    let (start, payload) = age::Sealer::new(recipients).stream();
    let payload = Arc::new(std::sync::Mutex::new(Some(payload)));
    let chunks = payload.clone();
    let body = csv.map(move |piece| {
        let piece = piece?;
        let mut guard = chunks.lock().map_err(|_| std::io::Error::other("the export's sealer failed"))?;
        let stream = guard.as_mut().ok_or_else(|| std::io::Error::other("the export was sealed already"))?;
        Ok(Bytes::from(stream.push(&piece)))
    });
    let end = stream::once(async move {
        let last = payload.lock().ok().and_then(|mut p| p.take());
        last.map(|p| Bytes::from(p.finish()))
            .ok_or_else(|| std::io::Error::other("the export's sealer failed"))
    });
    stream::once(async move { Ok(Bytes::from(start)) }).chain(body).chain(end)
}

/// The answers' columns: one per question of the campaign's own, named by its prompt in the
/// campaign's default language.
struct Columns {
    questions: Vec<Question>,
    default: Lang,
}

impl Columns {
    fn header(&self) -> impl Iterator<Item = String> + '_ {
        self.questions.iter().map(|q| neutralise(q.prompt_in(&self.default, &self.default)))
    }

    /// A signature's answers, where the server can read them (sealed to the owners' keys, they are
    /// in `private_sealed`).
    fn answers(&self, signature: &Signature) -> impl Iterator<Item = String> + '_ {
        let answers = signature.signer.answers.clone();
        self.questions.iter().map(move |q| {
            answers.get(&q.id).map(|a| neutralise(&q.answer_text(a, &self.default))).unwrap_or_default()
        })
    }

    /// The cells of a row that is no signature.
    fn blank(&self) -> impl Iterator<Item = String> + '_ {
        self.questions.iter().map(|_| String::new())
    }
}

/// The file's first line: its columns (with a byte-order mark first, for Excel, if asked).
fn head(bom: bool, with_emails: bool, columns: &Columns) -> Result<Vec<u8>, AppError> {
    let mut head = Vec::new();
    if bom {
        head.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut header = HEADER.to_vec();
    if with_emails {
        header.push("email");
        header.push("wants_news");
    }
    header.extend(LOG_HEADER);
    if with_emails {
        header.push("log_salt");
    }
    let header = header.iter().map(|h| (*h).to_owned()).chain(columns.header()).collect();
    head.extend(encode(std::iter::once(header))?);
    Ok(head)
}

/// The columns of the signature log (`docs/verifying.md`): each row's leaf index, leaf hash and
/// canonical record (its public fields and commitment); with addresses, the salt as well.
const LOG_HEADER: [&str; 3] = ["log_leaf", "log_leaf_hash", "log_record"];

/// What the export ends with: the log's checkpoint (the signed note) and the key that signed it.
struct LogEnd {
    note: String,
    key: String,
}

fn stopped(e: impl std::fmt::Display) -> Option<(Result<Bytes, std::io::Error>, Step)> {
    tracing::error!(error = %e, "export stopped");
    Some((Err(std::io::Error::other(e.to_string())), Step::Done))
}

enum Step {
    Signatures(Option<ListCursor>),
    Endorsements,
    Log(u64, Arc<LogEnd>),
    Checkpoint(Arc<LogEnd>),
    Done,
}

/// The signatures, a page at a time, then `tail` (the endorsements), then the leaves of the log
/// that stand for no row above (revocations; signatures withdrawn or invalidated), then the
/// checkpoint. A store failure cuts the download short, so the organiser sees it fail, never a
/// file that looks whole.
fn pages(
    state: AppState,
    campaign: CampaignId,
    slug: String,
    with_emails: bool,
    tail: Bytes,
    partners: Arc<Partners>,
    columns: Arc<Columns>,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    stream::unfold(Step::Signatures(None), move |step| {
        let store: Arc<dyn Store> = state.store.clone();
        let tail = tail.clone();
        let (state, slug, partners, columns) =
            (state.clone(), slug.clone(), partners.clone(), columns.clone());
        async move {
            match step {
                Step::Signatures(after) => {
                    let page = match store.signatures_for_export(campaign, after, EXPORT_PAGE).await {
                        Ok(page) => page,
                        Err(e) => return stopped(e),
                    };
                    let ids: Vec<i64> = page.iter().map(|s| s.id).collect();
                    let leaves: std::collections::HashMap<i64, (LogLeaf, Option<Salt>)> = match store
                        .log_leaves_of_signatures(&ids)
                        .await
                    {
                        Ok(leaves) => leaves.into_iter().map(|(id, leaf, salt)| (id, (leaf, salt))).collect(),
                        Err(e) => return stopped(e),
                    };
                    let next = match page.last() {
                        Some(last) if page.len() == EXPORT_PAGE as usize => {
                            last.confirmed_at.map_or(Step::Endorsements, |t| {
                                Step::Signatures(Some(ListCursor { confirmed_at: t, id: last.id }))
                            })
                        }
                        _ => Step::Endorsements,
                    };
                    let bytes = encode(page.iter().map(|s| {
                        let mut row = signature_row(s, with_emails, leaves.get(&s.id), &partners);
                        row.extend(columns.answers(s));
                        row
                    }))
                    .map_err(|e| std::io::Error::other(e.to_string()));
                    Some((bytes.map(Bytes::from), next))
                }
                Step::Endorsements => {
                    // The checkpoint once every signature is written: it covers each row's leaf.
                    let log = match crate::signature_log::checkpoint(&state, campaign, &slug).await {
                        Ok((_, note)) => LogEnd { note, key: log_key(&state).verifier().to_string() },
                        Err(e) => return stopped(e),
                    };
                    Some((Ok(tail), Step::Log(0, Arc::new(log))))
                }
                Step::Log(from, log) => {
                    let page =
                        match store.unlisted_log_leaves(campaign, from, i64::MAX as u64, EXPORT_PAGE).await {
                            Ok(page) => page,
                            Err(e) => return stopped(e),
                        };
                    let next = match page.last() {
                        Some(last) if page.len() == EXPORT_PAGE as usize => {
                            Step::Log(last.0.index + 1, log.clone())
                        }
                        _ => Step::Checkpoint(log.clone()),
                    };
                    let rows = page.iter().map(|(leaf, became)| {
                        let kind = match (leaf.record.lines().nth(1), became) {
                            (_, Some(became)) => format!("log:{became}"),
                            (Some(kind), None) => format!("log:{}", kind.trim_start_matches("kind: ")),
                            _ => "log".to_owned(),
                        };
                        let mut row = log_row(&kind, with_emails, Some(leaf), None, "");
                        row.extend(columns.blank());
                        row
                    });
                    Some((
                        encode(rows).map(Bytes::from).map_err(|e| std::io::Error::other(e.to_string())),
                        next,
                    ))
                }
                Step::Checkpoint(log) => {
                    let mut row = log_row("checkpoint", with_emails, None, None, &log.note);
                    row[10] = log.key.clone();
                    row.extend(columns.blank());
                    Some((
                        encode(std::iter::once(row))
                            .map(Bytes::from)
                            .map_err(|e| std::io::Error::other(e.to_string())),
                        Step::Done,
                    ))
                }
                Step::Done => None,
            }
        }
    })
}

/// Rows as CSV bytes.
fn encode(rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>, AppError> {
    let csv_error =
        |e: &dyn std::fmt::Display| AppError::Store(undersigned_core::StoreError::Database(e.to_string()));
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.write_record(&row).map_err(|e| csv_error(&e))?;
    }
    writer.into_inner().map_err(|e| csv_error(&e))
}

/// A row of the log alone (no signature's data): its kind, the leaf's columns.
fn log_row(
    kind: &str,
    with_emails: bool,
    leaf: Option<&LogLeaf>,
    salt: Option<&Salt>,
    record: &str,
) -> Vec<String> {
    let mut row = vec![String::new(); HEADER.len() + if with_emails { 2 } else { 0 }];
    row[0] = kind.to_owned();
    row.extend(log_cells(with_emails, leaf, salt, record));
    row
}

/// The log's cells of a row: leaf index, leaf hash, record (or `record` when there is no
/// leaf: the checkpoint's note), and the salt with addresses.
fn log_cells(with_emails: bool, leaf: Option<&LogLeaf>, salt: Option<&Salt>, record: &str) -> Vec<String> {
    let mut cells = match leaf {
        Some(leaf) => vec![leaf.index.to_string(), hex::encode(leaf.hash), leaf.record.clone()],
        None => vec![String::new(), String::new(), record.to_owned()],
    };
    if with_emails {
        cells.push(salt.map(hex::encode).unwrap_or_default());
    }
    cells
}

/// A campaign's partners' slugs, by organisation id.
type Partners = std::collections::HashMap<i64, String>;

fn signature_row(
    s: &Signature,
    with_emails: bool,
    leaf: Option<&(LogLeaf, Option<Salt>)>,
    partners: &Partners,
) -> Vec<String> {
    let v = &s.signer;
    let confirmed = s.confirmed_at.and_then(|t| t.format(&Rfc3339).ok()).unwrap_or_default();
    let mut row = vec![
        "signature".to_owned(),
        confirmed,
        neutralise(&v.name),
        neutralise(&v.display.public_name(&v.name).unwrap_or_default()),
        String::new(),
        v.country.clone(),
        neutralise(v.city.as_deref().unwrap_or("")),
        neutralise(v.affiliation.as_deref().unwrap_or("")),
        neutralise(v.comment.as_deref().unwrap_or("")),
        v.lang.to_string(),
        "online".to_owned(),
        s.sealed_to_owners.clone().unwrap_or_default(),
        s.src.clone().unwrap_or_default(),
        s.via.and_then(|id| partners.get(&id).cloned()).unwrap_or_default(),
    ];
    if with_emails {
        row.push(neutralise(v.email.as_str()));
        row.push(if v.opt_in { "yes" } else { "no" }.to_owned());
    }
    row.extend(log_cells(with_emails, leaf.map(|(l, _)| l), leaf.and_then(|(_, s)| s.as_ref()), ""));
    row
}

fn endorsement_row(e: &Endorsement, with_emails: bool, leaf: Option<&LogLeaf>) -> Vec<String> {
    let (kind, name, org_type) = match &e.spec.endorser {
        Endorser::Organisation { name, org_type, .. } => ("organisation", name.clone(), org_type.as_str()),
        Endorser::Person { name } => ("person", name.clone(), ""),
        Endorser::Individuals { count } => ("individuals", count.to_string(), ""),
    };
    let source = if e.source.is_offline() {
        format!("offline: {}", e.spec.source_note.as_deref().unwrap_or(""))
    } else {
        "online".to_owned()
    };
    let mut row = vec![
        kind.to_owned(),
        e.created_at.format(&Rfc3339).unwrap_or_default(),
        neutralise(&name),
        neutralise(&name),
        org_type.to_owned(),
        e.spec.country.clone().unwrap_or_default(),
        String::new(),
        String::new(),
        neutralise(e.spec.statement.as_deref().unwrap_or("")),
        String::new(),
        neutralise(&source),
        String::new(),
        String::new(),
        String::new(),
    ];
    if with_emails {
        row.push(String::new());
        row.push(String::new());
    }
    row.extend(log_cells(with_emails, leaf, None, ""));
    row
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_shown_as_text() {
        assert_eq!(neutralise("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        for cell in ["+1", "-1", "@SUM(A1)", "\tx"] {
            assert!(neutralise(cell).starts_with('\''), "{cell}");
        }
        assert_eq!(neutralise("Chan Tai Man"), "Chan Tai Man");
    }
}
