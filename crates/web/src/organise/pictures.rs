//! `/organise/c/{slug}/pictures`: a campaign's pictures, for the organisers who may edit it:
//! upload one (with its alt text), copy the Markdown that shows it in the appeal, change its alt
//! text, choose the share picture, delete. What the page does is in `render::pictures`, shared
//! with the proposer's page of their draft.

use axum::Form;
use axum::extract::{Multipart, OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use undersigned_core::account::Action;

use super::{Authorized, CurrentUser, audit, authorize};
use crate::organise::frame::frame;
use crate::render::forms::FormState;
use crate::render::pictures::{self, PageQuery, PictureForm, Place};
use crate::{AppError, AppState, Visitor};

fn place(state: &AppState, visitor: &Visitor, auth: &Authorized) -> Place {
    let base = format!("/organise/c/{}", auth.campaign.content.slug);
    Place {
        campaign: auth.campaign.id,
        base: format!("{base}/pictures"),
        back: format!("{base}/edit"),
        frame: Some(frame(state, visitor, auth)),
    }
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let place = place(&state, &visitor, &auth);
    pictures::render(
        &state,
        &visitor,
        &place,
        FormState::new(Default::default()),
        StatusCode::OK,
        query.done.as_deref(),
    )
    .await
}

/// The upload: stored and back to the page, or the page again with what is wrong (nothing stored).
pub async fn upload(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    let upload = pictures::read_upload(multipart).await;
    if !visitor.csrf_ok(&state.keys, &upload.csrf) {
        return Err(AppError::Forbidden);
    }
    let place = place(&state, &visitor, &auth);
    match pictures::store_upload(&state, &visitor, &place, upload).await? {
        Ok(picture) => {
            let detail = format!("picture {} ({} × {})", picture.key, picture.width, picture.height);
            audit(
                &state,
                &auth.user,
                Some(auth.campaign.id),
                "add-picture",
                format!("campaign {slug}"),
                detail,
            )
            .await;
            Ok(pictures::added(&place))
        }
        Err(form) => {
            pictures::render(&state, &visitor, &place, form, StatusCode::UNPROCESSABLE_ENTITY, None).await
        }
    }
}

/// One picture's form: its alt text, share picture or not, delete.
pub async fn act(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((slug, id, action)): Path<(String, i64, String)>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<PictureForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::EditCampaign, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let place = place(&state, &visitor, &auth);
    match pictures::act(&state, &visitor, &place, id, &action, &form).await? {
        Ok(done) => {
            let target = format!("campaign {slug}");
            audit(
                &state,
                &auth.user,
                Some(auth.campaign.id),
                done.as_str(),
                target,
                format!("picture #{id}"),
            )
            .await;
            Ok(pictures::done(&place, &done))
        }
        Err(page) => Ok(page),
    }
}
