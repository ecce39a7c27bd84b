//! Response headers that keep pages from loading anything from elsewhere or being framed, and
//! request logs that keep signers' data out.

use axum::extract::MatchedPath;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{MakeSpan, TraceLayer};
use undersigned_core::EmbedSites;

/// The policy of every page but its `frame-ancestors`: only our own styles, scripts, images and
/// forms; no inline script or style.
macro_rules! policy {
    () => {
        "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; \
         connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors "
    };
}

/// Every page's policy: the above, and no site may show it in a frame.
pub const CONTENT_SECURITY_POLICY: &str = concat!(policy!(), "'none'");

/// A response that the sites it names may show in a frame (a campaign's embeddable page and what
/// its form leads to): its `frame-ancestors`, and no `X-Frame-Options`. Such a response sets no
/// cookie either: inside another site's page, the site remembers nothing of its visitor.
#[derive(Clone)]
pub struct Framed(pub HeaderValue);

impl Framed {
    /// Framed by the sites a campaign names.
    pub fn sites(sites: &EmbedSites) -> Self {
        const ANYWHERE: &str = concat!(policy!(), "*");
        if sites.is_anywhere() {
            return Self(HeaderValue::from_static(ANYWHERE));
        }
        let policy = format!("{}{}", policy!(), sites.frame_ancestors());
        Self(HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(CONTENT_SECURITY_POLICY)))
    }

    /// `response`, framed so.
    pub fn apply(self, mut response: Response) -> Response {
        response.extensions_mut().insert(self);
        response
    }
}

/// The security headers of every response, where it did not set its own; on an https site also
/// `Strict-Transport-Security`, and `Cache-Control: no-store` on a private page ([`is_private`]).
/// A [`Framed`] response gets its own `frame-ancestors` and no `X-Frame-Options`. Set by the one
/// middleware every request passes ([`crate::middleware::every_request`]).
pub fn add_headers(response: &mut Response, private: bool, https: bool) {
    let framed = response.extensions_mut().remove::<Framed>();
    let headers = response.headers_mut();
    let policy = match framed {
        // Framed by no site (the campaign named none): as every other page.
        Some(Framed(policy)) if policy != CONTENT_SECURITY_POLICY => policy,
        _ => {
            headers.entry(header::X_FRAME_OPTIONS).or_insert(HeaderValue::from_static("DENY"));
            HeaderValue::from_static(CONTENT_SECURITY_POLICY)
        }
    };
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(policy);
    let defaults = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Signers' privacy: the next site never learns which campaign page a visitor came from.
        // `same-origin`, not `no-referrer`: under `no-referrer` a browser sends our own forms'
        // POSTs with `Origin: null`, which [`from_elsewhere`] cannot tell from another site's.
        (header::REFERRER_POLICY, "same-origin"),
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

/// Whether a browser says that a page of another origin sent this request: a cross-origin
/// request forgery, unless a public form's own token says otherwise (it does not: the token is
/// no secret, anyone may read the form). This is the check that OWASP's CSRF cheat sheet
/// ("Fetch Metadata headers", "Verifying origin with standard headers") and Go 1.25's
/// `net/http.CrossOriginProtection` recommend, a little stricter than Go's:
///
/// - `Sec-Fetch-Site` (Fetch Metadata, sent by every browser since 2023) other than
///   `same-origin` or `none` (the person's own action, such as a bookmark): refused, `same-site`
///   too, since a sibling subdomain (another organisation's, or one taken over) is not us;
/// - else (or as well) an `Origin` that is not this site's: refused. Our own origin is the
///   configured base URL's, else (none configured) the request's `Host`, as Go compares it;
///   `Origin: null` (a sandboxed frame without `allow-same-origin`, a privacy redirect) is no one's;
/// - neither header: let through. Browsers send at least `Origin` with every cross-origin POST,
///   so such a request is not from a browser, and no one's cookies or session ride on it.
///
/// Our own embeddable page, framed by another site, posts from our origin (`same-origin`): that
/// works with third-party cookies blocked, since none is needed.
pub fn from_elsewhere(headers: &HeaderMap, own_origin: Option<&str>) -> bool {
    let text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::trim);
    if let Some(site) = text(HeaderName::from_static("sec-fetch-site"))
        && !site.eq_ignore_ascii_case("same-origin")
        && !site.eq_ignore_ascii_case("none")
    {
        return true;
    }
    let Some(origin) = text(header::ORIGIN) else { return false };
    match own_origin {
        Some(own) => !origin.eq_ignore_ascii_case(own),
        None => {
            let host = text(header::HOST);
            let authority = origin.split_once("://").map(|(_, authority)| authority);
            !matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
        }
    }
}

/// The origin of a base URL, as browsers write it in `Origin`: its scheme, host and port.
pub fn origin_of(base_url: &str) -> String {
    let (scheme, rest) = base_url.split_once("://").unwrap_or(("http", base_url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    format!("{}://{}", scheme.to_ascii_lowercase(), authority.to_ascii_lowercase())
}

/// The addresses any origin may read (CORS): the read API and oEmbed, which are public and carry
/// no cookie-bound data. Not the webhooks' management, which is for programs (as `/api/osdi`).
pub fn is_open_to_all(path: &str) -> bool {
    (path.starts_with("/api/v1/") && !is_webhooks_api(path)) || path == "/oembed"
}

/// The webhooks' management through the API (`/api/v1/webhooks…`).
pub fn is_webhooks_api(path: &str) -> bool {
    path.strip_prefix("/api/v1/webhooks").is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
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
    fn posts_from_other_sites_are_told_apart_by_fetch_metadata_and_origin() {
        let headers = |pairs: &[(&'static str, &str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(HeaderName::from_static(name), HeaderValue::from_str(value).unwrap());
            }
            map
        };
        let own = Some("https://petition.example");
        for (pairs, elsewhere) in [
            (&[][..], false),
            (&[("sec-fetch-site", "same-origin")][..], false),
            (&[("sec-fetch-site", "none")][..], false),
            (&[("sec-fetch-site", "cross-site")][..], true),
            (&[("sec-fetch-site", "same-site")][..], true),
            (&[("origin", "https://petition.example")][..], false),
            (&[("origin", "https://Petition.example")][..], false),
            (&[("origin", "https://union.example")][..], true),
            (&[("origin", "http://petition.example")][..], true),
            (&[("origin", "null")][..], true),
            (&[("sec-fetch-site", "same-origin"), ("origin", "https://union.example")][..], true),
        ] {
            assert_eq!(from_elsewhere(&headers(pairs), own), elsewhere, "{pairs:?}");
        }
        let host = |origin| headers(&[("host", "127.0.0.1:8080"), ("origin", origin)]);
        assert!(!from_elsewhere(&host("http://127.0.0.1:8080"), None), "no base URL: the Host is ours");
        assert!(from_elsewhere(&host("http://localhost:8080"), None));
        assert!(from_elsewhere(&host("null"), None));
        assert_eq!(origin_of("https://Petition.example/sub/"), "https://petition.example");
        assert_eq!(origin_of("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
    }

    #[test]
    fn framed_answers_name_their_sites() {
        let framed = |sites: &[&str]| {
            let sites = EmbedSites::parse("embed_sites", sites.iter().copied()).unwrap();
            Framed::sites(&sites).0.to_str().unwrap().to_owned()
        };
        assert!(framed(&["*"]).ends_with("; frame-ancestors *"));
        assert!(
            framed(&["https://a.example", "https://b.example"])
                .ends_with("; frame-ancestors https://a.example https://b.example")
        );
        assert_eq!(framed(&[]), CONTENT_SECURITY_POLICY);
        assert!(CONTENT_SECURITY_POLICY.starts_with("default-src 'none'; style-src 'self';"));
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
