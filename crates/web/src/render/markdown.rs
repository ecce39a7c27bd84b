//! Campaign texts are written in Markdown; this renders them to HTML that is safe to show.
//!
//! Pictures: an image in the text is shown only when it is one of the campaign's own pictures,
//! written as its Markdown gives it (`![alt text](/media/KEY)`); it is then served from this site,
//! in the widths it was made in (`srcset`). Every other image is dropped: one pointing at another
//! host would tell that host who reads the campaign, when, and from where.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use undersigned_core::picture::{Picture, PictureKey};

/// The only schemes a link in a campaign's text may have.
const SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// How wide a picture is shown, for the browser to choose a rendition before it lays the page
/// out: the column of the campaign's text (`--measure` in style.css), or the whole screen on a
/// phone.
pub const PICTURE_SIZES: &str = "(min-width: 46rem) 44rem, 100vw";

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    // Pictures only as `render_with_pictures` writes them (the Markdown's images are checked
    // there); their addresses are checked again below.
    b.add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"]);
    b.url_schemes(SCHEMES.into_iter().collect());
    b.link_rel(Some("nofollow noopener noreferrer"));
    // ammonia lets through what the URL standard reads as a relative path, such as `-:` (a scheme
    // must start with a letter); a link whose text before its first `:` is not one of the schemes
    // above is dropped all the same, so that no browser or mail client can read a scheme there.
    // A picture's address must be one of this site's pictures, whatever came before: should an
    // image with another address ever reach here, it keeps none, and loads nothing.
    b.attribute_filter(|element, attribute, value| match (element, attribute) {
        (_, "href" | "cite") if !known_scheme(value) => None,
        ("img", "src") if !is_media_path(value) => None,
        ("img", "srcset")
            if !value.split(',').all(|c| c.split_whitespace().next().is_some_and(is_media_path)) =>
        {
            None
        }
        _ => Some(value.into()),
    });
    b
});

/// Whether a URL either has no scheme (nothing ends with `:` before its first `/`, `?` or `#`) or
/// one of the allowed schemes.
fn known_scheme(url: &str) -> bool {
    let url: String = url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect();
    match url.find([':', '/', '?', '#']) {
        Some(i) if url[i..].starts_with(':') => SCHEMES.iter().any(|s| url[..i].eq_ignore_ascii_case(s)),
        _ => true,
    }
}

/// Whether a URL is a rendition of a picture of this site: `/media/{key}/{width}`.
fn is_media_path(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("/media/") else { return false };
    match rest.split_once('/') {
        Some((key, width)) => {
            PictureKey::parse(key).is_some() && !width.is_empty() && width.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// The key of a picture written as `/media/{key}` (or `/media/{key}/{width}`) in a text.
fn media_key(url: &str) -> Option<PictureKey> {
    let rest = url.trim().strip_prefix("/media/")?;
    match rest.split_once('/') {
        None => PictureKey::parse(rest),
        Some((key, width)) if !width.is_empty() && width.bytes().all(|b| b.is_ascii_digit()) => {
            PictureKey::parse(key)
        }
        Some(_) => None,
    }
}

/// Markdown to sanitised HTML: no script, no styles, no images, no raw HTML that could run.
pub fn render(markdown: &str) -> String {
    render_with_pictures(markdown, &[])
}

/// Markdown to sanitised HTML, where the images that are among `pictures` (a campaign's own) are
/// shown, and no other image.
pub fn render_with_pictures(markdown: &str, pictures: &[Picture]) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES);
    let mut events = Vec::new();
    let mut image: Option<(Option<&Picture>, String)> = None;
    for event in parser {
        match (event, &mut image) {
            (Event::Start(Tag::Image { dest_url, .. }), None) => {
                let picture = media_key(&dest_url).and_then(|key| pictures.iter().find(|p| p.key == key));
                image = Some((picture, String::new()));
            }
            (Event::End(TagEnd::Image), Some(_)) => {
                if let Some((Some(picture), alt)) = image.take() {
                    events.push(Event::Html(CowStr::from(img(picture, &alt))));
                }
            }
            // Inside an image: its text is the alt text (a nested image's too).
            (Event::Text(text) | Event::Code(text), Some((_, alt))) => alt.push_str(&text),
            (_, Some(_)) => {}
            // An image written as HTML is never one of ours as the text gives it: dropped here,
            // and the sanitiser would leave it no address anyway.
            (Event::Html(raw) | Event::InlineHtml(raw), None) if contains_img(&raw) => {}
            (event, None) => events.push(event),
        }
    }
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    SANITIZER.clean(&out).to_string()
}

fn contains_img(raw: &str) -> bool {
    raw.to_ascii_lowercase().contains("<img")
}

/// A picture as the text shows it: every rendition in `srcset`, its size (so that the page does
/// not jump as it loads), loaded when it comes near the screen. The alt text is the Markdown's,
/// or the picture's own when the Markdown gives none.
fn img(picture: &Picture, alt: &str) -> String {
    let alt = if alt.trim().is_empty() { picture.alt.as_str() } else { alt };
    let srcset: Vec<String> = picture.widths.iter().map(|w| format!("{} {w}w", picture.path(*w))).collect();
    // The rendition a browser without srcset shows: the first as wide as the column, else the widest.
    let src = picture
        .widths
        .iter()
        .find(|w| **w >= 960)
        .map_or_else(|| picture.widest_path(), |w| picture.path(*w));
    let mut tag = String::new();
    let _ = write!(
        tag,
        r#"<img src="{src}" srcset="{}" sizes="{PICTURE_SIZES}" width="{}" height="{}" alt="{}" loading="lazy" decoding="async">"#,
        srcset.join(", "),
        picture.width,
        picture.height,
        escape(alt),
    );
    tag
}

fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_rendered_and_script_is_not() {
        assert_eq!(render("**bold**"), "<p><strong>bold</strong></p>\n");
        for (input, forbidden) in [
            ("<script>alert(1)</script>", "<script"),
            ("[x](javascript:alert(1))", "href=\"javascript"),
            ("[[](-:)", "href=\"-:"),
            ("![i](https://tracker.example/p.png)", "<img"),
            ("<img src=\"https://tracker.example/p.png\">", "<img"),
            ("a <b onclick=\"x()\">b</b>", "onclick"),
            ("<style>body{}</style>", "<style"),
        ] {
            let html = render(input);
            assert!(!html.contains(forbidden), "{input} gave {html}");
        }
        assert!(render("[a](https://example.org)").contains("rel=\"nofollow noopener noreferrer\""));
    }

    fn picture(key: &str) -> Picture {
        Picture {
            id: 1,
            key: PictureKey::parse(key).unwrap(),
            campaign_id: 1,
            alt: "Dockers on strike".into(),
            width: 1600,
            height: 900,
            media_type: "image/jpeg".into(),
            share: false,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            widths: vec![480, 960, 1600],
        }
    }

    const KEY: &str = "0123456789abcdef0123456789abcdef";
    const OTHER: &str = "fedcba9876543210fedcba9876543210";

    #[test]
    fn the_campaigns_own_picture_is_shown_in_every_width() {
        let pictures = [picture(KEY)];
        let html = render_with_pictures(&format!("Look:\n\n![The harbour at dawn](/media/{KEY})"), &pictures);
        for part in [
            format!("src=\"/media/{KEY}/960\""),
            format!("srcset=\"/media/{KEY}/480 480w, /media/{KEY}/960 960w, /media/{KEY}/1600 1600w\""),
            format!("sizes=\"{PICTURE_SIZES}\""),
            "width=\"1600\"".into(),
            "height=\"900\"".into(),
            "alt=\"The harbour at dawn\"".into(),
            "loading=\"lazy\"".into(),
        ] {
            assert!(html.contains(&part), "{part} missing from {html}");
        }
        // With no alt text in the Markdown, the picture's own.
        let html = render_with_pictures(&format!("![](/media/{KEY}/480)"), &pictures);
        assert!(html.contains("alt=\"Dockers on strike\""), "{html}");
        // An alt text that tries to leave its attribute stays inside it.
        let html = render_with_pictures(&format!("![a\" onerror=\"x()](/media/{KEY})"), &pictures);
        assert!(!html.contains("onerror=\"x"), "{html}");
    }

    #[test]
    fn every_other_image_is_dropped() {
        let pictures = [picture(KEY)];
        for input in [
            "![x](https://tracker.example/p.png)".to_owned(),
            "![x](//tracker.example/p.png)".to_owned(),
            format!("![x](/media/{OTHER})"),
            format!("![x](https://tracker.example/media/{KEY})"),
            format!("![x](/media/{KEY}/../../p.png)"),
            "<img src=\"https://tracker.example/p.png\">".to_owned(),
            format!("<IMG SRC=\"/media/{KEY}/480\">"),
            format!(
                "<div>\n<img src=\"/media/{KEY}/480\" srcset=\"https://tracker.example/p.png 2x\">\n</div>"
            ),
        ] {
            let html = render_with_pictures(&input, &pictures);
            assert!(!html.contains("<img"), "{input} gave {html}");
            assert!(!html.contains("tracker.example/p.png\""), "{input} gave {html}");
        }
        // Without the campaign's pictures, none at all.
        assert!(!render(&format!("![x](/media/{KEY})")).contains("<img"));
        // The text around a dropped image stays.
        assert_eq!(render("a ![x](https://tracker.example/p.png) b"), "<p>a  b</p>\n");
    }

    #[test]
    fn only_this_sites_renditions_pass_the_sanitiser() {
        assert!(is_media_path(&format!("/media/{KEY}/480")));
        for bad in [
            "https://tracker.example/p.png",
            "/media/",
            &format!("/media/{KEY}"),
            &format!("/media/{KEY}/x"),
            "/static/card.png",
        ] {
            assert!(!is_media_path(bad), "{bad}");
        }
    }
}
