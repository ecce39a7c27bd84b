//! Plain text as HTML, for what the public writes (comments): escaped, paragraphs kept, and web
//! addresses made into links that search engines do not follow.

/// Plain text as HTML: escaped, paragraphs and line breaks kept, web addresses made into links
/// that search engines do not follow and that tell the next site nothing.
pub fn linkify(text: &str) -> String {
    fn escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;")
    }
    let mut html = String::new();
    for (i, paragraph) in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).enumerate() {
        if i > 0 {
            html.push('\n');
        }
        html.push_str("<p>");
        for (j, line) in paragraph.lines().enumerate() {
            if j > 0 {
                html.push_str("<br>");
            }
            for (k, word) in line.split(' ').enumerate() {
                if k > 0 {
                    html.push(' ');
                }
                let trimmed = word.trim_end_matches(['.', ',', ')', ';', ':', '!', '?']);
                if (trimmed.starts_with("https://") || trimmed.starts_with("http://")) && trimmed.len() > 8 {
                    let rest = &word[trimmed.len()..];
                    html.push_str(&format!(
                        "<a href=\"{0}\" rel=\"nofollow ugc noopener noreferrer\">{0}</a>{1}",
                        escape(trimmed),
                        escape(rest)
                    ));
                } else {
                    html.push_str(&escape(word));
                }
            }
        }
        html.push_str("</p>");
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_links_are_marked() {
        assert_eq!(linkify("<b>hi</b>"), "<p>&lt;b&gt;hi&lt;/b&gt;</p>");
        assert_eq!(
            linkify("See https://example.org/a?b=1&c=2."),
            "<p>See <a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener noreferrer\">https://example.org/a?b=1&amp;c=2</a>.</p>"
        );
        assert_eq!(linkify("a\nb\n\nc"), "<p>a<br>b</p>\n<p>c</p>");
        assert!(!linkify("javascript:alert(1)").contains("<a"));
    }
}
