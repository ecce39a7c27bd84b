//! `/privacy`, `/terms`, `/imprint`, `/accessibility`: the site's own pages, as its admins wrote
//! them (in the visitor's language where they can), else the text the server comes with. They
//! are the same for every visitor in one language, so they are kept in the page cache.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use undersigned_core::site_page::{SitePageKind, SitePageText};

use crate::cache::PageCache;
use crate::render::markdown;
use crate::render::site_pages::{Chosen, Facts, built_in, choose};
use crate::{AppError, AppState, Visitor};

pub async fn privacy(State(state): State<AppState>, visitor: Visitor) -> Result<Response, AppError> {
    show(&state, &visitor, SitePageKind::Privacy).await
}

pub async fn terms(State(state): State<AppState>, visitor: Visitor) -> Result<Response, AppError> {
    show(&state, &visitor, SitePageKind::Terms).await
}

pub async fn imprint(State(state): State<AppState>, visitor: Visitor) -> Result<Response, AppError> {
    show(&state, &visitor, SitePageKind::Imprint).await
}

pub async fn accessibility(State(state): State<AppState>, visitor: Visitor) -> Result<Response, AppError> {
    show(&state, &visitor, SitePageKind::Accessibility).await
}

async fn show(state: &AppState, visitor: &Visitor, kind: SitePageKind) -> Result<Response, AppError> {
    let written = state.pages.site_pages.written();
    let Some(chosen) = choose(&written, kind, &visitor.preferences) else { return Err(AppError::NotFound) };
    let version = match &chosen {
        Chosen::Written(lang) => lang.as_str(),
        Chosen::BuiltIn => "built-in",
    };
    // Everything the page depends on: which page, the site's language, the text shown. A change
    // an admin saves clears the cache.
    let key =
        PageCache::site_key(&PageCache::key_of("site-page", &[kind.as_str(), visitor.ui.as_str(), version]));
    let body = match state.page_cache.get(&key) {
        Some(body) => body,
        None => {
            let body = Bytes::from(render(state, visitor, kind, chosen).await?);
            state.page_cache.put(key, body.clone());
            body
        }
    };
    const HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, HTML)], body).into_response())
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    kind: SitePageKind,
    chosen: Chosen,
) -> Result<String, AppError> {
    let i18n = &state.pages.i18n;
    let stored = match chosen {
        Chosen::Written(lang) => state.store.site_page(kind, &lang).await?,
        Chosen::BuiltIn => None,
    };
    let (text, lang, changed) = match stored {
        Some(page) => (page.text, page.lang, Some(i18n.date(&visitor.ui, page.changed_at.date()))),
        // Built in, or deleted through another server since this one last read the list.
        None => match built_in(i18n, &visitor.ui, kind, Facts::of(state)) {
            Some(text) => (text, visitor.ui.clone(), None),
            None => return Err(AppError::NotFound),
        },
    };
    let SitePageText { title, body } = text;
    let other_language = (lang != visitor.ui).then(|| i18n.native_name(&lang));
    let page = context! {
        title => title,
        body => markdown::render(&body),
        page_lang => lang.as_str(),
        other_language => other_language,
        changed => changed,
    };
    Ok(state.pages.render("site-page.html", visitor, page)?.0)
}
