//! Signing: the form's POST, the "check your email" page, and the emailed links to confirm or
//! withdraw a signature (each a page with a button: a GET never changes anything, since mail
//! scanners open links).

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use governor::clock::{Clock, DefaultClock};
use minijinja::context;
use serde::Deserialize;
use undersigned_core::keys::{TokenCheck, TokenKind};
use undersigned_core::signature::{NewSignature, Signature, SignatureInput};
use undersigned_core::store::{Confirmation, SignatureRecord, now};
use undersigned_core::{Campaign, Lang};

use super::campaign::{counts_context, public_campaign, render_with_form, signed_version, version_for};
use crate::forms::FormState;
use crate::{AppError, AppState, Visitor};

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

/// Whether the visitor's connection may sign (or endorse) once more this hour; the seconds to wait if not.
pub fn rate_limited(state: &AppState, visitor: &Visitor) -> Option<u64> {
    let (limiter, ip) = (state.sign_limiter.as_ref()?, visitor.ip_key(&state.keys)?);
    limiter
        .check_key(&ip)
        .err()
        .map(|not_until| not_until.wait_time_from(DefaultClock::default().now()).as_secs() + 1)
}

pub fn with_retry_after(mut response: Response, seconds: u64) -> Response {
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

pub async fn sign(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Form(form): Form<SignForm>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let i18n = &state.pages.i18n;
    let lang = &visitor.ui;
    let input = form.input();
    let refuse = |key: &str| FormState::new(input.clone()).with_alert(i18n.t(lang, key, None));
    if !campaign.content.is_open_at(now()) {
        return render_with_form(
            &state,
            &visitor,
            &campaign,
            refuse("sign-error-closed"),
            StatusCode::CONFLICT,
        )
        .await;
    }
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return render_with_form(
            &state,
            &visitor,
            &campaign,
            refuse("form-error-csrf"),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    if let Some(wait) = rate_limited(&state, &visitor) {
        let page = refuse("sign-error-rate-limit");
        let response =
            render_with_form(&state, &visitor, &campaign, page, StatusCode::TOO_MANY_REQUESTS).await?;
        return Ok(with_retry_after(response, wait));
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
    let record = SignatureRecord {
        campaign_id: campaign.id,
        email_key: state.keys.email_key(campaign.id, &signer.email.canonical()),
        signer,
        version: signed_version(&campaign, &visitor, &form.version),
        ip_key: crate::ip_hash::stored_ip_key(&state, &visitor).await?,
        now: now(),
    };
    // Whatever the outcome (new, still pending, signed already), the signer sees the same page:
    // it must not tell anyone whether an address has signed.
    state.store.sign(&record, state.config.mail_budget).await?;
    state.mail_queued.notify_one();
    Ok(check_email)
}

/// A page with a heading, paragraphs and a link.
pub fn message(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    heading: String,
    paragraphs: Vec<String>,
    link: Option<(String, String)>,
) -> Result<Response, AppError> {
    let link = link.map(|(href, text)| context! { href => href, text => text });
    let page = context! { title => &heading, heading => heading, paragraphs => paragraphs, link => link };
    Ok((status, state.pages.render("message.html", visitor, page)?).into_response())
}

pub async fn check_email(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let back = (format!("/c/{}", campaign.content.slug), t("back-to-campaign"));
    message(
        &state,
        &visitor,
        StatusCode::OK,
        t("check-email-heading"),
        vec![t("check-email-text"), t("check-email-missing")],
        Some(back),
    )
}

pub async fn thanks(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
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
        share => super::share::context(&state, campaign.content.slug.as_str(), &version.title),
    };
    Ok(state.pages.render("thanks.html", &visitor, page)?.into_response())
}

pub async fn withdrawn(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    // A withdrawn campaign's signers withdraw too; there is no page to go back to then.
    let campaign = super::campaign::signers_campaign(&state, &slug).await?;
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let back = super::manage::back_to(&campaign).map(|path| (path, t("back-to-campaign")));
    message(&state, &visitor, StatusCode::OK, t("withdrawn-heading"), vec![t("withdrawn-text")], back)
}

/// Why an emailed link cannot be used.
pub enum LinkProblem {
    /// Damaged, forged, or for something that no longer exists.
    Invalid,
    /// Genuine but too old; the campaign it was for, to sign again.
    Expired(Box<Campaign>),
    /// A set-password link, genuine but too old: ask for another.
    ExpiredAccount,
}

impl LinkProblem {
    pub fn page(self, state: &AppState, visitor: &Visitor) -> Result<Response, AppError> {
        let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
        match self {
            Self::Invalid => message(
                state,
                visitor,
                StatusCode::NOT_FOUND,
                t("link-invalid-heading"),
                vec![t("link-invalid-text")],
                Some(("/".into(), t("error-home-link"))),
            ),
            Self::ExpiredAccount => message(
                state,
                visitor,
                StatusCode::GONE,
                t("link-expired-heading"),
                vec![t("password-link-expired-text")],
                Some(("/account/forgot".into(), t("forgot-heading"))),
            ),
            Self::Expired(campaign) => message(
                state,
                visitor,
                StatusCode::GONE,
                t("link-expired-heading"),
                vec![t("link-expired-text")],
                Some((format!("/c/{}", campaign.content.slug), t("back-to-campaign"))),
            ),
        }
    }
}

/// The signature and campaign a link opens, if the link is genuine and current.
async fn signature_link(
    state: &AppState,
    kind: TokenKind,
    token: &str,
) -> Result<Result<(Signature, Campaign), LinkProblem>, AppError> {
    let Some(decoded) = state.keys.decode(kind, token) else { return Ok(Err(LinkProblem::Invalid)) };
    let Some(signature) = state.store.signature(decoded.id).await? else {
        return Ok(Err(LinkProblem::Invalid));
    };
    let check = state.keys.check(&decoded, &signature.email_key, now());
    if check == TokenCheck::Invalid {
        return Ok(Err(LinkProblem::Invalid));
    }
    let Some(campaign) = state.store.campaign_by_id(signature.campaign_id).await? else {
        return Ok(Err(LinkProblem::Invalid));
    };
    if check == TokenCheck::Expired {
        return Ok(Err(LinkProblem::Expired(Box::new(campaign))));
    }
    Ok(Ok((signature, campaign)))
}

/// A page with one button that POSTs back to the same address.
#[allow(clippy::too_many_arguments)]
pub fn action_page(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    heading: String,
    paragraphs: Vec<String>,
    button: String,
    campaign_title: Option<(&str, &Lang)>,
    alert: Option<String>,
) -> Result<Response, AppError> {
    let page = context! {
        title => &heading,
        heading => heading,
        paragraphs => paragraphs,
        button => button,
        action => &visitor.path,
        campaign_title => campaign_title.map(|(t, _)| t),
        campaign_lang => campaign_title.map(|(_, l)| l.as_str()),
        alert => alert,
    };
    Ok((status, state.pages.render("action.html", visitor, page)?).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ButtonForm {
    pub csrf: String,
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

/// Withdraws a signature, and forgets its signer's address behind their comments on the campaign
/// (the comments stay, with their name; those not confirmed go): the signer asked for everything
/// held about them to go.
pub async fn withdraw_signature(state: &AppState, signature: &Signature) -> Result<(), AppError> {
    state.store.withdraw_signature(signature.id).await?;
    let commenter = state.keys.email_key(0, &signature.signer.email.canonical());
    state.store.forget_commenter(signature.campaign_id, &commenter).await?;
    Ok(())
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
                Confirmation::Confirmed | Confirmation::AlreadyConfirmed => {
                    let thanks = format!("/c/{}/thanks", campaign.content.slug);
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
