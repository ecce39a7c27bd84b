//! `GET /c/{slug}`: a campaign in the visitor's language, with its demands, counts, endorsements,
//! latest signers and the sign form; and `POST /c/{slug}/sign`, that form, which shows the page
//! again when it refuses.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use undersigned_core::signature::{NameDisplay, NewSignature, SignatureInput};
use undersigned_core::store::{CommentStatus, TargetResponse, now};
use undersigned_core::{Campaign, CampaignVersion};

use crate::limits::guard_public_form;
use crate::render::campaign::{
    by_region, counts_context, deadline, public_campaign, signed_version, version_context, version_for,
};
use crate::render::forms::FormState;
use crate::render::pages::LanguageLink;
use crate::render::{share, updates};
use crate::{AppError, AppState, Visitor};

/// How many of the latest signers the campaign page lists.
const LATEST: u32 = 10;

#[derive(Serialize)]
struct Alternate {
    hreflang: String,
    href: String,
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

/// The sign form's fields: the signature, the CSRF token, and a honeypot that people never see.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignForm {
    name: String,
    email: String,
    country: String,
    city: String,
    affiliation: String,
    comment: String,
    display: String,
    opt_in: Option<String>,
    csrf: String,
    homepage: String,
    /// The language version the form was under.
    version: String,
}

impl SignForm {
    fn input(&self) -> SignatureInput {
        SignatureInput {
            name: self.name.clone(),
            email: self.email.clone(),
            country: self.country.clone(),
            city: self.city.clone(),
            affiliation: self.affiliation.clone(),
            comment: self.comment.clone(),
            display: self.display.clone(),
            opt_in: self.opt_in.clone(),
        }
    }
}

pub async fn sign(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Form(form): Form<SignForm>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let (i18n, lang) = (&state.pages.i18n, &visitor.ui);
    let input = form.input();
    if let Some(refusal) = guard_public_form(&state, &visitor, &campaign, &form.csrf) {
        let page = FormState::new(input).with_alert(i18n.t(lang, refusal.key, None));
        let response = render_with_form(&state, &visitor, &campaign, page, refusal.status).await?;
        return Ok(refusal.with_retry_after(response));
    }
    let check_email = Redirect::to(&format!("/c/{}/check-email", campaign.content.slug)).into_response();
    if !form.homepage.trim().is_empty() {
        // A bot filled the field people cannot see: answer as if all went well, keep nothing.
        tracing::info!("a signature with the honeypot filled was dropped");
        return Ok(check_email);
    }
    let signer = match NewSignature::parse(&input, lang.clone()) {
        Ok(signer) => signer,
        Err(errors) => {
            let page = FormState::new(input).with_errors(i18n, lang, &errors);
            return render_with_form(&state, &visitor, &campaign, page, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    let version = signed_version(&campaign, &visitor, &form.version);
    crate::signing::sign(&state, &visitor, &campaign, signer, version).await?;
    Ok(check_email)
}

/// The campaign page again after a refused signature: the form keeps what was typed.
async fn render_with_form(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    form: FormState<SignatureInput>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = campaign_page(state, visitor, campaign, form).await?;
    Ok((status, state.pages.render("campaign.html", visitor, page)?).into_response())
}

/// The page's context: the campaign's text, its counts and what surrounds them.
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
        state.store.comments(campaign.id, &[CommentStatus::Visible]),
    )?;
    let (i18n, lang) = (&state.pages.i18n, &visitor.ui);
    let c = &campaign.content;
    let version = version_for(campaign, visitor);
    let latest: Vec<Value> = latest
        .iter()
        .map(|s| context! { name => &s.name, country => i18n.country(lang, &s.country), comment => &s.comment })
        .collect();
    let display_options: Vec<&str> = NameDisplay::ALL.iter().map(|d| d.as_str()).collect();
    let base = &state.config.base_url;
    let (alternates, versions, missing_version) = languages(state, visitor, campaign, version);
    Ok(context! {
        title => &version.title,
        canonical => format!("{base}/c/{}", c.slug),
        // oEmbed and the read API, for the machines that read the page (`crate::api`).
        oembed => format!("{base}/oembed?url={}&format=json", share::encode(&format!("{base}/c/{}", c.slug))),
        api => format!("{base}/api/v1/campaigns/{}", c.slug),
        alternates => alternates,
        versions => versions,
        missing_version => missing_version,
        open => c.is_open_at(now()),
        campaign => campaign_context(state, visitor, campaign),
        version => version_context(version),
        counts => counts_context(i18n, lang, &counts, c.signature_goal),
        endorsements => context! { groups => by_region(i18n, lang, &endorsements) },
        latest => latest,
        form => form,
        countries => i18n.countries(lang),
        display_options => display_options,
        has_history => !revisions.is_empty(),
        updates => updates::for_page(state, visitor, campaign, &updates),
        comment_count => comments.len(),
        response => response.map(|r| response_context(state, visitor, r)),
        share => share::context(state, c.slug.as_str(), &version.title),
        card => format!("{base}/static/card.png"),
    })
}

/// The campaign's facts: its address, status, deadline, date and contact.
fn campaign_context(state: &AppState, visitor: &Visitor, campaign: &Campaign) -> Value {
    let (i18n, lang) = (&state.pages.i18n, &visitor.ui);
    let c = &campaign.content;
    let now = now();
    let open = c.is_open_at(now);
    context! {
        slug => c.slug.as_str(),
        path => format!("/c/{}", c.slug),
        status => c.status_at(now).as_str(),
        closes => c.closes_at.filter(|_| open).map(|t| deadline(i18n, lang, t)),
        dated => c.dated.map(|d| i18n.date(lang, d)),
        dated_iso => c.dated.map(|d| d.to_string()),
        contact_name => &c.contact.name,
        contact_email => c.contact.email.as_ref().map(|e| e.as_str()),
    }
}

/// The campaign's language versions: for search engines (`alternates`), for the reader
/// (`versions`), and a note when the reader's language has none (`missing_version`).
fn languages(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    version: &CampaignVersion,
) -> (Vec<Alternate>, Vec<LanguageLink>, Option<Value>) {
    let (i18n, lang) = (&state.pages.i18n, &visitor.ui);
    let c = &campaign.content;
    let (base, path) = (&state.config.base_url, format!("/c/{}", c.slug));
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
    (alternates, versions, missing_version)
}

/// The target's response, as the page quotes it.
fn response_context(state: &AppState, visitor: &Visitor, response: TargetResponse) -> Value {
    let (i18n, lang) = (&state.pages.i18n, &visitor.ui);
    let paragraphs: Vec<String> =
        response.text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect();
    context! {
        paragraphs => paragraphs,
        date => response.responded_on.map(|d| i18n.date(lang, d)),
        date_iso => response.responded_on.map(|d| d.to_string()),
        link => response.link,
    }
}
