//! What handlers take from a request besides its form: who is asking ([`visitor::Visitor`]) and,
//! on organiser pages, who is logged in and what they may do ([`session`]).

pub mod api_token;
pub mod session;
pub mod visitor;

use axum::http::{HeaderMap, header};

/// A `Set-Cookie` value for our cookie `name` (the site's prefix added): for the whole site, out of
/// scripts' reach, sent on a top-level navigation from elsewhere (Lax: a provider's redirect back,
/// a link in a mail), Secure where the site is https; kept `max_age` seconds, or with `None` for
/// the browser's session. Every cookie the site sets is made here.
pub fn set_cookie(
    config: &crate::state::WebConfig,
    name: &'static str,
    value: &str,
    max_age: Option<i64>,
) -> String {
    let name = config.cookie_name(name);
    let max_age = max_age.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
    let secure = if config.is_https() { "; Secure" } else { "" };
    format!("{name}={value}; Path=/{max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// The value of the cookie `name`, if the request carries it.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))
}
