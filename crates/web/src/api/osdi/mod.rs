//! A subset of OSDI 1.2 (the Open Supporter Data Interface, which Action Network speaks) under
//! `/api/osdi/v1`, in HAL+JSON: the entry point; the public campaigns as petitions; a campaign's
//! confirmed signatures and their signers, for a token for it (personal data with `pii:read`); and
//! the record signature helper, which without a token signs as the sign form does (pending until
//! the signer confirms by mail, answering the same whatever the address) and with a token that has
//! `signatures:import` records an offline signature, marked with the token's name.
//!
//! Collections take `page` and `per_page` (at most [`MAX_PAGESIZE`]) and say `page`, `per_page`,
//! `total_pages` and `total_records`, with `next` and `previous` links.

pub(super) mod aep;
mod filter;
pub mod model;
pub(super) mod people;
pub(super) mod petitions;
pub(super) mod record;
pub(super) mod signatures;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;

use self::model::Curie;
use super::ApiError;
use super::query::Params;
use crate::AppState;
use crate::problem::Problem;

/// The API's address.
pub const PREFIX: &str = "/api/osdi/v1";

/// What every answer here is (errors excepted: problem documents).
pub const HAL: &str = "application/hal+json";

/// The most items a page holds.
pub const MAX_PAGESIZE: u32 = 100;

/// Items per page unless asked (as Action Network's).
const PER_PAGE: u32 = 25;

pub const OSDI_VERSION: &str = "1.2.0";

/// Where OSDI's link relations are documented.
const OSDI_DOCS: &str = "https://opensupporter.github.io/osdi-docs/{rel}";

/// The routes of this module, merged into the site's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/osdi/v1", get(aep::entry_point))
        .route("/api/osdi/v1/petitions", get(petitions::list))
        .route("/api/osdi/v1/petitions/{id}", get(petitions::one))
        .route("/api/osdi/v1/petitions/{id}/signatures", get(signatures::list))
        .route("/api/osdi/v1/petitions/{id}/signatures/record_signature_helper", post(record::record))
        .route("/api/osdi/v1/petitions/{id}/signatures/{signature}", get(signatures::one))
        .route("/api/osdi/v1/people/{id}", get(people::one))
}

/// The addresses of this server's OSDI resources, and the identifiers it gives them.
pub struct Addresses {
    base: String,
    /// The site's host (and port), which makes its identifiers its own among every system's.
    host: String,
}

impl Addresses {
    pub fn new(state: &AppState) -> Self {
        let base = state.config.base_url.clone();
        let host = base.split_once("://").map_or(base.as_str(), |(_, rest)| rest).to_owned();
        Self { base, host }
    }

    pub fn entry_point(&self) -> String {
        format!("{}{PREFIX}", self.base)
    }

    pub fn petitions(&self) -> String {
        format!("{}{PREFIX}/petitions", self.base)
    }

    pub fn petition(&self, slug: &str) -> String {
        format!("{}{PREFIX}/petitions/{slug}", self.base)
    }

    pub fn signatures(&self, slug: &str) -> String {
        format!("{}/signatures", self.petition(slug))
    }

    pub fn signature(&self, slug: &str, id: i64) -> String {
        format!("{}/signatures/{id}", self.petition(slug))
    }

    pub fn helper(&self, slug: &str) -> String {
        format!("{}/signatures/record_signature_helper", self.petition(slug))
    }

    pub fn person(&self, id: i64) -> String {
        format!("{}{PREFIX}/people/{id}", self.base)
    }

    /// A page of the site (`/c/…`, `/api/v1/…`).
    pub fn site(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// An identifier OSDI's way, `system:id`: `undersigned:HOST/KIND/ID`.
    pub fn id(&self, kind: &str, id: impl std::fmt::Display) -> Vec<String> {
        vec![format!("undersigned:{}/{kind}/{id}", self.host)]
    }

    /// The curies of an answer's top resource: `osdi:` and `undersigned:`.
    pub fn curies(&self) -> Vec<Curie> {
        vec![
            Curie { name: "osdi".into(), href: OSDI_DOCS.into(), templated: true },
            Curie {
                name: "undersigned".into(),
                href: format!("{}/api/v1/docs#{{rel}}", self.base),
                templated: true,
            },
        ]
    }
}

/// `body` as HAL+JSON; `private`: the answer is a token's own, never kept by caches.
fn hal(body: &impl Serialize, private: bool) -> Result<Response, ApiError> {
    let mut response = (StatusCode::OK, serde_json::to_string(body)?).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(HAL));
    let cache = if private { "no-store" } else { "no-cache" };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}

/// A page asked for: its number (from 1) and size (at most [`MAX_PAGESIZE`]).
#[derive(Clone, Copy, Debug)]
struct Paging {
    page: u64,
    per_page: u32,
}

impl Paging {
    fn read(params: &Params) -> Result<Self, Problem> {
        let page = match params.get("page") {
            None => 1,
            Some(text) => text
                .parse::<u64>()
                .ok()
                .filter(|p| *p >= 1)
                .ok_or_else(|| Problem::bad_param("page", "must be a whole number from 1"))?,
        };
        let per_page = match params.get("per_page") {
            None => PER_PAGE,
            Some(text) => text
                .parse::<u64>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| Problem::bad_param("per_page", "must be a whole number from 1"))?
                .min(u64::from(MAX_PAGESIZE)) as u32,
        };
        Ok(Self { page, per_page })
    }

    fn offset(self) -> u64 {
        (self.page - 1).saturating_mul(u64::from(self.per_page))
    }

    /// How many pages `total` items make (at least one, which may be empty).
    fn pages(self, total: i64) -> u64 {
        (total.max(0) as u64).div_ceil(u64::from(self.per_page)).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_counted_from_one_and_cut_to_the_largest() {
        let read = |q: &str| Paging::read(&Params::parse(Some(q), &["page", "per_page"]).unwrap());
        let p = read("").unwrap();
        assert_eq!((p.page, p.per_page, p.offset()), (1, 25, 0));
        let p = read("page=3&per_page=1000").unwrap();
        assert_eq!((p.page, p.per_page, p.offset(), p.pages(201)), (3, 100, 200, 3));
        assert_eq!(p.pages(0), 1);
        for bad in ["page=0", "page=x", "per_page=0", "per_page=-1"] {
            assert_eq!(read(bad).unwrap_err().status, 400, "{bad}");
        }
    }
}
