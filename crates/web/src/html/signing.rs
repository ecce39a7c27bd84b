//! After signing: the "check your email" page, the thanks, and the emailed links to confirm or
//! withdraw a signature (each a page with a button: a GET never changes anything, since mail
//! scanners open links). The sign form itself is the campaign page's (`html::campaign`).

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use undersigned_core::Campaign;
use undersigned_core::keys::{TokenCheck, TokenKind};
use undersigned_core::signature::Signature;
use undersigned_core::store::{Confirmation, now};

use crate::html::campaign::Shown;
use crate::render::campaign::{counts_context, public_campaign, version_for};
use crate::render::messages::{LinkProblem, action_page, message, message_context};
use crate::render::share;
use crate::security::Framed;
use crate::withdrawal::withdraw_signature;
use crate::{AppError, AppState, Visitor};

pub async fn check_email(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    check_email_in(&state, &visitor, &slug, Shown::Page).await
}

/// "Check your email" in the embeddable page's frame, after signing there.
pub async fn check_email_embedded(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    check_email_in(&state, &visitor, &slug, Shown::Embedded).await
}

async fn check_email_in(
    state: &AppState,
    visitor: &Visitor,
    slug: &str,
    shown: Shown,
) -> Result<Response, AppError> {
    let campaign = public_campaign(state, slug).await?;
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let (heading, text) = (t("check-email-heading"), vec![t("check-email-text"), t("check-email-missing")]);
    let slug = &campaign.content.slug;
    match shown {
        Shown::Page => {
            let back = (format!("/c/{slug}"), t("back-to-campaign"));
            message(state, visitor, StatusCode::OK, heading, text, Some(back))
        }
        Shown::Embedded => {
            // Back to the form, for the next person at the same screen.
            let back = (format!("/c/{slug}/embed?lang={}", visitor.ui), t("embed-sign-again"));
            let page = message_context(heading, text, Some(back), true);
            let html = state.pages.render("message.html", visitor, page)?;
            Ok(Framed::sites(&campaign.content.embed_sites).apply(html.into_response()))
        }
    }
}

#[derive(serde::Deserialize)]
pub struct ThanksQuery {
    /// The confirmed signature's index in the campaign's log.
    leaf: Option<String>,
}

pub async fn thanks(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    axum::extract::Query(query): axum::extract::Query<ThanksQuery>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let (counts, _) = state.page_cache.counts(&*state.store, campaign.id).await?;
    let i18n = &state.pages.i18n;
    let version = version_for(&campaign, &visitor);
    let page = context! {
        title => i18n.t(&visitor.ui, "thanks-heading", None),
        campaign_title => &version.title,
        campaign_lang => version.lang.as_str(),
        campaign_path => format!("/c/{}", campaign.content.slug),
        counts => counts_context(i18n, &visitor.ui, &counts, campaign.content.signature_goal),
        share => share::context(&state, campaign.content.slug.as_str(), &version.title),
        log_entry => query.leaf.and_then(|l| l.parse::<u64>().ok()),
    };
    Ok(state.pages.render("thanks.html", &visitor, page)?.into_response())
}

pub async fn withdrawn(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    // A withdrawn campaign's signers withdraw too; there is no page to go back to then.
    let campaign = crate::render::campaign::signers_campaign(&state, &slug).await?;
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let back = crate::render::campaign::back_to(&campaign).map(|path| (path, t("back-to-campaign")));
    message(&state, &visitor, StatusCode::OK, t("withdrawn-heading"), vec![t("withdrawn-text")], back)
}

/// The signature and campaign a link opens, if the link is genuine and current.
async fn signature_link(
    state: &AppState,
    kind: TokenKind,
    token: &str,
) -> Result<Result<(Signature, Arc<Campaign>), LinkProblem>, AppError> {
    let Some(decoded) = state.keys.decode(kind, token) else { return Ok(Err(LinkProblem::Invalid)) };
    let Some(signature) = state.store.signature(decoded.id).await? else {
        return Ok(Err(LinkProblem::Invalid));
    };
    let check = state.keys.check(&decoded, &signature.email_key, now());
    if check == TokenCheck::Invalid {
        return Ok(Err(LinkProblem::Invalid));
    }
    // As read in the last second: a crowd confirming reads it once, not three queries each.
    let Some(campaign) = state.page_cache.campaign_by_id(&*state.store, signature.campaign_id).await? else {
        return Ok(Err(LinkProblem::Invalid));
    };
    if check == TokenCheck::Expired {
        return Ok(Err(LinkProblem::Expired(Box::new(Campaign::clone(&campaign)))));
    }
    Ok(Ok((signature, campaign)))
}

/// The confirmation page's form: the revision of the signature it showed (none: the first).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConfirmForm {
    csrf: String,
    revision: String,
}

/// What an emailed link about a signature does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SignatureLink {
    Confirm,
    Withdraw,
}

impl SignatureLink {
    fn token_kind(self) -> TokenKind {
        match self {
            Self::Confirm => TokenKind::ConfirmSignature,
            Self::Withdraw => TokenKind::WithdrawSignature,
        }
    }

    /// The prefix of the page's translations (`confirm-heading`, `withdraw-button`...).
    fn words(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Withdraw => "withdraw",
        }
    }
}

/// Shows the page behind a signature link (GET), or does what it says once its button is pressed (POST).
async fn signature_action(
    state: AppState,
    visitor: Visitor,
    link: SignatureLink,
    token: String,
    submitted: Option<ConfirmForm>,
) -> Result<Response, AppError> {
    let (signature, campaign) = match signature_link(&state, link.token_kind(), &token).await? {
        Ok(found) => found,
        Err(problem) => return problem.page(&state, &visitor),
    };
    if link == SignatureLink::Confirm {
        return confirm_action(&state, &visitor, &signature, &campaign, submitted).await;
    }
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, &format!("{}-{key}", link.words()), None);
    let version = version_for(&campaign, &visitor);
    let show = |status, alert| {
        action_page(
            &state,
            &visitor,
            status,
            t("heading"),
            vec![t("text")],
            t("button"),
            Some((&version.title, &version.lang)),
            alert,
        )
    };
    let slug = &campaign.content.slug;
    match submitted {
        None => show(StatusCode::OK, None),
        Some(form) if !visitor.csrf_ok(&state.keys, &form.csrf) => {
            show(StatusCode::FORBIDDEN, Some(state.pages.i18n.t(&visitor.ui, "form-error-csrf", None)))
        }
        Some(_) => {
            withdraw_signature(&state, &signature).await?;
            Ok(Redirect::to(&format!("/c/{slug}/withdrawn")).into_response())
        }
    }
}

/// The confirmation page shows exactly what will be published (the latest submission from the
/// address), and its button confirms exactly that revision: a later submission made meanwhile
/// is shown again instead of confirmed unseen.
async fn confirm_action(
    state: &AppState,
    visitor: &Visitor,
    signature: &Signature,
    campaign: &Campaign,
    submitted: Option<ConfirmForm>,
) -> Result<Response, AppError> {
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let alert = match submitted {
        None => None,
        Some(form) if !visitor.csrf_ok(&state.keys, &form.csrf) => {
            let page = confirm_page_for(state, visitor, signature, campaign, Some(t("form-error-csrf")))?;
            return Ok((StatusCode::FORBIDDEN, page).into_response());
        }
        Some(form) => {
            let revision = form.revision.trim().parse().unwrap_or(0);
            match state.store.confirm_signature_revision(signature.id, revision, now()).await? {
                Confirmation::Confirmed { .. } | Confirmation::AlreadyConfirmed
                    if campaign.content.status == undersigned_core::CampaignStatus::Draft =>
                {
                    // Only a proposal's draft is signed before it opens: by its sponsors.
                    return crate::html::propose::sponsor_confirmed(state, visitor, campaign).await;
                }
                confirmed @ (Confirmation::Confirmed { .. } | Confirmation::AlreadyConfirmed) => {
                    // The thanks page names the signature's entry in the log: known from the
                    // confirmation's own transaction, read again only for one confirmed before.
                    let index = match confirmed {
                        Confirmation::Confirmed { leaf } => leaf,
                        _ => state.store.signature_receipt(signature.id).await?.and_then(|r| r.index),
                    };
                    let leaf = index.map(|i| format!("?leaf={i}")).unwrap_or_default();
                    let thanks = format!("/c/{}/thanks{leaf}", campaign.content.slug);
                    return Ok(Redirect::to(&thanks).into_response());
                }
                Confirmation::NotFound => return LinkProblem::Invalid.page(state, visitor),
                Confirmation::Changed => Some(t("confirm-changed")),
            }
        }
    };
    // Changed meanwhile: show the signature as it is now.
    let current = match alert {
        Some(_) => state.store.signature(signature.id).await?,
        None => Some(signature.clone()),
    };
    let Some(current) = current else { return LinkProblem::Invalid.page(state, visitor) };
    let status = if alert.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    Ok((status, confirm_page_for(state, visitor, &current, campaign, alert)?).into_response())
}

fn confirm_page_for(
    state: &AppState,
    visitor: &Visitor,
    signature: &Signature,
    campaign: &Campaign,
    alert: Option<String>,
) -> Result<axum::response::Html<String>, AppError> {
    let i18n = &state.pages.i18n;
    let v = &signature.signer;
    let version = version_for(campaign, visitor);
    let page = context! {
        title => i18n.t(&visitor.ui, "confirm-heading", None),
        campaign_title => &version.title,
        campaign_lang => version.lang.as_str(),
        action => &visitor.path,
        alert => alert,
        s => context! {
            listed_as => v.display.public_name(&v.name),
            country => i18n.country(&visitor.ui, &v.country),
            city => &v.city,
            affiliation => &v.affiliation,
            comment => &v.comment,
            sealed => signature.sealed_to_owners.is_some(),
            opt_in => v.opt_in,
            revision => signature.revision,
        },
    };
    state.pages.render("confirm-signature.html", visitor, page)
}

pub async fn confirm_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    signature_action(state, visitor, SignatureLink::Confirm, token, None).await
}

pub async fn confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    signature_action(state, visitor, SignatureLink::Confirm, token, Some(form)).await
}

pub async fn withdraw_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    signature_action(state, visitor, SignatureLink::Withdraw, token, None).await
}

pub async fn withdraw(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    signature_action(state, visitor, SignatureLink::Withdraw, token, Some(form)).await
}
