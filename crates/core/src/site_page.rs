//! The pages every site needs beside its campaigns: the privacy notice, the terms, the imprint
//! (who runs the site, how to reach them) and the accessibility statement. Admins write each one
//! per language; a page not written in any language falls back to a text built into the server
//! where there is one (the privacy notice and the accessibility statement), and is absent where
//! only the site's operator can say what it must say (the terms, the imprint).

use time::OffsetDateTime;

use crate::validation::text;
use crate::{Lang, ValidationError};

/// Which of the site's own pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SitePageKind {
    Privacy,
    Terms,
    Imprint,
    Accessibility,
}

impl SitePageKind {
    /// In the order the footer and the admins' list show them.
    pub const ALL: [Self; 4] = [Self::Privacy, Self::Terms, Self::Imprint, Self::Accessibility];

    /// Its name in addresses (`/privacy`) and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Privacy => "privacy",
            Self::Terms => "terms",
            Self::Imprint => "imprint",
            Self::Accessibility => "accessibility",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// Whether the server has a text of its own for it: a privacy notice and an accessibility
    /// statement can be told truly from what the software does; terms and an imprint only by the
    /// people who run the site, so until they write them these pages do not exist.
    pub fn has_default(self) -> bool {
        matches!(self, Self::Privacy | Self::Accessibility)
    }
}

/// The longest title, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest text, in characters (a long privacy notice is some 30,000).
pub const MAX_BODY: usize = 100_000;

/// A page's title and text (Markdown) as an admin wrote them, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SitePageText {
    pub title: String,
    pub body: String,
}

impl SitePageText {
    /// The form's two fields (`page_title`, `page_body`), each error by its field.
    pub fn parse(title: &str, body: &str) -> Result<Self, Vec<ValidationError>> {
        let title = text("page_title", title, 1, MAX_TITLE, false);
        let body = text("page_body", body, 1, MAX_BODY, true);
        match (title, body) {
            (Ok(title), Ok(body)) => Ok(Self { title, body }),
            (title, body) => Err([title.err(), body.err()].into_iter().flatten().collect()),
        }
    }
}

/// A page as stored: one per page and language.
#[derive(Clone, Debug)]
pub struct SitePage {
    pub kind: SitePageKind,
    pub lang: Lang,
    pub text: SitePageText,
    /// Who saved it last (their account's name), while their account exists.
    pub changed_by: Option<String>,
    pub changed_at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_from_their_names() {
        for kind in SitePageKind::ALL {
            assert_eq!(SitePageKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(SitePageKind::parse("cookies"), None);
    }

    #[test]
    fn a_page_needs_a_title_and_a_text_within_their_limits() {
        let errors = SitePageText::parse(" ", "").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["page_title", "page_body"]);
        let long = "x".repeat(MAX_BODY + 1);
        assert_eq!(SitePageText::parse("Terms", &long).unwrap_err()[0].field, "page_body");
        let page = SitePageText::parse(" Terms ", "Be kind.\n\nThank you.").unwrap();
        assert_eq!(page.title, "Terms");
    }
}
