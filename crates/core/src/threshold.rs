//! Thresholds: counts a site or a campaign names for what happens when they are reached ("10,000:
//! the target is asked for a response", as on the UK Parliament's petitions site). The campaign
//! page shows the next one with its progress; reaching one is recorded once with its time, shown,
//! sent to webhooks and mailed to the campaign's team.
//!
//! A threshold is a count with a label per language. The site's apply to every campaign; a
//! campaign's own add to them, and its label for a count replaces the site's.

use time::OffsetDateTime;

use crate::Lang;
use crate::campaign::CampaignId;
use crate::validation::{self, ValidationError};

/// One threshold's label in one language, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThresholdLabel {
    pub count: i64,
    pub lang: Lang,
    pub label: String,
}

/// A threshold: its count and its labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Threshold {
    pub count: i64,
    pub labels: Vec<(Lang, String)>,
}

impl Threshold {
    /// The label in the first of `preferences` it has, else in any language.
    pub fn label_for(&self, preferences: &[Lang]) -> Option<&str> {
        preferences
            .iter()
            .find_map(|p| self.labels.iter().find(|(l, _)| l == p))
            .or_else(|| self.labels.first())
            .map(|(_, label)| label.as_str())
    }
}

/// A threshold reached: when, by which campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crossing {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub count: i64,
    pub crossed_at: OffsetDateTime,
}

/// The most thresholds one scope may have in one language, and the longest label.
pub const MAX: usize = 20;
pub const LABEL_MAX: usize = 300;

/// The thresholds of a campaign: the site's and its own, its own label first for a count they
/// share, ordered by count.
pub fn merge(site: &[ThresholdLabel], campaign: &[ThresholdLabel]) -> Vec<Threshold> {
    let mut merged: Vec<Threshold> = Vec::new();
    for t in campaign.iter().chain(site) {
        match merged.iter_mut().find(|m| m.count == t.count) {
            Some(m) if m.labels.iter().any(|(l, _)| *l == t.lang) => {}
            Some(m) => m.labels.push((t.lang.clone(), t.label.clone())),
            None => {
                merged.push(Threshold { count: t.count, labels: vec![(t.lang.clone(), t.label.clone())] })
            }
        }
    }
    merged.sort_by_key(|t| t.count);
    merged
}

/// The thresholds as a form writes them in one language: one a line, the count, a colon, what
/// it means ("10,000: the target is asked for a response"). Group separators in the count (`,`,
/// `.`, spaces) are allowed; a full-width colon too.
pub fn parse_lines(field: &str, lang: &Lang, text: &str) -> Result<Vec<ThresholdLabel>, ValidationError> {
    let mut out: Vec<ThresholdLabel> = Vec::new();
    for (i, line) in text.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let bad = |why: &str| ValidationError::new(field, format!("line {}: {why}", i + 1));
        let (count, label) = line
            .split_once([':', '：'])
            .ok_or_else(|| bad("write the count, a colon, then what it means"))?;
        let digits: String =
            count.chars().filter(|c| !matches!(c, ',' | '.' | ' ' | '\u{a0}' | '_')).collect();
        let count: i64 = digits
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| bad("the count must be a whole number above 0"))?;
        let label = validation::text(field, label, 1, LABEL_MAX, false).map_err(|e| bad(&e.reason))?;
        if out.iter().any(|t| t.count == count) {
            return Err(bad("this count is there twice"));
        }
        out.push(ThresholdLabel { count, lang: lang.clone(), label });
    }
    if out.len() > MAX {
        return Err(ValidationError::new(field, format!("at most {MAX} thresholds")));
    }
    out.sort_by_key(|t| t.count);
    Ok(out)
}

/// The counts at which the signers who asked for news are mailed (milestones), as a form writes
/// them: whole numbers separated by commas, semicolons or spaces (group separators inside a
/// number are not possible then: "10000", not "10,000"), each one of `thresholds`.
pub fn parse_milestones(
    field: &str,
    text: &str,
    thresholds: &[Threshold],
) -> Result<Vec<i64>, ValidationError> {
    let mut counts = Vec::new();
    for word in text.split([',', ';', ' ', '，', '、', '\n']).map(str::trim).filter(|w| !w.is_empty()) {
        let count: i64 =
            word.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                ValidationError::new(field, format!("{word:?} is not a whole number above 0"))
            })?;
        if !thresholds.iter().any(|t| t.count == count) {
            return Err(ValidationError::new(field, format!("{count} is not one of the thresholds")));
        }
        if !counts.contains(&count) {
            counts.push(count);
        }
    }
    counts.sort_unstable();
    Ok(counts)
}

/// The thresholds of one language as the form shows them.
pub fn lines(labels: &[ThresholdLabel], lang: &Lang) -> String {
    labels
        .iter()
        .filter(|t| t.lang == *lang)
        .map(|t| format!("{}: {}", t.count, t.label))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_with_separators_and_full_width_colons() {
        let zh = Lang::known("zh-Hant");
        let parsed = parse_lines("t", &zh, "100,000：國會辯論\n\n10 000: 政府回應").unwrap();
        assert_eq!(parsed.iter().map(|t| t.count).collect::<Vec<_>>(), [10_000, 100_000]);
        assert_eq!(parsed[0].label, "政府回應");
        assert!(parse_lines("t", &zh, "ten: x").is_err());
        assert!(parse_lines("t", &zh, "10: x\n10: y").is_err());
        assert!(parse_lines("t", &zh, "0: x").is_err());
        assert!(parse_lines("t", &zh, "5 no colon").is_err());
    }

    #[test]
    fn milestones_are_thresholds() {
        let en = Lang::known("en");
        let thresholds = merge(&parse_lines("t", &en, "10: ten\n1000: a thousand").unwrap(), &[]);
        assert_eq!(parse_milestones("m", "1000, 10", &thresholds), Ok(vec![10, 1_000]));
        assert_eq!(parse_milestones("m", " ", &thresholds), Ok(vec![]));
        assert_eq!(parse_milestones("m", "100", &thresholds).unwrap_err().field, "m");
        assert!(parse_milestones("m", "ten", &thresholds).is_err());
    }

    #[test]
    fn a_campaign_label_replaces_the_sites_for_its_count() {
        let en = Lang::known("en");
        let site = parse_lines("t", &en, "10: site ten\n100: site hundred").unwrap();
        let own = parse_lines("t", &en, "10: our ten\n50: our fifty").unwrap();
        let merged = merge(&site, &own);
        assert_eq!(merged.iter().map(|t| t.count).collect::<Vec<_>>(), [10, 50, 100]);
        assert_eq!(merged[0].label_for(std::slice::from_ref(&en)), Some("our ten"));
        assert_eq!(
            merged[2].label_for(&[Lang::known("zh-Hans")]),
            Some("site hundred"),
            "any label rather than none"
        );
    }
}
