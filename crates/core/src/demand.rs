//! A campaign's demands: one ordered list, the same in every language version, each demand
//! written in some of the campaign's languages (a version whose language it lacks shows it "not
//! yet translated", in the default language's words), and marked met when the target concedes it.
//! "Demand 3" is the same demand in every language, so "demand 3 met" means the same thing in all.

use serde::Serialize;
use time::Date;

use crate::Lang;
use crate::validation::{self, ValidationError};

/// At most this many demands in a campaign.
pub const MAX_DEMANDS: usize = 30;

/// One demand of a campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Demand {
    /// Its identity within its campaign, kept when it moves (numbers from 1; a removed demand's
    /// key is not given again while a higher one exists).
    pub key: u32,
    /// Its text in each language it is written in, in the languages' order.
    pub texts: Vec<(Lang, String)>,
    /// When the target conceded it, if it did. Not changed by saving the campaign's text: only
    /// by marking it met or not met ([`crate::store::DemandStore`]).
    pub met: Option<DemandMet>,
}

/// A demand the target conceded: the day, and a note per language (any of them may be missing),
/// in the languages' order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DemandMet {
    pub on: Date,
    pub notes: Vec<(Lang, String)>,
}

impl DemandMet {
    pub const MAX_NOTE: usize = 1_000;

    /// The day and the notes as typed (language, note): a blank note is left out.
    pub fn parse(on: Date, notes: &[(Lang, String)]) -> Result<Self, ValidationError> {
        let mut kept = Vec::new();
        for (lang, note) in notes {
            let note = validation::text("met_note", note, 0, Self::MAX_NOTE, true)?;
            if !note.is_empty() {
                kept.push((lang.clone(), note));
            }
        }
        kept.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Self { on, notes: kept })
    }

    pub fn note(&self, lang: &Lang) -> Option<&str> {
        self.notes.iter().find(|(l, _)| l == lang).map(|(_, n)| n.as_str())
    }
}

impl Demand {
    /// A demand's text as typed in `field`: 1 to 2,000 characters.
    pub fn parse_text(field: &str, text: &str) -> Result<String, ValidationError> {
        validation::text(field, text, 1, 2_000, true)
    }

    pub fn text(&self, lang: &Lang) -> Option<&str> {
        self.texts.iter().find(|(l, _)| l == lang).map(|(_, t)| t.as_str())
    }

    /// Writes (or, with `None`, takes away) its text in `lang`.
    pub fn set_text(&mut self, lang: &Lang, text: Option<String>) {
        self.texts.retain(|(l, _)| l != lang);
        if let Some(text) = text {
            self.texts.push((lang.clone(), text));
            self.texts.sort_by(|a, b| a.0.cmp(&b.0));
        }
    }
}

/// A demand as the readers of one language version read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VersionDemand<'a> {
    /// Its number in the list, from 1: the same in every version.
    pub number: usize,
    pub key: u32,
    /// Its text in the version's language, or, where not yet translated, in the default
    /// language's (else in the first language it is written in).
    pub text: &'a str,
    /// The language `text` is in.
    pub text_lang: &'a Lang,
    pub translated: bool,
    pub met: Option<MetIn<'a>>,
}

/// A met demand as one version reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MetIn<'a> {
    pub on: Date,
    /// The note in the version's language, else in the default language's.
    pub note: Option<&'a str>,
}

/// The demands as the readers of `lang` read them, `default` being the campaign's default
/// language.
pub fn read_in<'a>(demands: &'a [Demand], default: &Lang, lang: &Lang) -> Vec<VersionDemand<'a>> {
    demands
        .iter()
        .enumerate()
        // A demand written in no language is none (`check` refuses it).
        .filter_map(|(i, d)| {
            let in_lang = |l: &Lang| d.texts.iter().find(|(t, _)| t == l);
            let own = in_lang(lang);
            let (text_lang, text) = own.or_else(|| in_lang(default)).or_else(|| d.texts.first())?;
            Some(VersionDemand {
                number: i + 1,
                key: d.key,
                text,
                text_lang,
                translated: own.is_some(),
                met: d
                    .met
                    .as_ref()
                    .map(|m| MetIn { on: m.on, note: m.note(lang).or_else(|| m.note(default)) }),
            })
        })
        .collect()
}

/// The demands made from lists written one per language, matched by position: the first of
/// each list is one demand, and so on; a list shorter than the longest leaves the demands past
/// its end untranslated in its language, and an entry `None` leaves that one untranslated. Keys
/// are the positions, from 1. A position written in no language is left out.
pub fn by_position(lists: &[(Lang, Vec<Option<String>>)]) -> Vec<Demand> {
    let longest = lists.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
    (0..longest)
        .filter_map(|i| {
            let mut texts: Vec<(Lang, String)> = lists
                .iter()
                .filter_map(|(lang, list)| list.get(i).cloned().flatten().map(|t| (lang.clone(), t)))
                .collect();
            texts.sort_by(|a, b| a.0.cmp(&b.0));
            (!texts.is_empty()).then(|| Demand { key: i as u32 + 1, texts, met: None })
        })
        .collect()
}

/// The list [`by_position`] reads for `lang`: an untranslated demand is `None` (trailing ones are
/// left off).
pub fn lists_of(demands: &[Demand], lang: &Lang) -> Vec<Option<String>> {
    let mut list: Vec<Option<String>> = demands.iter().map(|d| d.text(lang).map(str::to_owned)).collect();
    while list.last().is_some_and(Option::is_none) {
        list.pop();
    }
    list
}

/// Gives `next`, a list made by position (from files), the keys of `current`'s demands at the
/// same positions, so that a file imported again keeps each demand's identity (and its mark of
/// being met); demands past the end of `current` get keys after its highest.
pub fn keep_keys_by_position(next: &mut [Demand], current: &[Demand]) {
    let mut fresh = next_key(current);
    for (i, d) in next.iter_mut().enumerate() {
        d.key = match current.get(i) {
            Some(c) => c.key,
            None => {
                fresh += 1;
                fresh - 1
            }
        };
    }
}

/// The key a new demand gets: one above the highest.
pub fn next_key(demands: &[Demand]) -> u32 {
    demands.iter().map(|d| d.key).max().unwrap_or(0) + 1
}

/// The rules of a campaign's list: at most [`MAX_DEMANDS`], distinct keys, each demand written
/// in at least one of the campaign's languages and only in those, each text valid.
pub fn check(demands: &[Demand], langs: &[&Lang]) -> Result<(), ValidationError> {
    if demands.len() > MAX_DEMANDS {
        return Err(ValidationError::new("demands", format!("at most {MAX_DEMANDS} demands")));
    }
    for (i, d) in demands.iter().enumerate() {
        let field = format!("demands[{}]", i + 1);
        if demands[..i].iter().any(|e| e.key == d.key) {
            return Err(ValidationError::new(field, "two demands with one key"));
        }
        if d.texts.is_empty() {
            return Err(ValidationError::new(field, "is written in no language"));
        }
        for (j, (lang, text)) in d.texts.iter().enumerate() {
            if !langs.contains(&lang) {
                return Err(ValidationError::new(
                    field,
                    format!("has a text in {lang}, which has no version"),
                ));
            }
            if d.texts[..j].iter().any(|(l, _)| l == lang) {
                return Err(ValidationError::new(field, format!("has two texts in {lang}")));
            }
            Demand::parse_text(&field, text)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(tag: &str) -> Lang {
        Lang::known(tag)
    }

    #[test]
    fn lists_by_position_make_one_demand_each_and_short_lists_leave_the_rest_untranslated() {
        let demands = by_position(&[
            (lang("en"), vec![Some("Free them".into()), Some("Drop charges".into())]),
            (lang("zh-Hant"), vec![Some("釋放".into())]),
        ]);
        assert_eq!(demands.len(), 2);
        let zh = read_in(&demands, &lang("en"), &lang("zh-Hant"));
        assert_eq!((zh[0].text, zh[0].translated), ("釋放", true));
        assert_eq!((zh[1].text, zh[1].translated, zh[1].number), ("Drop charges", false, 2));
        assert_eq!(lists_of(&demands, &lang("zh-Hant")), [Some("釋放".to_owned())]);
    }

    #[test]
    fn a_file_imported_again_keeps_each_demands_key() {
        let current = vec![
            Demand { key: 4, texts: vec![(lang("en"), "A".into())], met: None },
            Demand { key: 2, texts: vec![(lang("en"), "B".into())], met: None },
        ];
        let mut next =
            by_position(&[(lang("en"), vec![Some("A".into()), Some("B".into()), Some("C".into())])]);
        keep_keys_by_position(&mut next, &current);
        assert_eq!(next.iter().map(|d| d.key).collect::<Vec<_>>(), [4, 2, 5]);
    }

    #[test]
    fn a_demand_needs_a_text_in_a_language_of_the_campaign() {
        let en = lang("en");
        let d = |texts: Vec<(Lang, String)>| vec![Demand { key: 1, texts, met: None }];
        assert!(check(&d(vec![(en.clone(), "A".into())]), &[&en]).is_ok());
        assert_eq!(check(&d(vec![]), &[&en]).unwrap_err().field, "demands[1]");
        assert!(check(&d(vec![(lang("fr"), "A".into())]), &[&en]).is_err());
        assert!(check(&d(vec![(en.clone(), " ".into())]), &[&en]).is_err());
    }

    #[test]
    fn a_met_note_falls_back_to_the_default_language() {
        let en = lang("en");
        let met = DemandMet::parse(
            Date::from_calendar_date(2026, time::Month::March, 3).unwrap(),
            &[(en.clone(), "Conceded".into()), (lang("zh-Hans"), " ".into())],
        )
        .unwrap();
        assert_eq!(met.notes.len(), 1, "a blank note is left out");
        let demands = vec![Demand { key: 1, texts: vec![(en.clone(), "A".into())], met: Some(met) }];
        let read = read_in(&demands, &en, &lang("zh-Hans"));
        assert_eq!(read[0].met.as_ref().unwrap().note, Some("Conceded"));
    }
}
