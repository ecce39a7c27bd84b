//! The public's side of proposals (`undersigned_core::proposal`), when the site lets anyone start
//! a campaign: `/propose` (the form), `/p/{token}` (the proposer's private page, from their mail:
//! confirm the address, edit the draft until someone sponsors it, pass on the sponsor link,
//! follow the decision), `/sponsor/{token}` (the draft as its sponsors read and sign it) and
//! `/rejected` (the proposals moderators rejected, with their reasons, unless the reason hides
//! them).
//!
//! Sponsoring is signing: the sponsor form is the sign form, sent to the draft, confirmed from the
//! same mail; [`sponsor_confirmed`] is where a confirmed sponsor moves the proposal on.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use time::Duration;
use undersigned_core::keys::{TokenCheck, TokenKind};
use undersigned_core::proposal::{Proposal, ProposalState, ProposalText, WhoStarts, slug_for};
use undersigned_core::signature::{NewSignature, SignatureInput};
use undersigned_core::store::{NewProposal, now};
use undersigned_core::validation::{self, Email, ValidationError};
use undersigned_core::{Campaign, CampaignContent, CampaignStatus, Contact, Lang, StoreError};

use crate::html::campaign::{SignForm, sign_form};
use crate::limits::{PublicForm, guard_sent_form};
use crate::render::campaign::{signed_version, version_context_with, version_for};
use crate::render::forms::FormState;
use crate::render::messages::{LinkProblem, message};
use crate::{AppError, AppState, Visitor};

pub mod pictures;

/// A proposer's private link and a proposal's sponsor link work for long: a proposal may wait
/// months for sponsors and a decision.
const LINK_DAYS: i64 = 400;

/// The proposal form: its text, the language it is written in, and its proposer.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct ProposeForm {
    #[serde(flatten)]
    text: ProposalText,
    lang: String,
    name: String,
    email: String,
    #[serde(skip_serializing)]
    homepage: String,
    #[serde(skip_serializing)]
    csrf: String,
}

/// The languages a proposal may be written in: the site's.
fn langs(state: &AppState) -> Vec<Value> {
    let i18n = &state.pages.i18n;
    i18n.langs().iter().map(|l| context! { tag => l.as_str(), name => i18n.native_name(l) }).collect()
}

/// The site lets anyone propose, or this is no page.
async fn proposals_open(state: &AppState) -> Result<(), AppError> {
    match state.store.site_settings().await?.who_starts {
        WhoStarts::Anyone => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

fn render_form(
    state: &AppState,
    visitor: &Visitor,
    form: FormState<ProposeForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "propose-heading", None),
        form => form,
        langs => langs(state),
    };
    Ok((status, state.pages.render("propose/form.html", visitor, page)?).into_response())
}

pub async fn form(State(state): State<AppState>, visitor: Visitor) -> Result<Response, AppError> {
    proposals_open(&state).await?;
    let form = ProposeForm { lang: visitor.ui.to_string(), ..Default::default() };
    render_form(&state, &visitor, FormState::new(form), StatusCode::OK)
}

pub async fn propose(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<ProposeForm>,
) -> Result<Response, AppError> {
    proposals_open(&state).await?;
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    let refuse = |key: &str, status| {
        let page = FormState::new(form.clone()).with_alert(i18n.t(ui, key, None));
        render_form(&state, &visitor, page, status)
    };
    if visitor.from_elsewhere {
        return refuse("form-error-elsewhere", StatusCode::FORBIDDEN);
    }
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return refuse("form-error-csrf", StatusCode::FORBIDDEN);
    }
    if let Some(wait) = crate::limits::rate_limited(&state, &visitor).await? {
        let response = refuse("sign-error-rate-limit", StatusCode::TOO_MANY_REQUESTS)?;
        return Ok(crate::limits::with_retry_after(response, wait));
    }
    let sent = Redirect::to("/propose/sent").into_response();
    if !form.homepage.trim().is_empty() {
        tracing::info!("a proposal with the honeypot filled was dropped");
        return Ok(sent);
    }
    let lang = Lang::parse("lang", &form.lang).ok().filter(|l| i18n.langs().contains(l));
    let version = form.text.version(lang.clone().unwrap_or_else(|| ui.clone()));
    let name = validation::name("name", &form.name, 1, 200);
    let email = Email::parse("email", &form.email);
    let ((version, demands), name, email) = match (version, name, email, lang) {
        (Ok(v), Ok(n), Ok(e), Some(_)) => (v, n, e),
        (v, n, e, l) => {
            let mut errors: Vec<ValidationError> = Vec::new();
            if l.is_none() {
                errors.push(ValidationError::new("lang", "not a language of the site"));
            }
            errors.extend(v.err().unwrap_or_default());
            errors.extend(n.err());
            errors.extend(e.err());
            let page = FormState::new(form.clone()).with_errors(i18n, ui, &errors);
            return render_form(&state, &visitor, page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let canonical = email.canonical();
    // One address asks for only so many mails: a proposal a mail.
    let budget = state.keys.budget_key("propose", &canonical);
    if !state.store.take_mail_budget(&budget, state.config.mail_budget, now()).await? {
        return Ok(sent);
    }
    let mut proposal = NewProposal {
        content: CampaignContent {
            slug: slug_for(&version.title, rand::random()),
            status: CampaignStatus::Draft,
            opens_at: None,
            closes_at: None,
            dated: None,
            contact: Contact { name: name.clone(), email: None },
            signature_goal: None,
            default_lang: version.lang.clone(),
            versions: vec![version],
            demands,
            embed_sites: Default::default(),
        },
        proposer_name: name,
        email_key: state.keys.budget_key("proposer", &canonical).to_vec(),
        proposer_email: email,
        lang: ui.clone(),
    };
    // The address's random tail makes a taken one unlikely; a few tries make it certain enough.
    for _ in 0..3 {
        match state.store.create_proposal(&proposal, now()).await {
            Ok(_) => {
                state.mail_queued.notify_one();
                return Ok(sent);
            }
            Err(StoreError::Conflict(_)) => {
                let title = &proposal.content.versions[0].title;
                proposal.content.slug = slug_for(title, rand::random());
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Conflict("three addresses for a proposal were taken".into()).into())
}

pub async fn sent(State(state): State<AppState>, visitor: Visitor) -> Result<Response, AppError> {
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let text = vec![t("propose-sent-text"), t("check-email-missing")];
    message(&state, &visitor, StatusCode::OK, t("check-email-heading"), text, None)
}

/// The links of a proposal: its proposer's private one, and the sponsors'.
pub fn private_link(state: &AppState, proposal: &Proposal) -> String {
    let expires = now() + Duration::days(LINK_DAYS);
    let token = state.keys.token(TokenKind::EditProposal, proposal.id, expires, &proposal.email_key);
    format!("{}{}", state.config.base_url, crate::links::fill(crate::links::PROPOSAL, &token))
}

pub fn sponsor_link(state: &AppState, proposal: &Proposal, campaign: &Campaign) -> String {
    let expires = now() + Duration::days(LINK_DAYS);
    let token =
        state.keys.token(TokenKind::SponsorProposal, proposal.id, expires, &sponsor_binding(campaign));
    format!("{}{}", state.config.base_url, crate::links::fill(crate::links::SPONSOR, &token))
}

/// What a sponsor link is bound to: the draft's address, which no one changes.
fn sponsor_binding(campaign: &Campaign) -> Vec<u8> {
    campaign.content.slug.as_str().as_bytes().to_vec()
}

/// The proposal and its draft that a link opens, if the link is genuine and current.
async fn proposal_link(
    state: &AppState,
    kind: TokenKind,
    token: &str,
) -> Result<Option<(Proposal, Campaign)>, AppError> {
    let Some(decoded) = state.keys.decode(kind, token) else { return Ok(None) };
    let Some(proposal) = state.store.proposal(decoded.id).await? else { return Ok(None) };
    let Some(campaign) = state.store.campaign_by_id(proposal.campaign_id).await? else { return Ok(None) };
    let binding = match kind {
        TokenKind::SponsorProposal => sponsor_binding(&campaign),
        _ => proposal.email_key.clone(),
    };
    Ok((state.keys.check(&decoded, &binding, now()) == TokenCheck::Valid).then_some((proposal, campaign)))
}

/// How many sponsors have confirmed, and whether anyone has signed the draft at all (then its
/// text is what they signed, and stays).
async fn sponsors(state: &AppState, campaign: &Campaign) -> Result<(i64, bool), AppError> {
    Ok(state.store.sponsors(campaign.id).await?)
}

/// Whether the proposer may still change the draft (its text and its pictures): while it gathers
/// sponsors and no one has signed it (then it stays as they read it).
async fn editable(state: &AppState, proposal: &Proposal, campaign: &Campaign) -> Result<bool, AppError> {
    let (_, signed) = sponsors(state, campaign).await?;
    Ok(proposal.state == ProposalState::Gathering && !signed)
}

/// The proposer's private page: what is asked of them now.
#[derive(Deserialize, Default, Clone, Serialize)]
#[serde(default)]
pub struct PrivateForm {
    /// `confirm` (the address) or `save` (the text).
    action: String,
    #[serde(flatten)]
    text: ProposalText,
    #[serde(skip_serializing)]
    csrf: String,
}

pub async fn private_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some((proposal, campaign)) = proposal_link(&state, TokenKind::EditProposal, &token).await? else {
        return LinkProblem::Invalid.page(&state, &visitor);
    };
    render_private(&state, &visitor, &token, &proposal, &campaign, None, StatusCode::OK).await
}

pub async fn private_action(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<PrivateForm>,
) -> Result<Response, AppError> {
    let Some((proposal, campaign)) = proposal_link(&state, TokenKind::EditProposal, &token).await? else {
        return LinkProblem::Invalid.page(&state, &visitor);
    };
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    // The page again, with the form as sent and what is wrong with it.
    let again = |page: FormState<PrivateForm>, status| {
        render_private(&state, &visitor, &token, &proposal, &campaign, Some(page), status)
    };
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(ui, "form-error-csrf", None));
        return again(page, StatusCode::FORBIDDEN).await;
    }
    let here = Redirect::to(&format!("/p/{token}")).into_response();
    match form.action.as_str() {
        "confirm" => {
            state.store.confirm_proposal(proposal.id, now()).await?;
            Ok(here)
        }
        "save" => {
            if !editable(&state, &proposal, &campaign).await? {
                let page = FormState::new(form.clone()).with_alert(i18n.t(ui, "proposal-frozen", None));
                return again(page, StatusCode::CONFLICT).await;
            }
            let (version, demands) = match form.text.version(campaign.content.default_lang.clone()) {
                Ok(text) => text,
                Err(errors) => {
                    let page = FormState::new(form.clone()).with_errors(i18n, ui, &errors);
                    let status = StatusCode::UNPROCESSABLE_ENTITY;
                    return again(page, status).await;
                }
            };
            let mut content = campaign.content.clone();
            content.versions = vec![version];
            // A proposal has one version: its demands are its list, by position.
            let mut demands = demands;
            undersigned_core::demand::keep_keys_by_position(&mut demands, &content.demands);
            content.demands = demands;
            state.store.save_campaign(campaign.id, &content, false, now()).await?;
            Ok(Redirect::to(&format!("/p/{token}?saved=1")).into_response())
        }
        _ => Ok(here),
    }
}

async fn render_private(
    state: &AppState,
    visitor: &Visitor,
    token: &str,
    proposal: &Proposal,
    campaign: &Campaign,
    form: Option<FormState<PrivateForm>>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    let (sponsored, signed) = sponsors(state, campaign).await?;
    let settings = state.store.site_settings().await?;
    let version = version_for(campaign, visitor);
    let editable = proposal.state == ProposalState::Gathering && !signed;
    let pictures = state.store.pictures(campaign.id).await?;
    let form = form.unwrap_or_else(|| {
        FormState::new(PrivateForm {
            text: ProposalText::of(&campaign.content, version),
            ..Default::default()
        })
    });
    let page = context! {
        title => i18n.t(ui, "proposal-private-heading", None),
        action => format!("/p/{token}"),
        state => proposal.state.as_str(),
        proposal => proposal_context(state, visitor, proposal, campaign),
        version => version_context_with(i18n, ui, &campaign.content, version, &pictures),
        pictures_path => format!("/p/{token}/pictures"),
        picture_count => pictures.len(),
        sponsored => sponsored,
        needed => settings.sponsors_needed,
        sponsor_link => proposal.state.takes_sponsors().then(|| sponsor_link(state, proposal, campaign)),
        editable => editable,
        form => form,
    };
    Ok((status, state.pages.render("propose/private.html", visitor, page)?).into_response())
}

/// What the pages say of a proposal's decision.
fn proposal_context(state: &AppState, visitor: &Visitor, proposal: &Proposal, campaign: &Campaign) -> Value {
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    context! {
        proposer => &proposal.proposer_name,
        campaign_path => (proposal.state == ProposalState::Published).then(|| format!("/c/{}", campaign.content.slug)),
        reason => proposal.reason.map(|r| i18n.t(ui, &format!("rejection-{}", r.as_str()), None)),
        note => &proposal.note,
        decided => proposal.decided_at.map(|t| i18n.date(ui, t.date())),
        decided_iso => proposal.decided_at.map(|t| t.date().to_string()),
    }
}

pub async fn sponsor_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some((proposal, campaign)) = proposal_link(&state, TokenKind::SponsorProposal, &token).await? else {
        return LinkProblem::Invalid.page(&state, &visitor);
    };
    render_sponsor(&state, &visitor, &token, &proposal, &campaign, FormState::empty(), StatusCode::OK).await
}

/// The draft as its sponsors read it, with the sign form; or, once decided, what was decided.
async fn render_sponsor(
    state: &AppState,
    visitor: &Visitor,
    token: &str,
    proposal: &Proposal,
    campaign: &Campaign,
    form: FormState<SignatureInput>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    if !proposal.state.takes_sponsors() {
        return decided_page(state, visitor, proposal, campaign);
    }
    let (sponsored, _) = sponsors(state, campaign).await?;
    let settings = state.store.site_settings().await?;
    let version = version_for(campaign, visitor);
    let pictures = state.store.pictures(campaign.id).await?;
    let mut sign = sign_form(state, visitor, campaign, form, &[]);
    sign = context! { action => format!("/sponsor/{token}/sign"), ..sign };
    let page = context! {
        title => &version.title,
        heading => i18n.t(ui, "sponsor-heading", None),
        proposal => proposal_context(state, visitor, proposal, campaign),
        version => version_context_with(i18n, ui, &campaign.content, version, &pictures),
        campaign => context! { path => format!("/sponsor/{token}") },
        sponsored => sponsored,
        needed => settings.sponsors_needed,
        moderation => proposal.state == ProposalState::Moderation,
        sign => sign,
    };
    Ok((status, state.pages.render("propose/sponsor.html", visitor, page)?).into_response())
}

/// A sponsor link of a proposal decided already says so, and where to go now.
fn decided_page(
    state: &AppState,
    visitor: &Visitor,
    proposal: &Proposal,
    campaign: &Campaign,
) -> Result<Response, AppError> {
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    let t = |key: &str| i18n.t(ui, key, None);
    match (proposal.state, proposal.reason) {
        (ProposalState::Published, _) => {
            let link = Some((format!("/c/{}", campaign.content.slug), t("sponsor-published-link")));
            message(
                state,
                visitor,
                StatusCode::OK,
                t("sponsor-decided-heading"),
                vec![t("sponsor-published")],
                link,
            )
        }
        (_, Some(reason)) => {
            let mut text = vec![t("sponsor-rejected"), t(&format!("rejection-{}", reason.as_str()))];
            if !reason.hides() && !proposal.note.is_empty() {
                text.push(proposal.note.clone());
            }
            message(state, visitor, StatusCode::GONE, t("sponsor-decided-heading"), text, None)
        }
        // Not confirmed by its proposer: nobody could have been given the link.
        _ => LinkProblem::Invalid.page(state, visitor),
    }
}

pub async fn sponsor(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<SignForm>,
) -> Result<Response, AppError> {
    let Some((proposal, campaign)) = proposal_link(&state, TokenKind::SponsorProposal, &token).await? else {
        return LinkProblem::Invalid.page(&state, &visitor);
    };
    if !proposal.state.takes_sponsors() {
        return decided_page(&state, &visitor, &proposal, &campaign);
    }
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    let input = form.input();
    if let Some(refusal) = guard_sent_form(&state, &visitor, &campaign, PublicForm::Sign, &form.csrf).await? {
        let page = FormState::new(input).with_alert(i18n.t(ui, refusal.key, None));
        let response =
            render_sponsor(&state, &visitor, &token, &proposal, &campaign, page, refusal.status).await?;
        return Ok(refusal.with_retry_after(response));
    }
    let t = |key: &str| i18n.t(ui, key, None);
    let check_email = || {
        let text = vec![t("sponsor-check-email"), t("check-email-missing")];
        message(&state, &visitor, StatusCode::OK, t("check-email-heading"), text, None)
    };
    if !form.homepage.trim().is_empty() {
        tracing::info!("a sponsor with the honeypot filled was dropped");
        return check_email();
    }
    let signer = match NewSignature::parse(&input, ui.clone()) {
        Ok(signer) => signer,
        Err(errors) => {
            let page = FormState::new(input).with_errors(i18n, ui, &errors);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render_sponsor(&state, &visitor, &token, &proposal, &campaign, page, status).await;
        }
    };
    let version = signed_version(&campaign, &visitor, &form.version);
    crate::signing::sign(&state, &visitor, &campaign, signer, version, Default::default()).await?;
    check_email()
}

/// A sponsor confirmed their signature of a proposal's draft (`html::signing`): the proposal goes
/// to the moderators once it has enough, and the sponsor reads where it stands.
pub async fn sponsor_confirmed(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
) -> Result<Response, AppError> {
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let Some(proposal) = state.store.proposal_of_campaign(campaign.id).await? else {
        return message(state, visitor, StatusCode::OK, t("sponsor-thanks-heading"), vec![], None);
    };
    let settings = state.store.site_settings().await?;
    if state.store.proposal_sponsored(proposal.id, settings.sponsors_needed, now()).await? {
        state.mail_queued.notify_one();
    }
    let (sponsored, _) = sponsors(state, campaign).await?;
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("count", sponsored);
    args.set("needed", settings.sponsors_needed);
    let text = vec![state.pages.i18n.t(&visitor.ui, "sponsor-thanks-text", Some(&args))];
    message(state, visitor, StatusCode::OK, t("sponsor-thanks-heading"), text, None)
}

/// `/rejected`: the proposals moderators rejected, with their reasons, but those the reason
/// hides.
pub async fn rejected(State(state): State<AppState>, visitor: Visitor) -> Result<Response, AppError> {
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    let mut items = Vec::new();
    for proposal in state.store.proposals(&[ProposalState::Rejected]).await? {
        if proposal.reason.is_none_or(|r| r.hides()) {
            continue;
        }
        let Some(campaign) = state.store.campaign_by_id(proposal.campaign_id).await? else { continue };
        let version = version_for(&campaign, &visitor);
        items.push(context! {
            title => &version.title,
            lang => version.lang.as_str(),
            summary => &version.summary,
            proposal => proposal_context(&state, &visitor, &proposal, &campaign),
        });
    }
    let page = context! { title => i18n.t(ui, "rejected-heading", None), proposals => items };
    Ok(state.pages.render("propose/rejected.html", &visitor, page)?.into_response())
}
