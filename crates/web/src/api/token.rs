//! `GET /api/v1/token`: what the token a request carries is for, and, asked about a campaign and
//! a scope, whether it may use it there (a 403 saying why not): for a program to check its token
//! before it relies on it.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use undersigned_core::Slug;
use undersigned_core::api_token::Scope;

use super::model::TokenInfo;
use super::query::Params;
use super::{ApiError, instant};
use crate::AppState;
use crate::extract::api_token::Caller;
use crate::problem::Problem;

/// The token this request carries.
#[utoipa::path(
    get,
    path = "/api/v1/token",
    tag = "tokens",
    params(
        ("campaign" = Option<String>, Query, description = "A campaign's name in its address: answers 403 unless the token may be used on it."),
        ("scope" = Option<String>, Query, description = "`pii:read`, `signatures:import` or `webhooks:manage`: answers 403 unless the token has it (and, with `campaign`, may use it there)."),
    ),
    responses((status = 200, description = "What the token is for.", body = TokenInfo)),
    security(("token" = []), ("bearer" = [])),
)]
pub async fn token(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref(), &["campaign", "scope"])?;
    let scope = match params.get("scope") {
        None => None,
        Some(text) => Some(Scope::parse("scope", text).map_err(|e| Problem::bad_param("scope", e.reason))?),
    };
    let token = &caller.token;
    if let Some(slug) = params.get("campaign") {
        let not_found = || Problem::new(axum::http::StatusCode::NOT_FOUND, "No campaign has this address.");
        let slug = Slug::parse("campaign", slug).map_err(|_| not_found())?;
        let campaign = state.store.campaign_by_slug(&slug).await?.ok_or_else(not_found)?;
        caller.may(&state, campaign.id, scope).await?;
    } else if let Some(scope) = scope.filter(|s| !token.scopes.contains(*s)) {
        let detail = format!("This token does not have the scope {}.", scope.as_str());
        return Err(Problem::new(axum::http::StatusCode::FORBIDDEN, detail).into());
    }
    let campaign = match token.campaign_id {
        None => None,
        Some(id) => state.store.campaign_by_id(id).await?.map(|c| c.content.slug.to_string()),
    };
    let info = TokenInfo {
        name: token.name.clone(),
        prefix: token.prefix.clone(),
        campaign,
        site_wide: token.campaign_id.is_none(),
        scopes: token.scopes.iter().map(|s| s.as_str().to_owned()).collect(),
        created_at: instant(token.created_at),
        expires_at: instant(token.expires_at),
    };
    let mut response = axum::Json(info).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
