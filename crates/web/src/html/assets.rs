//! `GET /static/{file}`: the stylesheet, icon and share card, embedded in the binary
//! ([`crate::render::assets`]).

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::render::assets::{AGE_JS, AGE_LICENSE, CARD, ICON, KEYS_JS, OPEN_JS, PASSKEYS_JS, STYLESHEET};

pub async fn serve(Path(file): Path<String>) -> Result<Response, AppError> {
    let (content_type, body): (&str, &[u8]) = match file.as_str() {
        "style.css" => ("text/css; charset=utf-8", STYLESHEET.as_bytes()),
        "icon.svg" => ("image/svg+xml", ICON.as_bytes()),
        "card.png" => ("image/png", CARD),
        "keys.js" | "open.js" | "passkeys.js" | "age-encryption.js" | "age-encryption.LICENSE.txt" => {
            return Ok(script(&file));
        }
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

/// A script (or its licence): not versioned in its address as the stylesheet is, so browsers ask
/// again each time (they are loaded only by a few pages organisers rarely open).
fn script(file: &str) -> Response {
    let (content_type, body) = match file {
        "keys.js" => ("text/javascript; charset=utf-8", KEYS_JS),
        "open.js" => ("text/javascript; charset=utf-8", OPEN_JS),
        "passkeys.js" => ("text/javascript; charset=utf-8", PASSKEYS_JS),
        "age-encryption.js" => ("text/javascript; charset=utf-8", AGE_JS),
        _ => ("text/plain; charset=utf-8", AGE_LICENSE),
    };
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}
