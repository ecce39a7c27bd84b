//! `GET /api/osdi/v1/petitions/{id}/signatures` (and one of them): a public campaign's confirmed
//! signatures, for a token for it, in the order they last changed, oldest first. Their signers'
//! data only for a token with `pii:read`.
//!
//! Pages are asked for by number (OSDI's `page`), but each `next` link also carries a keyset
//! cursor (`after`): following `next`, a page starts after the last signature of the one before,
//! so that signatures confirmed or changed meanwhile (which go to the end) neither shift the pages
//! nor are skipped. Only a page asked for by number alone is read by offset.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use undersigned_core::api_token::Scope;
use undersigned_core::organisation::Partner;
use undersigned_core::signature::ListCursor;
use undersigned_core::sync::{SyncFilter, SyncStart, SyncedSignature};
use undersigned_core::{CampaignId, Email};

use super::filter::{self, Condition};
use super::model::{
    CollectionLinks, EmailAddress, EmailStatus, Link, Person, PersonLinks, PostalAddress, Signature,
    SignatureEmbedded, SignatureLinks, SignatureReferrer, Signatures, SignaturesEmbedded,
};
use super::{Addresses, Paging, hal};
use crate::AppState;
use crate::api::query::Params;
use crate::api::{ApiError, campaign, instant};
use crate::extract::api_token::Caller;
use crate::problem::Problem;

/// A page of a petition's signatures.
#[utoipa::path(
    get,
    path = "/api/osdi/v1/petitions/{id}/signatures",
    tag = "osdi",
    params(
        ("id" = String, Path, description = "The campaign's name in its address."),
        ("page" = Option<u64>, Query, description = "The page, from 1. Follow `next` rather than counting pages: it carries a cursor, so that nothing is skipped or repeated while signatures come in."),
        ("per_page" = Option<u32>, Query, description = "Signatures per page: 25 unless asked, at most 100."),
        ("filter" = Option<String>, Query, description = "`modified_date` or `created_date` with `gt`, `ge`, `lt` or `le` and a time in single quotes (`modified_date gt '2025-01-31T09:00:00Z'`), and, with `pii:read`, `email_address eq '…'`; joined by `and`. Anything else is a 400 naming the filter."),
        ("after" = Option<String>, Query, description = "The cursor in a `next` link: the page starts after that signature."),
    ),
    responses((status = 200, description = "A page of signatures.", content_type = "application/hal+json", body = Signatures)),
    security(("token" = []), ("bearer" = [])),
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref(), &["page", "per_page", "filter", "after"])?;
    let paging = Paging::read(&params)?;
    let after = match params.get("after") {
        None => None,
        Some(text) => Some(
            ListCursor::decode(text)
                .ok_or_else(|| Problem::bad_param("after", "is not a cursor: take it from a `next` link"))?,
        ),
    };
    let campaign = campaign(&state, &id).await?;
    caller.may(&state, campaign.id, None).await?;
    let pii = pii(&state, &caller, campaign.id).await?;
    let filter = sync_filter(&state, params.get("filter"), campaign.id, pii)?;
    let start = after.map_or(SyncStart::Offset(paging.offset()), SyncStart::After);
    let mut rows = state.store.signatures_for_sync(campaign.id, &filter, start, paging.per_page + 1).await?;
    let more = rows.len() > paging.per_page as usize;
    rows.truncate(paging.per_page as usize);
    // Every confirmed, valid signature: the aggregated count (what the page counts) serves.
    let total = match filter == SyncFilter::default() {
        true => state.page_cache.counts(&*state.store, campaign.id).await?.0.signatures,
        false => state.store.count_for_sync(campaign.id, &filter).await?,
    };
    let at = Addresses::new(&state);
    let slug = campaign.content.slug.as_str();
    let page_link = |page: u64, after: Option<ListCursor>| {
        let mut query = vec![("page", page.to_string()), ("per_page", paging.per_page.to_string())];
        if let Some(filter) = params.get("filter") {
            query.push(("filter", filter.to_owned()));
        }
        if let Some(after) = after {
            query.push(("after", after.encode()));
        }
        let query = serde_urlencoded::to_string(query).unwrap_or_default();
        Link::to(format!("{}?{}", at.signatures(slug), query.replace('+', "%20")))
    };
    let partners = state.store.campaign_partners(campaign.id).await?;
    let signatures: Vec<Signature> =
        rows.iter().map(|s| signature(&at, slug, s, pii, false, &partners)).collect();
    let body = Signatures {
        total_pages: paging.pages(total),
        per_page: paging.per_page,
        page: paging.page,
        total_records: total,
        links: CollectionLinks {
            this: page_link(paging.page, after),
            curies: at.curies(),
            next: more.then(|| page_link(paging.page + 1, rows.last().map(SyncedSignature::cursor))),
            previous: (paging.page > 1).then(|| page_link(paging.page - 1, None)),
            petitions: None,
            signatures: Some(signatures.iter().map(|s| s.links.this.clone()).collect()),
        },
        embedded: SignaturesEmbedded { signatures },
    };
    hal(&body, true)
}

/// One confirmed signature of a petition.
#[utoipa::path(
    get,
    path = "/api/osdi/v1/petitions/{id}/signatures/{signature}",
    tag = "osdi",
    params(
        ("id" = String, Path, description = "The campaign's name in its address."),
        ("signature" = i64, Path, description = "The signature's number."),
    ),
    responses((status = 200, description = "The signature.", content_type = "application/hal+json", body = Signature)),
    security(("token" = []), ("bearer" = [])),
)]
pub async fn one(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, signature_id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref(), &[])?;
    let campaign = campaign(&state, &id).await?;
    caller.may(&state, campaign.id, None).await?;
    let pii = pii(&state, &caller, campaign.id).await?;
    let not_found =
        || Problem::new(StatusCode::NOT_FOUND, "This petition has no confirmed signature with this number.");
    let found = match signature_id.parse::<i64>() {
        Ok(n) => state.store.synced_signature(n).await?,
        Err(_) => None,
    };
    let found = found.filter(|s| s.signature.campaign_id == campaign.id).ok_or_else(not_found)?;
    let at = Addresses::new(&state);
    let partners = state.store.campaign_partners(campaign.id).await?;
    hal(&signature(&at, campaign.content.slug.as_str(), &found, pii, true, &partners), true)
}

/// Whether the token reads signers' data here: it has `pii:read` (a 403 if its owner may no longer
/// read it there, rather than an answer silently without it).
async fn pii(state: &AppState, caller: &Caller, campaign: CampaignId) -> Result<bool, Problem> {
    if !caller.token.scopes.contains(Scope::PiiRead) {
        return Ok(false);
    }
    caller.may(state, campaign, Some(Scope::PiiRead)).await?;
    Ok(true)
}

/// The store's filter from the `filter` parameter: the dates as given, an address as its key on
/// this campaign (which only a token with `pii:read` may ask about: else it could test addresses).
fn sync_filter(
    state: &AppState,
    text: Option<&str>,
    campaign: CampaignId,
    pii: bool,
) -> Result<SyncFilter, Problem> {
    let mut filter = SyncFilter::default();
    let Some(text) = text else { return Ok(filter) };
    for condition in filter::parse(text).map_err(|r| Problem::bad_param("filter", r))? {
        match condition {
            Condition::Date(date, compare, at) => filter.dates.push((date, compare, at)),
            Condition::Email(_) if !pii => {
                return Err(Problem::new(
                    StatusCode::FORBIDDEN,
                    "Filtering on email_address needs a token with pii:read.",
                ));
            }
            Condition::Email(_) if filter.email_key.is_some() => {
                return Err(Problem::bad_param("filter", "compares email_address once"));
            }
            Condition::Email(address) => {
                let email = Email::parse("filter", &address).map_err(|_| {
                    Problem::bad_param("filter", format!("'{address}' is not an email address"))
                })?;
                filter.email_key = Some(state.keys.email_key(campaign, &email.canonical()));
            }
        }
    }
    Ok(filter)
}

/// A signature as OSDI has it; its signer's data only with `pii`; `top`: the answer's own resource;
/// where it came from (`referrer_data`) named with the campaign's `partners`.
pub fn signature(
    at: &Addresses,
    slug: &str,
    s: &SyncedSignature,
    pii: bool,
    top: bool,
    partners: &[Partner],
) -> Signature {
    let sig = &s.signature;
    let referrer = sig.via.and_then(|id| partners.iter().find(|p| p.organisation.id == id));
    let referrer = referrer.map(|p| p.organisation.slug.clone());
    let personal = pii && !sig.signer.email.is_anonymised();
    Signature {
        identifiers: at.id("signatures", sig.id),
        origin_system: "Undersigned".into(),
        created_date: instant(sig.created_at),
        modified_date: instant(s.modified_at),
        action_date: instant(sig.confirmed_at.unwrap_or(s.modified_at)),
        comments: sig.signer.comment.clone().filter(|_| personal),
        opt_in: personal.then_some(sig.signer.opt_in),
        sealed: sig.sealed_to_owners.clone().filter(|_| personal),
        referrer_data: (sig.src.is_some() || referrer.is_some())
            .then(|| SignatureReferrer { source: sig.src.clone(), referrer }),
        embedded: personal.then(|| SignatureEmbedded { person: person(at, slug, s, false) }),
        links: SignatureLinks {
            this: Link::to(at.signature(slug, sig.id)),
            curies: if top { at.curies() } else { Vec::new() },
            petition: Link::to(at.petition(slug)),
            person: Link::to(at.person(sig.id)),
        },
    }
}

/// The signer of a signature (one person per signature), as OSDI has a person.
pub fn person(at: &Addresses, slug: &str, s: &SyncedSignature, top: bool) -> Person {
    let (sig, signer) = (&s.signature, &s.signature.signer);
    Person {
        identifiers: at.id("people", sig.id),
        origin_system: "Undersigned".into(),
        created_date: instant(sig.created_at),
        modified_date: instant(s.modified_at),
        given_name: signer.name.clone(),
        email_addresses: vec![EmailAddress {
            primary: true,
            address: signer.email.as_str().to_owned(),
            status: signer.opt_in.then_some(EmailStatus::Subscribed),
        }],
        postal_addresses: vec![PostalAddress {
            primary: true,
            locality: signer.city.clone(),
            country: signer.country.clone(),
        }],
        languages_spoken: vec![signer.lang.to_string()],
        employer: signer.affiliation.clone(),
        links: PersonLinks {
            this: Link::to(at.person(sig.id)),
            curies: if top { at.curies() } else { Vec::new() },
            signatures: Link::to(at.signature(slug, sig.id)),
        },
    }
}
