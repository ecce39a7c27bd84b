//! `GET /c/{slug}/signatures`: who stands behind a campaign, organisations by region and
//! individuals newest first, page by page; and `GET /c/{slug}/count.json`.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use undersigned_core::signature::ListCursor;

use crate::render::campaign::{by_region, counts_context, public_campaign, version_for};
use crate::{AppError, AppState, Visitor};

pub const PAGE_SIZE: u32 = 50;

#[derive(Deserialize)]
pub struct ListQuery {
    after: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let after = query.after.as_deref().and_then(ListCursor::decode);
    let (signatures, endorsements, (counts, by_country)) = tokio::try_join!(
        state.store.replica_public_signatures(campaign.id, after, PAGE_SIZE),
        state.store.replica_endorsements(campaign.id),
        state.page_cache.counts(&*state.store, campaign.id),
    )?;
    let i18n = &state.pages.i18n;
    let lang = &visitor.ui;
    let path = format!("/c/{}", campaign.content.slug);
    let next = (signatures.len() == PAGE_SIZE as usize).then(|| {
        let last = signatures.last().expect("a full page");
        format!(
            "{path}/signatures?after={}",
            ListCursor { confirmed_at: last.confirmed_at, id: last.id }.encode()
        )
    });
    let signers: Vec<Value> = signatures
        .iter()
        .map(|s| {
            context! {
                name => &s.name,
                country => i18n.country(lang, &s.country),
                date => i18n.date(lang, s.confirmed_at.date()),
                date_iso => s.confirmed_at.date().to_string(),
            }
        })
        .collect();
    let by_country: Vec<Value> = by_country
        .iter()
        .map(|(code, n)| context! { country => i18n.country(lang, code), count => i18n.number(lang, *n) })
        .collect();
    let version = version_for(&campaign, &visitor);
    let page = context! {
        title => i18n.t1(lang, "signatures-title", "campaign", version.title.clone()),
        campaign_title => &version.title,
        campaign_lang => version.lang.as_str(),
        campaign_path => path,
        counts => counts_context(i18n, lang, &counts, campaign.content.signature_goal),
        groups => by_region(i18n, lang, &endorsements),
        signers => signers,
        first_page => after.is_none(),
        next => next,
        by_country => by_country,
    };
    Ok(state.pages.render("signatures.html", &visitor, page)?.into_response())
}

/// `count.json`, for the page's live counter and for anyone's widget: kept like the campaign
/// page (at most a second old), with an ETag so that a poller or a proxy asks cheaply.
pub async fn count(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let key = crate::cache::PageCache::key(&slug, "count.json");
    let body = match state.page_cache.get(&key) {
        Some(body) => body,
        None => {
            let campaign = public_campaign(&state, &slug).await?;
            let (counts, _) = state.page_cache.counts(&*state.store, campaign.id).await?;
            let body = serde_json::json!({
                "signature_count": counts.individuals(),
                "online_signature_count": counts.signatures,
                "offline_signature_count": counts.offline_individuals,
                "organisation_count": counts.organisations,
                "goal": campaign.content.signature_goal,
                "status": campaign.content.status_at(undersigned_core::store::now()).as_str(),
                "closes_at": campaign.content.closes_at
                    .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok()),
            })
            .to_string();
            let body = axum::body::Bytes::from(body);
            state.page_cache.put(key, body.clone());
            body
        }
    };
    // Short enough to feel live, long enough that a crowd reloading it is served by caches.
    let cache = "public, max-age=5, stale-while-revalidate=10";
    Ok(crate::conditional::respond_body(&headers, body, "application/json", cache))
}
