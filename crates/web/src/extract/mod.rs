//! What handlers take from a request besides its form: who is asking ([`visitor::Visitor`]) and,
//! on organiser pages, who is logged in and what they may do ([`session`]).

pub mod api_token;
pub mod session;
pub mod visitor;

use axum::http::{HeaderMap, header};

/// The value of the cookie `name`, if the request carries it.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))
}
