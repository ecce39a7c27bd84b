//! Taking a campaign down: its owner unpublishes it (withdrawn if people signed, a draft again if
//! not) or deletes a draft nobody signed. Each asks first on a page of its own, then acts on a
//! POST with its CSRF token, and is recorded in the audit log. The core decides what is allowed
//! (`CampaignStatus::unpublished`, `CampaignStatus::may_delete`, `Action`).

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use undersigned_core::account::Action;
use undersigned_core::store::now;

use super::{dashboard_with_alert, offers};
use crate::organise::frame::frame;
use crate::organise::{Authorized, CurrentUser, audit, authorize};
use crate::render::campaign::version_for;
use crate::render::messages::{ButtonForm, message};
use crate::{AppError, AppState, Visitor};

/// The page that asks before acting: what will happen, and the button.
fn confirm_page(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    what: &str,
    action: &str,
) -> Result<Response, AppError> {
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, &format!("take-down-{what}-{key}"), None);
    let page = context! {
        title => t("heading"),
        frame => frame(state, visitor, auth),
        heading => t("heading"),
        text => t("text"),
        button => t("button"),
        action => action,
    };
    Ok(state.pages.render("organise/confirm.html", visitor, page)?.into_response())
}

pub async fn unpublish_page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ChangeStatus, uri.path()).await?;
    match offers(&state, &auth).await?.0 {
        Some(what) => confirm_page(&state, &visitor, &auth, what, uri.path()),
        None => dashboard_with_alert(state, visitor, auth, "unpublish-error".into()).await,
    }
}

pub async fn unpublish(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ChangeStatus, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let from = auth.campaign.content.status;
    let Some(to) = state.store.unpublish_campaign(auth.campaign.id, now()).await? else {
        return dashboard_with_alert(state, visitor, auth, "unpublish-error".into()).await;
    };
    state.page_cache.clear();
    let detail = format!("{} → {}", from.as_str(), to.as_str());
    audit(&state, &auth.user, Some(auth.campaign.id), "unpublish", format!("campaign {slug}"), detail).await;
    Ok(Redirect::to(&format!("/organise/c/{slug}")).into_response())
}

pub async fn delete_page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::DeleteDraft, uri.path()).await?;
    if offers(&state, &auth).await?.1 {
        confirm_page(&state, &visitor, &auth, "delete", uri.path())
    } else {
        dashboard_with_alert(state, visitor, auth, "delete-error".into()).await
    }
}

pub async fn delete(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::DeleteDraft, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    if !state.store.delete_draft(auth.campaign.id).await? {
        return dashboard_with_alert(state, visitor, auth, "delete-error".into()).await;
    }
    let title = version_for(&auth.campaign, &visitor).title.clone();
    // The campaign is gone: the entry names it, and keeps no link to it.
    audit(&state, &auth.user, None, "delete-draft", format!("campaign {slug}"), title.clone()).await;
    let i18n = &state.pages.i18n;
    message(
        &state,
        &visitor,
        StatusCode::OK,
        i18n.t(&visitor.ui, "delete-done-heading", None),
        vec![i18n.t1(&visitor.ui, "delete-done-text", "title", title)],
        Some(("/organise".into(), i18n.t(&visitor.ui, "organise-heading", None))),
    )
}
