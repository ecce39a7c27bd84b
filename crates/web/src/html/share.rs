//! Spreading the word: a Mastodon link through the visitor's own instance, and a QR code of the
//! campaign's address for flyers. The plain share links are in [`crate::render::share`].

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use qrcode::QrCode;
use qrcode::render::svg;
use serde::Deserialize;

use crate::render::campaign::{public_campaign, version_for};
use crate::render::share::encode;
use crate::{AppError, AppState, Visitor};

#[derive(Deserialize)]
pub struct MastodonQuery {
    instance: String,
}

/// A host name as people type their Mastodon instance (`mastodon.social`, `https://kolektiva.social/`).
fn instance_host(input: &str) -> Option<String> {
    let host =
        input.trim().trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/');
    let host = host.strip_prefix('@').map_or(host, |h| h.rsplit('@').next().unwrap_or(h));
    let valid = !host.is_empty()
        && host.len() <= 253
        && host.contains('.')
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    valid.then(|| host.to_lowercase())
}

/// `GET /c/{slug}/share/mastodon?instance=`: to the visitor's own instance's share page.
pub async fn mastodon(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(query): Query<MastodonQuery>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let Some(host) = instance_host(&query.instance) else { return Err(AppError::BadRequest) };
    let version = version_for(&campaign, &visitor);
    let url = format!("{}/c/{}", state.config.base_url, campaign.content.slug);
    let text = encode(&format!("{} {url}", version.title));
    Ok(Redirect::to(&format!("https://{host}/share?text={text}")).into_response())
}

/// `GET /c/{slug}/qr.svg`: the campaign's address as a QR code, for printing.
pub async fn qr(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let url = format!("{}/c/{}", state.config.base_url, campaign.content.slug);
    let code = QrCode::new(url.as_bytes()).map_err(|_| AppError::NotFound)?;
    let image = code.render::<svg::Color>().min_dimensions(240, 240).quiet_zone(true).build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=3600")], image)
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instances_are_host_names() {
        assert_eq!(instance_host("mastodon.social").as_deref(), Some("mastodon.social"));
        assert_eq!(instance_host(" https://Kolektiva.social/ ").as_deref(), Some("kolektiva.social"));
        assert_eq!(instance_host("@me@hk.example").as_deref(), Some("hk.example"));
        for bad in ["", "localhost", "evil.example/path", "a..b", "x.example:8080", "javascript:alert(1)"] {
            assert_eq!(instance_host(bad), None, "{bad}");
        }
    }
}
