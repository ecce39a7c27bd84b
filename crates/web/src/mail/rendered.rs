//! A mail's three parts, rendered from its templates in the reader's language.

use minijinja::{Value, context};
use undersigned_core::Lang;

use crate::i18n::FALLBACK;
use crate::render::pages::Pages;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Pages {
    /// Renders mail `kind` (`confirm-signature`, `already-signed`, `confirm-endorsement`...) in
    /// `lang` with the mail's own context (names, links), from `templates/mail/<kind>/`.
    pub fn mail(&self, kind: &str, lang: &Lang, mail: Value) -> Result<RenderedMail, minijinja::Error> {
        let lang = if self.i18n.supports(lang) { lang.clone() } else { Lang::known(FALLBACK) };
        let ctx = context! { lang => lang.as_str(), site => self.i18n.t(&lang, "site-name", None), ..mail };
        let subject = self.env().get_template(&format!("mail/{kind}/subject.txt"))?.render(&ctx)?;
        Ok(RenderedMail {
            // One line, whatever the template's whitespace: it goes into a header.
            subject: subject.split_whitespace().collect::<Vec<_>>().join(" "),
            text: self.env().get_template(&format!("mail/{kind}/body.txt"))?.render(&ctx)?,
            html: self.env().get_template(&format!("mail/{kind}/body.html"))?.render(&ctx)?,
        })
    }
}
