//! Templates (minijinja, auto-escaped) with the site's translations available in them as `t()`.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::Html;
use fluent_bundle::{FluentArgs, FluentValue};
use minijinja::value::Kwargs;
use minijinja::{Environment, State, Value, context};
use serde::Serialize;

use crate::embedded::TEMPLATES;
use crate::i18n::{FALLBACK, Localizer};
use crate::render::assets;
use crate::render::site_pages::SitePages;
use crate::{AppError, Visitor};

pub struct Pages {
    env: Environment<'static>,
    pub i18n: Arc<Localizer>,
    /// The site's own pages that exist, which every page's footer links to.
    pub site_pages: SitePages,
}

/// A link to the same page in another language.
#[derive(Serialize)]
pub struct LanguageLink {
    pub lang: String,
    pub name: String,
    pub href: String,
    pub current: bool,
}

/// The visitor's CSRF token as templates print it (`{{ csrf }}`): made only when a template prints
/// it, so that a page without a cookie-bound form (the campaign page) makes no token and its
/// answer sets no cookie.
#[derive(Debug)]
struct CsrfToken(Visitor);

impl minijinja::value::Object for CsrfToken {
    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.csrf())
    }
}

/// `f` with the template's language tag, as `Lang` wrote it into the context (`lang`): looked up,
/// not parsed again for every translated line.
fn with_lang<R>(state: &State, f: impl FnOnce(&str) -> R) -> R {
    let lang = state.lookup("lang");
    f(lang.as_ref().and_then(Value::as_str).unwrap_or(FALLBACK))
}

/// HTML-escapes what templates print, like minijinja's own formatter, but leaves `/` alone: it
/// needs no escaping in HTML text or quoted attributes, and escaped it makes every address
/// unreadable in the page source.
fn escape(out: &mut minijinja::Output, state: &State, value: &Value) -> Result<(), minijinja::Error> {
    match value.as_str() {
        Some(text) if !value.is_safe() && state.auto_escape() != minijinja::AutoEscape::None => {
            let mut last = 0;
            for (i, c) in text.char_indices() {
                let entity = match c {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '"' => "&quot;",
                    '\'' => "&#39;",
                    _ => continue,
                };
                out.write_str(&text[last..i])?;
                out.write_str(entity)?;
                last = i + 1;
            }
            out.write_str(&text[last..])?;
            Ok(())
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

impl Pages {
    pub fn new(i18n: Arc<Localizer>) -> Result<Self, minijinja::Error> {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_formatter(escape);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        let tr = i18n.clone();
        env.add_function(
            "t",
            move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, minijinja::Error> {
                let mut args = FluentArgs::new();
                for name in kwargs.args() {
                    let value: Value = kwargs.get(name)?;
                    let value = match value.as_i64() {
                        Some(n) => FluentValue::from(n),
                        None => FluentValue::from(value.to_string()),
                    };
                    args.set(name.to_owned(), value);
                }
                Ok(with_lang(state, |lang| tr.t(lang, key, Some(&args))))
            },
        );
        let tr = i18n.clone();
        env.add_filter("number", move |state: &State, n: i64| with_lang(state, |lang| tr.number(lang, n)));
        Ok(Self { env, i18n, site_pages: SitePages::default() })
    }

    pub(crate) fn env(&self) -> &Environment<'static> {
        &self.env
    }

    /// Renders a page for a visitor: `page` is the page's own context; the layout's (language,
    /// switcher, stylesheet, the footer's links) is added here.
    pub fn render(&self, template: &str, visitor: &Visitor, page: Value) -> Result<Html<String>, AppError> {
        let languages: Vec<LanguageLink> = self
            .i18n
            .langs()
            .iter()
            .map(|l| LanguageLink {
                lang: l.to_string(),
                name: self.i18n.native_name(l),
                href: format!("{}?lang={l}", visitor.path),
                current: *l == visitor.ui,
            })
            .collect();
        let ctx = context! {
            lang => visitor.ui.as_str(),
            csrf => Value::from_object(CsrfToken(visitor.clone())),
            path => &visitor.path,
            languages => languages,
            stylesheet => assets::stylesheet_url(),
            icon => assets::icon_url(),
            footer_pages => self.site_pages.linked(),
            ..page
        };
        Ok(Html(self.env.get_template(template)?.render(ctx)?))
    }

    /// Renders a template with only the context given (feeds, not pages).
    pub fn render_plain(&self, template: &str, ctx: Value) -> Result<String, AppError> {
        Ok(self.env.get_template(template)?.render(ctx)?)
    }

    /// The error page for a status, in the visitor's language.
    pub fn error(&self, visitor: &Visitor, status: StatusCode) -> Html<String> {
        let key = match status.as_u16() {
            403 | 404 | 405 | 410 | 413 | 429 | 503 => status.as_u16(),
            s if s < 500 => 400,
            _ => 500,
        };
        let page = context! { status => status.as_u16(), kind => key };
        self.render("error.html", visitor, page).unwrap_or_else(|e| {
            tracing::error!(error = %e, "the error page failed to render");
            Html(format!("<!doctype html><title>{status}</title><h1>{status}</h1>"))
        })
    }
}
