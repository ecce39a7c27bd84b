//! Who is asking, as far as the pages need to know: the languages they read, best first.
//!
//! The order is: an explicit choice (`?lang=`, then remembered in the `lang` cookie), then the
//! browser's `Accept-Language`. Each page picks from that list what it can serve.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use undersigned_core::Lang;
use undersigned_core::keys::{Keys, ShortKey};

use crate::AppState;
use crate::i18n::accept_language;

pub const LANG_COOKIE: &str = "lang";
/// A random value per browser; forms carry an HMAC of it (double submit, signed).
pub const CSRF_COOKIE: &str = "csrf";

#[derive(Clone, Debug)]
pub struct Visitor {
    /// The language of the site's own words for this visitor.
    pub ui: Lang,
    /// Every language the visitor reads, best first.
    pub preferences: Vec<Lang>,
    /// The path of the page asked for, without query (for links back to it).
    pub path: String,
    /// The token this browser's forms carry.
    pub csrf: String,
    csrf_cookie: String,
    /// The client's IP address (behind a trusted proxy, the address it forwarded), for this
    /// request only: what is ever stored or counted is its keyed hash (`ip_key`).
    ip: Option<IpAddr>,
}

impl Visitor {
    /// Whether a submitted form carries this browser's CSRF token.
    pub fn csrf_ok(&self, keys: &Keys, token: &str) -> bool {
        keys.csrf_ok(&self.csrf_cookie, token)
    }

    /// The keyed hash of the client's address, which is all that rate limits and stored rows see.
    /// Computed when asked (forms), not on every page view.
    pub fn ip_key(&self, keys: &Keys) -> Option<ShortKey> {
        self.ip.map(|ip| keys.ip_key(&ip))
    }

    /// The client's address, for the hash that stored rows keep (`ip_hash`).
    pub(crate) fn ip(&self) -> Option<IpAddr> {
        self.ip
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Visitor>().cloned().ok_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

fn query_lang(query: Option<&str>) -> Option<Lang> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(|tag| Lang::parse("lang", tag).ok())
}

fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))
}

/// The client's address: the peer's, or, where the peer is a trusted proxy, the last address in
/// `X-Forwarded-For` that is not one of the trusted proxies.
fn client_ip(request: &Request, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>()?.0.ip();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded = request.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
    let hops: Vec<IpAddr> =
        forwarded.flat_map(|v| v.split(',')).filter_map(|a| a.trim().parse().ok()).collect();
    hops.into_iter().rev().find(|ip| !trusted.contains(ip)).or(Some(peer))
}

/// What per-address limits and the stored IP hash count as one client: an IPv4 address (also when
/// it comes IPv4-mapped in IPv6), or an IPv6 address's /64 network, which one subscriber (one home,
/// one phone, one server) is usually given whole and can hop around in at will.
pub fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX))),
        },
    }
}

/// Works out the [`Visitor`], remembers an explicit language choice, and renders error responses
/// as pages in the visitor's language.
pub async fn middleware(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let chosen = query_lang(request.uri().query());
    let (lang_cookie, csrf_cookie_name) =
        (state.config.cookie_name(LANG_COOKIE), state.config.cookie_name(CSRF_COOKIE));
    let explicit = chosen
        .clone()
        .or_else(|| cookie(request.headers(), &lang_cookie).and_then(|t| Lang::parse("lang", t).ok()));
    let existing_csrf =
        cookie(request.headers(), &csrf_cookie_name).filter(|c| c.len() == 22).map(str::to_owned);
    let new_csrf = existing_csrf.is_none();
    let csrf_cookie = existing_csrf.unwrap_or_else(|| URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>()));
    let ip = client_ip(&request, &state.config.trusted_proxies).map(network);
    let accepted =
        request.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(accept_language);
    let mut preferences: Vec<Lang> = explicit.into_iter().collect();
    for lang in accepted.unwrap_or_default() {
        if !preferences.contains(&lang) {
            preferences.push(lang);
        }
    }
    let visitor = Visitor {
        ui: state.pages.i18n.negotiate(&preferences),
        preferences,
        // Repeated in the page's language links: never a path that leads elsewhere.
        path: crate::paths::same_site(request.uri().path()).unwrap_or("/").to_owned(),
        csrf: state.keys.csrf_token(&csrf_cookie),
        csrf_cookie: csrf_cookie.clone(),
        ip,
    };
    request.extensions_mut().insert(visitor.clone());

    let mut response = next.run(request).await;

    let is_error = response.status().is_client_error() || response.status().is_server_error();
    let has_page = response.extensions().get::<crate::html::health::OwnBody>().is_some()
        || response.headers().get(header::CONTENT_TYPE).is_some_and(|ct| {
            ct.to_str().is_ok_and(|ct| ct.starts_with("text/html") || ct.starts_with("application/json"))
        });
    if is_error && !has_page {
        let status = response.status();
        let mut page = state.pages.error(&visitor, status).into_response();
        *page.status_mut() = status;
        for name in [header::RETRY_AFTER, header::ALLOW] {
            if let Some(value) = response.headers().get(&name) {
                page.headers_mut().insert(name, value.clone());
            }
        }
        response = page;
    }
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|ct| ct.to_str().is_ok_and(|ct| ct.starts_with("text/html")));
    let secure = if state.config.is_https() { "; Secure" } else { "" };
    let mut cookies = Vec::new();
    if let Some(lang) = chosen {
        cookies
            .push(format!("{lang_cookie}={lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}"));
    }
    if new_csrf && is_page {
        // A session cookie: a new browser session gets a new value.
        cookies.push(format!("{csrf_cookie_name}={csrf_cookie}; Path=/; SameSite=Lax; HttpOnly{secure}"));
    }
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    // The same address answers in other languages for other visitors: tell caches so.
    if is_page {
        response.headers_mut().append(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::network;

    #[test]
    fn an_ipv6_64_counts_as_one_client_and_mapped_ipv4_as_ipv4() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        assert_eq!(network(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(network(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")), network(ip("2001:db8:1:2::7")));
        assert_ne!(network(ip("2001:db8:1:3::1")), network(ip("2001:db8:1:2::1")));
        assert_eq!(network(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(network(ip("192.0.2.7")), ip("192.0.2.7"));
    }
}
