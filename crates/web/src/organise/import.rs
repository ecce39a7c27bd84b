//! A spreadsheet of endorsements collected on paper: uploaded as CSV, checked row by row (every
//! error named by row and column), shown for review, and imported all together or not at all.

use axum::Form;
use axum::extract::{Multipart, OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use undersigned_core::account::Action;
use undersigned_core::endorsement::{EndorsementSpec, Endorser, OrganisationType};
use undersigned_core::validation;

use super::{Authorized, CurrentUser, audit, authorize};
use crate::organise::frame::frame;
use crate::{AppError, AppState, Visitor};

/// The largest file accepted (the route's body limit says the same).
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// The most rows one file may hold.
pub const MAX_ROWS: usize = 10_000;
pub const COLUMNS: [&str; 8] =
    ["type", "name", "org_type", "count", "country", "website", "statement", "source"];

/// What is wrong with one cell: the row (as a spreadsheet numbers it, the header being row 1),
/// the column, and the translation key of the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    pub row: usize,
    pub column: String,
    pub reason: &'static str,
}

fn reason(column: &str) -> &'static str {
    match column {
        "type" => "csv-error-type",
        // The name of an organisation or of a person.
        "name" => "form-error-organisation",
        "org_type" => "form-error-org-type",
        "count" => "form-error-individuals",
        "country" => "form-error-country",
        "website" => "form-error-website",
        "statement" => "form-error-statement",
        "source" => "form-error-source",
        _ => "csv-error-column",
    }
}

/// Reads a CSV file of endorsements: every row valid, or every error. Type is organisation,
/// person (a name) or individuals (a count).
pub fn parse(text: &str) -> Result<Vec<EndorsementSpec>, Vec<CellError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_lowercase()).collect(),
        Err(_) => return Err(vec![cell_error(1, "")]),
    };
    let mut errors = header_errors(&headers);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut specs = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        if row > MAX_ROWS + 1 {
            errors.push(CellError { row, column: String::new(), reason: "csv-error-too-many" });
            break;
        }
        let Ok(record) = record else {
            errors.push(cell_error(row, ""));
            continue;
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell =
            |name: &str| headers.iter().position(|h| h == name).and_then(|i| record.get(i)).unwrap_or("");
        match parse_row(row, cell) {
            Ok(spec) => specs.push(spec),
            Err(row_errors) => errors.extend(row_errors),
        }
    }
    if specs.is_empty() && errors.is_empty() {
        errors.push(CellError { row: 2, column: String::new(), reason: "csv-error-empty" });
    }
    if errors.is_empty() { Ok(specs) } else { Err(errors) }
}

fn cell_error(row: usize, column: &str) -> CellError {
    CellError { row, column: column.to_owned(), reason: reason(column) }
}

/// Columns no endorsement has, and the columns every file needs, if missing.
fn header_errors(headers: &[String]) -> Vec<CellError> {
    let mut errors: Vec<CellError> = headers
        .iter()
        .filter(|h| !COLUMNS.contains(&h.as_str()))
        .map(|h| CellError { row: 1, column: h.clone(), reason: "csv-error-column" })
        .collect();
    for needed in ["type", "source"] {
        if !headers.iter().any(|h| h == needed) {
            errors.push(CellError { row: 1, column: needed.to_owned(), reason: "csv-error-missing-column" });
        }
    }
    errors
}

/// One row's endorsement, or every error in it; `cell` reads a column of the row.
fn parse_row<'r>(row: usize, cell: impl Fn(&str) -> &'r str) -> Result<EndorsementSpec, Vec<CellError>> {
    let mut errors = Vec::new();
    let endorser = endorser(row, &cell, &mut errors);
    let country = match cell("country") {
        "" => None,
        c => EndorsementSpec::parse_country("country", c)
            .map_err(|_| errors.push(cell_error(row, "country")))
            .ok(),
    };
    let statement = EndorsementSpec::optional_text("statement", Some(cell("statement")), 2_000)
        .map_err(|_| errors.push(cell_error(row, "statement")))
        .ok()
        .flatten();
    let source = validation::text("source", cell("source"), 1, 500, false)
        .map_err(|_| errors.push(cell_error(row, "source")))
        .ok();
    match (endorser, source) {
        (Some(endorser), Some(source)) if errors.is_empty() => {
            Ok(EndorsementSpec { endorser, country, statement, source_note: Some(source) })
        }
        _ => Err(errors),
    }
}

/// Who endorses, by the row's type: an organisation (name, type, website), a person (name), or a
/// number of individuals (count).
fn endorser<'r>(
    row: usize,
    cell: &impl Fn(&str) -> &'r str,
    errors: &mut Vec<CellError>,
) -> Option<Endorser> {
    match cell("type").to_lowercase().as_str() {
        "organisation" | "organization" => {
            let org_type = match cell("org_type") {
                "" => Some(OrganisationType::Other),
                t => OrganisationType::parse("org_type", t)
                    .map_err(|_| errors.push(cell_error(row, "org_type")))
                    .ok(),
            };
            EndorsementSpec::organisation(
                cell("name"),
                org_type.unwrap_or(OrganisationType::Other),
                Some(cell("website")),
            )
            .map_err(|e| errors.push(cell_error(row, if e.field == "website" { "website" } else { "name" })))
            .ok()
        }
        "person" => {
            EndorsementSpec::person(cell("name")).map_err(|_| errors.push(cell_error(row, "name"))).ok()
        }
        "individuals" => match cell("count").replace(',', "").parse::<i64>() {
            Ok(n) => EndorsementSpec::individuals(n).map_err(|_| errors.push(cell_error(row, "count"))).ok(),
            Err(_) => {
                errors.push(cell_error(row, "count"));
                None
            }
        },
        _ => {
            errors.push(cell_error(row, "type"));
            None
        }
    }
}

enum Outcome {
    Form,
    Errors(Vec<CellError>),
    Preview(String, Vec<EndorsementSpec>),
    Imported(usize),
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    outcome: Outcome,
    status: StatusCode,
) -> Result<Response, AppError> {
    let i18n = &state.pages.i18n;
    let lang = &visitor.ui;
    let (errors, preview, csv, imported) = match outcome {
        Outcome::Form => (Vec::new(), Vec::new(), None, None),
        Outcome::Errors(errors) => {
            let rows = errors
                .iter()
                .map(|e| context! { row => e.row, column => &e.column, reason => i18n.t(lang, e.reason, None) })
                .collect();
            (rows, Vec::new(), None, None)
        }
        Outcome::Preview(csv, specs) => {
            let rows: Vec<Value> = specs
                .iter()
                .map(|s| {
                    let (name, kind) = match &s.endorser {
                        Endorser::Organisation { name, org_type, .. } => (name.clone(), i18n.t(lang, &format!("org-type-{}", org_type.as_str()), None)),
                        Endorser::Person { name } => (name.clone(), String::new()),
                        Endorser::Individuals { count } => (i18n.t1(lang, "endorsement-individuals", "count", i64::from(*count)), String::new()),
                    };
                    context! { name => name, kind => kind, country => s.country.as_deref().map(|c| i18n.country(lang, c)), source => &s.source_note }
                })
                .collect();
            (Vec::new(), rows, Some(csv), None)
        }
        Outcome::Imported(n) => (Vec::new(), Vec::new(), None, Some(n)),
    };
    let page = context! {
        title => i18n.t(lang, "import-heading", None),
        frame => frame(state, visitor, auth),
        errors => errors,
        preview => preview,
        csv => csv,
        imported => imported,
        columns => COLUMNS,
    };
    Ok((status, state.pages.render("organise/import.html", visitor, page)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::AddOfflineEndorsements, uri.path()).await?;
    render(&state, &visitor, &auth, Outcome::Form, StatusCode::OK).await
}

/// The upload: checks the file and shows what would be imported, or every error.
pub async fn check(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::AddOfflineEndorsements, uri.path()).await?;
    let (mut csrf, mut file) = (String::new(), None);
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => file = field.bytes().await.ok(),
            _ => {}
        }
    }
    if !visitor.csrf_ok(&state.keys, &csrf) {
        return Err(AppError::Forbidden);
    }
    let Some(text) = file.and_then(|bytes| String::from_utf8(bytes.to_vec()).ok()) else {
        let errors = vec![CellError { row: 1, column: String::new(), reason: "csv-error-encoding" }];
        return render(&state, &visitor, &auth, Outcome::Errors(errors), StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    };
    match parse(&text) {
        Ok(specs) => render(&state, &visitor, &auth, Outcome::Preview(text, specs), StatusCode::OK).await,
        Err(errors) => {
            render(&state, &visitor, &auth, Outcome::Errors(errors), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConfirmForm {
    csv: String,
    csrf: String,
}

/// The confirmation after the preview: imports every row in one transaction.
pub async fn import(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::AddOfflineEndorsements, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let specs = match parse(&form.csv) {
        Ok(specs) => specs,
        Err(errors) => {
            return render(
                &state,
                &visitor,
                &auth,
                Outcome::Errors(errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let ids = state.store.add_offline_endorsements(auth.campaign.id, &specs).await?;
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        "import-endorsements",
        format!("campaign {slug}"),
        format!("{} endorsements from a CSV file", ids.len()),
    )
    .await;
    render(&state, &visitor, &auth, Outcome::Imported(ids.len()), StatusCode::OK).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_file_parses_and_a_bad_one_names_row_and_column() {
        let good = "\u{feff}type,name,org_type,count,country,source\norganisation,Dockers,trade-union,,GB,paper\nindividuals,,,15,HK,paper forms\n";
        assert_eq!(parse(good).unwrap().len(), 2);
        let bad = "type,name,count,country,source\norganisation,Dockers,,GB,paper\nindividuals,,many,HK,paper\norganisation,X,,ZZ,\n";
        let errors = parse(bad).unwrap_err();
        let cells: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(cells, [(3, "count"), (4, "country"), (4, "source")]);
        assert_eq!(parse("name,source\nX,y\n").unwrap_err()[0].reason, "csv-error-missing-column");
        assert_eq!(parse("type,source,colour\n").unwrap_err()[0].column, "colour");
    }
}
