//! `GET /c/{slug}`: a campaign in the visitor's language, with its demands, counts, endorsements,
//! latest signers and the sign form; `GET /c/{slug}/embed`, the same campaign in short for other
//! sites to show in a frame (its title, count, demands and the sign form); and
//! `POST /c/{slug}/sign`, that form from either page, which shows its page again when it refuses.
//!
//! Both pages are the same bytes for everyone who reads them in the same language (kept for a
//! second in the page cache): their form carries a token bound to the form, not to the browser
//! ([`crate::limits::PublicForm`]), and they set no cookie.

use std::collections::BTreeMap;

use axum::Form;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use undersigned_core::question::{Question, parse_answers};
use undersigned_core::signature::{NameDisplay, NewSignature, SignatureInput};
use undersigned_core::store::{CommentStatus, TargetResponse, now};
use undersigned_core::{Campaign, CampaignVersion, Lang, ValidationError};

use crate::cache::PageCache;
use crate::limits::{PublicForm, guard_public_form};
use crate::render::campaign::{
    by_region, counts_context, deadline, public_campaign, signed_version, version_context,
    version_context_with, version_for,
};
use crate::render::forms::FormState;
use crate::render::pages::LanguageLink;
use crate::render::{partners, pictures, share, updates};
use crate::security::Framed;
use crate::{AppError, AppState, Visitor};

/// How many of the latest signers the campaign page lists.
const LATEST: u32 = 10;

#[derive(Serialize)]
struct Alternate {
    hreflang: String,
    href: String,
}

/// Which page shows the sign form: the campaign's own, or the one other sites frame.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Page,
    Embedded,
}

impl Shown {
    /// The sign form said where it was (its `embed` field).
    fn of(form: &SignForm) -> Self {
        if form.embed.is_empty() { Self::Page } else { Self::Embedded }
    }

    fn template(self) -> &'static str {
        match self {
            Self::Page => "campaign.html",
            Self::Embedded => "embed.html",
        }
    }

    /// The page as its answer: a page of the campaign's embed may be framed by the sites the
    /// campaign names; every other keeps `frame-ancestors 'none'`.
    fn respond(self, campaign: &Campaign, status: StatusCode, body: Bytes) -> Response {
        const HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");
        let response = (status, [(header::CONTENT_TYPE, HTML)], body).into_response();
        self.frame(campaign, response)
    }

    fn frame(self, campaign: &Campaign, response: Response) -> Response {
        match self {
            Self::Page => response,
            Self::Embedded => Framed::sites(&campaign.content.embed_sites).apply(response),
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(link): Query<partners::LinkQuery>,
) -> Result<Response, AppError> {
    cached(&state, &visitor, &slug, Shown::Page, &link).await
}

/// `GET /c/{slug}/embed`: the campaign in short, for other sites' frames.
pub async fn embed(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(link): Query<partners::LinkQuery>,
) -> Result<Response, AppError> {
    cached(&state, &visitor, &slug, Shown::Embedded, &link).await
}

/// The page as kept in the page cache (rendered if it is not), the same bytes for everyone.
/// A link's `?via=` and `?src=` (only as they may be kept: see [`partners::LinkQuery`]) are
/// part of the key: the form carries them.
async fn cached(
    state: &AppState,
    visitor: &Visitor,
    slug: &str,
    shown: Shown,
    link: &partners::LinkQuery,
) -> Result<Response, AppError> {
    let campaign = match public_campaign(state, slug).await {
        Err(AppError::Gone) => return taken_down(state, visitor, slug).await,
        found => found?,
    };
    // Everything the page depends on: the campaign, the site's language, the version shown.
    let version = &version_for(&campaign, visitor).lang;
    let kind = if shown == Shown::Page { "page" } else { "embed" };
    let (via, src) = link.kept();
    let key = PageCache::key_of(slug, &[kind, visitor.ui.as_str(), version.as_str(), &via, &src]);
    let body = match state.page_cache.get(&key) {
        Some(body) => body,
        None => {
            let typed = SignatureInput { via, src, ..Default::default() };
            let Html(html) = render(state, visitor, &campaign, FormState::new(typed), shown).await?;
            let body = Bytes::from(html);
            state.page_cache.put(key, body.clone());
            body
        }
    };
    Ok(shown.respond(&campaign, StatusCode::OK, body))
}

/// The page of a campaign that is gone: 410, and where an admin took it down, their reason.
async fn taken_down(state: &AppState, visitor: &Visitor, slug: &str) -> Result<Response, AppError> {
    let campaign = crate::render::campaign::signers_campaign(state, slug).await?;
    let Some((reason, at)) = state.store.takedown(campaign.id).await? else { return Err(AppError::Gone) };
    let i18n = &state.pages.i18n;
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("date", i18n.date(&visitor.ui, at.date()));
    let text = vec![i18n.t(&visitor.ui, "takedown-public-text", Some(&args)), reason];
    let heading = i18n.t(&visitor.ui, "takedown-public-heading", None);
    crate::render::messages::message(state, visitor, StatusCode::GONE, heading, text, None)
}

/// The sign form's fields: the signature, the form's token, where it was shown, and a honeypot
/// that people never see.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignForm {
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) country: String,
    pub(crate) city: String,
    pub(crate) affiliation: String,
    pub(crate) comment: String,
    pub(crate) display: String,
    pub(crate) opt_in: Option<String>,
    /// Where the signer came from and the consents they gave (see `SignatureInput`).
    pub(crate) via: String,
    pub(crate) src: String,
    pub(crate) consents_asked: String,
    pub(crate) consent_lead: Option<String>,
    pub(crate) consent_via: Option<String>,
    pub(crate) csrf: String,
    pub(crate) homepage: String,
    /// The language version the form was under.
    pub(crate) version: String,
    /// Not empty: the form was in the embeddable page (in another site's frame), and its
    /// answers are shown there.
    pub(crate) embed: String,
    /// The proof of work's solution (ALTCHA's payload), in the "under attack" mode.
    pub(crate) altcha: String,
    /// The rest: the answers to the campaign's own questions (`q-{id}`), and whatever else was
    /// sent (left out of the signature).
    #[serde(flatten)]
    pub(crate) rest: BTreeMap<String, String>,
}

impl SignForm {
    pub(crate) fn input(&self) -> SignatureInput {
        SignatureInput {
            name: self.name.clone(),
            email: self.email.clone(),
            country: self.country.clone(),
            city: self.city.clone(),
            affiliation: self.affiliation.clone(),
            comment: self.comment.clone(),
            display: self.display.clone(),
            opt_in: self.opt_in.clone(),
            via: self.via.clone(),
            src: self.src.clone(),
            consents_asked: self.consents_asked.clone(),
            consent_lead: self.consent_lead.clone(),
            consent_via: self.consent_via.clone(),
            answers: self
                .rest
                .iter()
                .filter(|(k, _)| k.starts_with("q-"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
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
    let shown = Shown::of(&form);
    if let Some(refusal) =
        guard_public_form(&state, &visitor, &campaign, PublicForm::Sign, &form.csrf).await?
    {
        let page = FormState::new(input).with_alert(i18n.t(lang, refusal.key, None));
        let response = render_with_form(&state, &visitor, &campaign, page, refusal.status, shown).await?;
        return Ok(refusal.with_retry_after(response));
    }
    let check_email = shown.frame(&campaign, check_email(&campaign, &visitor, shown));
    if !form.homepage.trim().is_empty() {
        // A bot filled the field people cannot see: answer as if all went well, keep nothing.
        tracing::info!("a signature with the honeypot filled was dropped");
        return Ok(check_email);
    }
    let version = signed_version(&campaign, &visitor, &form.version);
    let questions = state.page_cache.questions(&*state.store, campaign.id).await?;
    let signer = match signer_of(&input, lang, &questions, &version, &campaign.content.default_lang) {
        Ok(signer) => signer,
        Err(errors) => {
            let page = FormState::new(input).with_errors(i18n, lang, &errors);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render_with_form(&state, &visitor, &campaign, page, status, shown).await;
        }
    };
    if let Some(refused) = crate::defence::admit(&state, &visitor, &campaign, &form.altcha).await? {
        let page = FormState::new(input).with_alert(refused.message);
        let response = render_with_form(&state, &visitor, &campaign, page, refused.status, shown).await?;
        return Ok(crate::limits::with_retry_after_if(response, refused.retry_after));
    }
    let source = partners::source_of(&state, &campaign, &input).await?;
    crate::signing::sign(&state, &visitor, &campaign, signer, version, source).await?;
    Ok(check_email)
}

/// The signature typed, with its answers to the campaign's own questions (read in the language
/// version `version`): every field's error at once, those of the questions where the form shows
/// them (after the optional fields, before the name's display).
fn signer_of(
    input: &SignatureInput,
    lang: &Lang,
    questions: &[Question],
    version: &Lang,
    default: &Lang,
) -> Result<NewSignature, Vec<ValidationError>> {
    let signer = NewSignature::parse(input, lang.clone());
    if questions.is_empty() {
        return signer;
    }
    match (signer, parse_answers(questions, &input.answers, version, default)) {
        (Ok(mut signer), Ok(answers)) => {
            signer.answers = answers;
            Ok(signer)
        }
        (signer, answers) => {
            let mut errors = signer.err().unwrap_or_default();
            let at = errors.iter().position(|e| e.field == "display").unwrap_or(errors.len());
            errors.splice(at..at, answers.err().unwrap_or_default());
            Err(errors)
        }
    }
}

/// Where a signature sent goes: "check your email", in the frame for the embeddable page (in the
/// language it was read in: a frame may keep no language cookie).
fn check_email(campaign: &Campaign, visitor: &Visitor, shown: Shown) -> Response {
    let slug = &campaign.content.slug;
    match shown {
        Shown::Page => Redirect::to(&format!("/c/{slug}/check-email")),
        Shown::Embedded => Redirect::to(&format!("/c/{slug}/embed/check-email?lang={}", visitor.ui)),
    }
    .into_response()
}

/// The page again after a refused signature: the form keeps what was typed.
async fn render_with_form(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    form: FormState<SignatureInput>,
    status: StatusCode,
    shown: Shown,
) -> Result<Response, AppError> {
    let Html(html) = render(state, visitor, campaign, form, shown).await?;
    Ok(shown.respond(campaign, status, Bytes::from(html)))
}

/// The page, with the sign form as given.
async fn render(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    form: FormState<SignatureInput>,
    shown: Shown,
) -> Result<Html<String>, AppError> {
    let page = match shown {
        Shown::Page => campaign_page(state, visitor, campaign, form).await?,
        Shown::Embedded => embed_page(state, visitor, campaign, form).await?,
    };
    state.pages.render(shown.template(), visitor, page)
}

/// What the sign form needs, in either page.
pub(crate) fn sign_form(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    mut form: FormState<SignatureInput>,
    questions: &[Question],
) -> Value {
    // Every question's field has a value to show (the template reads each).
    for q in questions.iter().filter(|q| !q.retired) {
        form.typed.answers.entry(q.field()).or_default();
    }
    let display_options: Vec<&str> = NameDisplay::ALL.iter().map(|d| d.as_str()).collect();
    let (version, default) = (&version_for(campaign, visitor).lang, &campaign.content.default_lang);
    let questions: Vec<Value> = questions
        .iter()
        .filter(|q| !q.retired)
        .map(|q| {
            let choices: Vec<Value> = q
                .choices_in(version, default)
                .into_iter()
                .map(|(id, label)| context! { value => id.to_string(), label => label })
                .collect();
            context! {
                field => q.field(),
                kind => q.kind.as_str(),
                required => q.required,
                prompt => q.prompt_in(version, default),
                choices => choices,
            }
        })
        .collect();
    context! {
        form => form,
        questions => questions,
        form_token => PublicForm::Sign.token(state, campaign.id),
        countries => state.pages.i18n.countries(&visitor.ui),
        display_options => display_options,
        pow_script => crate::defence::assets::script_url(),
        pow_worker => crate::defence::assets::worker_url(),
    }
}

/// The embeddable page's context: the title, the count, the demands and the sign form.
async fn embed_page(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    form: FormState<SignatureInput>,
) -> Result<Value, AppError> {
    let (counts, _) = state.page_cache.counts(&*state.store, campaign.id).await?;
    let partners = state.store.campaign_partners(campaign.id).await?;
    let questions = state.page_cache.questions(&*state.store, campaign.id).await?;
    let (i18n, lang) = (&state.pages.i18n, &visitor.ui);
    let c = &campaign.content;
    let version = version_for(campaign, visitor);
    Ok(context! {
        title => &version.title,
        embed => true,
        open => c.is_open_at(now()),
        campaign => campaign_context(state, visitor, campaign),
        version => version_context(i18n, lang, c, version),
        counts => counts_context(i18n, lang, &counts, c.signature_goal),
        // The whole campaign opens in a tab of its own, in the language read here.
        full => format!("/c/{}?lang={lang}", c.slug),
        coalition => partners::context(i18n, lang, &version.lang, &partners, &form.typed),
        sign => sign_form(state, visitor, campaign, form, &questions),
    })
}

/// The page's context: the campaign's text, its counts and what surrounds them.
async fn campaign_page(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    form: FormState<SignatureInput>,
) -> Result<Value, AppError> {
    let (endorsements, counts, latest, revisions, updates, response, comments, pictures) = tokio::try_join!(
        state.store.replica_endorsements(campaign.id),
        state.store.counts(campaign.id),
        state.store.replica_public_signatures(campaign.id, None, LATEST),
        state.store.revisions(campaign.id),
        state.store.updates(Some(campaign.id), 5),
        state.store.response(campaign.id),
        state.store.comments(campaign.id, &[CommentStatus::Visible]),
        state.store.pictures(campaign.id),
    )?;
    let questions = state.page_cache.questions(&*state.store, campaign.id).await?;
    let (thresholds, crossings, partners, deliveries) = tokio::try_join!(
        crate::thresholds::of(&*state.store, campaign),
        state.store.crossings(campaign.id),
        state.store.campaign_partners(campaign.id),
        state.store.deliveries(campaign.id),
    )?;
    let (i18n, lang) = (&state.pages.i18n, &visitor.ui);
    let c = &campaign.content;
    let version = version_for(campaign, visitor);
    let latest: Vec<Value> = latest
        .iter()
        .map(|s| context! { name => &s.name, country => i18n.country(lang, &s.country) })
        .collect();
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
        version => version_context_with(i18n, lang, c, version, &pictures),
        counts => counts_context(i18n, lang, &counts, c.signature_goal),
        thresholds => crate::thresholds::context(
            i18n, lang, &visitor.preferences, &thresholds, &crossings, counts.individuals()
        ),
        endorsements => context! { groups => by_region(i18n, lang, &endorsements) },
        latest => latest,
        coalition => partners::context(i18n, lang, &version.lang, &partners, &form.typed),
        sign => sign_form(state, visitor, campaign, form, &questions),
        has_history => !revisions.is_empty(),
        updates => updates::for_page(state, visitor, campaign, &updates),
        comment_count => comments.len(),
        response => response.map(|r| response_context(state, visitor, r)),
        delivered => deliveries.first().map(|d| delivered(state, visitor, version, d.sent_at)),
        share => share::context(state, c.slug.as_str(), &version.title),
        // The campaign's share picture, if it has one; else the site's card.
        card => pictures::share_picture(state, &pictures).unwrap_or_else(|| format!("{base}/static/card.png")),
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

/// "Delivered to {target} on {date}": the latest delivery, never its address.
fn delivered(state: &AppState, visitor: &Visitor, version: &CampaignVersion, at: OffsetDateTime) -> Value {
    let (i18n, lang) = (&state.pages.i18n, &visitor.ui);
    let day = at.to_offset(time::UtcOffset::UTC).date();
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("date", i18n.date(lang, day));
    let text = if version.target.is_empty() {
        i18n.t(lang, "campaign-delivered-no-target", Some(&args))
    } else {
        args.set("target", version.target.clone());
        i18n.t(lang, "campaign-delivered", Some(&args))
    };
    context! { text => text, iso => day.to_string() }
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
