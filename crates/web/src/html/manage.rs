//! "Manage my signature": a signer asks for a link by email (the page never says whether the
//! address signed), then sees everything held about them, changes how their name is shown and
//! whether they get news, downloads it all as JSON, or withdraws.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use undersigned_core::keys::{TokenCheck, TokenKind};
use undersigned_core::signature::{NameDisplay, Signature};
use undersigned_core::store::now;
use undersigned_core::{Campaign, CampaignStatus, Email, ValidationError};

use crate::limits::{rate_limited, with_retry_after};
use crate::lookups::Lookup;
use crate::render::campaign::{back_to, signers_campaign, version_for};
use crate::render::forms::FormState;
use crate::render::messages::{ButtonForm, LinkProblem, message};
use crate::withdrawal::withdraw_signature;
use crate::{AppError, AppState, Visitor};

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct RequestForm {
    email: String,
    #[serde(skip_serializing)]
    csrf: String,
    #[serde(skip_serializing)]
    homepage: String,
}

fn render_request(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    form: FormState<RequestForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let version = version_for(campaign, visitor);
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "manage-heading", None),
        campaign_title => &version.title,
        campaign_lang => version.lang.as_str(),
        campaign_path => format!("/c/{}", campaign.content.slug),
        withdrawn => campaign.content.status == CampaignStatus::Withdrawn,
        form => form,
    };
    Ok((status, state.pages.render("manage-request.html", visitor, page)?).into_response())
}

pub async fn request_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let campaign = signers_campaign(&state, &slug).await?;
    render_request(&state, &visitor, &campaign, FormState::empty(), StatusCode::OK)
}

pub async fn request(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Form(form): Form<RequestForm>,
) -> Result<Response, AppError> {
    let campaign = signers_campaign(&state, &slug).await?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_request(&state, &visitor, &campaign, page, StatusCode::FORBIDDEN);
    }
    let Ok(email) = Email::parse("email", &form.email) else {
        let page =
            FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &[ValidationError::new("email", "")]);
        return render_request(&state, &visitor, &campaign, page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    if let Some(wait) = rate_limited(&state, &visitor).await? {
        let page =
            FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "sign-error-rate-limit", None));
        return Ok(with_retry_after(
            render_request(&state, &visitor, &campaign, page, StatusCode::TOO_MANY_REQUESTS)?,
            wait,
        ));
    }
    if form.homepage.trim().is_empty() {
        // Looked up in the background: the same answer, in the same time, whether the address
        // signed or not.
        state.lookups.submit(Lookup::ManageLink { campaign: campaign.id, email });
    }
    let t = |key: &str| i18n.t(&visitor.ui, key, None);
    message(
        &state,
        &visitor,
        StatusCode::OK,
        t("manage-sent-heading"),
        vec![t("manage-sent-text")],
        back_to(&campaign).map(|path| (path, t("back-to-campaign"))),
    )
}

/// The signature a manage link opens, and its campaign.
async fn open(state: &AppState, token: &str) -> Result<Result<(Signature, Campaign), LinkProblem>, AppError> {
    let Some(decoded) = state.keys.decode(TokenKind::ManageSignature, token) else {
        return Ok(Err(LinkProblem::Invalid));
    };
    let Some(signature) = state.store.signature(decoded.id).await? else {
        return Ok(Err(LinkProblem::Invalid));
    };
    let Some(campaign) = state.store.campaign_by_id(signature.campaign_id).await? else {
        return Ok(Err(LinkProblem::Invalid));
    };
    match state.keys.check(&decoded, &signature.email_key, now()) {
        TokenCheck::Valid => Ok(Ok((signature, campaign))),
        TokenCheck::Expired => Ok(Err(LinkProblem::Expired(Box::new(campaign)))),
        TokenCheck::Invalid => Ok(Err(LinkProblem::Invalid)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let (signature, campaign) = match open(&state, &token).await? {
        Ok(found) => found,
        Err(problem) => return problem.page(&state, &visitor),
    };
    let i18n = &state.pages.i18n;
    let v = &signature.signer;
    let version = version_for(&campaign, &visitor);
    let display_options: Vec<&str> = signature.display_choices().iter().map(|d| d.as_str()).collect();
    let consents = consents_of(&state, &signature).await?;
    let page = context! {
        consents => consents,
        title => i18n.t(&visitor.ui, "manage-heading", None),
        campaign_title => &version.title,
        campaign_lang => version.lang.as_str(),
        campaign_path => format!("/c/{}", campaign.content.slug),
        withdrawn => campaign.content.status == CampaignStatus::Withdrawn,
        saved => query.saved.is_some(),
        display_options => display_options,
        s => context! {
            name => &v.name,
            email => v.email.as_str(),
            country => i18n.country(&visitor.ui, &v.country),
            city => &v.city,
            affiliation => &v.affiliation,
            comment => &v.comment,
            sealed => signature.sealed_to_owners.is_some(),
            display => v.display.as_str(),
            opt_in => v.opt_in,
            status => signature.status.as_str(),
            signed => i18n.date(&visitor.ui, signature.created_at.date()),
        },
    };
    Ok(state.pages.render("manage.html", &visitor, page)?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChoicesForm {
    display: String,
    opt_in: Option<String>,
    csrf: String,
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<ChoicesForm>,
) -> Result<Response, AppError> {
    let (signature, _) = match open(&state, &token).await? {
        Ok(found) => found,
        Err(problem) => return problem.page(&state, &visitor),
    };
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let display = NameDisplay::parse("display", &form.display).map_err(|_| AppError::BadRequest)?;
    state.store.update_signer_choices(signature.id, display, form.opt_in.is_some()).await?;
    Ok(Redirect::to(&format!("/s/manage/{token}?saved=1")).into_response())
}

pub async fn withdraw(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let (signature, campaign) = match open(&state, &token).await? {
        Ok(found) => found,
        Err(problem) => return problem.page(&state, &visitor),
    };
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    withdraw_signature(&state, &signature).await?;
    Ok(Redirect::to(&format!("/c/{}/withdrawn", campaign.content.slug)).into_response())
}

/// The organisations the signer consented to hear from (issue 16), by name, each with its slug
/// (what the withdrawal's address names).
async fn consents_of(state: &AppState, signature: &Signature) -> Result<Vec<(String, String)>, AppError> {
    let ids = state.store.signature_consents(signature.id).await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let orgs = state.store.organisations().await?;
    Ok(orgs.into_iter().filter(|o| ids.contains(&o.id)).map(|o| (o.slug, o.name)).collect())
}

#[derive(Deserialize)]
pub struct ConsentPath {
    token: String,
    organisation: String,
}

/// The signer withdraws their consent to one organisation: it leaves that partner's export, and
/// its webhooks (and the campaign's) hear `consent.withdrawn`. The signature stays.
pub async fn withdraw_consent(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(ConsentPath { token, organisation }): Path<ConsentPath>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let (signature, _) = match open(&state, &token).await? {
        Ok(found) => found,
        Err(problem) => return problem.page(&state, &visitor),
    };
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let org = state.store.organisation_by_slug(&organisation).await?.ok_or(AppError::NotFound)?;
    if !state.store.withdraw_consent(signature.id, org.id, now()).await? {
        return Err(AppError::NotFound);
    }
    state.webhooks_queued.notify_one();
    Ok(Redirect::to(&format!("/s/manage/{token}?saved=1")).into_response())
}

/// Everything held about the signature, as JSON, for the signer to keep.
pub async fn data(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (signature, campaign) = match open(&state, &token).await? {
        Ok(found) => found,
        Err(problem) => return problem.page(&state, &visitor),
    };
    let v = &signature.signer;
    let when = |t: time::OffsetDateTime| t.format(&Rfc3339).unwrap_or_default();
    // The answers to the campaign's own questions, each with the question as the signer read it.
    let questions = state.page_cache.questions(&*state.store, campaign.id).await?;
    let answers: Vec<serde_json::Value> = v
        .answers
        .iter()
        .map(|(id, answer)| {
            let question = questions.iter().find(|q| q.id == *id);
            let prompt = question.map(|q| q.prompt_in(&v.lang, &campaign.content.default_lang));
            serde_json::json!({ "question": prompt, "answer": answer.value })
        })
        .collect();
    let body = serde_json::json!({
        "campaign": campaign.content.slug.as_str(),
        "name": v.name,
        "email": v.email.as_str(),
        "country": v.country,
        "city": v.city,
        "affiliation": v.affiliation,
        "comment": v.comment,
        "answers": answers,
        "sealed_to_organisers": signature.sealed_to_owners,
        "name_shown_as": v.display.as_str(),
        "wants_news": v.opt_in,
        "language": v.lang.as_str(),
        "status": signature.status.as_str(),
        "signed_at": when(signature.created_at),
        "confirmed_at": signature.confirmed_at.map(when),
        "source": signature.src,
        "consented_to": consents_of(&state, &signature).await?.into_iter().map(|(slug, _)| slug).collect::<Vec<_>>(),
        "note": "The site also keeps a keyed hash of this address (for one signature per person) and, for a few days, of your IP address (against abuse); neither can be turned back into the address.",
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"my-signature.json\"".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        serde_json::to_string_pretty(&body).unwrap_or_default(),
    )
        .into_response())
}
