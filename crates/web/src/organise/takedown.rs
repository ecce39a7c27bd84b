//! An admin takes a campaign down with a public reason (`/organise/c/{slug}/take-down`): its page
//! then answers 410 Gone with the reason, and each confirmed signer is told by mail. Putting it
//! back is republishing (`dashboard::life`), which clears the reason; the audit log keeps both.

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use undersigned_core::account::Action;
use undersigned_core::store::now;
use undersigned_core::validation;

use super::{Authorized, CurrentUser, audit, authorize};
use crate::organise::frame::frame;
use crate::render::forms::FormState;
use crate::{AppError, AppState, Visitor};

/// The longest public reason.
pub const REASON_MAX: usize = 2_000;

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct TakeDownForm {
    takedown_reason: String,
    #[serde(skip_serializing)]
    csrf: String,
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    form: FormState<TakeDownForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "organise-tab-takedown", None),
        frame => frame(state, visitor, auth),
        form => form,
        public => auth.campaign.content.status.is_public(),
    };
    Ok((status, state.pages.render("organise/takedown.html", visitor, page)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::Administer, uri.path()).await?;
    render(&state, &visitor, &auth, FormState::new(TakeDownForm::default()), StatusCode::OK).await
}

pub async fn take_down(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<TakeDownForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::Administer, uri.path()).await?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render(&state, &visitor, &auth, page, StatusCode::FORBIDDEN).await;
    }
    let reason = match validation::text("takedown_reason", &form.takedown_reason, 1, REASON_MAX, true) {
        Ok(reason) => reason,
        Err(e) => {
            let page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &[e]);
            return render(&state, &visitor, &auth, page, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    if !state.store.take_down(auth.campaign.id, &reason, &auth.user.email, now()).await? {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "takedown-not-public", None));
        return render(&state, &visitor, &auth, page, StatusCode::CONFLICT).await;
    }
    state.page_cache.clear();
    state.mail_queued.notify_one();
    audit(&state, &auth.user, Some(auth.campaign.id), "take-down", format!("campaign {slug}"), reason).await;
    Ok(Redirect::to(&format!("/c/{slug}")).into_response())
}
