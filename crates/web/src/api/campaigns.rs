//! `GET /api/v1/campaigns` (the public campaigns in short) and `GET /api/v1/campaigns/{slug}`
//! (one campaign: every version, dates, status, counts, the target's response).

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use undersigned_core::store::{Counts, now};
use undersigned_core::{Campaign, CampaignStatus, Lang};

use super::model::{self, CampaignLinks, CampaignList, CampaignSummary, CountryCount, LanguageCount, Status};
use super::query::Params;
use super::{ApiError, CampaignAsk, LIVE, PREFIX, cached_json, instant};
use crate::cache::PageCache;
use crate::i18n::FALLBACK;
use crate::render::markdown;
use crate::{AppState, i18n::Localizer};

/// The addresses about the campaign at `slug`.
pub fn links(base: &str, slug: &str) -> CampaignLinks {
    let api = format!("{base}{PREFIX}/campaigns/{slug}");
    CampaignLinks {
        page: format!("{base}/c/{slug}"),
        signatures: format!("{api}/signatures"),
        endorsements: format!("{api}/endorsements"),
        updates: format!("{api}/updates"),
        badge: format!("{base}/c/{slug}/badge.svg"),
        this: api,
    }
}

/// A public campaign's status now (one past its end date is closed).
pub(super) fn status(campaign: &Campaign) -> Status {
    match campaign.content.status_at(now()) {
        CampaignStatus::Open => Status::Open,
        CampaignStatus::Won => Status::Won,
        // Only public campaigns are read here; the others would be closed to the public anyway.
        CampaignStatus::Closed | CampaignStatus::Draft | CampaignStatus::Withdrawn => Status::Closed,
    }
}

/// The public campaigns, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/campaigns",
    tag = "campaigns",
    responses((status = 200, description = "The public campaigns, in short.", body = CampaignList)),
)]
pub async fn list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref(), &[])?;
    let build = async {
        let campaigns = state.store.replica_public_campaigns().await?;
        let mut items = Vec::with_capacity(campaigns.len());
        for campaign in campaigns.iter().filter(|c| c.content.status.is_public()) {
            let (counts, _) = state.page_cache.counts(&*state.store, campaign.id).await?;
            items.push(summary(&state.config.base_url, campaign, &counts));
        }
        Ok(serde_json::to_string(&CampaignList { campaigns: items })?)
    };
    cached_json(&state, PageCache::site_key("api campaigns"), &headers, LIVE, build).await
}

fn summary(base: &str, campaign: &Campaign, counts: &Counts) -> CampaignSummary {
    let c = &campaign.content;
    let version = c.default_version();
    CampaignSummary {
        slug: c.slug.to_string(),
        title: version.title.clone(),
        summary: version.summary.clone(),
        language: c.default_lang.to_string(),
        languages: c.versions.iter().map(|v| v.lang.to_string()).collect(),
        status: status(campaign),
        signature_count: counts.individuals(),
        signature_goal: c.signature_goal,
        closes_at: c.closes_at.map(instant),
        links: links(base, c.slug.as_str()),
    }
}

/// A public campaign: every language version, dates, status, counts and the target's response.
#[utoipa::path(
    get,
    path = "/api/v1/campaigns/{slug}",
    tag = "campaigns",
    params(("slug" = String, Path, description = "The campaign's name in its address, as in `/c/{slug}`.")),
    responses((status = 200, description = "The campaign.", body = model::Campaign)),
)]
pub async fn one(ask: CampaignAsk) -> Result<Response, ApiError> {
    ask.json("api campaign", LIVE, |state, campaign| async move {
        let ((counts, by_country), by_lang, response, thresholds, crossings, deliveries) = tokio::try_join!(
            state.page_cache.counts(&*state.store, campaign.id),
            state.page_cache.by_lang(&*state.store, campaign.id),
            state.store.response(campaign.id),
            crate::thresholds::of(&*state.store, &campaign),
            state.store.crossings(campaign.id),
            state.store.deliveries(campaign.id),
        )?;
        let i18n = &state.pages.i18n;
        let en = Lang::known(FALLBACK);
        let c = &campaign.content;
        let body = model::Campaign {
            slug: c.slug.to_string(),
            status: status(&campaign),
            default_language: c.default_lang.to_string(),
            versions: c.versions.iter().map(|v| version(c, v)).collect(),
            opens_at: c.opens_at.map(instant),
            closes_at: c.closes_at.map(instant),
            dated: c.dated.map(|d| d.to_string()),
            contact: model::Contact {
                name: c.contact.name.clone(),
                email: c.contact.email.as_ref().map(|e| e.as_str().to_owned()),
            },
            signature_goal: c.signature_goal,
            signature_count: counts.individuals(),
            online_signature_count: counts.signatures,
            offline_signature_count: counts.offline_individuals,
            organisation_count: counts.organisations,
            signatures_by_country: by_country
                .into_iter()
                .map(|(code, n)| CountryCount { name: i18n.country(&en, &code), code, signature_count: n })
                .collect(),
            signatures_by_language: by_lang
                .into_iter()
                .map(|(code, n)| language_count(i18n, code, n))
                .collect(),
            response: response.map(|r| model::TargetResponse {
                text: r.text,
                responded_on: r.responded_on.map(|d| d.to_string()),
                link: r.link,
            }),
            thresholds: thresholds
                .into_iter()
                .map(|t| model::Threshold {
                    signature_count: t.count,
                    reached_at: crossings.iter().find(|c| c.count == t.count).map(|c| instant(c.crossed_at)),
                    labels: t
                        .labels
                        .into_iter()
                        .map(|(lang, label)| model::ThresholdLabel { language: lang.to_string(), label })
                        .collect(),
                })
                .collect(),
            deliveries: deliveries
                .into_iter()
                .map(|d| model::DeliverySent {
                    delivered_at: instant(d.sent_at),
                    languages: d.langs.iter().map(|l| l.to_string()).collect(),
                })
                .collect(),
            links: links(&state.config.base_url, c.slug.as_str()),
        };
        Ok(serde_json::to_string(&body)?)
    })
    .await
}

fn version(c: &undersigned_core::CampaignContent, v: &undersigned_core::CampaignVersion) -> model::Version {
    let demands = c.demands_in(&v.lang);
    model::Version {
        language: v.lang.to_string(),
        title: v.title.clone(),
        summary: v.summary.clone(),
        target: v.target.clone(),
        text: v.body.clone(),
        text_html: markdown::render(&v.body),
        demands: demands.iter().map(|d| d.text.to_owned()).collect(),
        demand_items: demands
            .into_iter()
            .map(|d| model::Demand {
                number: d.number,
                id: d.key,
                text: d.text.to_owned(),
                text_language: d.text_lang.to_string(),
                translated: d.translated,
                met_at: d.met.as_ref().map(|m| m.on.to_string()),
                met_note: d.met.and_then(|m| m.note).map(str::to_owned),
            })
            .collect(),
    }
}

fn language_count(i18n: &Localizer, code: String, n: i64) -> LanguageCount {
    let name = Lang::parse("lang", &code).map(|l| i18n.native_name(&l)).unwrap_or_else(|_| code.clone());
    LanguageCount { code, name, signature_count: n }
}
