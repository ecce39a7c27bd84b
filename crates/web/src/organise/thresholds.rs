//! A campaign's own thresholds (`/organise/c/{slug}/thresholds`), one list a language of its
//! versions, beside the site's (which admins set in the site settings).

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use undersigned_core::account::Action;
use undersigned_core::threshold::{merge, parse_milestones};
use undersigned_core::{Lang, ValidationError};

use super::{Authorized, CurrentUser, audit, authorize};
use crate::organise::frame::frame;
use crate::render::forms::FormState;
use crate::thresholds::{ThresholdFields, field_context, fields_of, parse_fields};
use crate::{AppError, AppState, Visitor};

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct ThresholdsForm {
    /// The counts at which the signers who asked for news are mailed.
    milestones: String,
    #[serde(flatten)]
    fields: ThresholdFields,
    #[serde(skip_serializing)]
    csrf: String,
}

fn langs(auth: &Authorized) -> Vec<Lang> {
    auth.campaign.content.versions.iter().map(|v| v.lang.clone()).collect()
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    form: FormState<ThresholdsForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let i18n = &state.pages.i18n;
    let site = state.store.thresholds(0).await?;
    let site: Vec<String> = undersigned_core::threshold::merge(&site, &[])
        .iter()
        .map(|t| {
            format!(
                "{}: {}",
                i18n.number(&visitor.ui, t.count),
                t.label_for(&visitor.preferences).unwrap_or_default()
            )
        })
        .collect();
    let page = context! {
        title => i18n.t(&visitor.ui, "organise-tab-thresholds", None),
        frame => frame(state, visitor, auth),
        form => form,
        threshold_fields => field_context(i18n, &langs(auth)),
        site => site,
    };
    Ok((status, state.pages.render("organise/thresholds.html", visitor, page)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let stored = state.store.thresholds(auth.campaign.id).await?;
    let milestones = state.store.milestone_mails(auth.campaign.id).await?;
    let milestones = milestones.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let form = ThresholdsForm { milestones, fields: fields_of(&langs(&auth), &stored), csrf: String::new() };
    render(&state, &visitor, &auth, FormState::new(form), StatusCode::OK).await
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<ThresholdsForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render(&state, &visitor, &auth, page, StatusCode::FORBIDDEN).await;
    }
    let refuse = |errors: Vec<ValidationError>| {
        let page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &errors);
        render(&state, &visitor, &auth, page, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let parsed = match parse_fields(&langs(&auth), &form.fields) {
        Ok(parsed) => parsed,
        Err(errors) => return refuse(errors).await,
    };
    // The milestones are among the thresholds as saved now: the site's and these.
    let own: Vec<_> = parsed.iter().flat_map(|(_, labels)| labels.iter().cloned()).collect();
    let thresholds = merge(&state.store.thresholds(0).await?, &own);
    let milestones = match parse_milestones("milestones", &form.milestones, &thresholds) {
        Ok(counts) => counts,
        Err(e) => return refuse(vec![e]).await,
    };
    for (lang, labels) in &parsed {
        state.store.set_thresholds(auth.campaign.id, lang, labels).await?;
    }
    state.store.set_milestone_mails(auth.campaign.id, &milestones).await?;
    let detail = parsed.iter().map(|(l, t)| format!("{l}: {}", t.len())).collect::<Vec<_>>().join(", ");
    audit(&state, &auth.user, Some(auth.campaign.id), "set-thresholds", format!("campaign {slug}"), detail)
        .await;
    state.page_cache.forget(&slug);
    Ok(Redirect::to(&format!("/organise/c/{slug}/thresholds")).into_response())
}
