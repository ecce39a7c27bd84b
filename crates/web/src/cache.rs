//! A short-lived cache of rendered campaign pages. A viral campaign's page is read far more than
//! anything else (the UK petitions site went down in 2019 from readers reloading): it is rendered
//! at most once a second per language and kept, and every reader in that language gets the same
//! bytes (the page carries nothing per visitor: its form's token is the form's, not the
//! browser's). The count it shows is so never more than a second behind. The embeddable page,
//! the read API's answers and the badge are kept here too, for the crowds that read them.
//!
//! Each cache counts its hits and misses for `/metrics` ([`CACHE_REQUESTS`], by the cache's
//! name), with handles registered once: a hit costs an atomic add.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use undersigned_core::question::Question;
use undersigned_core::store::{Counts, StoreResult};
use undersigned_core::{Campaign, CampaignId, Slug, Store};

/// The metric of the caches' hits and misses, labelled `cache` (its name) and `result`.
pub const CACHE_REQUESTS: &str = "undersigned_cache_requests_total";

/// One cache's hits and misses.
struct Counted {
    hits: metrics::Counter,
    misses: metrics::Counter,
}

impl Counted {
    fn new(cache: &'static str) -> Self {
        Self {
            hits: metrics::counter!(CACHE_REQUESTS, "cache" => cache, "result" => "hit"),
            misses: metrics::counter!(CACHE_REQUESTS, "cache" => cache, "result" => "miss"),
        }
    }

    fn count(&self, hit: bool) {
        if hit { &self.hits } else { &self.misses }.increment(1);
    }
}

/// How long a rendered page is served before it is rendered again, by default.
pub const TTL: Duration = Duration::from_secs(1);

/// At most this many entries are kept; beyond it the stalest ones make room (keys are campaigns
/// and the languages chosen for them, so a real site never comes near it).
const MAX_ENTRIES: usize = 1_000;

/// Makes room for one more entry in `map`: drops what has expired, else the oldest entry.
fn make_room<K: Eq + std::hash::Hash + Clone, V>(
    map: &mut HashMap<K, V>,
    ttl: Duration,
    at: impl Fn(&V) -> Instant,
) {
    if map.len() < MAX_ENTRIES {
        return;
    }
    map.retain(|_, v| at(v).elapsed() < ttl);
    if map.len() >= MAX_ENTRIES
        && let Some(oldest) = map.iter().min_by_key(|(_, v)| at(v)).map(|(k, _)| k.clone())
    {
        map.remove(&oldest);
    }
}

/// Signatures per country code.
type ByCountry = Vec<(String, i64)>;

/// A rendered page, when it was rendered, and since when a request is rendering it anew. Serving
/// it is counting one more reference to its bytes: no copy.
struct Entry {
    at: Instant,
    body: Bytes,
    refreshing: Option<Instant>,
}

pub struct PageCache {
    pages: Mutex<HashMap<String, Entry>>,
    counted: Counted,
    /// Counts per campaign, for `count.json`, the list and the thank-you page: the folded sums plus
    /// the journal not yet folded (migration 0011), read at most once per `ttl`, not per request.
    counts: Kept<CampaignId, (Counts, ByCountry)>,
    /// Public campaigns by slug, for every public request (the sign form's POST among them):
    /// reading one is three queries, and a crowd asks for the same one.
    campaigns: Kept<String, Arc<Campaign>>,
    /// The same by id, for the emailed links (a confirmation reads its campaign by id).
    campaigns_by_id: Kept<CampaignId, Arc<Campaign>>,
    /// Signatures per language version signed, for the read API (from the same aggregation as
    /// the counts, and kept as long).
    by_lang: Kept<CampaignId, ByLang>,
    /// A campaign's own questions, for its sign form and each signature sent with it.
    questions: Kept<CampaignId, Arc<Vec<Question>>>,
    ttl: Duration,
}

/// Signatures per language version, most first.
type ByLang = Vec<(String, i64)>;

/// The key prefix of pages about the whole site (the list of campaigns), which a change to any
/// campaign makes stale: no slug starts with `*`.
const SITE: &str = "*\n";

/// Values kept for a while and loaded again once older: campaigns and counts here, campaigns in
/// the mail worker. A TTL of zero keeps nothing.
pub struct Kept<K, V> {
    values: Mutex<HashMap<K, (Instant, V)>>,
    ttl: Duration,
    counted: Counted,
}

impl<K: Eq + std::hash::Hash + Clone, V: Clone> Kept<K, V> {
    /// `name` is the cache's label in `/metrics`.
    pub fn new(name: &'static str, ttl: Duration) -> Self {
        Self { values: Mutex::new(HashMap::new()), ttl, counted: Counted::new(name) }
    }

    /// The value for `key` if it is younger than the TTL.
    pub fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let values = self.values.lock().ok()?;
        let (at, value) = values.get(key)?;
        (at.elapsed() < self.ttl).then(|| value.clone())
    }

    /// The value for `key` if it is younger than the TTL, else what `load` gives (kept for next
    /// time); `None` when there is none.
    pub async fn get_or_load<E, F>(&self, key: K, load: F) -> Result<Option<V>, E>
    where
        F: Future<Output = Result<Option<V>, E>>,
    {
        if let Some(value) = self.get(&key) {
            self.counted.count(true);
            return Ok(Some(value));
        }
        self.counted.count(false);
        let Some(value) = load.await? else { return Ok(None) };
        if !self.ttl.is_zero()
            && let Ok(mut values) = self.values.lock()
        {
            make_room(&mut values, self.ttl, |(at, _)| *at);
            values.insert(key, (Instant::now(), value.clone()));
        }
        Ok(Some(value))
    }

    pub fn clear(&self) {
        if let Ok(mut values) = self.values.lock() {
            values.clear();
        }
    }

    pub fn forget(&self, key: &K) -> Option<V> {
        self.values.lock().ok()?.remove(key).map(|(_, v)| v)
    }
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
            counted: Counted::new("page"),
            counts: Kept::new("counts", ttl),
            campaigns: Kept::new("campaign", ttl),
            campaigns_by_id: Kept::new("campaign", ttl),
            by_lang: Kept::new("languages", ttl),
            questions: Kept::new("questions", ttl),
            ttl,
        }
    }

    /// Organisers changed something: every page is rendered anew at once (their actions are rare;
    /// what they did shows without waiting).
    pub fn clear(&self) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.clear();
        }
        self.counts.clear();
        self.campaigns.clear();
        self.campaigns_by_id.clear();
        self.by_lang.clear();
        self.questions.clear();
    }

    /// An organiser changed the campaign at `slug`: its pages, count and campaign, and the pages
    /// listing every campaign, are read anew at the next request, so that the change shows at once.
    pub fn forget(&self, slug: &str) {
        let prefix = format!("{slug}\n");
        if let Ok(mut pages) = self.pages.lock() {
            pages.retain(|key, _| !key.starts_with(&prefix) && !key.starts_with(SITE));
        }
        match self.campaigns.forget(&slug.to_owned()) {
            Some(campaign) => {
                self.counts.forget(&campaign.id);
                self.campaigns_by_id.forget(&campaign.id);
                self.by_lang.forget(&campaign.id);
                self.questions.forget(&campaign.id);
            }
            None => {
                self.counts.clear();
                self.campaigns_by_id.clear();
                self.by_lang.clear();
                self.questions.clear();
            }
        }
    }

    /// The cache key of a page about the campaign at `slug` (what [`Self::forget`] forgets).
    pub fn key(slug: &str, page: &str) -> String {
        Self::key_of(slug, &[page])
    }

    /// The cache key of a page about the campaign at `slug` that depends on each of `parts` (its
    /// kind, the languages it is in), built in one allocation.
    pub fn key_of(slug: &str, parts: &[&str]) -> String {
        let mut key = String::with_capacity(slug.len() + parts.iter().map(|p| p.len() + 1).sum::<usize>());
        key.push_str(slug);
        for part in parts {
            key.push('\n');
            key.push_str(part);
        }
        key
    }

    /// The cache key of a page about every campaign (forgotten when any of them changes).
    pub fn site_key(page: &str) -> String {
        format!("{SITE}{page}")
    }

    /// The campaign at `slug` if it was read less than `ttl` ago: no allocation, no query. (A
    /// miss here is counted by [`Self::campaign`], which the caller asks next.)
    pub fn kept_campaign(&self, slug: &str) -> Option<Arc<Campaign>> {
        let kept = self.campaigns.get(slug);
        if kept.is_some() {
            self.campaigns.counted.count(true);
        }
        kept
    }

    /// The campaign at `slug`, at most `ttl` old.
    pub async fn campaign(&self, store: &dyn Store, slug: &Slug) -> StoreResult<Option<Arc<Campaign>>> {
        let load = async { Ok(store.campaign_by_slug(slug).await?.map(Arc::new)) };
        self.campaigns.get_or_load(slug.as_str().to_owned(), load).await
    }

    /// The campaign with `id`, at most `ttl` old.
    pub async fn campaign_by_id(
        &self,
        store: &dyn Store,
        id: CampaignId,
    ) -> StoreResult<Option<Arc<Campaign>>> {
        let load = async { Ok(store.campaign_by_id(id).await?.map(Arc::new)) };
        self.campaigns_by_id.get_or_load(id, load).await
    }

    /// A campaign's counts, total and by country, at most `ttl` old.
    pub async fn counts(&self, store: &dyn Store, campaign: CampaignId) -> StoreResult<(Counts, ByCountry)> {
        let load =
            async { Ok(Some(tokio::try_join!(store.counts(campaign), store.counts_by_country(campaign))?)) };
        let counts = self.counts.get_or_load(campaign, load).await?;
        Ok(counts.unwrap_or_default())
    }

    /// A campaign's signatures per language version signed, most first, at most `ttl` old.
    pub async fn by_lang(&self, store: &dyn Store, campaign: CampaignId) -> StoreResult<ByLang> {
        let load = async { Ok(Some(store.counts_by_language(campaign).await?)) };
        Ok(self.by_lang.get_or_load(campaign, load).await?.unwrap_or_default())
    }

    /// A campaign's own questions (retired ones too), at most `ttl` old.
    pub async fn questions(
        &self,
        store: &dyn Store,
        campaign: CampaignId,
    ) -> StoreResult<Arc<Vec<Question>>> {
        let load = async { Ok(Some(Arc::new(store.questions(campaign).await?))) };
        Ok(self.questions.get_or_load(campaign, load).await?.unwrap_or_default())
    }

    /// The page for `key`; `None` tells the caller to render it and `put` it. Once a page is older
    /// than the TTL, the first request to ask renders it anew and the others meanwhile get the
    /// page as it was (for the few milliseconds of one rendering), so that a crowd never renders
    /// it all at once; if that rendering does not come back within a TTL, the next request tries.
    pub fn get(&self, key: &str) -> Option<Bytes> {
        let page = self.page(key);
        self.counted.count(page.is_some());
        page
    }

    fn page(&self, key: &str) -> Option<Bytes> {
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
        Some(entry.body.clone())
    }

    /// Keeps `body` for `key`; [`Self::get`] gives it back as it is.
    pub fn put(&self, key: String, body: impl Into<Bytes>) {
        let entry = Entry { at: Instant::now(), body: body.into(), refreshing: None };
        if self.ttl.is_zero() {
            return;
        }
        if let Ok(mut pages) = self.pages.lock() {
            make_room(&mut pages, self.ttl, |entry| entry.at);
            pages.insert(key, entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(body: Option<Bytes>) -> Option<String> {
        body.map(|b| String::from_utf8(b.to_vec()).unwrap())
    }

    #[test]
    fn a_cached_page_is_the_same_bytes_for_everyone_and_expires() {
        let cache = PageCache::default();
        cache.put("k".into(), "<p>page</p>");
        let (one, two) = (cache.get("k").unwrap(), cache.get("k").unwrap());
        assert_eq!(one.as_ptr(), two.as_ptr(), "the same bytes, not a copy");
        assert_eq!(cache.get("other"), None);
        cache.pages.lock().unwrap().get_mut("k").unwrap().at -= TTL;
        assert_eq!(cache.get("k"), None, "the first to ask after the TTL renders it anew");
        assert_eq!(
            text(cache.get("k")).as_deref(),
            Some("<p>page</p>"),
            "the others meanwhile get it as it was"
        );
        cache.pages.lock().unwrap().get_mut("k").unwrap().refreshing = Some(Instant::now() - TTL);
        assert_eq!(cache.get("k"), None, "a rendering that did not come back is tried again");
        cache.put("k".into(), "new");
        assert_eq!(text(cache.get("k")).as_deref(), Some("new"));
        cache.put("slug\nen".into(), "x");
        cache.clear();
        assert_eq!(cache.get("slug\nen"), None);
    }

    #[test]
    fn a_full_cache_makes_room_for_one_more_without_forgetting_the_rest() {
        let cache = PageCache::new(Duration::from_secs(60));
        for i in 0..MAX_ENTRIES + 10 {
            cache.put(format!("page {i}"), "x");
        }
        assert_eq!(cache.pages.lock().unwrap().len(), MAX_ENTRIES);
        assert_eq!(cache.get("page 0"), None, "the oldest made room");
        assert_eq!(text(cache.get(&format!("page {}", MAX_ENTRIES + 9))).as_deref(), Some("x"));
        assert_eq!(text(cache.get("page 20")).as_deref(), Some("x"), "the others stay");
    }

    #[test]
    fn forgetting_a_campaign_drops_its_pages_only() {
        let cache = PageCache::new(Duration::from_secs(60));
        cache.put(PageCache::key("a", "en"), "a");
        cache.put(PageCache::key_of("a", &["embed", "en", "en"]), "a");
        cache.put(PageCache::key("a", "count.json"), "1");
        cache.put(PageCache::key("ab", "en"), "ab");
        cache.put(PageCache::site_key("campaigns"), "all");
        cache.forget("a");
        assert_eq!(cache.get(&PageCache::key("a", "en")), None);
        assert_eq!(cache.get(&PageCache::key_of("a", &["embed", "en", "en"])), None);
        assert_eq!(cache.get(&PageCache::site_key("campaigns")), None, "the list named it");
        assert_eq!(cache.get(&PageCache::key("a", "count.json")), None);
        assert_eq!(text(cache.get(&PageCache::key("ab", "en"))).as_deref(), Some("ab"));
        assert_eq!(PageCache::key_of("a", &["embed", "en"]), "a\nembed\nen");
    }

    #[test]
    fn a_cache_that_is_off_keeps_nothing() {
        let off = PageCache::new(Duration::ZERO);
        off.put("k".into(), "x");
        assert_eq!(off.get("k"), None);
    }
}
