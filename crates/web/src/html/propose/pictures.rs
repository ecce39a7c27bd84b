//! `/p/{token}/pictures`: the proposer's pictures of their draft, by the same rules as the
//! organisers' (`render::pictures`). Their private link is their authorisation, and only while they
//! may change the draft: once someone has sponsored it, it stays as the sponsors read it.

use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use undersigned_core::keys::TokenKind;

use super::{editable, proposal_link};
use crate::render::forms::FormState;
use crate::render::messages::LinkProblem;
use crate::render::pictures::{self, PageQuery, PictureForm, Place};
use crate::{AppError, AppState, Visitor};

/// The draft's pictures' place, if the link is good and the draft may still change; else the
/// answer to give (the link's problem, or back to the proposer's page, which says why).
async fn place(
    state: &AppState,
    visitor: &Visitor,
    token: &str,
) -> Result<Result<Place, Response>, AppError> {
    let Some((proposal, campaign)) = proposal_link(state, TokenKind::EditProposal, token).await? else {
        return Ok(Err(LinkProblem::Invalid.page(state, visitor)?));
    };
    if !editable(state, &proposal, &campaign).await? {
        return Ok(Err(Redirect::to(&format!("/p/{token}")).into_response()));
    }
    Ok(Ok(Place {
        campaign: campaign.id,
        base: format!("/p/{token}/pictures"),
        back: format!("/p/{token}"),
        frame: None,
    }))
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    let place = match place(&state, &visitor, &token).await? {
        Ok(place) => place,
        Err(answer) => return Ok(answer),
    };
    let form = FormState::new(Default::default());
    pictures::render(&state, &visitor, &place, form, StatusCode::OK, query.done.as_deref()).await
}

pub async fn upload(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let place = match place(&state, &visitor, &token).await? {
        Ok(place) => place,
        Err(answer) => return Ok(answer),
    };
    let upload = pictures::read_upload(multipart).await;
    if !visitor.csrf_ok(&state.keys, &upload.csrf) {
        return Err(AppError::Forbidden);
    }
    match pictures::store_upload(&state, &visitor, &place, upload).await? {
        Ok(_) => Ok(pictures::added(&place)),
        Err(form) => {
            pictures::render(&state, &visitor, &place, form, StatusCode::UNPROCESSABLE_ENTITY, None).await
        }
    }
}

pub async fn act(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((token, id, action)): Path<(String, i64, String)>,
    Form(form): Form<PictureForm>,
) -> Result<Response, AppError> {
    let place = match place(&state, &visitor, &token).await? {
        Ok(place) => place,
        Err(answer) => return Ok(answer),
    };
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    Ok(match pictures::act(&state, &visitor, &place, id, &action, &form).await? {
        Ok(done) => pictures::done(&place, &done),
        Err(page) => page,
    })
}
