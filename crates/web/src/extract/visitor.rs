//! Who is asking, as far as the pages need to know: the languages they read, best first.
//!
//! The order is: an explicit choice (`?lang=`, then remembered in the `lang` cookie), then the
//! browser's `Accept-Language`. Each page picks from that list what it can serve. The visitor is
//! worked out once per request, by [`crate::middleware::visitor`], and taken from there by handlers.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use undersigned_core::Lang;
use undersigned_core::keys::{Keys, ShortKey};

pub const LANG_COOKIE: &str = "lang";
/// A random value per browser; the forms bound to a browser (organisers', and a signer's own
/// pages) carry an HMAC of it (double submit, signed). Set only with a page that has such a form.
pub const CSRF_COOKIE: &str = "csrf";

/// Who is asking. Worked out once per request and shared (cloning it is one reference count).
#[derive(Clone, Debug)]
pub struct Visitor(Arc<Asking>);

impl std::ops::Deref for Visitor {
    type Target = Asking;

    fn deref(&self) -> &Asking {
        &self.0
    }
}

/// The fields of a [`Visitor`].
#[derive(Debug)]
pub struct Asking {
    /// The language of the site's own words for this visitor.
    pub ui: Lang,
    /// Every language the visitor reads, best first.
    pub preferences: Vec<Lang>,
    /// The path of the page asked for, without query (for links back to it).
    pub path: String,
    /// The client's IP address (behind a trusted proxy, the address it forwarded), for this
    /// request only: what is ever stored or counted is its keyed hash (`ip_key`).
    pub(crate) ip: Option<IpAddr>,
    /// A browser said that a page of another site (or origin) sent this request
    /// ([`crate::security::from_elsewhere`]); worked out for POSTs only.
    pub(crate) from_elsewhere: bool,
    csrf: Csrf,
}

/// The browser's CSRF cookie, and the token its forms carry, made when a page first asks for it:
/// a page without such a form (the campaign page) makes none and sets no cookie.
struct Csrf {
    keys: Arc<Keys>,
    /// The cookie as the request brought it.
    cookie: Option<String>,
    /// The cookie (new if the request brought none) and its token, once a page asked.
    issued: OnceLock<(String, String)>,
}

impl std::fmt::Debug for Csrf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.issued.get().is_some() { "Csrf(issued)" } else { "Csrf" })
    }
}

impl Visitor {
    pub(crate) fn new(
        ui: Lang,
        preferences: Vec<Lang>,
        path: String,
        ip: Option<IpAddr>,
        from_elsewhere: bool,
        keys: Arc<Keys>,
        csrf_cookie: Option<String>,
    ) -> Self {
        let csrf = Csrf { keys, cookie: csrf_cookie, issued: OnceLock::new() };
        Self(Arc::new(Asking { ui, preferences, path, ip, from_elsewhere, csrf }))
    }

    /// The same visitor, reading `ui` at `path` (a page rendered as if from another address, or
    /// in another language).
    pub fn reading(&self, ui: Lang, path: String) -> Visitor {
        let csrf = &self.csrf;
        Self::new(
            ui,
            self.preferences.clone(),
            path,
            self.ip,
            self.from_elsewhere,
            csrf.keys.clone(),
            csrf.cookie.clone(),
        )
    }

    /// The token this browser's cookie-bound forms carry. The first call makes the browser a
    /// cookie if it had none ([`Self::new_csrf_cookie`]).
    pub fn csrf(&self) -> &str {
        let csrf = &self.csrf;
        let (_, token) = csrf.issued.get_or_init(|| {
            let cookie =
                csrf.cookie.clone().unwrap_or_else(|| URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>()));
            let token = csrf.keys.csrf_token(&cookie);
            (cookie, token)
        });
        token
    }

    /// The cookie to set with the answer: a page asked for a token, and the browser had no cookie.
    pub(crate) fn new_csrf_cookie(&self) -> Option<&str> {
        let csrf = &self.csrf;
        csrf.issued.get().filter(|_| csrf.cookie.is_none()).map(|(cookie, _)| cookie.as_str())
    }

    /// Whether a submitted form carries this browser's CSRF token.
    pub fn csrf_ok(&self, keys: &Keys, token: &str) -> bool {
        self.csrf.cookie.as_deref().is_some_and(|cookie| keys.csrf_ok(cookie, token))
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

/// The language asked for in the query string (`?lang=`), if any.
pub(crate) fn query_lang(query: Option<&str>) -> Option<Lang> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(|tag| Lang::parse("lang", tag).ok())
}

/// The client's address: the peer's, or, where the peer is a trusted proxy, the last address in
/// `X-Forwarded-For` that is not one of the trusted proxies.
pub(crate) fn client_ip(request: &Request, trusted: &[IpAddr]) -> Option<IpAddr> {
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
