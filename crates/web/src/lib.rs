//! The web interface: the router, the pages and the middleware around them.
//!
//! Handlers stay thin: they read the request into domain types, call the store, and render a
//! template or redirect. Every word a visitor reads comes from `locales/` through [`i18n`].

pub mod error;
pub mod html;
pub mod i18n;
pub mod markdown;
pub mod pages;
pub mod security;
pub mod visitor;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use undersigned_core::Store;

pub use error::AppError;
pub use pages::Pages;
pub use visitor::Visitor;

/// What the web layer needs to know of the server's configuration.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// The site's public address, without a trailing slash, for absolute links.
    pub base_url: String,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
}

impl WebConfig {
    pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;

    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub pages: Arc<Pages>,
    pub config: Arc<WebConfig>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: WebConfig) -> Result<Self, String> {
        let pages = Pages::new(Arc::new(i18n::Localizer::embedded()?)).map_err(|e| e.to_string())?;
        Ok(Self { store, pages: Arc::new(pages), config: Arc::new(config) })
    }
}

pub fn router(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    let router = Router::new()
        .route("/", get(html::home::show))
        .route("/c/{slug}", get(html::campaign::show))
        .route("/healthz", get(html::health::check))
        .route("/static/{file}", get(html::assets::serve))
        .fallback(html::not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        // Outside the limits, so that their refusals are rendered as pages too.
        .layer(axum::middleware::from_fn_with_state(state.clone(), visitor::middleware));
    security::headers(router).layer(security::trace()).with_state(state)
}
