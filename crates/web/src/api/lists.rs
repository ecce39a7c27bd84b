//! A campaign's lists: `endorsements` (grouped by region, as the page lists them), `signatures`
//! (the public signer list, newest first, in keyset pages: a page deep in the list costs what the
//! first costs) and `updates`.

use axum::response::Response;
use undersigned_core::Endorser as DomainEndorser;
use undersigned_core::signature::{ListCursor, PublicSignature};
use undersigned_core::{Endorsement, Lang};

use super::model::{
    self, EndorsementGroup, Endorsements, Endorser, EndorserKind, Region, Signer, SignerPage, Updates,
};
use super::query::Params;
use super::{ApiError, CampaignAsk, JSON, LIVE, PREFIX, cached_json, campaign, instant};
use crate::cache::PageCache;
use crate::conditional;
use crate::i18n::{FALLBACK, Localizer};
use crate::problem::Problem;
use crate::render::campaign::region_groups;
use crate::render::markdown;

/// Signers per page: as many as the public list page shows.
pub const PAGE_SIZE: u32 = 50;

/// The most updates answered (a campaign posts a few dozen at most).
const MAX_UPDATES: u32 = 500;

/// Updates change rarely.
const SLOW: &str = "public, max-age=60";

/// A campaign's approved endorsements, grouped by country or region.
#[utoipa::path(
    get,
    path = "/api/v1/campaigns/{slug}/endorsements",
    tag = "campaigns",
    params(("slug" = String, Path, description = "The campaign's name in its address.")),
    responses((status = 200, description = "The endorsements, by region.", body = Endorsements)),
)]
pub async fn endorsements(ask: CampaignAsk) -> Result<Response, ApiError> {
    ask.json("api endorsements", LIVE, |state, campaign| async move {
        let endorsements = state.store.replica_endorsements(campaign.id).await?;
        let groups = groups(&state.pages.i18n, &endorsements);
        Ok(serde_json::to_string(&Endorsements { groups })?)
    })
    .await
}

fn groups(i18n: &Localizer, endorsements: &[Endorsement]) -> Vec<EndorsementGroup> {
    let en = Lang::known(FALLBACK);
    region_groups(endorsements)
        .into_iter()
        .map(|(code, group)| EndorsementGroup {
            region: code.map(|code| Region { code: code.to_owned(), name: i18n.country(&en, code) }),
            endorsers: group.into_iter().map(endorser).collect(),
        })
        .collect()
}

fn endorser(e: &Endorsement) -> Endorser {
    let offline = e.source.is_offline();
    match &e.spec.endorser {
        DomainEndorser::Organisation { name, org_type, website } => Endorser {
            kind: EndorserKind::Organisation,
            name: Some(name.clone()),
            organisation_type: Some(org_type.as_str().to_owned()),
            website: website.clone(),
            count: 1,
            offline,
        },
        DomainEndorser::Person { name } => Endorser {
            kind: EndorserKind::Person,
            name: Some(name.clone()),
            organisation_type: None,
            website: None,
            count: 1,
            offline,
        },
        DomainEndorser::Individuals { count } => Endorser {
            kind: EndorserKind::Individuals,
            name: None,
            organisation_type: None,
            website: None,
            count: *count,
            offline,
        },
    }
}

/// The public signer list, newest first: those who chose to be listed, named as they chose.
#[utoipa::path(
    get,
    path = "/api/v1/campaigns/{slug}/signatures",
    tag = "campaigns",
    params(
        ("slug" = String, Path, description = "The campaign's name in its address."),
        ("after" = Option<String>, Query, description = "Where the page starts: the cursor in the previous page's `next` address. Without it, the first (newest) page."),
    ),
    responses((status = 200, description = "One page of signers (at most 50).", body = SignerPage)),
)]
pub async fn signatures(ask: CampaignAsk) -> Result<Response, ApiError> {
    let params = Params::parse(ask.query.as_deref(), &["after"])?;
    let after = match params.get("after") {
        None => None,
        Some(text) => Some(ListCursor::decode(text).ok_or_else(|| {
            Problem::bad_param("after", "is not a cursor: take it from a page's `next` address")
        })?),
    };
    let CampaignAsk { state, slug, headers, .. } = ask;
    let build = async {
        let campaign = campaign(&state, &slug).await?;
        let signatures = state.store.replica_public_signatures(campaign.id, after, PAGE_SIZE).await?;
        let base = &state.config.base_url;
        let next =
            (signatures.len() == PAGE_SIZE as usize).then(|| signatures.last()).flatten().map(|last| {
                let cursor = ListCursor { confirmed_at: last.confirmed_at, id: last.id };
                format!(
                    "{base}{PREFIX}/campaigns/{}/signatures?after={}",
                    campaign.content.slug,
                    cursor.encode()
                )
            });
        let i18n = &state.pages.i18n;
        let signers = signatures.iter().map(|s| signer(i18n, s)).collect();
        Ok(serde_json::to_string(&SignerPage { signers, next })?)
    };
    match after {
        // The first page is the one a crowd reads: kept like the page. Later pages are read
        // by the few who walk the list, at the cost of one indexed query each.
        None => cached_json(&state, PageCache::key(&slug, "api signatures"), &headers, LIVE, build).await,
        Some(_) => Ok(conditional::respond_body(&headers, build.await?, JSON, LIVE)),
    }
}

fn signer(i18n: &Localizer, s: &PublicSignature) -> Signer {
    Signer {
        name: s.name.clone(),
        country_name: i18n.country(&Lang::known(FALLBACK), &s.country),
        country: s.country.clone(),
        signed_on: s.confirmed_at.date().to_string(),
    }
}

/// A campaign's updates, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/campaigns/{slug}/updates",
    tag = "campaigns",
    params(("slug" = String, Path, description = "The campaign's name in its address.")),
    responses((status = 200, description = "The updates (the newest 500 at most).", body = Updates)),
)]
pub async fn updates(ask: CampaignAsk) -> Result<Response, ApiError> {
    ask.json("api updates", SLOW, |state, campaign| async move {
        let updates = state.store.updates(Some(campaign.id), MAX_UPDATES).await?;
        let updates = updates
            .into_iter()
            .map(|u| model::Update {
                id: u.id,
                published_at: instant(u.published_at),
                texts: u
                    .texts
                    .into_iter()
                    .map(|t| model::UpdateText {
                        language: t.lang.to_string(),
                        text_html: markdown::render(&t.body),
                        title: t.title,
                        text: t.body,
                    })
                    .collect(),
            })
            .collect();
        Ok(serde_json::to_string(&Updates { updates })?)
    })
    .await
}
