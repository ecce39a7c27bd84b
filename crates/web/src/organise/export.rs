//! `GET /organise/c/{slug}/export.csv`: a campaign's confirmed signatures and endorsements, for
//! delivery. Addresses only for owners (`?emails=1`), and every export goes into the audit log.

use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use undersigned_core::Endorser;
use undersigned_core::account::Action;

use super::{CurrentUser, audit, authorize};
use crate::{AppError, AppState};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExportQuery {
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

pub async fn csv(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let with_emails = query.emails.is_some_and(|v| v == "1");
    let action = if with_emails { Action::ExportEmails } else { Action::ExportSignatures };
    let auth = authorize(&state, current, &slug, action, uri.path()).await?;
    let (signatures, endorsements) = tokio::try_join!(
        state.store.signatures_for_export(auth.campaign.id),
        state.store.endorsements(auth.campaign.id),
    )?;
    let mut out = Vec::new();
    if query.bom.is_some_and(|v| v == "1") {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let mut header = vec![
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
        ];
        if with_emails {
            header.push("email");
            header.push("wants_news");
        }
        let csv_error =
            |e: csv::Error| AppError::Store(undersigned_core::StoreError::Database(e.to_string()));
        writer.write_record(&header).map_err(csv_error)?;
        for s in &signatures {
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
            ];
            if with_emails {
                row.push(neutralise(v.email.as_str()));
                row.push(if v.opt_in { "yes" } else { "no" }.to_owned());
            }
            writer.write_record(&row).map_err(csv_error)?;
        }
        for e in &endorsements {
            let (kind, name, org_type) = match &e.spec.endorser {
                Endorser::Organisation { name, org_type, .. } => {
                    ("organisation", name.clone(), org_type.as_str())
                }
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
            ];
            if with_emails {
                row.push(String::new());
                row.push(String::new());
            }
            writer.write_record(&row).map_err(csv_error)?;
        }
        writer.flush().map_err(|e| AppError::Store(undersigned_core::StoreError::Database(e.to_string())))?;
    }
    let what = if with_emails { "export-with-emails" } else { "export" };
    let detail = format!("{} signatures, {} endorsements", signatures.len(), endorsements.len());
    audit(&state, &auth.user, Some(auth.campaign.id), what, format!("campaign {slug}"), detail).await;
    let filename = format!("attachment; filename=\"{slug}-signatures.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, filename),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        out,
    )
        .into_response())
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
