//! The site's own pages (privacy notice, terms, imprint, accessibility statement) as its admins
//! wrote them, one per page and language.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::Lang;
use crate::site_page::{SitePage, SitePageKind, SitePageText};

#[async_trait]
pub trait SitePageStore: Send + Sync {
    /// Which pages are written in which languages: what every page's footer links to, read often,
    /// so without the texts.
    async fn written_site_pages(&self) -> StoreResult<Vec<(SitePageKind, Lang)>>;

    /// Every written page with its text, in the order of [`SitePageKind::ALL`], then language.
    async fn site_pages(&self) -> StoreResult<Vec<SitePage>>;

    async fn site_page(&self, kind: SitePageKind, lang: &Lang) -> StoreResult<Option<SitePage>>;

    /// Writes a page in a language (replacing what was there), saved by the account `by`.
    async fn save_site_page(
        &self,
        kind: SitePageKind,
        lang: &Lang,
        text: &SitePageText,
        by: i64,
        now: OffsetDateTime,
    ) -> StoreResult<()>;

    /// Deletes a page in a language, so that the server's own text (if any) is shown again.
    /// Whether there was one.
    async fn delete_site_page(&self, kind: SitePageKind, lang: &Lang) -> StoreResult<bool>;
}
