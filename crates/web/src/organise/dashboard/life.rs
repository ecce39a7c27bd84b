//! Taking a campaign down and putting it back: its owner unpublishes it (withdrawn if people
//! signed, a draft again if not), republishes a withdrawn one (as it was when it was withdrawn),
//! or deletes a draft nobody signed. Each asks first on a page of its own, then acts on a POST
//! with its CSRF token, and is recorded in the audit log. The core decides what is allowed
//! ([`CampaignStatus::unpublished`], [`CampaignStatus::republished`],
//! [`CampaignStatus::may_delete`], [`Action`]).

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use undersigned_core::CampaignStatus;
use undersigned_core::account::Action;
use undersigned_core::store::now;

use super::{dashboard_with_alert, offers, republished};
use crate::organise::frame::frame;
use crate::organise::{Authorized, CurrentUser, audit, authorize, authorize_post};
use crate::render::campaign::version_for;
use crate::render::messages::{ButtonForm, message};
use crate::{AppError, AppState, Visitor};

/// A POST that acts: the organiser may, and the form carries this visitor's CSRF token.
/// The page that asks before acting: what will happen (`text`, a key; by default
/// `take-down-{what}-text`), and the button.
fn confirm_page(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    what: &str,
    text: Option<&str>,
    action: &str,
) -> Result<Response, AppError> {
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, &format!("take-down-{what}-{key}"), None);
    let text = match text {
        Some(key) => state.pages.i18n.t(&visitor.ui, key, None),
        None => t("text"),
    };
    let page = context! {
        title => t("heading"),
        frame => frame(state, visitor, auth),
        heading => t("heading"),
        text => text,
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
    match offers(&state, &auth).await?.unpublish {
        Some(what) => confirm_page(&state, &visitor, &auth, what, None, uri.path()),
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
    let auth = authorize_post(&state, &visitor, current, &slug, Action::ChangeStatus, uri.path(), &form.csrf)
        .await?;
    let from = auth.campaign.content.status;
    let Some(to) = state.store.unpublish_campaign(auth.campaign.id, now()).await? else {
        return dashboard_with_alert(state, visitor, auth, "unpublish-error".into()).await;
    };
    state.page_cache.clear();
    let detail = format!("{} → {}", from.as_str(), to.as_str());
    audit(&state, &auth.user, Some(auth.campaign.id), "unpublish", format!("campaign {slug}"), detail).await;
    Ok(Redirect::to(&format!("/organise/c/{slug}")).into_response())
}

pub async fn republish_page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ChangeStatus, uri.path()).await?;
    match republished(&state, &auth).await? {
        Some(to) => {
            let text = format!("take-down-republish-text-{}", to.as_str());
            confirm_page(&state, &visitor, &auth, "republish", Some(&text), uri.path())
        }
        None => dashboard_with_alert(state, visitor, auth, "republish-error".into()).await,
    }
}

/// Puts a withdrawn campaign back as it was when it was withdrawn: closed or won as it was, open
/// again if it was open and its end date has not passed (complete, as every open campaign).
pub async fn republish(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let auth = authorize_post(&state, &visitor, current, &slug, Action::ChangeStatus, uri.path(), &form.csrf)
        .await?;
    let Some(to) = republished(&state, &auth).await? else {
        return dashboard_with_alert(state, visitor, auth, "republish-error".into()).await;
    };
    if to == CampaignStatus::Open && auth.campaign.content.ready_to_open().is_err() {
        return dashboard_with_alert(state, visitor, auth, "status-error-incomplete".into()).await;
    }
    if !state.store.republish_campaign(auth.campaign.id, to, now()).await? {
        // Changed meanwhile (its end date passed, or someone else acted first).
        return dashboard_with_alert(state, visitor, auth, "republish-error".into()).await;
    }
    state.page_cache.clear();
    let detail = format!("{} → {}", CampaignStatus::Withdrawn.as_str(), to.as_str());
    audit(&state, &auth.user, Some(auth.campaign.id), "republish", format!("campaign {slug}"), detail).await;
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
    if offers(&state, &auth).await?.delete {
        confirm_page(&state, &visitor, &auth, "delete", None, uri.path())
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
    let auth =
        authorize_post(&state, &visitor, current, &slug, Action::DeleteDraft, uri.path(), &form.csrf).await?;
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
