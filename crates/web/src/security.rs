//! Response headers that keep pages from loading anything from elsewhere or being framed, and
//! request logs that keep signers' data out.

use axum::extract::MatchedPath;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{MakeSpan, TraceLayer};

/// Only our own styles, scripts, images and forms; no inline script or style.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The security headers of every response, where it did not set its own; on an https site also
/// `Strict-Transport-Security`, and `Cache-Control: no-store` on a private page ([`is_private`]).
/// Set by the one middleware every request passes ([`crate::middleware::every_request`]).
pub fn add_headers(headers: &mut HeaderMap, private: bool, https: bool) {
    let defaults = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Signers' privacy: the next site never learns which campaign page a visitor came from.
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
    ];
    for (name, value) in defaults {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    if private {
        headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    }
    // On an https site, tells browsers to use nothing else for a year (RFC 6797). Only there:
    // a plain-http site that sent it would lock its visitors out.
    if https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
}

/// The addresses any origin may read (CORS): the read API and oEmbed, which are public and carry
/// no cookie-bound data.
pub fn is_open_to_all(path: &str) -> bool {
    path.starts_with("/api/v1/") || path == "/oembed"
}

/// The answer to a browser's preflight for an address [`is_open_to_all`].
pub fn preflight() -> Response {
    let allow = HeaderValue::from_static("GET, HEAD, OPTIONS");
    let mut answer = StatusCode::NO_CONTENT.into_response();
    let headers = answer.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, allow.clone());
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("If-None-Match"));
    headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    headers.insert(header::ALLOW, allow);
    answer
}

/// What an answer at an address [`is_open_to_all`] tells browsers: any origin may read it.
pub fn allow_any_origin(headers: &mut HeaderMap) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("ETag, Retry-After"));
}

/// Request spans name the route (`/c/{slug}`), never the full address: addresses can carry tokens
/// and query strings, and the client's IP address is not logged at all.
#[derive(Clone, Copy)]
pub struct RouteSpan;

impl<B> MakeSpan<B> for RouteSpan {
    fn make_span(&mut self, request: &Request<B>) -> tracing::Span {
        let route = request.extensions().get::<MatchedPath>().map_or("(unmatched)", |p| p.as_str());
        tracing::info_span!("request", method = %request.method(), route)
    }
}

pub fn trace() -> TraceLayer<SharedClassifier<ServerErrorsAsFailures>, RouteSpan> {
    TraceLayer::new_for_http().make_span_with(RouteSpan)
}

/// Pages that carry a personal link or token (confirm, manage, withdraw, unsubscribe, set a
/// password), an organiser's view of signers, and the login form: no shared or browser cache
/// may keep them (`Cache-Control: no-store`), unless the handler said otherwise.
pub fn is_private(path: &str) -> bool {
    ["/s/", "/e/", "/k/", "/account/", "/organise", "/login"].iter().any(|p| path.starts_with(p))
        || (path.starts_with("/c/") && path.ends_with("/manage"))
}

/// Takes NUL out of form bodies and query strings before any handler reads them. No text field
/// accepts control characters (they are refused with the field's error); NUL is taken out first
/// because PostgreSQL cannot store it at all, so a field read before it is checked (the login's
/// address) must never carry it to the database.
pub async fn strip_nul(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (mut parts, body) = request.into_parts();
    if let Some(query) = parts.uri.query().filter(|q| has_nul(q.as_bytes())) {
        let clean = String::from_utf8_lossy(&without_nul(query.as_bytes())).into_owned();
        let path_and_query = format!("{}?{clean}", parts.uri.path());
        let mut uri = parts.uri.clone().into_parts();
        uri.path_and_query = path_and_query.parse().ok();
        if let Ok(new) = axum::http::Uri::from_parts(uri) {
            parts.uri = new;
        }
    }
    let is_form =
        parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| {
            ct.trim().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded")
        });
    if !is_form {
        return next.run(axum::extract::Request::from_parts(parts, body)).await;
    }
    // Form bodies are small: the body limit (applied inside) has not read this yet, so bound it here too.
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let bytes = if has_nul(&bytes) { axum::body::Bytes::from(without_nul(&bytes)) } else { bytes };
    parts.headers.remove(header::CONTENT_LENGTH);
    next.run(axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

/// The largest form body read whole (the import's confirmation carries a spreadsheet again).
const MAX_FORM_BYTES: usize = 8 * 1024 * 1024;

fn has_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0) || bytes.windows(3).any(|w| w == b"%00")
}

fn without_nul(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0 {
            i += 1;
        } else if bytes[i..].starts_with(b"%00") {
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_taken_out_and_nothing_else() {
        assert_eq!(without_nul(b"email=a%00b%40c.org&x=%2500\0y"), b"email=ab%40c.org&x=%2500y");
        assert!(!has_nul(b"x=%2500"));
    }

    #[test]
    fn pages_with_tokens_are_private() {
        for path in ["/s/manage/abc", "/account/password/abc", "/organise/c/x", "/c/x/manage", "/login"] {
            assert!(is_private(path), "{path}");
        }
        for path in ["/", "/c/x", "/c/x/signatures", "/static/site.css"] {
            assert!(!is_private(path), "{path}");
        }
    }
}
