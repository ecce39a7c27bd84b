//! Errors a handler can end with. Each becomes a status code here; the visitor middleware turns
//! it into a page in the visitor's language. Causes are logged, never shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use undersigned_core::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("template: {0:#}")]
    Render(#[from] minijinja::Error),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Store(StoreError::Database(_)) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Store(_) | Self::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        status.into_response()
    }
}
