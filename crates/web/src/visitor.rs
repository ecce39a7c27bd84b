//! Who is asking, as far as the pages need to know: the languages they read, best first.
//!
//! The order is: an explicit choice (`?lang=`, then remembered in the `lang` cookie), then the
//! browser's `Accept-Language`. Each page picks from that list what it can serve.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use undersigned_core::Lang;

use crate::AppState;
use crate::i18n::accept_language;

pub const LANG_COOKIE: &str = "lang";

#[derive(Clone, Debug)]
pub struct Visitor {
    /// The language of the site's own words for this visitor.
    pub ui: Lang,
    /// Every language the visitor reads, best first.
    pub preferences: Vec<Lang>,
    /// The path of the page asked for, without query (for links back to it).
    pub path: String,
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

fn cookie_lang(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("lang="))
        .and_then(|tag| Lang::parse("lang", tag).ok())
}

/// Works out the [`Visitor`], remembers an explicit language choice, and renders error responses
/// as pages in the visitor's language.
pub async fn middleware(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let chosen = query_lang(request.uri().query());
    let explicit = chosen.clone().or_else(|| cookie_lang(request.headers()));
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
        path: request.uri().path().to_owned(),
    };
    request.extensions_mut().insert(visitor.clone());

    let mut response = next.run(request).await;

    let is_error = response.status().is_client_error() || response.status().is_server_error();
    let has_page = response.headers().get(header::CONTENT_TYPE).is_some_and(|ct| {
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
    if let Some(lang) = chosen {
        let secure = if state.config.is_https() { "; Secure" } else { "" };
        let cookie =
            format!("{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    // The same address answers in other languages for other visitors: tell caches so.
    response.headers_mut().append(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    response
}
