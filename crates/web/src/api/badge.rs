//! `GET /c/{slug}/badge.svg`: a small image with the campaign's count, for other sites and
//! READMEs to show with a plain `<img>`. Drawn by hand with presentation attributes only (no
//! `<style>`, no script: the site's CSP holds where it is opened directly), every text escaped,
//! in the visitor's language, kept like the page.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

use crate::cache::PageCache;
use crate::render::campaign::{public_campaign, version_for};
use crate::render::escape_xml;
use crate::{AppError, AppState, Visitor, conditional};

const HEIGHT: u32 = 20;
const PADDING: u32 = 6;

/// Roughly how wide `text` is in 11 px Verdana: wide (CJK) characters take about twice as much.
fn width(text: &str) -> u32 {
    text.chars().map(|c| if (c as u32) < 0x1100 { 7 } else { 12 }).sum::<u32>() + 2 * PADDING
}

/// The badge: `label` on grey, `value` on the site's accent colour, `description` for screen
/// readers and as a tooltip.
pub fn draw(label: &str, value: &str, description: &str) -> String {
    let (left, right) = (width(label), width(value));
    let total = left + right;
    let (label, value, description) = (escape_xml(label), escape_xml(value), escape_xml(description));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{total}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {total} {HEIGHT}\" role=\"img\" aria-label=\"{description}\">\
         <title>{description}</title>\
         <rect width=\"{left}\" height=\"{HEIGHT}\" fill=\"#555\"/>\
         <rect x=\"{left}\" width=\"{right}\" height=\"{HEIGHT}\" fill=\"#8c1c13\"/>\
         <g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"11\">\
         <text x=\"{lx}\" y=\"14\">{label}</text><text x=\"{vx}\" y=\"14\">{value}</text></g></svg>\n",
        lx = left / 2,
        vx = left + right / 2,
    )
}

pub async fn badge(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let version = version_for(&campaign, &visitor);
    let key = PageCache::key(&slug, &format!("badge\n{}\n{}", visitor.ui, version.lang));
    let tagged = match state.page_cache.get(&key) {
        Some(tagged) => tagged,
        None => {
            let (i18n, lang) = (&state.pages.i18n, &visitor.ui);
            let (counts, _) = state.page_cache.counts(&*state.store, campaign.id).await?;
            let n = counts.individuals();
            let number = i18n.number(lang, n);
            let signed = i18n.t1(lang, "counts-individuals", "count", n);
            let description = format!("{}: {number} {signed}", version.title);
            let svg = draw(&i18n.t(lang, "signatures-count-column", None), &number, &description);
            let tagged = conditional::tagged(&svg);
            state.page_cache.put(key, tagged.clone());
            tagged
        }
    };
    let mut response = conditional::respond_tagged(&headers, tagged, "image/svg+xml", "public, max-age=60");
    // Its words follow the reader's language.
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_is_escaped() {
        let svg = draw("Signatures", "1,234", "<script>\"x\" & 'y'</script>: 1,234");
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"), "{svg}");
        assert!(!svg.contains("style"), "no style to block");
    }
}
