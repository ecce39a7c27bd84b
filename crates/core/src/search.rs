//! Finding a campaign among many by words, in every language the site has: the public's search
//! on the home page and in the archive.
//!
//! A site holds tens to thousands of campaigns, each read already for its listing, so the search
//! runs over their texts in memory, the same on both databases, rather than through each
//! database's own full-text index (PostgreSQL's splits Chinese into no words at all; SQLite's FTS5
//! needs a tokenizer for it). Every word asked for must appear in the campaign's text, as a
//! substring of its normalised form (NFKC, lower case): that finds a Chinese word of two
//! characters inside a sentence that has no spaces, and an English word inside a longer one
//! ("release" in "released"). Titles weigh more than summaries, and those more than the rest.

use unicode_normalization::UnicodeNormalization;

use crate::campaign::CampaignContent;

/// The most words a search takes, and the longest word: a longer query is cut, not refused.
pub const MAX_TERMS: usize = 8;
pub const MAX_TERM_CHARS: usize = 50;
/// The longest query kept, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Text as searched: NFKC (full-width letters and digits become ASCII ones) and lower case.
pub fn normalise(text: &str) -> String {
    text.nfkc().flat_map(char::to_lowercase).collect()
}

/// The words of a query: split at spaces and punctuation, normalised, each once.
pub fn terms(query: &str) -> Vec<String> {
    let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let mut out: Vec<String> = Vec::new();
    for word in normalise(&query)
        .split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '-') || is_cjk_punctuation(c))
    {
        let word: String = word.chars().take(MAX_TERM_CHARS).collect();
        if !word.is_empty() && !out.contains(&word) {
            out.push(word);
        }
        if out.len() == MAX_TERMS {
            break;
        }
    }
    out
}

fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}')
}

/// A campaign's texts as the search reads them, normalised once: what each weighs.
pub struct Searchable {
    titles: String,
    summaries: String,
    rest: String,
}

impl Searchable {
    pub fn of(campaign: &CampaignContent) -> Self {
        let mut titles = String::new();
        let mut summaries = String::new();
        let mut rest = String::new();
        let add = |into: &mut String, text: &str| {
            into.push_str(&normalise(text));
            into.push('\n');
        };
        for v in &campaign.versions {
            add(&mut titles, &v.title);
            add(&mut summaries, &v.summary);
            add(&mut rest, &v.target);
            add(&mut rest, &v.body);
        }
        for d in &campaign.demands {
            for (_, text) in &d.texts {
                add(&mut rest, text);
            }
        }
        Self { titles, summaries, rest }
    }

    /// How well the campaign answers the words: `None` unless every word is in it.
    pub fn score(&self, terms: &[String]) -> Option<u32> {
        let mut score = 0;
        for term in terms {
            score += if self.titles.contains(term.as_str()) {
                4
            } else if self.summaries.contains(term.as_str()) {
                2
            } else if self.rest.contains(term.as_str()) {
                1
            } else {
                return None;
            };
        }
        Some(score)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CampaignStatus, CampaignVersion, Contact, Lang, Slug};

    fn campaign(versions: &[(&str, &str, &str, &str)]) -> CampaignContent {
        CampaignContent {
            slug: Slug::parse("slug", "x").unwrap(),
            status: CampaignStatus::Open,
            opens_at: None,
            closes_at: None,
            dated: None,
            contact: Contact { name: "x".into(), email: None },
            signature_goal: None,
            default_lang: Lang::known(versions[0].0),
            versions: versions
                .iter()
                .map(|(lang, title, summary, body)| {
                    CampaignVersion::parse(Lang::known(lang), title, summary, "", body).unwrap()
                })
                .collect(),
            demands: crate::demand::by_position(&[(Lang::known(versions[0].0), vec![Some("d".into())])]),
            embed_sites: Default::default(),
        }
    }

    #[test]
    fn a_chinese_word_of_two_characters_is_found_inside_a_sentence() {
        let c =
            Searchable::of(&campaign(&[("zh-Hant", "釋放李旺陽", "", "我們要求立即釋放被囚禁的工人代表。")]));
        assert_eq!(c.score(&terms("旺陽")), Some(4));
        assert_eq!(c.score(&terms("工人")), Some(1));
        assert_eq!(c.score(&terms("工人 釋放")), Some(5), "every word, the title's weighing more");
        assert_eq!(c.score(&terms("工會")), None);
    }

    #[test]
    fn words_are_found_in_any_version_whatever_their_case_and_width() {
        let c = Searchable::of(&campaign(&[
            ("en", "Release Cai Guangye", "A labour activist", ""),
            ("zh-Hant", "釋放蔡光業", "", ""),
        ]));
        assert_eq!(c.score(&terms("RELEASE")), Some(4));
        assert_eq!(c.score(&terms("ｃａｉ")), Some(4), "full-width letters are letters");
        assert_eq!(c.score(&terms("labour, 蔡光業")), Some(6));
        assert_eq!(c.score(&terms("labour strike")), None, "every word must be there");
    }

    #[test]
    fn a_query_is_cut_not_refused() {
        assert!(terms(&"word ".repeat(100)).len() <= MAX_TERMS);
        assert_eq!(terms("a a a"), ["a"]);
        assert!(terms("  ，。 ").is_empty());
    }
}
