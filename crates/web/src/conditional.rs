//! Answers that a poller, a proxy or a browser may keep and ask about again cheaply: a strong
//! `ETag` (a digest of the exact bytes) and `304 Not Modified` when `If-None-Match` names it
//! (RFC 9110 §13.1.2). Used by `count.json`, the read API, the badge and oEmbed.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::Digest;

/// The strong entity tag of `body`: a quoted digest of its bytes.
pub fn etag(body: &[u8]) -> String {
    let digest = sha2::Sha256::digest(body);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// Whether `If-None-Match` names `etag` (or is `*`). The comparison is weak, as the RFC asks for
/// this header: `W/"x"` matches `"x"`.
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).any(|value| {
        value.split(',').map(str::trim).any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
    })
}

/// A body with its tag, as kept in the page cache: the tag, a newline, then the body. Keeping the
/// tag saves digesting the body at every request.
pub fn tagged(body: &str) -> Bytes {
    Bytes::from(format!("{}\n{body}", etag(body.as_bytes())))
}

/// The answer for a [`tagged`] body: the body, or a 304 when the client has it already.
pub fn respond_tagged(
    headers: &HeaderMap,
    bytes: Bytes,
    content_type: &'static str,
    cache_control: &'static str,
) -> Response {
    let split = bytes.iter().position(|b| *b == b'\n').unwrap_or(bytes.len());
    let etag = bytes.slice(..split);
    let body = bytes.slice((split + 1).min(bytes.len())..);
    respond(headers, etag, body, content_type, cache_control)
}

/// The answer for `body`: the body, or a 304 when the client has it already.
pub fn respond_body(
    headers: &HeaderMap,
    body: impl Into<Bytes>,
    content_type: &'static str,
    cache_control: &'static str,
) -> Response {
    let body = body.into();
    let etag = Bytes::from(etag(&body));
    respond(headers, etag, body, content_type, cache_control)
}

fn respond(
    headers: &HeaderMap,
    etag: Bytes,
    body: Bytes,
    content_type: &'static str,
    cache_control: &'static str,
) -> Response {
    let Ok(tag) = HeaderValue::from_maybe_shared(etag) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let is_current = tag.to_str().is_ok_and(|tag| not_modified(headers, tag));
    let mut response =
        if is_current { StatusCode::NOT_MODIFIED.into_response() } else { Response::new(Body::from(body)) };
    let out = response.headers_mut();
    out.insert(header::ETAG, tag);
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    if !is_current {
        out.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn a_client_with_the_same_bytes_gets_a_304_and_others_the_body() {
        let tag = etag(b"{}");
        assert!(tag.starts_with('"') && tag.ends_with('"') && tag.len() == 34, "{tag}");
        assert!(not_modified(&asking(&tag), &tag));
        assert!(not_modified(&asking(&format!("\"other\", W/{tag}")), &tag));
        assert!(not_modified(&asking("*"), &tag));
        assert!(!not_modified(&asking("\"other\""), &tag));
        assert!(!not_modified(&HeaderMap::new(), &tag));

        let fresh = respond_tagged(&HeaderMap::new(), tagged("{}"), "application/json", "public");
        assert_eq!(fresh.status(), StatusCode::OK);
        assert_eq!(fresh.headers()[header::ETAG], tag.as_str());
        let again = respond_tagged(&asking(&tag), tagged("{}"), "application/json", "public");
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(again.headers()[header::ETAG], tag.as_str());
        assert!(again.headers().get(header::CONTENT_TYPE).is_none());
    }
}
