//! Delivering a campaign: the delivery document (its PDF, one per language version chosen, and if
//! chosen the CSV of the names as shown) sent by one mail to the address of the campaign's target,
//! with a copy to its organisers. What was sent is recorded; the campaign's page and the API say
//! "delivered to … on …" (never the address). The last address used is remembered for the next
//! delivery.
//!
//! One sending is one row, whatever happens to its mail: the outbox holds a reference to it and
//! makes the attachments when it sends (nothing large sits in the database). A form sent twice
//! (a double click, a reload) carries the same key and records one delivery.

use time::OffsetDateTime;

use crate::Lang;
use crate::campaign::CampaignId;
use crate::validation::{Email, ValidationError};

/// How soon after a delivery to an address another to the same address is refused: a second
/// sending by mistake (a second tab, a colleague at the same moment).
pub const REPEAT_WINDOW: time::Duration = time::Duration::minutes(10);

/// A delivery as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub id: i64,
    pub campaign_id: CampaignId,
    /// Where it was sent: private to the campaign's team.
    pub email: String,
    /// The language versions whose PDF went with it, in the order chosen.
    pub langs: Vec<Lang>,
    /// Whether the CSV of the names as shown went with it.
    pub csv: bool,
    /// Who sent it (an organiser's account).
    pub sent_by: i64,
    pub sent_at: OffsetDateTime,
}

/// A delivery about to be sent, as the owner chose it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDelivery {
    pub email: Email,
    pub langs: Vec<Lang>,
    pub csv: bool,
    /// The form's own key: the same form sent twice records one delivery.
    pub key: String,
}

impl NewDelivery {
    /// Checks the languages: at least one, each a version the campaign has, none twice.
    pub fn langs(chosen: &[String], versions: &[Lang]) -> Result<Vec<Lang>, ValidationError> {
        let mut langs = Vec::new();
        for lang in chosen {
            let lang = Lang::parse("langs", lang).map_err(|_| ValidationError::new("langs", "unknown"))?;
            if !versions.contains(&lang) {
                return Err(ValidationError::new("langs", "unknown"));
            }
            if !langs.contains(&lang) {
                langs.push(lang);
            }
        }
        if langs.is_empty() {
            return Err(ValidationError::new("langs", "required"));
        }
        Ok(langs)
    }
}

/// Why a delivery was not recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The same address had one within [`REPEAT_WINDOW`], at this time.
    TooSoon(OffsetDateTime),
}
