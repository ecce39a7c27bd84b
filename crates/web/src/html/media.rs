//! `GET /media/{key}/{width}` (and `/media/{key}`, the widest): a rendition of an uploaded
//! picture, from the database, served from this site (no picture on a campaign's page comes from
//! another host). `GET /media/logo/{key}`: an organisation's logo, likewise.
//!
//! A picture is seen by whoever may see its campaign: anyone when the campaign is public, the
//! sponsors (anyone with the key) while it is a proposal gathering sponsors or waiting for the
//! moderators, and its organisers while it is a draft. Otherwise, or for a key or width that does
//! not exist, a 404 that says nothing of which it was. The key is random and unguessable, so a
//! public picture's address tells nothing of the campaign's others.
//!
//! A rendition never changes (a new picture has a new key), so a public one is kept by browsers
//! and proxies for a year without asking again; a draft's is kept by the browser only.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use undersigned_core::account::{Action, allowed};
use undersigned_core::picture::PictureKey;

use crate::extract::session::CurrentUser;
use crate::{AppError, AppState};

const PUBLIC: &str = "public, max-age=31536000, immutable";
const PRIVATE: &str = "private, max-age=3600";

pub async fn widest(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    serve(&state, current, &headers, &key, None).await
}

pub async fn sized(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    Path((key, width)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let width = width.parse::<u32>().map_err(|_| AppError::NotFound)?;
    serve(&state, current, &headers, &key, Some(width)).await
}

async fn serve(
    state: &AppState,
    current: CurrentUser,
    headers: &HeaderMap,
    key: &str,
    width: Option<u32>,
) -> Result<Response, AppError> {
    let key = PictureKey::parse(key).ok_or(AppError::NotFound)?;
    let file = state.store.rendition(&key, width).await?.ok_or(AppError::NotFound)?;
    let cache_control = match visibility(state, current, file.campaign_id).await? {
        Some(cache_control) => cache_control,
        None => return Err(AppError::NotFound),
    };
    // The key and the width name the bytes for good: they are the tag.
    let etag = format!("\"{key}-{}\"", file.width);
    respond(headers, &etag, cache_control, &file.media_type, file.bytes)
}

/// `GET /media/logo/{key}`: an organisation's logo, to anyone (it shows by the organisation's
/// name on the pages of the campaigns it partners). Its key is random and a new logo has a new
/// one, so it is kept for a year like a public picture; an unknown or malformed key is a 404.
pub async fn logo(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let key = PictureKey::parse(&key).ok_or(AppError::NotFound)?;
    let file = state.store.organisation_logo(&key).await?.ok_or(AppError::NotFound)?;
    respond(&headers, &format!("\"logo-{key}\""), PUBLIC, &file.media_type, file.bytes)
}

/// The bytes with their type, tag and cache lifetime, never sniffed as anything else; or, when
/// the browser has them already (its `If-None-Match`), a 304.
fn respond(
    headers: &HeaderMap,
    etag: &str,
    cache_control: &'static str,
    media_type: &str,
    bytes: Vec<u8>,
) -> Result<Response, AppError> {
    let etag_value = HeaderValue::from_str(etag).map_err(|_| AppError::NotFound)?;
    let media_type = HeaderValue::from_str(media_type).map_err(|_| AppError::NotFound)?;
    let common = [
        (header::ETAG, etag_value),
        (header::CACHE_CONTROL, HeaderValue::from_static(cache_control)),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    if crate::conditional::not_modified(headers, etag) {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    Ok((common, [(header::CONTENT_TYPE, media_type)], Body::from(bytes)).into_response())
}

/// How long the picture of campaign `id` may be kept, if this request may see it at all.
async fn visibility(
    state: &AppState,
    current: CurrentUser,
    id: undersigned_core::CampaignId,
) -> Result<Option<&'static str>, AppError> {
    let campaign = state.store.campaign_by_id(id).await?.ok_or(AppError::NotFound)?;
    if campaign.content.status.is_public() {
        return Ok(Some(PUBLIC));
    }
    if let Some(proposal) = state.store.proposal_of_campaign(id).await?
        && proposal.state.takes_sponsors()
    {
        return Ok(Some(PRIVATE));
    }
    if let Some(user) = current.0 {
        let role = state.store.role(id, user.id).await?;
        if allowed(Some(&user), role, Action::ViewDashboard) {
            return Ok(Some(PRIVATE));
        }
    }
    Ok(None)
}
