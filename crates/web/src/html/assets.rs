//! The stylesheet and icon, embedded in the binary. Their addresses carry a hash of their
//! content, so browsers may keep them for a year and still see a new version at once.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::AppError;

const STYLESHEET: &str = include_str!("../../static/style.css");
const ICON: &str = include_str!("../../static/icon.svg");
/// The picture shared links show (Open Graph), 1200 × 630.
const CARD: &[u8] = include_bytes!("../../static/card.png");

fn version(content: &str) -> String {
    let mut h = DefaultHasher::new();
    content.hash(&mut h);
    format!("{:x}", h.finish() & 0xffff_ffff)
}

static STYLESHEET_URL: LazyLock<String> =
    LazyLock::new(|| format!("/static/style.css?v={}", version(STYLESHEET)));
static ICON_URL: LazyLock<String> = LazyLock::new(|| format!("/static/icon.svg?v={}", version(ICON)));

pub fn stylesheet_url() -> &'static str {
    &STYLESHEET_URL
}

pub fn icon_url() -> &'static str {
    &ICON_URL
}

pub async fn serve(Path(file): Path<String>) -> Result<Response, AppError> {
    let (content_type, body): (&str, &[u8]) = match file.as_str() {
        "style.css" => ("text/css; charset=utf-8", STYLESHEET.as_bytes()),
        "icon.svg" => ("image/svg+xml", ICON.as_bytes()),
        "card.png" => ("image/png", CARD),
        _ => return Err(AppError::NotFound),
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
