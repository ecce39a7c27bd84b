//! `GET /healthz`: 200 while the database answers, 503 when it does not (for load balancers).

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

use crate::AppState;

pub async fn check(State(state): State<AppState>) -> impl IntoResponse {
    let (status, body) = match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "{\"status\":\"ok\"}"),
        Err(e) => {
            tracing::warn!(error = %e, "health check: the database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "{\"status\":\"database unavailable\"}")
        }
    };
    (status, [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], body)
}
