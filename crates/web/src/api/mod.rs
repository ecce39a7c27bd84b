//! Open data: the read API under `/api/v1` (JSON about every public campaign, described by the
//! OpenAPI document it serves at `/api/v1/openapi.json` and as a page at `/api/v1/docs`), the
//! count badge (`/c/{slug}/badge.svg`) and oEmbed (`/oembed`).
//!
//! The API shows what the public pages show and nothing more: the same campaigns (public ones;
//! a draft is a 404, a withdrawn campaign a 410), the same signers (those who chose to be listed,
//! named as they chose). A crowd reading it costs what the page costs: each answer is built at
//! most once per page-cache period and kept in the page cache, which forgets a campaign's answers
//! when its organisers change it; each carries a strong `ETag`, and a client that sends it back
//! gets a 304. Errors are problem documents ([`crate::problem`]); any origin may read the API
//! (`Access-Control-Allow-Origin: *`).

mod badge;
pub(crate) mod body;
mod campaigns;
mod docs;
mod lists;
pub mod model;
mod oembed;
pub mod openapi;
pub mod osdi;
mod query;
mod token;
pub(crate) mod webhooks;

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use undersigned_core::{Campaign, StoreError};

use crate::cache::PageCache;
use crate::problem::Problem;
use crate::render::campaign::public_campaign;
use crate::{AppError, AppState, conditional};

/// The API's address.
pub const PREFIX: &str = "/api/v1";

const JSON: &str = "application/json";

/// Counts and lists: short enough to feel live, long enough that a crowd is served by caches.
const LIVE: &str = "public, max-age=5, stale-while-revalidate=10";

/// The routes of this module, merged into the site's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/campaigns", get(campaigns::list))
        .route("/api/v1/campaigns/{slug}", get(campaigns::one))
        .route("/api/v1/campaigns/{slug}/endorsements", get(lists::endorsements))
        .route("/api/v1/campaigns/{slug}/signatures", get(lists::signatures))
        .route("/api/v1/campaigns/{slug}/updates", get(lists::updates))
        .route("/api/v1/token", get(token::token))
        .route("/api/v1/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/api/v1/webhooks/{id}", get(webhooks::one).delete(webhooks::delete))
        .route("/api/v1/webhooks/{id}/test", post(webhooks::test))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/docs", get(docs::page))
        .route("/c/{slug}/badge.svg", get(badge::badge))
        .route("/oembed", get(oembed::oembed))
        .merge(osdi::routes())
}

/// How an API handler fails: a problem document of its own, or an error of the site's (the
/// store away), which [`crate::problem::for_machines`] makes a problem document.
#[derive(Debug)]
pub enum ApiError {
    Problem(Problem),
    App(AppError),
}

impl From<Problem> for ApiError {
    fn from(problem: Problem) -> Self {
        Self::Problem(problem)
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self::App(error)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        Self::App(error.into())
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(error: serde_json::Error) -> Self {
        tracing::error!(%error, "an API answer failed to serialise");
        Self::Problem(Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "The answer failed to serialise."))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Problem(problem) => problem.into_response(),
            Self::App(error) => error.into_response(),
        }
    }
}

/// The public campaign at `slug`, by the public pages' rule: else a 404 (none, or a draft) or a
/// 410 (withdrawn by its organisers) problem.
async fn campaign(state: &AppState, slug: &str) -> Result<Arc<Campaign>, ApiError> {
    public_campaign(state, slug).await.map_err(|error| match error {
        AppError::NotFound => {
            Problem::new(StatusCode::NOT_FOUND, "No public campaign has this address.").into()
        }
        AppError::Gone => {
            Problem::new(StatusCode::GONE, "This campaign was withdrawn by its organisers.").into()
        }
        error => error.into(),
    })
}

/// A request about the campaign at `/…/campaigns/{slug}`: what every such handler reads.
pub struct CampaignAsk {
    state: AppState,
    slug: String,
    query: Option<String>,
    headers: HeaderMap,
}

impl FromRequestParts<AppState> for CampaignAsk {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Path(slug) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| Problem::new(StatusCode::NOT_FOUND, "No public campaign has this address."))?;
        let query = parts.uri.query().map(str::to_owned);
        Ok(Self { state: state.clone(), slug, query, headers: parts.headers.clone() })
    }
}

impl CampaignAsk {
    /// The JSON `build` makes of the public campaign, kept in the page cache as its `page` (an
    /// address that takes no parameters).
    async fn json<F, Fut>(
        self,
        page: &str,
        cache_control: &'static str,
        build: F,
    ) -> Result<Response, ApiError>
    where
        F: FnOnce(AppState, Arc<Campaign>) -> Fut,
        Fut: Future<Output = Result<String, ApiError>>,
    {
        query::Params::parse(self.query.as_deref(), &[])?;
        let (state, key) = (self.state.clone(), PageCache::key(&self.slug, page));
        let making = async {
            let campaign = campaign(&self.state, &self.slug).await?;
            build(self.state.clone(), campaign).await
        };
        cached_json(&state, key, &self.headers, cache_control, making).await
    }
}

/// The JSON kept under `key` in the page cache, else built by `build` and kept, answered with
/// its `ETag` (a 304 when the client has it).
async fn cached_json(
    state: &AppState,
    key: String,
    headers: &HeaderMap,
    cache_control: &'static str,
    build: impl Future<Output = Result<String, ApiError>>,
) -> Result<Response, ApiError> {
    let tagged = match state.page_cache.get(&key) {
        Some(tagged) => tagged,
        None => {
            let tagged = conditional::tagged(&build.await?);
            state.page_cache.put(key, tagged.clone());
            tagged
        }
    };
    Ok(conditional::respond_tagged(headers, tagged, JSON, cache_control))
}

/// An instant as the API writes it (RFC 3339, UTC).
fn instant(at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}
