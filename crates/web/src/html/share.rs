//! Spreading the word: plain share links (no third-party script, no tracking pixel), a Mastodon
//! link through the visitor's own instance, and a QR code of the campaign's address for flyers.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use qrcode::QrCode;
use qrcode::render::svg;
use serde::{Deserialize, Serialize};

use super::campaign::{public_campaign, version_for};
use crate::{AppError, AppState, Visitor};

/// Percent-encodes a URL component (RFC 3986 unreserved characters stay).
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Serialize)]
pub struct ShareLink {
    pub service: &'static str,
    pub href: String,
}

/// Links that open each service's own share page with the campaign's address and title. Following
/// one is the visitor's choice; nothing is loaded from these services before.
pub fn links(url: &str, title: &str) -> Vec<ShareLink> {
    let (u, t) = (encode(url), encode(title));
    let text = encode(&format!("{title} {url}"));
    vec![
        ShareLink { service: "email", href: format!("mailto:?subject={t}&body={text}") },
        ShareLink { service: "x", href: format!("https://x.com/intent/post?text={t}&url={u}") },
        ShareLink { service: "facebook", href: format!("https://www.facebook.com/sharer/sharer.php?u={u}") },
        ShareLink { service: "telegram", href: format!("https://t.me/share/url?url={u}&text={t}") },
        ShareLink { service: "whatsapp", href: format!("https://wa.me/?text={text}") },
        ShareLink {
            service: "weibo",
            href: format!("https://service.weibo.com/share/share.php?url={u}&title={t}"),
        },
        ShareLink { service: "line", href: format!("https://social-plugins.line.me/lineit/share?url={u}") },
    ]
}

/// What the share section of a page needs.
pub fn context(state: &AppState, slug: &str, title: &str) -> minijinja::Value {
    let url = format!("{}/c/{slug}", state.config.base_url);
    minijinja::context! {
        url => &url,
        links => links(&url, title),
        mastodon => format!("/c/{slug}/share/mastodon"),
        qr => format!("/c/{slug}/qr.svg"),
    }
}

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

    #[test]
    fn share_links_carry_the_address_encoded() {
        let links = links("http://127.0.0.1:8080/c/free", "Free him & now");
        assert!(links.iter().all(|l| l.href.contains("127.0.0.1%3A8080%2Fc%2Ffree")));
        assert!(links[0].href.starts_with("mailto:?subject=Free%20him%20%26%20now"));
    }
}
