//! Errors for machines: RFC 9457 problem documents (`application/problem+json`). Under `/api/` and
//! at `/oembed` every error is one, never an HTML page: a handler's own, naming the parameter at
//! fault, or, for an error that came without a body (an unknown address, a method not allowed, a
//! body too large, the database away), one made here by [`for_machines`].

use axum::Json;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::OwnBody;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// What went wrong (RFC 9457). `type` is `about:blank`: the status says what kind of problem it
/// is, `title` is that status's name, `detail` says what happened in this case.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    /// Always `about:blank`: the status code is the kind of problem.
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    pub kind: &'static str,
    /// The status code's name, such as `Bad Request`.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What happened, in English.
    pub detail: String,
    /// The query parameters or body fields at fault, each with the reason (a 400 only).
    #[serde(rename = "invalid-params", skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub invalid_params: Vec<InvalidParam>,
    /// Headers the answer carries besides the document (`Retry-After`, `WWW-Authenticate`).
    #[serde(skip)]
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

/// A query parameter or body field that was refused, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvalidParam {
    /// The parameter as it was given, or the body field as a path (`person.email_addresses[0].address`).
    pub name: String,
    pub reason: String,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            invalid_params: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// The same problem, its answer carrying the header `name` too.
    pub fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.push((name, value));
        }
        self
    }

    /// A 400 naming each parameter or body field at fault, with its reason.
    pub fn bad_fields(fields: Vec<(String, String)>) -> Self {
        let names: Vec<&str> = fields.iter().map(|(name, _)| name.as_str()).collect();
        let mut problem = Self::new(StatusCode::BAD_REQUEST, format!("Refused: {}.", names.join(", ")));
        problem.invalid_params =
            fields.into_iter().map(|(name, reason)| InvalidParam { name, reason }).collect();
        problem
    }

    /// A 503 for the database away a moment, saying when to try again.
    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "The server cannot answer just now; try again after Retry-After.",
        )
        .with_header(header::RETRY_AFTER, "5")
    }

    /// A 400 naming the query parameter `name` and what is wrong with it.
    pub fn bad_param(name: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        let mut problem = Self::new(StatusCode::BAD_REQUEST, format!("The parameter {name:?} {reason}."));
        problem.invalid_params.push(InvalidParam { name: name.to_owned(), reason });
        problem
    }
}

impl IntoResponse for Problem {
    fn into_response(mut self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = std::mem::take(&mut self.headers);
        let mut response = (status, Json(self)).into_response();
        response.headers_mut().extend(headers);
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        response.extensions_mut().insert(OwnBody);
        response
    }
}

/// Whether errors at `path` are for machines.
pub fn is_for_machines(path: &str) -> bool {
    path.starts_with("/api/") || path == "/api" || path == "/oembed"
}

/// Under `/api/` and at `/oembed` ([`is_for_machines`]), an error without a body of its own
/// becomes a problem document, keeping the headers that say when to try again or what is
/// allowed. Called by the one middleware every request passes
/// ([`crate::middleware::every_request`]), before it renders the other errors as pages.
pub fn for_machines(response: Response) -> Response {
    let status = response.status();
    let bodiless = response.headers().get(header::CONTENT_TYPE).is_none()
        && response.extensions().get::<OwnBody>().is_none();
    if !(status.is_client_error() || status.is_server_error()) || !bodiless {
        return response;
    }
    let detail = match status {
        StatusCode::NOT_FOUND => "Nothing is at this address.",
        StatusCode::METHOD_NOT_ALLOWED => "This address answers only the methods named in Allow.",
        StatusCode::SERVICE_UNAVAILABLE => "The server cannot answer just now; try again after Retry-After.",
        StatusCode::GONE => "This campaign was withdrawn by its organisers.",
        _ if status.is_server_error() => "The server failed to answer; the failure is logged.",
        _ => "The request was refused.",
    };
    let mut problem = Problem::new(status, detail).into_response();
    for name in [header::RETRY_AFTER, header::ALLOW] {
        if let Some(value) = response.headers().get(&name) {
            problem.headers_mut().insert(name, value.clone());
        }
    }
    problem
}
