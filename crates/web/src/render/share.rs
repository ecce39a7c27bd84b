//! The share section of a campaign's pages: plain links to each service's own share page (no
//! third-party script, no tracking pixel), and the addresses of the Mastodon link and QR code.

use serde::Serialize;

use crate::AppState;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_links_carry_the_address_encoded() {
        let links = links("http://127.0.0.1:8080/c/free", "Free him & now");
        assert!(links.iter().all(|l| l.href.contains("127.0.0.1%3A8080%2Fc%2Ffree")));
        assert!(links[0].href.starts_with("mailto:?subject=Free%20him%20%26%20now"));
    }
}
