//! `GET /c/{slug}`: a campaign in the visitor's language, with its demands, counts, endorsements,
//! latest signers and the sign form.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Value, context};
use serde::Serialize;
use undersigned_core::signature::{NameDisplay, SignatureInput};
use undersigned_core::store::{Counts, now};
use undersigned_core::{Campaign, CampaignStatus, CampaignVersion, Endorsement, Endorser, Lang, Slug};

use crate::forms::FormState;
use crate::i18n::{Localizer, best_match};
use crate::markdown;
use crate::pages::LanguageLink;
use crate::{AppError, AppState, Visitor};

/// How many of the latest signers the campaign page lists.
const LATEST: u32 = 10;

#[derive(Serialize)]
struct Alternate {
    hreflang: String,
    href: String,
}

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

/// Endorsements grouped by country or region, the groups in the order their first endorsement
/// came (as the 2004 appeal lists Hong Kong first); those without a region last.
pub fn by_region(i18n: &Localizer, lang: &Lang, endorsements: &[Endorsement]) -> Vec<RegionGroup> {
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
        .map(|key| RegionGroup {
            region: key.map(|code| i18n.country(lang, code)),
            endorsers: endorsements
                .iter()
                .filter(|e| e.spec.country.as_deref() == key)
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
    let slug = Slug::parse("slug", slug).map_err(|_| AppError::NotFound)?;
    let campaign = state.page_cache.campaign(&*state.store, &slug).await?.ok_or(AppError::NotFound)?;
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

/// The version a visitor reads: their first language the campaign has, else its default.
pub fn version_for<'c>(campaign: &'c Campaign, visitor: &Visitor) -> &'c CampaignVersion {
    let c = &campaign.content;
    let langs: Vec<Lang> = c.versions.iter().map(|v| v.lang.clone()).collect();
    best_match(&visitor.preferences, &langs)
        .and_then(|l| c.version(&l))
        .unwrap_or_else(|| c.default_version())
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

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Html<String>, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    // Everything the page depends on: the campaign, the site's language, the version shown.
    let version = &version_for(&campaign, &visitor).lang;
    let key = crate::cache::PageCache::key(&slug, &format!("{}\n{version}", visitor.ui));
    if let Some(html) = state.page_cache.get(&key, &visitor.csrf) {
        return Ok(Html(html));
    }
    let page = campaign_page(&state, &visitor, &campaign, FormState::empty()).await?;
    let mut anyone = visitor.clone();
    anyone.csrf = crate::cache::CSRF_PLACEHOLDER.to_owned();
    let Html(html) = state.pages.render("campaign.html", &anyone, page)?;
    let personal = html.replace(crate::cache::CSRF_PLACEHOLDER, &visitor.csrf);
    state.page_cache.put(key, html);
    Ok(Html(personal))
}

/// The campaign page again after a refused signature: the form keeps what was typed.
pub async fn render_with_form(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    form: FormState<SignatureInput>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = campaign_page(state, visitor, campaign, form).await?;
    Ok((status, state.pages.render("campaign.html", visitor, page)?).into_response())
}

async fn campaign_page(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    form: FormState<SignatureInput>,
) -> Result<Value, AppError> {
    let (endorsements, counts, latest, revisions, updates, response, comments) = tokio::try_join!(
        state.store.endorsements(campaign.id),
        state.store.counts(campaign.id),
        state.store.public_signatures(campaign.id, None, LATEST),
        state.store.revisions(campaign.id),
        state.store.updates(Some(campaign.id), 5),
        state.store.response(campaign.id),
        state.store.comments(campaign.id, &[undersigned_core::store::CommentStatus::Visible]),
    )?;
    let i18n = &state.pages.i18n;
    let lang = &visitor.ui;
    let c = &campaign.content;
    let version = version_for(campaign, visitor);
    let path = format!("/c/{}", c.slug);
    let base = &state.config.base_url;
    let alternates: Vec<Alternate> = c
        .versions
        .iter()
        .map(|v| Alternate { hreflang: v.lang.to_string(), href: format!("{base}{path}?lang={}", v.lang) })
        .chain([Alternate { hreflang: "x-default".into(), href: format!("{base}{path}") }])
        .collect();
    let versions: Vec<LanguageLink> = c
        .versions
        .iter()
        .map(|v| LanguageLink {
            lang: v.lang.to_string(),
            name: i18n.native_name(&v.lang),
            href: format!("{path}?lang={}", v.lang),
            current: v.lang == version.lang,
        })
        .collect();
    // The visitor reads a language the campaign has no version in: say so, and in which it is shown.
    let missing_version = (version.lang != *lang).then(|| {
        context! { language => i18n.native_name(lang), shown => i18n.native_name(&version.lang) }
    });
    let latest: Vec<Value> = latest
        .iter()
        .map(|s| context! { name => &s.name, country => i18n.country(lang, &s.country), comment => &s.comment })
        .collect();
    let display_options: Vec<&str> = NameDisplay::ALL.iter().map(|d| d.as_str()).collect();
    let now = now();
    let open = c.is_open_at(now);
    Ok(context! {
        title => &version.title,
        canonical => format!("{base}{path}"),
        alternates => alternates,
        versions => versions,
        missing_version => missing_version,
        open => open,
        campaign => context! {
            slug => c.slug.as_str(),
            path => path,
            status => c.status_at(now).as_str(),
            closes => c.closes_at.filter(|_| open).map(|t| deadline(i18n, lang, t)),
            dated => c.dated.map(|d| i18n.date(lang, d)),
            dated_iso => c.dated.map(|d| d.to_string()),
            contact_name => &c.contact.name,
            contact_email => c.contact.email.as_ref().map(|e| e.as_str()),
        },
        version => context! {
            lang => version.lang.as_str(),
            title => &version.title,
            summary => &version.summary,
            target => &version.target,
            body => Value::from_safe_string(markdown::render(&version.body)),
            demands => &version.demands,
        },
        counts => counts_context(i18n, lang, &counts, c.signature_goal),
        endorsements => context! { groups => by_region(i18n, lang, &endorsements) },
        latest => latest,
        form => form,
        countries => i18n.countries(lang),
        display_options => display_options,
        has_history => !revisions.is_empty(),
        updates => super::updates::for_page(state, visitor, campaign, &updates),
        comment_count => comments.len(),
        response => response.map(|r| context! {
            paragraphs => r.text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect::<Vec<_>>(),
            date => r.responded_on.map(|d| i18n.date(lang, d)),
            date_iso => r.responded_on.map(|d| d.to_string()),
            link => r.link,
        }),
        share => super::share::context(state, c.slug.as_str(), &version.title),
        card => format!("{base}/static/card.png"),
    })
}
