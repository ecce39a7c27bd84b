//! `GET /`: the open campaigns, most signed in the last day first (or newest, or closing soonest),
//! with a search by words in every language; `GET /archive`: the campaigns that closed or were
//! won. Both are pages of [`PER_PAGE`], the same for everyone in one language, and work without
//! script (the search and the sorting are links and a GET form).

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use time::Duration;
use undersigned_core::proposal::WhoStarts;
use undersigned_core::search::{Searchable, terms};
use undersigned_core::store::now;
use undersigned_core::{Campaign, CampaignStatus};

use crate::cache::PageCache;
use crate::{AppError, AppState, Visitor};

/// Campaigns a page lists.
pub const PER_PAGE: usize = 20;

/// What a listing asks for: words, an order, a page.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    sort: String,
    page: String,
}

/// The orders of the open campaigns.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sort {
    /// Most signatures confirmed in the last day (the UK site's "trending").
    Active,
    Newest,
    /// Closing soonest; those without an end date last.
    Closing,
}

impl Sort {
    const ALL: [Self; 3] = [Self::Active, Self::Newest, Self::Closing];

    fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Newest => "newest",
            Self::Closing => "closing",
        }
    }

    fn parse(value: &str) -> Self {
        Self::ALL.into_iter().find(|s| s.as_str() == value).unwrap_or(Self::Active)
    }
}

/// Which campaigns a listing holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Listing {
    Open,
    Archive,
}

#[derive(Serialize)]
struct CampaignItem {
    href: String,
    lang: String,
    title: String,
    summary: String,
    status: &'static str,
    count: i64,
    count_text: String,
    closes: Option<String>,
    closes_iso: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    list(&state, &visitor, &query, Listing::Open).await
}

pub async fn archive(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    list(&state, &visitor, &query, Listing::Archive).await
}

async fn list(
    state: &AppState,
    visitor: &Visitor,
    query: &ListQuery,
    listing: Listing,
) -> Result<Response, AppError> {
    let sort = Sort::parse(&query.sort);
    let page = query.page.trim().parse::<usize>().unwrap_or(1).clamp(1, 10_000);
    let words = terms(&query.q);
    // Without words, the page is the same for everyone in one language: kept a second.
    let key = words.is_empty().then(|| {
        let which = if listing == Listing::Open { "home" } else { "archive" };
        PageCache::site_key(&format!("{which}\n{}\n{}\n{page}", visitor.ui, sort.as_str()))
    });
    if let Some(body) = key.as_deref().and_then(|k| state.page_cache.get(k)) {
        return Ok(Html(body).into_response());
    }
    let now = now();
    let mut found: Vec<(Campaign, u32)> = state
        .store
        .replica_public_campaigns()
        .await?
        .into_iter()
        .filter(|c| match (listing, c.content.status_at(now)) {
            (Listing::Open, status) => status == CampaignStatus::Open,
            (Listing::Archive, status) => matches!(status, CampaignStatus::Closed | CampaignStatus::Won),
        })
        .filter_map(|c| {
            let score = if words.is_empty() { Some(0) } else { Searchable::of(&c.content).score(&words) };
            score.map(|s| (c, s))
        })
        .collect();
    // The order asked for, the best matches of a search first.
    let mut active = std::collections::HashMap::new();
    if listing == Listing::Open && sort == Sort::Active {
        for (c, _) in &found {
            active.insert(c.id, state.store.confirmed_since(c.id, now - Duration::days(1)).await?);
        }
    }
    match (listing, sort) {
        (Listing::Archive, _) => found.sort_by_key(|(c, _)| std::cmp::Reverse(c.content.closes_at)),
        (Listing::Open, Sort::Active) => {
            found.sort_by_key(|(c, _)| std::cmp::Reverse(active.get(&c.id).copied()))
        }
        // `public_campaigns` lists the newest first.
        (Listing::Open, Sort::Newest) => {}
        (Listing::Open, Sort::Closing) => {
            found.sort_by_key(|(c, _)| (c.content.closes_at.is_none(), c.content.closes_at))
        }
    }
    found.sort_by_key(|(_, score)| std::cmp::Reverse(*score));
    let pages = found.len().div_ceil(PER_PAGE).max(1);
    let i18n = &state.pages.i18n;
    let mut items = Vec::new();
    for (c, _) in found.iter().skip((page - 1) * PER_PAGE).take(PER_PAGE) {
        let version = c.content.version_for(&visitor.preferences);
        let (counts, _) = state.page_cache.counts(&*state.store, c.id).await?;
        let count = counts.individuals();
        items.push(CampaignItem {
            href: format!("/c/{}", c.content.slug),
            lang: version.lang.to_string(),
            title: version.title.clone(),
            summary: version.summary.clone(),
            status: c.content.status_at(now).as_str(),
            count,
            count_text: i18n.number(&visitor.ui, count),
            closes: c
                .content
                .closes_at
                .filter(|_| listing == Listing::Open)
                .map(|t| i18n.date(&visitor.ui, t.date())),
            closes_iso: c.content.closes_at.map(|t| t.date().to_string()),
        });
    }
    let base = if listing == Listing::Open { "/" } else { "/archive" };
    let q = query.q.chars().take(undersigned_core::search::MAX_QUERY_CHARS).collect::<String>();
    let link = |sort: Sort, page: usize| {
        let mut params = Vec::new();
        if !q.trim().is_empty() {
            params.push(format!("q={}", crate::render::share::encode(q.trim())));
        }
        if sort != Sort::Active {
            params.push(format!("sort={}", sort.as_str()));
        }
        if page > 1 {
            params.push(format!("page={page}"));
        }
        if params.is_empty() { base.to_owned() } else { format!("{base}?{}", params.join("&")) }
    };
    let sorts: Vec<Value> = Sort::ALL
        .into_iter()
        .map(|s| context! { key => s.as_str(), href => link(s, 1), current => s == sort })
        .collect();
    let page_ctx = context! {
        title => match listing {
            Listing::Open => i18n.t(&visitor.ui, "home-heading", None),
            Listing::Archive => i18n.t(&visitor.ui, "archive-heading", None),
        },
        archive => listing == Listing::Archive,
        campaigns => items,
        q => q,
        searched => !words.is_empty(),
        sorts => (listing == Listing::Open).then_some(sorts),
        previous => (page > 1).then(|| link(sort, page - 1)),
        next => (page < pages).then(|| link(sort, page + 1)),
        page => page,
        pages => pages,
        // Where the site lets anyone propose a campaign, the home page says how.
        proposals => state.store.site_settings().await?.who_starts == WhoStarts::Anyone,
    };
    let Html(html) = state.pages.render("home.html", visitor, page_ctx)?;
    if let Some(key) = key {
        state.page_cache.put(key, html.clone());
    }
    Ok(Html(html).into_response())
}
