//! Comments from the public, as under the 2004 appeal: a name, an address (never shown), an
//! optional website and plain text whose links become clickable (`rel="nofollow ugc"`); one level
//! of replies; every comment waits for its own confirmation by email (an address that confirmed
//! before is no credential: anyone can type it), then for a moderator where the campaign chose
//! pre-moderation; anyone can report a comment.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use undersigned_core::keys::{TokenCheck, TokenKind};
use undersigned_core::store::{Comment, CommentStatus, NewComment, now};
use undersigned_core::{Campaign, Email, ValidationError, validation};

use super::campaign::{public_campaign, version_for};
use super::signing::{ButtonForm, LinkProblem, action_page, message, rate_limited, with_retry_after};
use crate::forms::FormState;
use crate::{AppError, AppState, Visitor};

pub const BODY_MAX: usize = 3_000;
/// More links than this in one comment, and it is refused (spam carries many).
pub const MAX_LINKS: usize = 3;

/// Plain text as HTML: escaped, paragraphs and line breaks kept, web addresses made into links
/// that search engines do not follow and that tell the next site nothing.
pub fn linkify(text: &str) -> String {
    fn escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;")
    }
    let mut html = String::new();
    for (i, paragraph) in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).enumerate() {
        if i > 0 {
            html.push('\n');
        }
        html.push_str("<p>");
        for (j, line) in paragraph.lines().enumerate() {
            if j > 0 {
                html.push_str("<br>");
            }
            for (k, word) in line.split(' ').enumerate() {
                if k > 0 {
                    html.push(' ');
                }
                let trimmed = word.trim_end_matches(['.', ',', ')', ';', ':', '!', '?']);
                if (trimmed.starts_with("https://") || trimmed.starts_with("http://")) && trimmed.len() > 8 {
                    let rest = &word[trimmed.len()..];
                    html.push_str(&format!(
                        "<a href=\"{0}\" rel=\"nofollow ugc noopener noreferrer\">{0}</a>{1}",
                        escape(trimmed),
                        escape(rest)
                    ));
                } else {
                    html.push_str(&escape(word));
                }
            }
        }
        html.push_str("</p>");
    }
    html
}

fn links_in(text: &str) -> usize {
    text.matches("http://").count() + text.matches("https://").count()
}

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct CommentForm {
    name: String,
    email: String,
    website: String,
    body: String,
    parent: String,
    #[serde(skip_serializing)]
    csrf: String,
    #[serde(skip_serializing)]
    homepage: String,
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
pub fn threads(comments: &[Comment]) -> Vec<Value> {
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

async fn render(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    form: FormState<CommentForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let comments = state.store.comments(campaign.id, &[CommentStatus::Visible]).await?;
    let version = version_for(campaign, visitor);
    let page = context! {
        title => state.pages.i18n.t1(&visitor.ui, "comments-title", "campaign", version.title.clone()),
        campaign_title => &version.title,
        campaign_lang => version.lang.as_str(),
        campaign_path => format!("/c/{}", campaign.content.slug),
        threads => threads(&comments),
        form => form,
    };
    Ok((status, state.pages.render("comments.html", visitor, page)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    render(&state, &visitor, &campaign, FormState::empty(), StatusCode::OK).await
}

pub async fn post(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Form(form): Form<CommentForm>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let i18n = &state.pages.i18n;
    let refuse = |key: &str| FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, key, None));
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return render(&state, &visitor, &campaign, refuse("form-error-csrf"), StatusCode::FORBIDDEN).await;
    }
    if let Some(wait) = rate_limited(&state, &visitor) {
        let response = render(
            &state,
            &visitor,
            &campaign,
            refuse("comment-error-rate-limit"),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await?;
        return Ok(with_retry_after(response, wait));
    }
    if !form.homepage.trim().is_empty() {
        tracing::info!("a comment with the honeypot filled was dropped");
        let t = |key: &str| i18n.t(&visitor.ui, key, None);
        return message(
            &state,
            &visitor,
            StatusCode::OK,
            t("check-email-heading"),
            vec![t("comment-check-email")],
            None,
        );
    }
    let mut errors = Vec::new();
    let name = validation::name("name", &form.name, 1, 100).map_err(|e| errors.push(e)).ok();
    let email = Email::parse("email", &form.email).map_err(|e| errors.push(e)).ok();
    let website = match form.website.trim() {
        "" => None,
        w if (w.starts_with("https://") || w.starts_with("http://"))
            && w.len() <= 300
            && !w.contains(|c: char| c.is_whitespace() || c.is_control()) =>
        {
            Some(w.to_owned())
        }
        _ => {
            errors.push(ValidationError::new("website", ""));
            None
        }
    };
    let body =
        validation::text("comment_body", &form.body, 1, BODY_MAX, true).map_err(|e| errors.push(e)).ok();
    if body.as_deref().is_some_and(|b| links_in(b) > MAX_LINKS) {
        errors.push(ValidationError::new("comment_links", ""));
    }
    // One level of replies: a reply answers a visible comment that is not itself a reply.
    let parent = match form.parent.trim() {
        "" => None,
        p => {
            let id: i64 = p.parse().map_err(|_| AppError::BadRequest)?;
            let visible = state.store.comments(campaign.id, &[CommentStatus::Visible]).await?;
            if !visible.iter().any(|c| c.id == id && c.parent_id.is_none()) {
                return Err(AppError::BadRequest);
            }
            Some(id)
        }
    };
    let (Some(name), Some(email), Some(body), true) = (name, email, body, errors.is_empty()) else {
        let page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &errors);
        return render(&state, &visitor, &campaign, page, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let budget = state.keys.budget_key(&format!("comment/{}", campaign.id), &email.canonical());
    let comment = NewComment {
        campaign_id: campaign.id,
        parent_id: parent,
        email_key: state.keys.email_key(0, &email.canonical()),
        email,
        name,
        website,
        body,
        now: now(),
    };
    // Every comment waits for its own link, so the answer is the same whatever the address did
    // before; over the address's mail budget, the comment is dropped (and the answer the same).
    if state.store.take_mail_budget(&budget, state.config.mail_budget, comment.now).await? {
        state.store.add_comment(&comment).await?;
        state.mail_queued.notify_one();
    } else {
        tracing::info!("a comment over its address's mail budget was dropped");
    }
    let t = |key: &str| i18n.t(&visitor.ui, key, None);
    let back = Some((format!("/c/{slug}/comments"), t("comments-back")));
    message(&state, &visitor, StatusCode::OK, t("check-email-heading"), vec![t("comment-check-email")], back)
}

async fn confirm_or_show(
    state: AppState,
    visitor: Visitor,
    token: String,
    submitted: Option<ButtonForm>,
) -> Result<Response, AppError> {
    let Some(decoded) = state.keys.decode(TokenKind::ConfirmComment, &token) else {
        return LinkProblem::Invalid.page(&state, &visitor);
    };
    let Some((comment, Some((email_key, _)))) = state.store.comment(decoded.id).await? else {
        return LinkProblem::Invalid.page(&state, &visitor);
    };
    let Some(campaign) = state.store.campaign_by_id(comment.campaign_id).await? else {
        return LinkProblem::Invalid.page(&state, &visitor);
    };
    match state.keys.check(&decoded, &email_key, now()) {
        TokenCheck::Valid => {}
        TokenCheck::Expired => return LinkProblem::Expired(Box::new(campaign)).page(&state, &visitor),
        TokenCheck::Invalid => return LinkProblem::Invalid.page(&state, &visitor),
    }
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let back = Some((format!("/c/{}/comments", campaign.content.slug), t("comments-back")));
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
    if status == CommentStatus::Held {
        message(
            &state,
            &visitor,
            StatusCode::OK,
            t("comment-held-heading"),
            vec![t("comment-held-text")],
            back,
        )
    } else {
        message(
            &state,
            &visitor,
            StatusCode::OK,
            t("comment-published-heading"),
            vec![t("comment-published-text")],
            back,
        )
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_links_are_marked() {
        assert_eq!(linkify("<b>hi</b>"), "<p>&lt;b&gt;hi&lt;/b&gt;</p>");
        assert_eq!(
            linkify("See https://example.org/a?b=1&c=2."),
            "<p>See <a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener noreferrer\">https://example.org/a?b=1&amp;c=2</a>.</p>"
        );
        assert_eq!(linkify("a\nb\n\nc"), "<p>a<br>b</p>\n<p>c</p>");
        assert!(!linkify("javascript:alert(1)").contains("<a"));
        assert_eq!(links_in("http://a.b https://c.d"), 2);
    }
}
