//! What the pages about one campaign share: finding it (public ones only), the version a visitor
//! reads, its counts and endorsements as the pages show them, and when it closes.

use minijinja::{Value, context};
use serde::Serialize;
use undersigned_core::picture::Picture;
use undersigned_core::store::Counts;
use undersigned_core::{
    Campaign, CampaignContent, CampaignStatus, CampaignVersion, Endorsement, Endorser, Lang, Slug,
};

use crate::i18n::Localizer;
use crate::render::markdown;
use crate::{AppError, AppState, Visitor};

#[derive(Serialize)]
struct EndorserItem {
    name: String,
    kind: &'static str,
    org_type: Option<&'static str>,
    website: Option<String>,
    count: u32,
    offline: bool,
}

#[derive(Serialize)]
pub struct RegionGroup {
    /// The region's name in the visitor's language, or none where no region was given.
    region: Option<String>,
    endorsers: Vec<EndorserItem>,
}

/// Endorsements grouped by country or region (its code), the groups in the order their first
/// endorsement came (as the 2004 appeal lists Hong Kong first); those without a region last. The
/// one order for the pages and the API.
pub fn region_groups(endorsements: &[Endorsement]) -> Vec<(Option<&str>, Vec<&Endorsement>)> {
    let mut order: Vec<Option<&str>> = Vec::new();
    for e in endorsements {
        let key = e.spec.country.as_deref();
        if !order.contains(&key) {
            order.push(key);
        }
    }
    order.sort_by_key(|k| k.is_none());
    order
        .into_iter()
        .map(|key| (key, endorsements.iter().filter(|e| e.spec.country.as_deref() == key).collect()))
        .collect()
}

/// Endorsements grouped by country or region as pages list them ([`region_groups`]).
pub fn by_region(i18n: &Localizer, lang: &Lang, endorsements: &[Endorsement]) -> Vec<RegionGroup> {
    region_groups(endorsements)
        .into_iter()
        .map(|(key, group)| RegionGroup {
            region: key.map(|code| i18n.country(lang, code)),
            endorsers: group
                .into_iter()
                .map(|e| match &e.spec.endorser {
                    Endorser::Organisation { name, org_type, website } => EndorserItem {
                        name: name.clone(),
                        kind: "organisation",
                        org_type: Some(org_type.as_str()),
                        website: website.clone(),
                        count: 1,
                        offline: e.source.is_offline(),
                    },
                    Endorser::Person { name } => EndorserItem {
                        name: name.clone(),
                        kind: "person",
                        org_type: None,
                        website: None,
                        count: 1,
                        offline: e.source.is_offline(),
                    },
                    Endorser::Individuals { count } => EndorserItem {
                        name: String::new(),
                        kind: "individuals",
                        org_type: None,
                        website: None,
                        count: *count,
                        offline: e.source.is_offline(),
                    },
                })
                .collect(),
        })
        .collect()
}

/// The public campaign at `slug`, or a 404 (drafts are not public), or a 410 (withdrawn by its
/// organisers).
pub async fn public_campaign(state: &AppState, slug: &str) -> Result<std::sync::Arc<Campaign>, AppError> {
    // Read in the last second (the crowd's case): only a valid slug was kept.
    let campaign = match state.page_cache.kept_campaign(slug) {
        Some(campaign) => campaign,
        None => {
            let slug = Slug::parse("slug", slug).map_err(|_| AppError::NotFound)?;
            state.page_cache.campaign(&*state.store, &slug).await?.ok_or(AppError::NotFound)?
        }
    };
    match campaign.content.status {
        CampaignStatus::Withdrawn => Err(AppError::Gone),
        status if !status.is_public() => Err(AppError::NotFound),
        _ => Ok(campaign),
    }
}

/// The campaign at `slug` as its signers reach it to manage their signature: public, or withdrawn
/// (its page is gone, but what its signers gave is theirs: they may still ask for their link,
/// see, change and withdraw their signature). A draft is a 404.
pub async fn signers_campaign(state: &AppState, slug: &str) -> Result<std::sync::Arc<Campaign>, AppError> {
    match public_campaign(state, slug).await {
        Err(AppError::Gone) => {
            let slug = Slug::parse("slug", slug).map_err(|_| AppError::NotFound)?;
            state.page_cache.campaign(&*state.store, &slug).await?.ok_or(AppError::NotFound)
        }
        found => found,
    }
}

/// The campaign's public page, to go back to: none when it was withdrawn (its address answers
/// 410).
pub fn back_to(campaign: &Campaign) -> Option<String> {
    campaign.content.status.is_public().then(|| format!("/c/{}", campaign.content.slug))
}

/// The version a visitor reads: their first language the campaign has, else its default.
pub fn version_for<'c>(campaign: &'c Campaign, visitor: &Visitor) -> &'c CampaignVersion {
    campaign.content.version_for(&visitor.preferences)
}

/// The version a signer signed: the one the form was under (a hidden field), if the campaign has
/// it; else the one the visitor reads.
pub fn signed_version(campaign: &Campaign, visitor: &Visitor, field: &str) -> Lang {
    Lang::parse("version", field)
        .ok()
        .filter(|lang| campaign.content.version(lang).is_some())
        .unwrap_or_else(|| version_for(campaign, visitor).lang.clone())
}

/// When signing closes, as the page says it: the date in the reader's language and the time in
/// UTC, with the instant for machines.
pub fn deadline(i18n: &Localizer, lang: &Lang, at: time::OffsetDateTime) -> Value {
    let at = at.to_offset(time::UtcOffset::UTC);
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("date", i18n.date(lang, at.date()));
    args.set("time", format!("{:02}:{:02}", at.hour(), at.minute()));
    context! {
        text => i18n.t(lang, "campaign-closes", Some(&args)),
        iso => at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
    }
}

/// The counts as the page shows them, with the progress towards the goal.
pub fn counts_context(i18n: &Localizer, lang: &Lang, counts: &Counts, goal: Option<u32>) -> Value {
    let individuals = counts.individuals();
    context! {
        individuals => individuals,
        individuals_text => i18n.number(lang, individuals),
        organisations => counts.organisations,
        goal => goal,
        goal_text => goal.map(|g| i18n.number(lang, i64::from(g))),
        percent => goal.map(|g| (individuals * 100 / i64::from(g.max(1))).min(100)),
    }
}

/// A version's text as pages print it: its Markdown body rendered (and sanitised), with no
/// pictures; the dates of met demands in the language `ui`.
pub fn version_context(
    i18n: &Localizer,
    ui: &Lang,
    content: &CampaignContent,
    version: &CampaignVersion,
) -> Value {
    version_context_with(i18n, ui, content, version, &[])
}

/// A version's text as pages print it, with the campaign's `pictures` where its text shows them.
pub fn version_context_with(
    i18n: &Localizer,
    ui: &Lang,
    content: &CampaignContent,
    version: &CampaignVersion,
    pictures: &[Picture],
) -> Value {
    context! {
        lang => version.lang.as_str(),
        title => &version.title,
        summary => &version.summary,
        target => &version.target,
        body => Value::from_safe_string(markdown::render_with_pictures(&version.body, pictures)),
        demands => demands_context(i18n, ui, content, &version.lang),
    }
}

/// The demands as the readers of the `lang` version read them, each numbered as in every
/// version: its text (`translated` false where it shows the default language's words), and when
/// met, the day (in the language `ui`) and the note. The one view of them for the page, its
/// embed, the proposal's pages and the delivery document.
pub fn demands_context(i18n: &Localizer, ui: &Lang, content: &CampaignContent, lang: &Lang) -> Vec<Value> {
    content
        .demands_in(lang)
        .into_iter()
        .map(|d| {
            context! {
                number => d.number,
                key => d.key,
                text => d.text,
                text_lang => d.text_lang.as_str(),
                translated => d.translated,
                met => d.met.map(|m| context! {
                    date => i18n.date(ui, m.on),
                    date_iso => m.on.to_string(),
                    note => m.note,
                }),
            }
        })
        .collect()
}
