//! Thresholds (`undersigned_core::threshold`) on the pages and as time passes: the next one and
//! those reached, as the campaign page and the API show them, and [`cross`], which the server's
//! upkeep runs every few seconds to record the ones reached.

use minijinja::{Value, context};
use undersigned_core::store::{News, now};
use undersigned_core::threshold::{Crossing, Threshold, merge};
use undersigned_core::{Campaign, CampaignStatus, Lang, Store, StoreError};

use crate::AppState;
use crate::i18n::Localizer;

/// A campaign's thresholds: the site's and its own.
pub async fn of(store: &dyn Store, campaign: &Campaign) -> Result<Vec<Threshold>, StoreError> {
    let (site, own) = tokio::try_join!(store.thresholds(0), store.thresholds(campaign.id))?;
    Ok(merge(&site, &own))
}

/// What the campaign page shows: the next threshold with its progress, and those reached, when.
pub fn context(
    i18n: &Localizer,
    lang: &Lang,
    preferences: &[Lang],
    thresholds: &[Threshold],
    crossings: &[Crossing],
    total: i64,
) -> Value {
    let label = |t: &Threshold| t.label_for(preferences).unwrap_or_default().to_owned();
    let next = thresholds.iter().find(|t| t.count > total && !crossings.iter().any(|c| c.count == t.count));
    let reached: Vec<Value> = crossings
        .iter()
        .map(|c| {
            let threshold = thresholds.iter().find(|t| t.count == c.count);
            context! {
                count_text => i18n.number(lang, c.count),
                label => threshold.map(label),
                date => i18n.date(lang, c.crossed_at.date()),
                date_iso => c.crossed_at.date().to_string(),
            }
        })
        .collect();
    context! {
        next => next.map(|t| context! {
            count => t.count,
            count_text => i18n.number(lang, t.count),
            label => label(t),
            percent => (total * 100 / t.count.max(1)).min(100),
        }),
        reached => reached,
    }
}

/// Records the thresholds each open campaign has reached and not yet recorded (the count its page
/// shows: online and offline), mailing its team. Several instances may run it at once: each
/// crossing is recorded once. How many were recorded.
pub async fn cross(state: &AppState) -> Result<usize, StoreError> {
    // Most sites have none: then this is one read of an empty table.
    let scopes = state.store.threshold_scopes().await?;
    if scopes.is_empty() {
        return Ok(0);
    }
    let site = state.store.thresholds(0).await?;
    // The site's apply to every campaign; else only the campaigns with their own are read.
    let campaigns: Vec<Campaign> = if scopes.contains(&0) {
        state.store.public_campaigns().await?
    } else {
        let mut some = Vec::new();
        for id in scopes {
            some.extend(state.store.campaign_by_id(id).await?);
        }
        some
    };
    let mut recorded = 0;
    for campaign in campaigns {
        if campaign.content.status != CampaignStatus::Open {
            continue;
        }
        let own = state.store.thresholds(campaign.id).await?;
        if site.is_empty() && own.is_empty() {
            continue;
        }
        let thresholds = merge(&site, &own);
        let total = state.store.counts(campaign.id).await?.individuals();
        let crossed = state.store.crossings(campaign.id).await?;
        let reached: Vec<&Threshold> = thresholds
            .iter()
            .filter(|t| t.count <= total && !crossed.iter().any(|c| c.count == t.count))
            .collect();
        // The milestones the organisers chose are mailed to the signers who asked for news.
        let mailed = match reached.is_empty() {
            false => state.store.milestone_mails(campaign.id).await?,
            true => Vec::new(),
        };
        for t in reached {
            let texts = mailed.contains(&t.count).then(|| {
                let label = |lang: &Lang| t.label_for(std::slice::from_ref(lang)).map(str::to_owned);
                crate::mail::news::milestone(&state.pages.i18n, &campaign.content, t.count, label)
            });
            let news = texts.as_deref().map(|texts| News { author: &campaign.content.contact.name, texts });
            if state.store.cross_threshold(campaign.id, t.count, news, now()).await?.is_some() {
                tracing::info!(campaign = %campaign.content.slug, threshold = t.count, "a threshold was reached");
                recorded += 1;
            }
        }
    }
    if recorded > 0 {
        state.mail_queued.notify_one();
    }
    Ok(recorded)
}

/// The thresholds' fields of a form, one textarea a language (`thresholds-{lang}`), as typed.
pub type ThresholdFields = std::collections::BTreeMap<String, String>;

/// The field of one language.
pub fn field_name(lang: &Lang) -> String {
    format!("thresholds-{lang}")
}

/// The fields filled with what is stored.
pub fn fields_of(langs: &[Lang], labels: &[undersigned_core::threshold::ThresholdLabel]) -> ThresholdFields {
    langs.iter().map(|l| (field_name(l), undersigned_core::threshold::lines(labels, l))).collect()
}

/// Each language's thresholds as the form sent them, or each field's error.
pub fn parse_fields(
    langs: &[Lang],
    fields: &ThresholdFields,
) -> Result<
    Vec<(Lang, Vec<undersigned_core::threshold::ThresholdLabel>)>,
    Vec<undersigned_core::ValidationError>,
> {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for lang in langs {
        let name = field_name(lang);
        let text = fields.get(&name).map(String::as_str).unwrap_or_default();
        match undersigned_core::threshold::parse_lines(&name, lang, text) {
            Ok(labels) => parsed.push((lang.clone(), labels)),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(parsed) } else { Err(errors) }
}

/// What the thresholds' fields of a form need: each language's field name and its name.
pub fn field_context(i18n: &Localizer, langs: &[Lang]) -> Vec<Value> {
    langs
        .iter()
        .map(|l| context! { name => field_name(l), tag => l.as_str(), language => i18n.native_name(l) })
        .collect()
}
