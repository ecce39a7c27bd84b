//! `/organise/c/{slug}/partners`: a campaign's owners choose its lead organisation and partners
//! from the site's organisations (issue 16), let each ask the signers for consent (the
//! question's text per language version: as written here, else the default with the
//! organisation's name), and see each partner's own link (`/c/{slug}?via=PARTNER`).

use std::collections::{BTreeMap, HashMap};

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use undersigned_core::account::Action;
use undersigned_core::organisation::{CONSENT_TEXT_MAX, PartnerSetting};
use undersigned_core::store::now;
use undersigned_core::validation;

use crate::organise::frame::frame;
use crate::organise::{Authorized, CurrentUser, audit, authorize};
use crate::render::messages::ButtonForm;
use crate::{AppError, AppState, Visitor};

/// The field of a consent question's text in one language version.
const TEXT_PREFIX: &str = "consent_text_";

async fn render(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    alert: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let campaign = &auth.campaign;
    let slug = campaign.content.slug.as_str();
    let partners = state.store.campaign_partners(campaign.id).await?;
    let langs: Vec<String> = campaign.content.versions.iter().map(|v| v.lang.to_string()).collect();
    let listed: Vec<Value> = partners
        .iter()
        .map(|p| {
            let texts: Vec<Value> = langs
                .iter()
                .map(|l| {
                    context! {
                        lang => l,
                        field => format!("{TEXT_PREFIX}{l}"),
                        text => p.consent_texts.get(l).cloned().unwrap_or_default(),
                    }
                })
                .collect();
            context! {
                slug => &p.organisation.slug,
                name => &p.organisation.name,
                lead => p.lead,
                consent => p.consent,
                texts => texts,
                link => format!("{}/c/{slug}?via={}", state.config.base_url, p.organisation.slug),
            }
        })
        .collect();
    let available: Vec<Value> = state
        .store
        .organisations()
        .await?
        .iter()
        .filter(|o| !partners.iter().any(|p| p.organisation.id == o.id))
        .map(|o| context! { slug => &o.slug, name => &o.name })
        .collect();
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "organise-tab-partners", None),
        frame => frame(state, visitor, auth),
        partners => listed,
        available => available,
        alert => alert,
    };
    Ok((status, state.pages.render("organise/partners.html", visitor, page)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ManageTeam, uri.path()).await?;
    render(&state, &visitor, &auth, None, StatusCode::OK).await
}

/// Adds a partner or changes one: `organisation` (its slug), `lead` and `consent` ticked or not,
/// and `consent_text_{lang}` per language version.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PartnerForm {
    organisation: String,
    lead: Option<String>,
    consent: Option<String>,
    csrf: String,
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<PartnerForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ManageTeam, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let i18n = &state.pages.i18n;
    let Some(org) = state.store.organisation_by_slug(form.organisation.trim()).await? else {
        let alert = i18n.t(&visitor.ui, "partners-error-organisation", None);
        return render(&state, &visitor, &auth, Some(alert), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let mut texts = BTreeMap::new();
    for version in &auth.campaign.content.versions {
        let lang = version.lang.to_string();
        let typed = form.rest.get(&format!("{TEXT_PREFIX}{lang}")).map_or("", String::as_str);
        match validation::text("consent_text", typed, 0, CONSENT_TEXT_MAX, false) {
            Ok(text) if text.is_empty() => {}
            Ok(text) => {
                texts.insert(lang, text);
            }
            Err(_) => {
                let alert = i18n.t(&visitor.ui, "partners-error-text", None);
                return render(&state, &visitor, &auth, Some(alert), StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        }
    }
    let setting = PartnerSetting {
        organisation_id: org.id,
        lead: form.lead.is_some(),
        consent: form.consent.is_some(),
        consent_texts: texts,
    };
    state.store.set_campaign_partner(auth.campaign.id, &setting, now()).await?;
    state.page_cache.forget(&slug);
    let detail = format!("lead: {}; consent: {}", setting.lead, setting.consent);
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        "set-partner",
        format!("organisation {}", org.slug),
        detail,
    )
    .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/partners")).into_response())
}

#[derive(Deserialize)]
pub struct PartnerPath {
    slug: String,
    organisation: String,
}

pub async fn remove(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(PartnerPath { slug, organisation }): Path<PartnerPath>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ManageTeam, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let org = state.store.organisation_by_slug(&organisation).await?.ok_or(AppError::NotFound)?;
    if !state.store.remove_campaign_partner(auth.campaign.id, org.id).await? {
        return Err(AppError::NotFound);
    }
    state.page_cache.forget(&slug);
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        "remove-partner",
        format!("organisation {}", org.slug),
        String::new(),
    )
    .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}/partners")).into_response())
}

/// The dashboard's signatures by where they came from: by partner (when the campaign has any, or
/// a signature came through one since removed) and by source code (when any signature has one).
pub async fn dashboard_context(
    state: &AppState,
    visitor: &Visitor,
    campaign: i64,
) -> Result<Value, AppError> {
    let (counts, partners) =
        tokio::try_join!(state.store.source_counts(campaign), state.store.campaign_partners(campaign))?;
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    let name_of =
        |id: i64| partners.iter().find(|p| p.organisation.id == id).map(|p| p.organisation.name.clone());
    let through_partners = counts.by_partner.iter().any(|(via, _)| via.is_some());
    let by_partner: Vec<Value> = if partners.is_empty() && !through_partners {
        Vec::new()
    } else {
        counts
            .by_partner
            .iter()
            .map(|(via, n)| {
                let name = via.map(|id| name_of(id).unwrap_or_else(|| format!("#{id}")));
                context! { name => name, count => i18n.number(ui, *n) }
            })
            .collect()
    };
    let by_source: Vec<Value> = if counts.by_source.iter().any(|(code, _)| code.is_some()) {
        counts
            .by_source
            .iter()
            .map(|(code, n)| context! { code => code, count => i18n.number(ui, *n) })
            .collect()
    } else {
        Vec::new()
    };
    Ok(context! { by_partner => by_partner, by_source => by_source })
}
