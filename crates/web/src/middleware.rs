//! The middleware every request passes: working out who is asking (language, CSRF token, address)
//! and rendering refusals as pages in their language; forgetting a campaign's cached pages when
//! its organisers change it; the security headers.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use undersigned_core::Lang;

use crate::error::OwnBody;
use crate::extract::visitor::{CSRF_COOKIE, LANG_COOKIE, Visitor, client_ip, network, query_lang};
use crate::extract::{cookie, set_cookie};
use crate::i18n::accept_language;
use crate::state::AppState;
use crate::{problem, security};

/// What the visitor middleware read from the request, for the cookies it sets on the answer.
struct Seen {
    visitor: Visitor,
    /// A language chosen by `?lang=`: remembered in a cookie.
    chosen: Option<Lang>,
}

/// The one middleware every request passes (each one more cost every request a clone and a boxed
/// future): works out the [`Visitor`], remembers an explicit language choice, renders error
/// responses as pages in the visitor's language, forgets a campaign's cached pages once its
/// organisers changed it ([`changed_campaign`]), answers the read API's errors as problem
/// documents and its preflights, and sets the security headers.
pub async fn every_request(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let seen = read(&state, &request);
    let changed = changed_campaign(&request);
    let path = request.uri().path();
    let (private, for_machines) = (security::is_private(path), problem::is_for_machines(path));
    let open = security::is_open_to_all(path);
    request.extensions_mut().insert(seen.visitor.clone());
    let mut response = match open && request.method() == Method::OPTIONS {
        true => security::preflight(),
        false => next.run(request).await,
    };
    if let Some(slug) = changed
        && !response.status().is_client_error()
    {
        state.page_cache.forget(&slug);
    }
    // Errors for machines are problem documents, not pages.
    if for_machines {
        response = problem::for_machines(response);
    }
    if open {
        security::allow_any_origin(response.headers_mut());
    }
    let response = as_page(&state, &seen.visitor, response);
    let mut response = with_cookies(&state, &seen, response);
    security::add_headers(&mut response, private, state.config.is_https());
    response
}

/// The campaign an organiser's request may change: a POST under `/organise/c/{slug}/`. Once it
/// was not refused, the campaign's cached pages and count are forgotten, so that the public sees
/// the change at once.
fn changed_campaign(request: &Request) -> Option<String> {
    (request.method() == Method::POST)
        .then(|| request.uri().path().strip_prefix("/organise/c/")?.split('/').next().map(str::to_owned))
        .flatten()
}

fn read(state: &AppState, request: &Request) -> Seen {
    let chosen = query_lang(request.uri().query());
    let lang_cookie = state.config.cookie_name(LANG_COOKIE);
    let explicit = chosen
        .clone()
        .or_else(|| cookie(request.headers(), &lang_cookie).and_then(|t| Lang::parse("lang", t).ok()));
    let csrf_cookie = cookie(request.headers(), &state.config.cookie_name(CSRF_COOKIE))
        .filter(|c| c.len() == 22)
        .map(str::to_owned);
    let accepted =
        request.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(accept_language);
    let mut preferences: Vec<Lang> = explicit.into_iter().collect();
    for lang in accepted.unwrap_or_default() {
        if !preferences.contains(&lang) {
            preferences.push(lang);
        }
    }
    let from_elsewhere = request.method() == Method::POST
        && security::from_elsewhere(request.headers(), state.config.origin.as_deref());
    let visitor = Visitor::new(
        state.pages.i18n.negotiate(&preferences),
        preferences,
        // Repeated in the page's language links: never a path that leads elsewhere.
        crate::paths::same_site(request.uri().path()).unwrap_or("/").to_owned(),
        client_ip(request, &state.config.trusted_proxies).map(network),
        from_elsewhere,
        state.keys.clone(),
        csrf_cookie,
    );
    Seen { visitor, chosen }
}

/// An error without a body of its own becomes the error page, in the visitor's language.
fn as_page(state: &AppState, visitor: &Visitor, response: Response) -> Response {
    let is_error = response.status().is_client_error() || response.status().is_server_error();
    let has_page = response.extensions().get::<OwnBody>().is_some()
        || response.headers().get(header::CONTENT_TYPE).is_some_and(|ct| {
            ct.to_str().is_ok_and(|ct| ct.starts_with("text/html") || ct.starts_with("application/json"))
        });
    if !is_error || has_page {
        return response;
    }
    let status = response.status();
    let mut page = state.pages.error(visitor, status).into_response();
    *page.status_mut() = status;
    for name in [header::RETRY_AFTER, header::ALLOW] {
        if let Some(value) = response.headers().get(&name) {
            page.headers_mut().insert(name, value.clone());
        }
    }
    page
}

/// The cookies the answer sets: the language chosen with `?lang=`, and the CSRF cookie when the
/// page handed out a token bound to it ([`Visitor::csrf`]) to a browser that had none. A page
/// framed by another site ([`security::Framed`]) sets neither: the embeddable page remembers
/// nothing of its visitor (and the browser would mostly refuse a cookie there anyway).
fn with_cookies(state: &AppState, seen: &Seen, mut response: Response) -> Response {
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|ct| ct.to_str().is_ok_and(|ct| ct.starts_with("text/html")));
    let framed = response.extensions().get::<security::Framed>().is_some();
    let new_csrf = seen.visitor.new_csrf_cookie();
    if !framed && (seen.chosen.is_some() || new_csrf.is_some()) {
        let mut cookies = Vec::new();
        if let Some(lang) = &seen.chosen {
            cookies.push(set_cookie(&state.config, LANG_COOKIE, lang.as_str(), Some(31_536_000)));
        }
        if let Some(value) = new_csrf {
            // A session cookie: a new browser session gets a new value.
            cookies.push(set_cookie(&state.config, CSRF_COOKIE, value, None));
        }
        for cookie in cookies {
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
    }
    // The same address answers in other languages for other visitors (by `Accept-Language`, or
    // by the language cookie a `?lang=` choice left): tell caches so. No cookie is per visitor on
    // a public page any more, so a shared cache keyed so keeps one copy for all without one.
    if is_page {
        response.headers_mut().append(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    }
    response
}
