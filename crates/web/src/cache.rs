//! A short-lived cache of rendered campaign pages. A viral campaign's page is read far more than
//! anything else (the UK petitions site went down in 2019 from readers reloading): it is rendered
//! at most once a second per language and kept, and each request only puts its own CSRF token in.
//! The count it shows is so never more than a second behind.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use undersigned_core::store::{Counts, StoreResult};
use undersigned_core::{Campaign, CampaignId, Slug, Store};

/// Stands for the visitor's CSRF token in a cached page; replaced on the way out.
pub const CSRF_PLACEHOLDER: &str = "__CSRF_TOKEN__";

/// How long a rendered page is served before it is rendered again, by default.
pub const TTL: Duration = Duration::from_secs(1);

/// Beyond this many entries the cache starts afresh (keys come from visitors' language headers).
const MAX_ENTRIES: usize = 1_000;

/// Signatures per country code.
type ByCountry = Vec<(String, i64)>;

/// A rendered page, when it was rendered, and since when a request is rendering it anew. The page
/// is kept cut at its CSRF placeholders, so that serving it is copying, with no search.
struct Entry {
    at: Instant,
    parts: Vec<String>,
    refreshing: Option<Instant>,
}

impl Entry {
    fn new(html: &str) -> Self {
        Self {
            at: Instant::now(),
            parts: html.split(CSRF_PLACEHOLDER).map(str::to_owned).collect(),
            refreshing: None,
        }
    }

    fn with_token(&self, csrf: &str) -> String {
        let length = self.parts.iter().map(String::len).sum::<usize>() + csrf.len() * self.parts.len();
        let mut page = String::with_capacity(length);
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                page.push_str(csrf);
            }
            page.push_str(part);
        }
        page
    }
}

pub struct PageCache {
    pages: Mutex<HashMap<String, Entry>>,
    /// Counts per campaign, for `count.json`, the list and the thank-you page: counting is a scan
    /// of the campaign's signatures, so it is done at most once per `ttl`, not per request.
    counts: Mutex<HashMap<CampaignId, (Instant, Counts, ByCountry)>>,
    /// Public campaigns by slug, for every public request (the sign form's POST among them):
    /// reading one is three queries, and a crowd asks for the same one.
    campaigns: Mutex<HashMap<String, (Instant, Arc<Campaign>)>>,
    ttl: Duration,
}

impl Default for PageCache {
    fn default() -> Self {
        Self::new(TTL)
    }
}

impl PageCache {
    /// A cache keeping pages for `ttl`; zero turns it off.
    pub fn new(ttl: Duration) -> Self {
        Self {
            pages: Mutex::new(HashMap::new()),
            counts: Mutex::new(HashMap::new()),
            campaigns: Mutex::new(HashMap::new()),
            ttl,
        }
    }

    /// Organisers changed something: every page is rendered anew at once (their actions are rare;
    /// what they did shows without waiting).
    pub fn clear(&self) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.clear();
        }
        if let Ok(mut counts) = self.counts.lock() {
            counts.clear();
        }
        if let Ok(mut campaigns) = self.campaigns.lock() {
            campaigns.clear();
        }
    }

    /// The campaign at `slug`, at most `ttl` old.
    pub async fn campaign(&self, store: &dyn Store, slug: &Slug) -> StoreResult<Option<Arc<Campaign>>> {
        if let Ok(campaigns) = self.campaigns.lock()
            && let Some((at, campaign)) = campaigns.get(slug.as_str())
            && at.elapsed() < self.ttl
        {
            return Ok(Some(campaign.clone()));
        }
        let Some(campaign) = store.campaign_by_slug(slug).await? else { return Ok(None) };
        let campaign = Arc::new(campaign);
        if !self.ttl.is_zero()
            && let Ok(mut campaigns) = self.campaigns.lock()
        {
            if campaigns.len() >= MAX_ENTRIES {
                campaigns.clear();
            }
            campaigns.insert(slug.as_str().to_owned(), (Instant::now(), campaign.clone()));
        }
        Ok(Some(campaign))
    }

    /// A campaign's counts, total and by country, at most `ttl` old.
    pub async fn counts(&self, store: &dyn Store, campaign: CampaignId) -> StoreResult<(Counts, ByCountry)> {
        if let Ok(counts) = self.counts.lock()
            && let Some((at, total, by_country)) = counts.get(&campaign)
            && at.elapsed() < self.ttl
        {
            return Ok((*total, by_country.clone()));
        }
        let (total, by_country) =
            tokio::try_join!(store.counts(campaign), store.counts_by_country(campaign))?;
        if !self.ttl.is_zero()
            && let Ok(mut counts) = self.counts.lock()
        {
            if counts.len() >= MAX_ENTRIES {
                counts.clear();
            }
            counts.insert(campaign, (Instant::now(), total, by_country.clone()));
        }
        Ok((total, by_country))
    }

    /// The page for `key`, with `csrf` put in; `None` tells the caller to render it and `put` it.
    /// Once a page is older than the TTL, the first request to ask renders it anew and the others
    /// meanwhile get the page as it was (for the few milliseconds of one rendering), so that a
    /// crowd never renders it all at once; if that rendering does not come back within a TTL,
    /// the next request tries.
    pub fn get(&self, key: &str, csrf: &str) -> Option<String> {
        let mut pages = self.pages.lock().ok()?;
        let entry = pages.get_mut(key)?;
        if entry.at.elapsed() >= self.ttl {
            match entry.refreshing {
                Some(since) if since.elapsed() < self.ttl => {}
                _ => {
                    entry.refreshing = Some(Instant::now());
                    return None;
                }
            }
        }
        Some(entry.with_token(csrf))
    }

    pub fn put(&self, key: String, html: String) {
        if self.ttl.is_zero() {
            return;
        }
        if let Ok(mut pages) = self.pages.lock() {
            if pages.len() >= MAX_ENTRIES {
                pages.clear();
            }
            pages.insert(key, Entry::new(&html));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cached_page_carries_each_visitors_token_and_expires() {
        let cache = PageCache::default();
        cache.put("k".into(), format!("<input value=\"{CSRF_PLACEHOLDER}\">"));
        assert_eq!(cache.get("k", "abc").unwrap(), "<input value=\"abc\">");
        assert_eq!(cache.get("other", "abc"), None);
        cache.pages.lock().unwrap().get_mut("k").unwrap().at -= TTL;
        assert_eq!(cache.get("k", "abc"), None, "the first to ask after the TTL renders it anew");
        assert_eq!(
            cache.get("k", "d").unwrap(),
            "<input value=\"d\">",
            "the others meanwhile get it as it was"
        );
        cache.pages.lock().unwrap().get_mut("k").unwrap().refreshing = Some(Instant::now() - TTL);
        assert_eq!(cache.get("k", "abc"), None, "a rendering that did not come back is tried again");
        cache.put("k".into(), "new".into());
        assert_eq!(cache.get("k", "abc").unwrap(), "new");
        cache.put("slug\nen".into(), "x".into());
        cache.clear();
        assert_eq!(cache.get("slug\nen", "abc"), None);
        let off = PageCache::new(Duration::ZERO);
        off.put("k".into(), "x".into());
        assert_eq!(off.get("k", "abc"), None);
    }
}
