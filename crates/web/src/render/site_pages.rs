//! The site's own pages (privacy notice, terms, imprint, accessibility statement), as every page
//! needs them: which are written in which languages (kept in memory, since every page's footer
//! links to the pages that exist), which text a visitor reads, and the texts the server comes
//! with, from the translation files.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use fluent_bundle::{FluentArgs, FluentValue};
use undersigned_core::lang::best_match;
use undersigned_core::site_page::{SitePageKind, SitePageText};
use undersigned_core::store::StoreResult;
use undersigned_core::{Lang, Store};

use crate::i18n::{FALLBACK, Localizer};

/// Which pages are written in which languages, as last read. A change made through this instance
/// shows at once; one made through another instance (several servers on one PostgreSQL) once the
/// server's next reading comes, every [`Self::FRESH`].
#[derive(Default)]
pub struct SitePages {
    written: RwLock<Arc<[(SitePageKind, Lang)]>>,
    /// Counts the changes made here, so that a reading that began before one does not put back
    /// what it replaced (and a footer lose the link just written for a few seconds).
    changes: AtomicU64,
}

impl SitePages {
    /// How often the server reads the list again.
    pub const FRESH: Duration = Duration::from_secs(5);

    pub fn written(&self) -> Arc<[(SitePageKind, Lang)]> {
        self.written.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Whether visitors can read the page: it has a built-in text, or is written in a language.
    pub fn exists(&self, kind: SitePageKind) -> bool {
        kind.has_default() || self.written().iter().any(|(k, _)| *k == kind)
    }

    /// The pages that exist, by their names in addresses, for the footer.
    pub fn linked(&self) -> Vec<&'static str> {
        SitePageKind::ALL.into_iter().filter(|k| self.exists(*k)).map(SitePageKind::as_str).collect()
    }

    /// Reads the list again from the database.
    pub async fn reload(&self, store: &dyn Store) -> StoreResult<()> {
        let before = self.changes.load(Ordering::SeqCst);
        let pages: Arc<[_]> = store.written_site_pages().await?.into();
        let mut written = self.written.write().unwrap_or_else(|e| e.into_inner());
        if self.changes.load(Ordering::SeqCst) == before {
            *written = pages;
        }
        Ok(())
    }

    /// A page was written (`true`) or deleted (`false`) in a language, here.
    pub fn changed(&self, kind: SitePageKind, lang: &Lang, written_now: bool) {
        let mut written = self.written.write().unwrap_or_else(|e| e.into_inner());
        self.changes.fetch_add(1, Ordering::SeqCst);
        let mut pages: Vec<_> = written.iter().filter(|(k, l)| !(*k == kind && l == lang)).cloned().collect();
        if written_now {
            pages.push((kind, lang.clone()));
            pages.sort();
        }
        *written = pages.into();
    }
}

/// What a visitor reads of a page.
#[derive(Debug, PartialEq, Eq)]
pub enum Chosen {
    /// The page as written in this language.
    Written(Lang),
    /// The built-in text, in the visitor's language.
    BuiltIn,
}

/// Which text of a page a visitor reads: as written in the first of their languages it is written
/// in, else in the site's default language, else the built-in text (a text they can read, which
/// says the same), else as written in any language; `None`: the page does not exist.
pub fn choose(written: &[(SitePageKind, Lang)], kind: SitePageKind, preferences: &[Lang]) -> Option<Chosen> {
    let langs: Vec<Lang> = written.iter().filter(|(k, _)| *k == kind).map(|(_, l)| l.clone()).collect();
    let fallback = Lang::known(FALLBACK);
    if let Some(lang) =
        best_match(preferences, &langs).or_else(|| langs.iter().find(|l| **l == fallback).cloned())
    {
        return Some(Chosen::Written(lang));
    }
    if kind.has_default() {
        return Some(Chosen::BuiltIn);
    }
    langs.into_iter().next().map(Chosen::Written)
}

/// What the built-in texts say of this site's settings, so that they tell the truth of it.
#[derive(Clone, Copy, Debug)]
pub struct Facts {
    /// Days after a campaign ends before its signers' data is cleared.
    pub retention_days: i64,
    /// Days an IP address's hash is kept.
    pub ip_hash_days: i64,
    /// Days an organiser's login lasts.
    pub session_days: i64,
    /// Whether the imprint exists, to link to it.
    pub imprint: bool,
}

impl Facts {
    /// This site's.
    pub fn of(state: &crate::AppState) -> Self {
        Self {
            retention_days: state.config.retention_days,
            ip_hash_days: state.config.ip_hash_days,
            session_days: crate::extract::session::SESSION_DAYS,
            imprint: state.pages.site_pages.exists(SitePageKind::Imprint),
        }
    }
}

/// The built-in text of a page in a language, if the server has one.
pub fn built_in(i18n: &Localizer, lang: &Lang, kind: SitePageKind, facts: Facts) -> Option<SitePageText> {
    if !kind.has_default() {
        return None;
    }
    let mut args = FluentArgs::new();
    args.set("retention", FluentValue::from(facts.retention_days));
    args.set("iphash", FluentValue::from(facts.ip_hash_days));
    args.set("session", FluentValue::from(facts.session_days));
    args.set("imprint", FluentValue::from(if facts.imprint { "yes" } else { "no" }));
    let name = kind.as_str();
    let title = i18n.t(lang, &format!("site-page-{name}"), None);
    let body = i18n.t(lang, &format!("site-page-{name}-default"), Some(&args));
    Some(SitePageText { title, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs(tags: &[&str]) -> Vec<Lang> {
        tags.iter().map(|t| Lang::known(t)).collect()
    }

    #[test]
    fn a_visitor_reads_their_language_then_english_then_the_built_in_text_then_any() {
        use SitePageKind::{Privacy, Terms};
        let written = [(Privacy, Lang::known("zh-Hant")), (Terms, Lang::known("zh-Hant"))];
        let zh = Chosen::Written(Lang::known("zh-Hant"));
        assert_eq!(choose(&written, Terms, &langs(&["zh-Hant"])), Some(zh));
        // A Chinese reader gets the other script before English.
        let zh = Chosen::Written(Lang::known("zh-Hant"));
        assert_eq!(choose(&written, Terms, &langs(&["zh-Hans"])), Some(zh));
        let zh = Chosen::Written(Lang::known("zh-Hant"));
        assert_eq!(choose(&written, Terms, &langs(&["en"])), Some(zh), "the terms have no text of their own");
        assert_eq!(choose(&written, Privacy, &langs(&["en"])), Some(Chosen::BuiltIn));
        assert_eq!(choose(&written, SitePageKind::Imprint, &langs(&["en"])), None);
        let written = [(Privacy, Lang::known("en"))];
        assert_eq!(choose(&written, Privacy, &langs(&["de"])), Some(Chosen::Written(Lang::known("en"))));
    }

    #[test]
    fn a_change_made_here_shows_at_once_and_is_not_undone_by_an_older_reading() {
        let pages = SitePages::default();
        assert_eq!(pages.linked(), ["privacy", "accessibility"]);
        pages.changed(SitePageKind::Imprint, &Lang::known("en"), true);
        assert_eq!(pages.linked(), ["privacy", "imprint", "accessibility"]);
        pages.changed(SitePageKind::Imprint, &Lang::known("en"), false);
        assert_eq!(pages.linked(), ["privacy", "accessibility"]);
    }
}
