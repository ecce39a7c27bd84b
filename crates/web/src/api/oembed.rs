//! `GET /oembed?url=…&format=json`: oEmbed (oembed.com) for a campaign's page, so that a blog or
//! a forum given the campaign's address shows it. The answer is of type `rich`: an `<iframe>` of
//! the campaign's embeddable page (`/c/{slug}/embed`), with no script.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use undersigned_core::Lang;

use super::model::OEmbed;
use super::query::Params;
use super::{ApiError, JSON, campaign};
use crate::problem::Problem;
use crate::render::embed::{self, HEIGHT, WIDTH};
use crate::{AppState, conditional};

/// How long a consumer may keep the answer, in seconds.
const CACHE_AGE: u32 = 3_600;

/// The parameters oEmbed defines. Consumers send others of their own (`dnt`, `callback`...),
/// which oEmbed asks providers to ignore: unlike the API's, unknown parameters are let pass.
const PARAMS: &[&str] = &["url", "format", "maxwidth", "maxheight"];

/// The campaign at a page address of this site: its slug, and the language asked for with
/// `?lang=` (if any).
fn campaign_at<'a>(base: &str, url: &'a str) -> Option<(&'a str, Option<&'a str>)> {
    let rest = url.strip_prefix(base)?.strip_prefix("/c/")?;
    let (path, query) = rest.split_once('?').map_or((rest, None), |(p, q)| (p, Some(q)));
    let slug = path.strip_suffix("/embed").or_else(|| path.strip_suffix('/')).unwrap_or(path);
    let lang = query.and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("lang=")));
    (!slug.is_empty() && !slug.contains('/')).then_some((slug, lang))
}

/// A size limit the consumer gave: a positive whole number of pixels.
fn size(params: &Params, name: &str) -> Result<Option<u32>, Problem> {
    params
        .get(name)
        .map(|text| text.parse::<u32>().ok().filter(|n| *n > 0))
        .map(|n| n.ok_or_else(|| Problem::bad_param(name, "is not a positive whole number of pixels")))
        .transpose()
}

/// The campaign's page, to show in another site's page.
#[utoipa::path(
    get,
    path = "/oembed",
    tag = "embedding",
    params(
        ("url" = String, Query, description = "The address of a campaign's page on this site, such as `https://example.org/c/{slug}`."),
        ("format" = Option<String>, Query, description = "Only `json`."),
        ("maxwidth" = Option<u32>, Query, description = "The widest the frame may be, in pixels."),
        ("maxheight" = Option<u32>, Query, description = "The tallest the frame may be, in pixels."),
    ),
    responses((status = 200, description = "An oEmbed answer of type `rich`.", body = OEmbed)),
)]
pub async fn oembed(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::parse_ignoring_others(raw.as_deref(), PARAMS)?;
    let url = params.get("url").ok_or_else(|| Problem::bad_param("url", "is missing"))?;
    if params.get("format").is_some_and(|f| f != "json") {
        return Err(Problem::new(StatusCode::NOT_IMPLEMENTED, "Only the json format is served.").into());
    }
    let (max_width, max_height) = (size(&params, "maxwidth")?, size(&params, "maxheight")?);
    let base = &state.config.base_url;
    let not_ours =
        || Problem::new(StatusCode::NOT_FOUND, "The url is not a public campaign's page of this site.");
    let (slug, lang) = campaign_at(base, url).ok_or_else(not_ours)?;
    // A draft, a withdrawn or no campaign alike: there is nothing to embed at that address.
    let campaign = campaign(&state, slug).await.map_err(|e| match e {
        ApiError::Problem(_) => not_ours().into(),
        error => error,
    })?;
    let c = &campaign.content;
    let lang = lang.and_then(|l| Lang::parse("lang", l).ok()).filter(|l| c.version(l).is_some());
    let version = lang.as_ref().and_then(|l| c.version(l)).unwrap_or_else(|| c.default_version());
    let (width, height) =
        (max_width.map_or(WIDTH, |m| m.min(WIDTH)), max_height.map_or(HEIGHT, |m| m.min(HEIGHT)));
    let html =
        embed::iframe(&embed::src(base, c.slug.as_str(), lang.as_ref()), &version.title, width, height);
    let answer = OEmbed {
        version: "1.0",
        kind: "rich",
        title: version.title.clone(),
        provider_name: state.pages.i18n.t(&c.default_lang, "site-name", None),
        provider_url: base.clone(),
        html,
        width,
        height,
        cache_age: CACHE_AGE,
    };
    Ok(conditional::respond_body(&headers, serde_json::to_string(&answer)?, JSON, "public, max-age=300"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_campaign_pages_of_this_site_are_embedded() {
        let base = "https://example.org";
        assert_eq!(campaign_at(base, "https://example.org/c/free-lam"), Some(("free-lam", None)));
        assert_eq!(campaign_at(base, "https://example.org/c/free-lam/"), Some(("free-lam", None)));
        assert_eq!(
            campaign_at(base, "https://example.org/c/free-lam?lang=zh-Hant"),
            Some(("free-lam", Some("zh-Hant")))
        );
        assert_eq!(campaign_at(base, "https://example.org/c/free-lam/embed"), Some(("free-lam", None)));
        for other in [
            "https://evil.example/c/free-lam",
            "https://example.org.evil.example/c/free-lam",
            "https://example.org/c/",
            "https://example.org/c/free-lam/signatures",
            "https://example.org/organise",
        ] {
            assert_eq!(campaign_at(base, other), None, "{other}");
        }
    }
}
