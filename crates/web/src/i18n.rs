//! The site's own words in every language, from the Fluent files under `locales/`, and the choice
//! of a visitor's language.

use std::borrow::Borrow;
use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use undersigned_core::Lang;
use undersigned_core::lang::best_match;

use crate::embedded;

/// The language the site falls back to for a key missing elsewhere (a test keeps that from happening).
pub const FALLBACK: &str = "en";

pub struct Localizer {
    langs: Vec<Lang>,
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
    /// Every country and region as (code, name), sorted by name, per language.
    countries: HashMap<Lang, Vec<(String, String)>>,
}

impl Localizer {
    /// Loads the embedded translation files; an error names the file and what is wrong in it.
    pub fn embedded() -> Result<Self, String> {
        let mut langs = Vec::new();
        let mut bundles = HashMap::new();
        for (tag, files) in embedded::LOCALES {
            let lang = Lang::parse("locale", tag).map_err(|e| format!("locales/{tag}: {e}"))?;
            let id = tag.parse().map_err(|e| format!("locales/{tag}: {e}"))?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Unicode isolation marks help mixed-direction text but show up as noise in the
            // left-to-right languages we ship; revisit when a right-to-left locale arrives.
            bundle.set_use_isolating(false);
            for (file, text) in *files {
                let resource = FluentResource::try_new((*text).to_owned())
                    .map_err(|(_, errors)| format!("locales/{tag}/{file}: {errors:?}"))?;
                bundle
                    .add_resource(resource)
                    .map_err(|errors| format!("locales/{tag}/{file}: {errors:?}"))?;
            }
            langs.push(lang.clone());
            bundles.insert(lang, bundle);
        }
        // The fallback first, the others in tag order.
        langs.sort_by_key(|l| (l.as_str() != FALLBACK, l.clone()));
        let mut localizer = Self { langs, bundles, countries: HashMap::new() };
        for lang in localizer.langs.clone() {
            let mut names: Vec<(String, String)> = undersigned_core::country::CODES
                .iter()
                .map(|code| ((*code).to_owned(), localizer.t(&lang, &format!("country-{code}"), None)))
                .collect();
            names.sort_by(|a, b| a.1.cmp(&b.1));
            localizer.countries.insert(lang, names);
        }
        Ok(localizer)
    }

    /// Every country and region as (code, name) in `lang`, sorted by name.
    pub fn countries(&self, lang: &Lang) -> &[(String, String)] {
        self.countries
            .get(lang)
            .or_else(|| self.countries.get(&Lang::known(FALLBACK)))
            .map_or(&[], Vec::as_slice)
    }

    pub fn country(&self, lang: &Lang, code: &str) -> String {
        self.t(lang, &format!("country-{code}"), None)
    }

    /// The site's languages, the fallback first.
    pub fn langs(&self) -> &[Lang] {
        &self.langs
    }

    pub fn supports(&self, lang: &Lang) -> bool {
        self.bundles.contains_key(lang)
    }

    /// The message `key` in `lang` (or the fallback language), with `args` filled in. `lang` is a
    /// `Lang` or its tag as `Lang` writes it (a template's `lang`): a page or mail looks up dozens
    /// of lines, and parsing its tag again for each one showed in the mail worker's profile.
    pub fn t<L: Borrow<str> + ?Sized>(&self, lang: &L, key: &str, args: Option<&FluentArgs>) -> String {
        let lang = lang.borrow();
        for bundle in [self.bundles.get(lang), self.bundles.get(FALLBACK)].into_iter().flatten() {
            if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, args, &mut errors);
                if !errors.is_empty() {
                    tracing::warn!(%lang, key, ?errors, "translation error");
                }
                return text.into_owned();
            }
        }
        tracing::warn!(%lang, key, "missing translation");
        key.to_owned()
    }

    pub fn t1(&self, lang: &Lang, key: &str, name: &str, value: impl Into<FluentValue<'static>>) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), value.into());
        self.t(lang, key, Some(&args))
    }

    /// Every message key of a language, for the completeness tests.
    pub fn keys(&self, lang: &Lang) -> Vec<String> {
        let mut keys = Vec::new();
        for (tag, files) in embedded::LOCALES {
            if *tag != lang.as_str() {
                continue;
            }
            for (_, text) in *files {
                if let Ok(resource) = FluentResource::try_new((*text).to_owned()) {
                    for entry in resource.entries() {
                        if let fluent_syntax::ast::Entry::Message(m) = entry {
                            keys.push(m.id.name.to_owned());
                        }
                    }
                }
            }
        }
        keys
    }

    /// The first of the visitor's preferences the site speaks, else the fallback.
    pub fn negotiate(&self, preferences: &[Lang]) -> Lang {
        best_match(preferences, &self.langs).unwrap_or_else(|| Lang::known(FALLBACK))
    }

    /// A language's name in itself ("English", "繁體中文"), or its tag where the site does not know it.
    pub fn native_name(&self, lang: &Lang) -> String {
        if self.supports(lang) { self.t(lang, "language-name", None) } else { lang.to_string() }
    }

    /// A number as the locale writes it: thousands grouped with the locale's separator.
    pub fn number<L: Borrow<str> + ?Sized>(&self, lang: &L, n: i64) -> String {
        let separator = self.t(lang, "number-group-separator", None);
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(&separator);
            }
            out.push(c);
        }
        out
    }

    /// A date written out in the locale ("10 February 2004", "2004年2月10日").
    pub fn date(&self, lang: &Lang, date: time::Date) -> String {
        let mut args = FluentArgs::new();
        args.set("day", date.day());
        args.set("month", self.t(lang, &format!("month-{}", u8::from(date.month())), None));
        args.set("year", date.year().to_string());
        self.t(lang, "date-long", Some(&args))
    }
}

/// The languages of an `Accept-Language` header, most wanted first. Chinese tags are read by
/// script: zh-TW, zh-HK and zh-MO mean Traditional (zh-Hant); zh, zh-CN and zh-SG Simplified (zh-Hans).
pub fn accept_language(header: &str) -> Vec<Lang> {
    let mut weighted: Vec<(f32, usize, Lang)> = header
        .split(',')
        .take(20)
        .enumerate()
        .filter_map(|(i, item)| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            if q <= 0.0 || tag == "*" {
                return None;
            }
            Some((q, i, by_script(Lang::parse("lang", tag).ok()?)))
        })
        .collect();
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut langs: Vec<Lang> = Vec::new();
    for (_, _, lang) in weighted {
        if !langs.contains(&lang) {
            langs.push(lang);
        }
    }
    langs
}

fn by_script(lang: Lang) -> Lang {
    if lang.language() != "zh" {
        return lang;
    }
    let subtags: Vec<&str> = lang.as_str().split('-').skip(1).collect();
    let traditional = subtags.iter().any(|s| matches!(*s, "Hant" | "TW" | "HK" | "MO"));
    let simplified = subtags.contains(&"Hans");
    Lang::known(if traditional && !simplified { "zh-Hant" } else { "zh-Hans" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(langs: &[Lang]) -> Vec<&str> {
        langs.iter().map(|l| l.as_str()).collect()
    }

    #[test]
    fn accept_language_reads_chinese_by_script() {
        assert_eq!(tags(&accept_language("zh-TW,zh;q=0.9,en;q=0.8")), ["zh-Hant", "zh-Hans", "en"]);
        assert_eq!(tags(&accept_language("zh-HK")), ["zh-Hant"]);
        assert_eq!(tags(&accept_language("zh-MO")), ["zh-Hant"]);
        assert_eq!(tags(&accept_language("zh-CN")), ["zh-Hans"]);
        assert_eq!(tags(&accept_language("zh-SG")), ["zh-Hans"]);
        assert_eq!(tags(&accept_language("zh-Hant-HK")), ["zh-Hant"]);
        assert_eq!(tags(&accept_language("en;q=0.5, fr-CA")), ["fr-CA", "en"]);
        assert_eq!(tags(&accept_language("*, en;q=0, de;q=x, ja")), ["ja"]);
    }

    #[test]
    fn numbers_are_grouped() {
        let l = Localizer::embedded().unwrap();
        let en = Lang::known("en");
        assert_eq!(l.number(&en, 0), "0");
        assert_eq!(l.number(&en, 999), "999");
        assert_eq!(l.number(&en, 1000), "1,000");
        assert_eq!(l.number(&en, 1234567), "1,234,567");
    }
}
