//! `GET /api/osdi/v1`: the API entry point. Without a token it links what anyone may read; with
//! one, also the signatures of each public petition the token covers, and what the token is for.

use axum::extract::{RawQuery, State};
use axum::response::Response;

use super::model::{EntryLinks, EntryPoint, Link};
use super::{Addresses, MAX_PAGESIZE, OSDI_VERSION, hal};
use crate::AppState;
use crate::api::ApiError;
use crate::api::query::Params;
use crate::extract::api_token::MaybeCaller;

/// The API entry point.
#[utoipa::path(
    get,
    path = "/api/osdi/v1",
    tag = "osdi",
    responses((status = 200, description = "What this server has, by link.", content_type = "application/hal+json", body = EntryPoint)),
    security((), ("token" = []), ("bearer" = [])),
)]
pub async fn entry_point(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref(), &[])?;
    let at = Addresses::new(&state);
    let mut signatures = Vec::new();
    if let Some(caller) = &caller {
        for campaign in state.store.public_campaigns().await? {
            if caller.may(&state, campaign.id, None).await.is_ok() {
                let slug = campaign.content.slug.as_str();
                let title = campaign.content.default_version().title.clone();
                signatures.push(Link::titled(at.signatures(slug), title));
            }
        }
    }
    let body = EntryPoint {
        motd: "Undersigned: the public campaigns of this site as OSDI petitions.".into(),
        vendor_name: "Undersigned".into(),
        product_name: "Undersigned".into(),
        osdi_version: OSDI_VERSION.into(),
        max_pagesize: MAX_PAGESIZE,
        namespace: "undersigned".into(),
        links: EntryLinks {
            this: Link::to(at.entry_point()),
            curies: at.curies(),
            petitions: Link::titled(at.petitions(), "The public campaigns, as petitions"),
            signatures,
            token: caller.is_some().then(|| Link::titled(at.site("/api/v1/token"), "What this token is for")),
            docs: Link::titled(at.site("/api/v1/docs"), "This API's documentation"),
        },
    };
    hal(&body, caller.is_some())
}
