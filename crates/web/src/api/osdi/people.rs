//! `GET /api/osdi/v1/people/{id}`: the signer of a confirmed signature (a person here is one
//! signature's signer: the same address on two campaigns is two people, as nothing links them),
//! for a token with `pii:read` that covers the campaign signed. Any other is not found, so that a
//! token cannot learn which numbers are people elsewhere.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use undersigned_core::api_token::Scope;

use super::signatures::person;
use super::{Addresses, hal};
use crate::AppState;
use crate::api::ApiError;
use crate::api::query::Params;
use crate::extract::api_token::Caller;
use crate::problem::Problem;

/// A signer.
#[utoipa::path(
    get,
    path = "/api/osdi/v1/people/{id}",
    tag = "osdi",
    params(("id" = i64, Path, description = "The person's number (that of the signature they made).")),
    responses((status = 200, description = "The signer.", content_type = "application/hal+json", body = super::model::Person)),
    security(("token" = []), ("bearer" = [])),
)]
pub async fn one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref(), &[])?;
    if !caller.token.scopes.contains(Scope::PiiRead) {
        return Err(Problem::new(StatusCode::FORBIDDEN, "Reading people needs a token with pii:read.").into());
    }
    let not_found = || Problem::new(StatusCode::NOT_FOUND, "No signer this token may read has this number.");
    let found = match id.parse::<i64>() {
        Ok(id) => state.store.synced_signature(id).await?,
        Err(_) => None,
    };
    // Anonymised: nothing is left of the signer to give.
    let found = found.filter(|s| !s.signature.signer.email.is_anonymised()).ok_or_else(not_found)?;
    let campaign_id = found.signature.campaign_id;
    if caller.token.campaign_id.is_some_and(|own| own != campaign_id) {
        return Err(not_found().into());
    }
    caller.may(&state, campaign_id, Some(Scope::PiiRead)).await?;
    let campaign =
        state.page_cache.campaign_by_id(&*state.store, campaign_id).await?.ok_or_else(not_found)?;
    let at = Addresses::new(&state);
    hal(&person(&at, campaign.content.slug.as_str(), &found, true), true)
}
