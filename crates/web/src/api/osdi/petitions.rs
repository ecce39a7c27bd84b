//! `GET /api/osdi/v1/petitions` and `/petitions/{id}`: the public campaigns (by the public pages'
//! rule: a draft is not found, a withdrawn campaign gone) as OSDI petitions, identified by the
//! campaign's name in its address, in the language asked for (`?lang=`, else `Accept-Language`),
//! with the other languages in `undersigned:translations`.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use undersigned_core::store::now;
use undersigned_core::{Campaign, CampaignVersion, Lang};

use super::model::{
    CollectionLinks, Link, Petition, PetitionLinks, Petitions, PetitionsEmbedded, Target, Translation,
};
use super::{Addresses, Paging, hal};
use crate::api::query::Params;
use crate::api::{ApiError, campaign, campaigns, instant};
use crate::extract::api_token::MaybeCaller;
use crate::render::markdown;
use crate::{AppState, Visitor};

/// The public petitions, newest first.
#[utoipa::path(
    get,
    path = "/api/osdi/v1/petitions",
    tag = "osdi",
    params(
        ("page" = Option<u64>, Query, description = "The page, from 1."),
        ("per_page" = Option<u32>, Query, description = "Petitions per page: 25 unless asked, at most 100."),
        ("lang" = Option<String>, Query, description = "The language to give them in, where they have it (else `Accept-Language`, else each one's default)."),
    ),
    responses((status = 200, description = "A page of petitions.", content_type = "application/hal+json", body = Petitions)),
    security((), ("token" = []), ("bearer" = [])),
)]
pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    _: MaybeCaller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref(), &["page", "per_page", "lang"])?;
    let paging = Paging::read(&params)?;
    let public: Vec<Campaign> = state
        .store
        .replica_public_campaigns()
        .await?
        .into_iter()
        .filter(|c| c.content.status.is_public())
        .collect();
    let at = Addresses::new(&state);
    let mut petitions = Vec::new();
    for campaign in public
        .iter()
        .skip(usize::try_from(paging.offset()).unwrap_or(usize::MAX))
        .take(paging.per_page as usize)
    {
        petitions.push(petition(&state, &at, campaign, &visitor.preferences, false).await?);
    }
    let total = public.len() as i64;
    let pages = paging.pages(total);
    let page_link = |page: u64| {
        let mut query = vec![("page", page.to_string()), ("per_page", paging.per_page.to_string())];
        if let Some(lang) = params.get("lang") {
            query.push(("lang", lang.to_owned()));
        }
        Link::to(format!("{}?{}", at.petitions(), serde_urlencoded::to_string(query).unwrap_or_default()))
    };
    let body = Petitions {
        total_pages: pages,
        per_page: paging.per_page,
        page: paging.page,
        total_records: total,
        links: CollectionLinks {
            this: page_link(paging.page),
            curies: at.curies(),
            next: (paging.page < pages).then(|| page_link(paging.page + 1)),
            previous: (paging.page > 1).then(|| page_link((paging.page - 1).min(pages))),
            petitions: Some(petitions.iter().map(|p| p.links.this.clone()).collect()),
            signatures: None,
        },
        embedded: PetitionsEmbedded { petitions },
    };
    hal(&body, false)
}

/// One public petition.
#[utoipa::path(
    get,
    path = "/api/osdi/v1/petitions/{id}",
    tag = "osdi",
    params(
        ("id" = String, Path, description = "The campaign's name in its address, as in `/c/{slug}`."),
        ("lang" = Option<String>, Query, description = "The language to give it in, where it has it (else `Accept-Language`, else its default)."),
    ),
    responses((status = 200, description = "The petition.", content_type = "application/hal+json", body = Petition)),
    security((), ("token" = []), ("bearer" = [])),
)]
pub async fn one(
    State(state): State<AppState>,
    visitor: Visitor,
    _: MaybeCaller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref(), &["lang"])?;
    let campaign = campaign(&state, &id).await?;
    let body = petition(&state, &Addresses::new(&state), &campaign, &visitor.preferences, true).await?;
    hal(&body, false)
}

/// A campaign as a petition, in the first of `preferences` it has; `top`: the answer's own
/// resource (with the curies), not one embedded in a collection.
async fn petition(
    state: &AppState,
    at: &Addresses,
    campaign: &Campaign,
    preferences: &[Lang],
    top: bool,
) -> Result<Petition, ApiError> {
    let (counts, _) = state.page_cache.counts(&*state.store, campaign.id).await?;
    let (created, modified) = state.store.campaign_dates(campaign.id).await?.unwrap_or((now(), now()));
    let c = &campaign.content;
    let slug = c.slug.as_str();
    let version = c.version_for(preferences);
    let browser_url = |v: &CampaignVersion| at.site(&format!("/c/{slug}?lang={}", v.lang));
    let translations = c
        .versions
        .iter()
        .filter(|v| v.lang != version.lang)
        .map(|v| Translation {
            language: v.lang.to_string(),
            title: v.title.clone(),
            summary: v.summary.clone(),
            description: markdown::render(&v.body),
            petition_text: petition_text(c, v),
            target: vec![Target { name: v.target.clone() }],
            browser_url: browser_url(v),
        })
        .collect();
    Ok(Petition {
        identifiers: at.id("petitions", slug),
        origin_system: "Undersigned".into(),
        name: slug.to_owned(),
        title: version.title.clone(),
        description: markdown::render(&version.body),
        summary: version.summary.clone(),
        petition_text: petition_text(c, version),
        total_signatures: counts.individuals(),
        target: vec![Target { name: version.target.clone() }],
        browser_url: browser_url(version),
        created_date: instant(created),
        modified_date: instant(modified),
        language: version.lang.to_string(),
        status: campaigns::status(campaign),
        translations,
        links: PetitionLinks {
            this: Link::to(at.petition(slug)),
            curies: if top { at.curies() } else { Vec::new() },
            signatures: Link::titled(at.signatures(slug), "Its signatures (with a token for the campaign)"),
            record_signature_helper: Link::to(at.helper(slug)),
            campaign: Link::to(at.site(&format!("{}/campaigns/{slug}", crate::api::PREFIX))),
        },
    })
}

/// The demands, numbered, one a line: what is handed to the target.
fn petition_text(c: &undersigned_core::CampaignContent, version: &CampaignVersion) -> String {
    let demands = c.demands_in(&version.lang);
    demands.iter().map(|d| format!("{}. {}", d.number, d.text)).collect::<Vec<_>>().join("\n")
}
