//! Language tags of campaign versions and of the site's own words.

use std::fmt;
use std::str::FromStr;

use unic_langid::LanguageIdentifier;

use crate::ValidationError;

/// A BCP 47 language tag in canonical form (`en`, `zh-Hant`, `pt-BR`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(String);

impl Lang {
    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        let value = value.trim();
        let id = LanguageIdentifier::from_str(value)
            .ok()
            .filter(|id| !value.is_empty() && id.language.as_str() != "und");
        match id {
            Some(id) => Ok(Self(id.to_string())),
            None => Err(ValidationError::new(
                field,
                format!("`{value}` is not a language tag such as en or zh-Hant"),
            )),
        }
    }

    /// For tags known to be valid (constants in code).
    pub fn known(tag: &str) -> Self {
        Self::parse("lang", tag).expect("a valid language tag")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag (`zh` for `zh-Hant`).
    pub fn language(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }
}

/// A `HashMap<Lang, _>` is looked up by a tag as it is written (`map.get("zh-Hant")`), without
/// parsing it again: `Lang`'s hash is its text's.
impl std::borrow::Borrow<str> for Lang {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lang({})", self.0)
    }
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// The first preference that one of `available` serves: an exact match first, then a match on the
/// primary language (a `pt-BR` reader gets the `pt` version).
pub fn best_match(preferences: &[Lang], available: &[Lang]) -> Option<Lang> {
    preferences
        .iter()
        .find_map(|p| available.iter().find(|a| *a == p))
        .or_else(|| preferences.iter().find_map(|p| available.iter().find(|a| a.language() == p.language())))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_match_prefers_exact_then_language() {
        let available = [Lang::known("en"), Lang::known("zh-Hant"), Lang::known("pt")];
        let m = |p: &[&str]| best_match(&p.iter().map(|t| Lang::known(t)).collect::<Vec<_>>(), &available);
        assert_eq!(m(&["zh-Hant"]).unwrap().as_str(), "zh-Hant");
        assert_eq!(m(&["de", "en-GB"]).unwrap().as_str(), "en");
        assert_eq!(m(&["pt-BR", "en"]).unwrap().as_str(), "en");
        assert_eq!(m(&["pt-BR"]).unwrap().as_str(), "pt");
        assert_eq!(m(&["de"]), None);
    }

    #[test]
    fn tags_are_canonicalised() {
        assert_eq!(Lang::parse("lang", "zh-hant").unwrap().as_str(), "zh-Hant");
        assert_eq!(Lang::parse("lang", "EN").unwrap().as_str(), "en");
        assert_eq!(Lang::parse("lang", "pt-br").unwrap().as_str(), "pt-BR");
        assert_eq!(Lang::parse("lang", "zh-Hant").unwrap().language(), "zh");
        assert!(Lang::parse("lang", "").is_err());
        assert!(Lang::parse("lang", "not a tag").is_err());
    }
}
