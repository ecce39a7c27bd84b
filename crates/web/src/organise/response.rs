//! Recording the target's response: shown prominently on the campaign's page.

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;
use undersigned_core::account::Action;
use undersigned_core::store::{TargetResponse, now};
use undersigned_core::{ValidationError, validation};

use super::{Authorized, CurrentUser, audit, authorize};
use crate::organise::frame::frame;
use crate::render::forms::FormState;
use crate::{AppError, AppState, Visitor};

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct ResponseForm {
    text: String,
    responded_on: String,
    link: String,
    #[serde(skip_serializing)]
    remove: Option<String>,
    #[serde(skip_serializing)]
    csrf: String,
}

impl ResponseForm {
    fn parse(&self) -> Result<TargetResponse, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let text =
            validation::text("response_text", &self.text, 1, 10_000, true).map_err(|e| errors.push(e)).ok();
        let responded_on = match self.responded_on.trim() {
            "" => None,
            d => Date::parse(d, format_description!("[year]-[month]-[day]"))
                .map_err(|_| errors.push(ValidationError::new("responded_on", "")))
                .ok(),
        };
        let link = match self.link.trim() {
            "" => None,
            l if (l.starts_with("https://") || l.starts_with("http://"))
                && l.len() <= 500
                && !l.contains(char::is_whitespace) =>
            {
                Some(l.to_owned())
            }
            _ => {
                errors.push(ValidationError::new("link", ""));
                None
            }
        };
        match text {
            Some(text) if errors.is_empty() => Ok(TargetResponse { text, responded_on, link }),
            _ => Err(errors),
        }
    }
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    form: FormState<ResponseForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "organise-tab-response", None),
        frame => frame(state, visitor, auth),
        form => form,
    };
    Ok((status, state.pages.render("organise/response.html", visitor, page)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let form = match state.store.response(auth.campaign.id).await? {
        Some(r) => ResponseForm {
            text: r.text,
            responded_on: r.responded_on.map(|d| d.to_string()).unwrap_or_default(),
            link: r.link.unwrap_or_default(),
            ..Default::default()
        },
        None => ResponseForm::default(),
    };
    render(&state, &visitor, &auth, FormState::new(form), StatusCode::OK).await
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<ResponseForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render(&state, &visitor, &auth, page, StatusCode::FORBIDDEN).await;
    }
    if form.remove.is_some() {
        state.store.set_response(auth.campaign.id, None, now()).await?;
        audit(
            &state,
            &auth.user,
            Some(auth.campaign.id),
            "remove-response",
            format!("campaign {slug}"),
            String::new(),
        )
        .await;
        return Ok(Redirect::to(&format!("/organise/c/{slug}/response")).into_response());
    }
    let response = match form.parse() {
        Ok(r) => r,
        Err(errors) => {
            let page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &errors);
            return render(&state, &visitor, &auth, page, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    state.store.set_response(auth.campaign.id, Some(&response), now()).await?;
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        "record-response",
        format!("campaign {slug}"),
        String::new(),
    )
    .await;
    Ok(Redirect::to(&format!("/c/{slug}#response")).into_response())
}
