//! Errors a handler can end with. Each becomes a status code here; the visitor middleware turns
//! it into a page in the visitor's language. Causes are logged, never shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use undersigned_core::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// A campaign its organisers withdrew: the page says so.
    #[error("gone")]
    Gone,
    /// A request whose parameters make no sense (the error page says so in general terms).
    #[error("bad request")]
    BadRequest,
    /// An organiser page without a session: to the login page, then back to `next`.
    #[error("login required")]
    LoginRequired { next: String },
    /// The site requires a second factor of this organiser, who has none: to enrol, then `next`.
    #[error("second factor required")]
    SecondFactorNeeded { next: String },
    /// A sensitive action whose session checked the second factor too long ago: to type the code
    /// again, then back to `next`.
    #[error("second factor to confirm")]
    StepUp { next: String },
    /// Logged in, but the role does not allow it.
    #[error("forbidden")]
    Forbidden,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("template: {0:#}")]
    Render(#[from] minijinja::Error),
    /// Something the server made failed (a document): logged, never shown.
    #[error("{0}")]
    Internal(String),
}

/// Marks a response whose error body is meant for machines and is kept as it is (`/healthz`), not
/// replaced by the error page in the visitor's language.
#[derive(Clone, Copy)]
pub struct OwnBody;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::LoginRequired { next } = &self {
            let to = format!("/login?next={}", crate::paths::query_escape(next));
            return axum::response::Redirect::to(&to).into_response();
        }
        if let Self::SecondFactorNeeded { next } | Self::StepUp { next } = &self {
            let page = match matches!(self, Self::StepUp { .. }) {
                true => "/organise/account/second-factor/confirm",
                false => "/organise/account/second-factor",
            };
            let to = format!("{page}?next={}", crate::paths::query_escape(next));
            return axum::response::Redirect::to(&to).into_response();
        }
        let status = match &self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Gone => StatusCode::GONE,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::LoginRequired { .. } | Self::SecondFactorNeeded { .. } | Self::StepUp { .. } => {
                StatusCode::UNAUTHORIZED
            }
            Self::Store(StoreError::Database(_) | StoreError::Unavailable(_)) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Store(_) | Self::Render(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            // The database is away for a moment (a restart): say when to try again.
            return (status, [(axum::http::header::RETRY_AFTER, "5")]).into_response();
        }
        status.into_response()
    }
}
