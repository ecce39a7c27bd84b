//! Endorsements that came by email or on paper, added by an organiser with a note of where they
//! came from.

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use undersigned_core::ValidationError;
use undersigned_core::account::Action;
use undersigned_core::endorsement::{EndorsementSpec, Endorser, OrganisationType};
use undersigned_core::validation;

use crate::organise::frame::frame;
use crate::organise::{Authorized, CurrentUser, audit, authorize};
use crate::render::forms::FormState;
use crate::{AppError, AppState, Visitor};

/// The form for an endorsement that came by email or on paper.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct OfflineForm {
    kind: String,
    organisation: String,
    org_type: String,
    website: String,
    person: String,
    individuals: String,
    country: String,
    statement: String,
    source: String,
    #[serde(skip_serializing)]
    csrf: String,
}

impl OfflineForm {
    fn parse(&self) -> Result<EndorsementSpec, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let endorser = if self.kind == "person" {
            EndorsementSpec::person(&self.person).map_err(|e| errors.push(e)).ok()
        } else if self.kind == "individuals" {
            match self.individuals.trim().parse::<i64>() {
                Ok(n) => EndorsementSpec::individuals(n).map_err(|e| errors.push(e)).ok(),
                Err(_) => {
                    errors.push(ValidationError::new("individuals", ""));
                    None
                }
            }
        } else {
            let org_type =
                OrganisationType::parse("org_type", &self.org_type).map_err(|e| errors.push(e)).ok();
            EndorsementSpec::organisation(
                &self.organisation,
                org_type.unwrap_or(OrganisationType::Other),
                Some(&self.website),
            )
            .map_err(|e| errors.push(e))
            .ok()
        };
        let country = if self.country.trim().is_empty() {
            None
        } else {
            EndorsementSpec::parse_country("country", &self.country).map_err(|e| errors.push(e)).ok()
        };
        let statement = EndorsementSpec::optional_text("statement", Some(&self.statement), 2_000)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let source = validation::text("source", &self.source, 1, 500, false).map_err(|e| errors.push(e)).ok();
        match (endorser, source) {
            (Some(endorser), Some(source)) if errors.is_empty() => {
                Ok(EndorsementSpec { endorser, country, statement, source_note: Some(source) })
            }
            _ => Err(errors),
        }
    }
}

async fn render_offline(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    form: FormState<OfflineForm>,
    status: StatusCode,
    added: Option<String>,
) -> Result<Response, AppError> {
    let org_types: Vec<&str> = OrganisationType::ALL.iter().map(|t| t.as_str()).collect();
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "organise-tab-offline", None),
        frame => frame(state, visitor, auth),
        form => form,
        org_types => org_types,
        countries => state.pages.i18n.countries(&visitor.ui),
        added => added,
    };
    Ok((status, state.pages.render("organise/offline.html", visitor, page)?).into_response())
}

pub async fn offline_page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::AddOfflineEndorsements, uri.path()).await?;
    let form = OfflineForm { kind: "organisation".into(), ..Default::default() };
    render_offline(&state, &visitor, &auth, FormState::new(form), StatusCode::OK, None).await
}

pub async fn add_offline(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<OfflineForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::AddOfflineEndorsements, uri.path()).await?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_offline(&state, &visitor, &auth, page, StatusCode::FORBIDDEN, None).await;
    }
    let spec = match form.parse() {
        Ok(spec) => spec,
        Err(errors) => {
            let page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &errors);
            return render_offline(&state, &visitor, &auth, page, StatusCode::UNPROCESSABLE_ENTITY, None)
                .await;
        }
    };
    let id = state.store.add_offline_endorsement(auth.campaign.id, &spec).await?;
    let what = match &spec.endorser {
        Endorser::Organisation { name, .. } => name.clone(),
        Endorser::Person { name } => name.clone(),
        Endorser::Individuals { count } => {
            i18n.t1(&visitor.ui, "endorsement-individuals", "count", i64::from(*count))
        }
    };
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        "add-offline-endorsement",
        format!("endorsement #{id} {what}"),
        spec.source_note.clone().unwrap_or_default(),
    )
    .await;
    let fresh = OfflineForm { kind: form.kind.clone(), ..Default::default() };
    render_offline(&state, &visitor, &auth, FormState::new(fresh), StatusCode::OK, Some(what)).await
}
