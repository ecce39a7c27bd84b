//! Comments from the public, as under the 2004 appeal: a name, an address (never shown), an
//! optional website and plain text whose links become clickable (`rel="nofollow ugc"`); one level
//! of replies; every comment waits for its own confirmation by email (an address that confirmed
//! before is no credential: anyone can type it), then for a moderator where the campaign chose
//! pre-moderation; anyone can report a comment. What a comment must be is
//! `undersigned_core::comment_input`'s to say.
//!
//! Or (issue 18) the commenter signs in with an OpenID Connect provider the operator configured
//! (`crate::oidc`): then no address is asked and no mail sent; the comment shows the name typed
//! here (the provider's name and address are never kept) and is held or shown as the campaign
//! chose. The sign-in is a cookie of its own, signed with the secret key (so that every instance
//! reads it), naming the provider, for [`COMMENTER_HOURS`].

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use subtle::ConstantTimeEq;
use undersigned_core::comment_input::{CommentInput, SignedInComment};
use undersigned_core::keys::{TokenCheck, TokenKind};
use undersigned_core::oidc::{Flow, Purpose};
use undersigned_core::store::{Comment, CommentStatus, NewComment, now};
use undersigned_core::{Campaign, CampaignId};

use crate::extract::{cookie, set_cookie};
use crate::limits::{rate_limited, with_retry_after};
use crate::oidc::{Identity, Provider};
use crate::render::campaign::{public_campaign, version_for};
use crate::render::forms::FormState;
use crate::render::linkify::linkify;
use crate::render::messages::{ButtonForm, LinkProblem, action_page, message};
use crate::{AppError, AppState, Visitor};

/// The comment form's fields: the comment, the CSRF token, and a honeypot that people never see.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CommentForm {
    name: String,
    email: String,
    website: String,
    body: String,
    parent: String,
    csrf: String,
    homepage: String,
}

impl CommentForm {
    fn input(&self) -> CommentInput {
        CommentInput {
            name: self.name.clone(),
            email: self.email.clone(),
            website: self.website.clone(),
            body: self.body.clone(),
            parent: self.parent.clone(),
        }
    }
}

fn item(c: &Comment, replies: Vec<Value>) -> Value {
    context! {
        id => c.id,
        name => &c.name,
        website => &c.website,
        organiser => c.organiser,
        body => Value::from_safe_string(linkify(&c.body)),
        date_iso => c.created_at.date().to_string(),
        replies => replies,
    }
}

/// The visible comments, each with its replies under it.
fn threads(comments: &[Comment]) -> Vec<Value> {
    comments
        .iter()
        .filter(|c| c.parent_id.is_none())
        .map(|c| {
            let replies =
                comments.iter().filter(|r| r.parent_id == Some(c.id)).map(|r| item(r, Vec::new())).collect();
            item(c, replies)
        })
        .collect()
}

/// The cookie of a commenter signed in with a provider.
const COMMENTER_COOKIE: &str = "commenter";

/// How long a commenter stays signed in with a provider.
pub const COMMENTER_HOURS: i64 = 2;

/// The commenter cookie's MAC over what it says.
fn commenter_mac(state: &AppState, says: &str) -> String {
    hex::encode(state.keys.oidc_key("commenter", says))
}

/// The provider the request's commenter signed in with, if its cookie is ours and current (and
/// the provider still configured).
fn signed_in_with<'s>(state: &'s AppState, headers: &HeaderMap) -> Option<&'s Provider> {
    let value = cookie(headers, &state.config.cookie_name(COMMENTER_COOKIE))?;
    let (says, mac) = value.rsplit_once('.')?;
    let expected = commenter_mac(state, says);
    if !bool::from(expected.as_bytes().ct_eq(mac.as_bytes())) {
        return None;
    }
    let (provider, until) = says.split_once('.')?;
    let until: i64 = until.split('.').next()?.parse().ok()?;
    (now().unix_timestamp() < until).then_some(())?;
    state.oidc.get(provider)
}

fn commenter_cookie(state: &AppState, value: &str, max_age: i64) -> Result<HeaderValue, AppError> {
    let text = set_cookie(&state.config, COMMENTER_COOKIE, value, Some(max_age));
    HeaderValue::from_str(&text).map_err(|_| AppError::BadRequest)
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    form: FormState<CommentInput>,
    status: StatusCode,
    signed_in: Option<&Provider>,
) -> Result<Response, AppError> {
    let comments = state.store.comments(campaign.id, &[CommentStatus::Visible]).await?;
    let version = version_for(campaign, visitor);
    let providers: Vec<Value> = match signed_in {
        Some(_) => Vec::new(),
        None => state.oidc.list().iter().map(|p| context! { id => &p.id, name => &p.name }).collect(),
    };
    let page = context! {
        title => state.pages.i18n.t1(&visitor.ui, "comments-title", "campaign", version.title.clone()),
        campaign_title => &version.title,
        campaign_lang => version.lang.as_str(),
        campaign_path => format!("/c/{}", campaign.content.slug),
        threads => threads(&comments),
        form => form,
        signed_in => signed_in.map(|p| &p.name),
        providers => providers,
    };
    let page = (status, state.pages.render("comments.html", visitor, page)?).into_response();
    Ok(state.oidc.allow_forms(page))
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let signed_in = signed_in_with(&state, &headers);
    render(&state, &visitor, &campaign, FormState::empty(), StatusCode::OK, signed_in).await
}

pub async fn post(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(form): Form<CommentForm>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let signed_in = signed_in_with(&state, &headers);
    let (i18n, input) = (&state.pages.i18n, form.input());
    let t = |key: &str| i18n.t(&visitor.ui, key, None);
    let refuse = |key: &str| FormState::new(input.clone()).with_alert(t(key));
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = refuse("form-error-csrf");
        return render(&state, &visitor, &campaign, page, StatusCode::FORBIDDEN, signed_in).await;
    }
    if let Some(wait) = rate_limited(&state, &visitor).await? {
        let page = refuse("comment-error-rate-limit");
        let response =
            render(&state, &visitor, &campaign, page, StatusCode::TOO_MANY_REQUESTS, signed_in).await?;
        return Ok(with_retry_after(response, wait));
    }
    let check_email = (t("check-email-heading"), vec![t("comment-check-email")]);
    if !form.homepage.trim().is_empty() {
        tracing::info!("a comment with the honeypot filled was dropped");
        return message(&state, &visitor, StatusCode::OK, check_email.0, check_email.1, None);
    }
    if let Some(parent) = input.parent_id().map_err(|_| AppError::BadRequest)? {
        answerable(&state, campaign.id, parent).await?;
    }
    if signed_in.is_some() {
        let comment = match SignedInComment::parse(&input, campaign.id, now()) {
            Ok(comment) => comment,
            Err(errors) => {
                let page = FormState::new(input).with_errors(i18n, &visitor.ui, &errors);
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                return render(&state, &visitor, &campaign, page, status, signed_in).await;
            }
        };
        let pre = state.store.pre_moderation(campaign.id).await?;
        let status = state.store.add_signed_in_comment(&comment, pre).await?;
        return published(&state, &visitor, &campaign, status);
    }
    let comment = match NewComment::parse(&input, campaign.id, &state.keys, now()) {
        Ok(comment) => comment,
        Err(errors) => {
            let page = FormState::new(input).with_errors(i18n, &visitor.ui, &errors);
            return render(&state, &visitor, &campaign, page, StatusCode::UNPROCESSABLE_ENTITY, None).await;
        }
    };
    keep(&state, &comment).await?;
    let back = Some((format!("/c/{slug}/comments"), t("comments-back")));
    message(&state, &visitor, StatusCode::OK, check_email.0, check_email.1, back)
}

/// One level of replies: a reply answers a visible comment of the campaign that is not itself a
/// reply; anything else came from no page of ours.
async fn answerable(state: &AppState, campaign: CampaignId, parent: i64) -> Result<(), AppError> {
    match state.store.comment(parent).await? {
        Some((c, _))
            if c.campaign_id == campaign && c.status == CommentStatus::Visible && c.parent_id.is_none() =>
        {
            Ok(())
        }
        _ => Err(AppError::BadRequest),
    }
}

/// Every comment waits for its own link, so the answer is the same whatever the address did
/// before; over the address's mail budget, the comment is dropped (and the answer the same).
async fn keep(state: &AppState, comment: &NewComment) -> Result<(), AppError> {
    let purpose = format!("comment/{}", comment.campaign_id);
    let budget = state.keys.budget_key(&purpose, &comment.email.canonical());
    if state.store.take_mail_budget(&budget, state.config.mail_budget, comment.now).await? {
        state.store.add_comment(comment).await?;
        state.mail_queued.notify_one();
    } else {
        tracing::info!("a comment over its address's mail budget was dropped");
    }
    Ok(())
}

/// The comment and campaign a confirmation link opens, if the link is genuine and current.
async fn comment_link(
    state: &AppState,
    token: &str,
) -> Result<Result<(Comment, Campaign), LinkProblem>, AppError> {
    let Some(decoded) = state.keys.decode(TokenKind::ConfirmComment, token) else {
        return Ok(Err(LinkProblem::Invalid));
    };
    let Some((comment, Some((email_key, _)))) = state.store.comment(decoded.id).await? else {
        return Ok(Err(LinkProblem::Invalid));
    };
    let Some(campaign) = state.store.campaign_by_id(comment.campaign_id).await? else {
        return Ok(Err(LinkProblem::Invalid));
    };
    match state.keys.check(&decoded, &email_key, now()) {
        TokenCheck::Valid => Ok(Ok((comment, campaign))),
        TokenCheck::Expired => Ok(Err(LinkProblem::Expired(Box::new(campaign)))),
        TokenCheck::Invalid => Ok(Err(LinkProblem::Invalid)),
    }
}

async fn confirm_or_show(
    state: AppState,
    visitor: Visitor,
    token: String,
    submitted: Option<ButtonForm>,
) -> Result<Response, AppError> {
    let (comment, campaign) = match comment_link(&state, &token).await? {
        Ok(found) => found,
        Err(problem) => return problem.page(&state, &visitor),
    };
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let status = match submitted {
        None if comment.status == CommentStatus::Unverified => {
            let version = version_for(&campaign, &visitor);
            // The comment itself, so that nobody confirms one they did not write.
            let by = state.pages.i18n.t1(&visitor.ui, "comment-confirm-by", "name", comment.name.clone());
            return action_page(
                &state,
                &visitor,
                StatusCode::OK,
                t("comment-confirm-heading"),
                vec![t("comment-confirm-text"), by, comment.body.clone()],
                t("comment-confirm-button"),
                Some((&version.title, &version.lang)),
                None,
            );
        }
        Some(form) if !visitor.csrf_ok(&state.keys, &form.csrf) => return Err(AppError::Forbidden),
        Some(_) if comment.status == CommentStatus::Unverified => {
            let pre = state.store.pre_moderation(campaign.id).await?;
            state.store.confirm_comment(comment.id, pre, now()).await?
        }
        _ => comment.status,
    };
    published(&state, &visitor, &campaign, status)
}

/// The page after a comment is confirmed (or, signed in with a provider, sent): held for a
/// moderator or published.
fn published(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    status: CommentStatus,
) -> Result<Response, AppError> {
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let (heading, text) = match status {
        CommentStatus::Held => (t("comment-held-heading"), t("comment-held-text")),
        _ => (t("comment-published-heading"), t("comment-published-text")),
    };
    let back = Some((format!("/c/{}/comments", campaign.content.slug), t("comments-back")));
    message(state, visitor, StatusCode::OK, heading, vec![text], back)
}

pub async fn confirm_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    confirm_or_show(state, visitor, token, None).await
}

pub async fn confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    confirm_or_show(state, visitor, token, Some(form)).await
}

pub async fn report(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    if !state.store.report_comment(campaign.id, id).await? {
        return Err(AppError::NotFound);
    }
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    message(
        &state,
        &visitor,
        StatusCode::OK,
        t("comment-reported-heading"),
        vec![t("comment-reported-text")],
        Some((format!("/c/{slug}/comments"), t("comments-back"))),
    )
}

/// `POST /c/{slug}/comments/oidc/{provider}`: a provider's button on the comment form.
pub async fn sign_in(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((slug, provider)): Path<(String, String)>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let provider = state.oidc.get(&provider).ok_or(AppError::NotFound)?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let back = format!("/c/{}/comments", campaign.content.slug);
    crate::oidc::pages::start(&state, &visitor, &headers, provider, Purpose::Comment, None, back).await
}

/// `POST /c/{slug}/comments/sign-out`: the commenter's sign-in forgotten.
pub async fn sign_out(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let mut response = Redirect::to(&format!("/c/{}/comments", campaign.content.slug)).into_response();
    response.headers_mut().append(header::SET_COOKIE, commenter_cookie(&state, "", 0)?);
    Ok(response)
}

/// The callback's end for a commenter (see `crate::oidc`): signed in with the provider (nothing
/// of the identity kept: neither its name nor its address), back to the comment form.
pub async fn signed_in(
    state: &AppState,
    _visitor: &Visitor,
    flow: &Flow,
    provider: &Provider,
    _identity: Identity,
) -> Result<Response, AppError> {
    let until = now().unix_timestamp() + COMMENTER_HOURS * 3600;
    // A random part: two sign-ins never make the same cookie.
    let says = format!("{}.{until}.{}", provider.id, hex::encode(rand::random::<[u8; 8]>()));
    let value = format!("{says}.{}", commenter_mac(state, &says));
    let mut response = Redirect::to(&crate::paths::safe_next(Some(&flow.return_to))).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, commenter_cookie(state, &value, COMMENTER_HOURS * 3600)?);
    Ok(response)
}
