//! Moderating comments: those held (pre-moderation) or reported, shown, hidden, restored or
//! deleted; organisers' replies in the organisation's name; the campaign's moderation mode.

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use undersigned_core::account::Action;
use undersigned_core::comment_input::BODY_MAX;
use undersigned_core::store::{CommentStatus, now};
use undersigned_core::validation;

use crate::organise::{Authorized, CurrentUser, audit, authorize};
use crate::render::linkify::linkify;
use crate::{AppError, AppState, Visitor};

/// The comments part of the moderation page.
pub async fn section(state: &AppState, auth: &Authorized) -> Result<Value, AppError> {
    let all = state
        .store
        .comments(auth.campaign.id, &[CommentStatus::Held, CommentStatus::Visible, CommentStatus::Hidden])
        .await?;
    let item = |c: &undersigned_core::store::Comment| {
        context! {
            id => c.id,
            name => &c.name,
            body => Value::from_safe_string(linkify(&c.body)),
            reports => c.reports,
            organiser => c.organiser,
            reply => c.parent_id.is_some(),
            status => c.status.as_str(),
        }
    };
    Ok(context! {
        queue => all.iter().filter(|c| c.status == CommentStatus::Held || (c.status == CommentStatus::Visible && c.reports > 0)).map(item).collect::<Vec<_>>(),
        hidden => all.iter().filter(|c| c.status == CommentStatus::Hidden).map(item).collect::<Vec<_>>(),
        visible => all.iter().filter(|c| c.status == CommentStatus::Visible && c.parent_id.is_none()).map(item).collect::<Vec<_>>(),
        pre => state.store.pre_moderation(auth.campaign.id).await?,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActForm {
    csrf: String,
    body: String,
    mode: String,
}

/// `POST .../comments/{id}/{action}`: show, hide, delete, or reply.
pub async fn act(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((slug, id, action)): Path<(String, i64, String)>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<ActForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::Moderate, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let campaign = auth.campaign.id;
    let done = match action.as_str() {
        "show" => state.store.set_comment_status(campaign, id, CommentStatus::Visible).await?,
        "hide" => state.store.set_comment_status(campaign, id, CommentStatus::Hidden).await?,
        "delete" => state.store.delete_comment(campaign, id).await?,
        "reply" => {
            let body =
                validation::text("body", &form.body, 1, BODY_MAX, true).map_err(|_| AppError::BadRequest)?;
            // In the organisation's name: the campaign's contact, marked as the organisers.
            let name = auth.campaign.content.contact.name.clone();
            state
                .store
                .add_organiser_reply(campaign, id, &name, &body, now())
                .await
                .map(|_| true)
                .unwrap_or(false)
        }
        _ => return Err(AppError::NotFound),
    };
    if !done {
        return Err(AppError::NotFound);
    }
    audit(
        &state,
        &auth.user,
        Some(campaign),
        &format!("comment-{action}"),
        format!("comment #{id}"),
        String::new(),
    )
    .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/moderation#comments")).into_response())
}

/// `POST .../comments/mode`: pre- or post-moderation.
pub async fn mode(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<ActForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::Moderate, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let pre = match form.mode.as_str() {
        "pre" => true,
        "post" => false,
        _ => return Err(AppError::BadRequest),
    };
    state.store.set_pre_moderation(auth.campaign.id, pre).await?;
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        "comment-moderation",
        format!("campaign {slug}"),
        form.mode.clone(),
    )
    .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/moderation#comments")).into_response())
}
