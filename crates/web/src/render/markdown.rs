//! Campaign texts are written in Markdown; this renders them to HTML that is safe to show.

use std::sync::LazyLock;

use pulldown_cmark::{Options, Parser, html};

/// The only schemes a link in a campaign's text may have.
const SCHEMES: [&str; 3] = ["http", "https", "mailto"];

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    // No images: one pointing at another host would tell it who reads the campaign.
    b.rm_tags(["img"]);
    b.url_schemes(SCHEMES.into_iter().collect());
    b.link_rel(Some("nofollow noopener noreferrer"));
    // ammonia lets through what the URL standard reads as a relative path, such as `-:` (a scheme
    // must start with a letter); a link whose text before its first `:` is not one of the schemes
    // above is dropped all the same, so that no browser or mail client can read a scheme there.
    b.attribute_filter(|_, attribute, value| match attribute {
        "href" | "cite" if !known_scheme(value) => None,
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

/// Markdown to sanitised HTML: no script, no styles, no images, no raw HTML that could run.
pub fn render(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    SANITIZER.clean(&out).to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

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
}
