//! Updates: news of a campaign, posted by its organisers in one text per language.

use time::OffsetDateTime;

use crate::Lang;
use crate::campaign::CampaignId;

/// An update's text in one language.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct UpdateText {
    pub lang: Lang,
    pub title: String,
    /// Markdown.
    pub body: String,
}

/// News of a campaign, posted by its organisers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub author: String,
    pub published_at: OffsetDateTime,
    pub texts: Vec<UpdateText>,
}

impl Update {
    /// The text in `lang`, else in `fallback`, else the first.
    pub fn text(&self, lang: &Lang, fallback: &Lang) -> Option<&UpdateText> {
        self.texts
            .iter()
            .find(|t| &t.lang == lang)
            .or_else(|| self.texts.iter().find(|t| t.lang.language() == lang.language()))
            .or_else(|| self.texts.iter().find(|t| &t.lang == fallback))
            .or_else(|| self.texts.first())
    }
}
