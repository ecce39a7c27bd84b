//! `GET /static/{file}`: the stylesheet, icon and share card, embedded in the binary
//! ([`crate::render::assets`]).

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::render::assets::{CARD, ICON, STYLESHEET};

pub async fn serve(Path(file): Path<String>) -> Result<Response, AppError> {
    let (content_type, body): (&str, &[u8]) = match file.as_str() {
        "style.css" => ("text/css; charset=utf-8", STYLESHEET.as_bytes()),
        "icon.svg" => ("image/svg+xml", ICON.as_bytes()),
        "card.png" => ("image/png", CARD),
        _ => match crate::defence::assets::script(&file) {
            Some(script) => ("text/javascript; charset=utf-8", script.as_bytes()),
            None => return Err(AppError::NotFound),
        },
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response())
}
