//! `GET /c/{slug}`: a campaign in the visitor's language, with its demands and endorsements.

use axum::extract::{Path, State};
use axum::response::Html;
use minijinja::{Value, context};
use serde::Serialize;
use undersigned_core::{Campaign, Endorsement, Endorser, Lang, Slug};

use crate::i18n::{Localizer, best_match};
use crate::markdown;
use crate::pages::LanguageLink;
use crate::{AppError, AppState, Visitor};

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
}

#[derive(Serialize)]
struct RegionGroup {
    /// The region's name in the visitor's language, or none where no region was given.
    region: Option<String>,
    endorsers: Vec<EndorserItem>,
}

/// Endorsements grouped by country or region, the groups in the order their first endorsement
/// came (as the 2004 appeal lists Hong Kong first); those without a region last.
fn by_region(i18n: &Localizer, lang: &Lang, endorsements: &[Endorsement]) -> Vec<RegionGroup> {
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
            region: key.map(|code| i18n.t(lang, &format!("country-{code}"), None)),
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
                    },
                    Endorser::Individuals { count } => EndorserItem {
                        name: String::new(),
                        kind: "individuals",
                        org_type: None,
                        website: None,
                        count: *count,
                    },
                })
                .collect(),
        })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Html<String>, AppError> {
    let slug = Slug::parse("slug", &slug).map_err(|_| AppError::NotFound)?;
    let campaign = state.store.campaign_by_slug(&slug).await?.ok_or(AppError::NotFound)?;
    if !campaign.content.status.is_public() {
        return Err(AppError::NotFound);
    }
    let endorsements = state.store.endorsements(campaign.id).await?;
    let page = campaign_page(&state, &visitor, &campaign, &endorsements);
    state.pages.render("campaign.html", &visitor, page)
}

fn campaign_page(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    endorsements: &[Endorsement],
) -> Value {
    let i18n = &state.pages.i18n;
    let c = &campaign.content;
    let langs: Vec<Lang> = c.versions.iter().map(|v| v.lang.clone()).collect();
    let version = best_match(&visitor.preferences, &langs)
        .and_then(|l| c.version(&l))
        .unwrap_or_else(|| c.default_version());
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
    let missing_version = (version.lang != visitor.ui).then(|| {
        context! { language => i18n.native_name(&visitor.ui), shown => i18n.native_name(&version.lang) }
    });
    let individuals: u32 = endorsements
        .iter()
        .map(|e| match e.spec.endorser {
            Endorser::Individuals { count } => count,
            Endorser::Organisation { .. } => 0,
        })
        .sum();
    let organisations =
        endorsements.iter().filter(|e| matches!(e.spec.endorser, Endorser::Organisation { .. })).count();
    context! {
        title => &version.title,
        canonical => format!("{base}{path}"),
        alternates => alternates,
        versions => versions,
        missing_version => missing_version,
        campaign => context! {
            slug => c.slug.as_str(),
            status => c.status.as_str(),
            dated => c.dated.map(|d| i18n.date(&visitor.ui, d)),
            dated_iso => c.dated.map(|d| d.to_string()),
            goal => c.signature_goal,
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
        endorsements => context! {
            groups => by_region(i18n, &visitor.ui, endorsements),
            organisations => organisations,
            individuals => individuals,
        },
    }
}
