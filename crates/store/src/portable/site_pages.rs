//! The site's own pages as its admins wrote them: one row per page and language.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::Lang;
use undersigned_core::site_page::{SitePage, SitePageKind, SitePageText};
use undersigned_core::store::{SitePageStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, get};

const COLUMNS: &str = "p.page, p.lang, p.title, p.body, u.name AS changed_by, p.changed_at";

/// The page and language of a row.
fn which(r: &dialect::Row) -> StoreResult<(SitePageKind, Lang)> {
    let (page, lang): (String, String) = (get(r, "page")?, get(r, "lang")?);
    let kind =
        SitePageKind::parse(&page).ok_or_else(|| StoreError::Corrupt(format!("a site page {page:?}")))?;
    let lang = Lang::parse("lang", &lang)
        .map_err(|_| StoreError::Corrupt(format!("a site page's language {lang:?}")))?;
    Ok((kind, lang))
}

fn page_row(r: &dialect::Row) -> StoreResult<SitePage> {
    let (kind, lang) = which(r)?;
    Ok(SitePage {
        kind,
        lang,
        text: SitePageText { title: get(r, "title")?, body: get(r, "body")? },
        changed_by: get(r, "changed_by")?,
        changed_at: dialect::time_at(r, "changed_at")?,
    })
}

/// Rows in the order of `SitePageKind::ALL`, then language (SQL sorts the names alphabetically).
fn in_order<T>(mut rows: Vec<T>, key: impl Fn(&T) -> (SitePageKind, &Lang)) -> Vec<T> {
    rows.sort_by(|a, b| key(a).cmp(&key(b)));
    rows
}

#[async_trait]
impl SitePageStore for Backend {
    async fn written_site_pages(&self) -> StoreResult<Vec<(SitePageKind, Lang)>> {
        let rows =
            sqlx::query("SELECT page, lang FROM site_pages").fetch_all(self.reader()).await.map_err(db)?;
        let pages = rows.iter().map(which).collect::<StoreResult<Vec<_>>>()?;
        Ok(in_order(pages, |(kind, lang)| (*kind, lang)))
    }

    async fn site_pages(&self) -> StoreResult<Vec<SitePage>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM site_pages p LEFT JOIN users u ON u.id = p.changed_by"
        ))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        let pages = rows.iter().map(page_row).collect::<StoreResult<Vec<_>>>()?;
        Ok(in_order(pages, |p| (p.kind, &p.lang)))
    }

    async fn site_page(&self, kind: SitePageKind, lang: &Lang) -> StoreResult<Option<SitePage>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM site_pages p LEFT JOIN users u ON u.id = p.changed_by
             WHERE p.page = $1 AND p.lang = $2"
        ))
        .bind(kind.as_str())
        .bind(lang.as_str())
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        row.as_ref().map(page_row).transpose()
    }

    async fn save_site_page(
        &self,
        kind: SitePageKind,
        lang: &Lang,
        text: &SitePageText,
        by: i64,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO site_pages (page, lang, title, body, changed_by, changed_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (page, lang) DO UPDATE SET title = excluded.title, body = excluded.body,
                 changed_by = excluded.changed_by, changed_at = excluded.changed_at",
        )
        .bind(kind.as_str())
        .bind(lang.as_str())
        .bind(&text.title)
        .bind(&text.body)
        .bind(by)
        .bind(dialect::at(now))
        .execute(self.writer())
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn delete_site_page(&self, kind: SitePageKind, lang: &Lang) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM site_pages WHERE page = $1 AND lang = $2")
            .bind(kind.as_str())
            .bind(lang.as_str())
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(done.rows_affected() > 0)
    }
}
