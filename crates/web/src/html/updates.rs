//! Campaign updates as the public reads them in Atom feeds (one per campaign, one for the whole
//! site), and the one-click unsubscribe of the update mails. On the campaign's page they are
//! [`crate::render::updates`].

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};
use time::format_description::well_known::Rfc3339;
use undersigned_core::keys::{TokenCheck, TokenKind};
use undersigned_core::store::{Update, now};
use undersigned_core::{Campaign, Lang};

use crate::render::campaign::{public_campaign, version_for};
use crate::render::markdown;
use crate::render::messages::{LinkProblem, action_page, message};
use crate::{AppError, AppState, Visitor};

fn feed(
    state: &AppState,
    lang: &Lang,
    title: String,
    path: &str,
    page: &str,
    entries: Vec<(Update, Campaign)>,
) -> Result<Response, AppError> {
    let base = &state.config.base_url;
    let updated = entries.first().map_or(now(), |(u, _)| u.published_at);
    let items: Vec<Value> = entries
        .iter()
        .filter_map(|(u, c)| {
            let text = u.text(lang, &c.content.default_lang)?;
            Some(context! {
                title => &text.title,
                id => format!("{base}/c/{}/updates#{}", c.content.slug, u.id),
                url => format!("{base}/c/{}#update-{}", c.content.slug, u.id),
                published => u.published_at.format(&Rfc3339).unwrap_or_default(),
                // The campaign's public contact, not the organiser's account that posted it.
                author => &c.content.contact.name,
                lang => text.lang.as_str(),
                // Escaped by the template, as Atom's type="html" wants.
                html => markdown::render(&text.body),
            })
        })
        .collect();
    let ctx = context! {
        lang => lang.as_str(),
        feed_title => title,
        feed_id => format!("{base}{path}"),
        self_url => format!("{base}{path}"),
        page_url => format!("{base}{page}"),
        updated => updated.format(&Rfc3339).unwrap_or_default(),
        entries => items,
    };
    let xml = state.pages.render_plain("updates.atom.xml", ctx)?;
    // Text stored before such characters were refused must not make the feed invalid XML.
    let xml = undersigned_core::validation::xml_text(&xml).into_owned();
    Ok((
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        xml,
    )
        .into_response())
}

/// `GET /c/{slug}/updates.atom`.
pub async fn campaign_feed(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let updates = state.store.updates(Some(campaign.id), 50).await?;
    let version = version_for(&campaign, &visitor);
    let title = state.pages.i18n.t1(&visitor.ui, "updates-feed-title", "campaign", version.title.clone());
    let entries = updates.into_iter().map(|u| (u, Campaign::clone(&campaign))).collect();
    feed(&state, &visitor.ui, title, &format!("/c/{slug}/updates.atom"), &format!("/c/{slug}"), entries)
}

/// `GET /updates.atom`: every public campaign's updates.
pub async fn site_feed(State(state): State<AppState>, visitor: Visitor) -> Result<Response, AppError> {
    let campaigns = state.store.public_campaigns().await?;
    let mut entries = Vec::new();
    for update in state.store.updates(None, 100).await? {
        if let Some(c) = campaigns.iter().find(|c| c.id == update.campaign_id) {
            entries.push((update, c.clone()));
        }
    }
    let title = state.pages.i18n.t(&visitor.ui, "updates-site-feed-title", None);
    feed(&state, &visitor.ui, title, "/updates.atom", "/", entries)
}

/// `GET /s/unsubscribe/{token}`: a page with one button (mail scanners open links).
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if check(&state, &token).await?.is_none() {
        return LinkProblem::Invalid.page(&state, &visitor);
    }
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    action_page(
        &state,
        &visitor,
        StatusCode::OK,
        t("unsubscribe-heading"),
        vec![t("unsubscribe-text")],
        t("unsubscribe-button"),
        None,
        None,
    )
}

async fn check(state: &AppState, token: &str) -> Result<Option<i64>, AppError> {
    let Some(decoded) = state.keys.decode(TokenKind::Unsubscribe, token) else { return Ok(None) };
    let Some(signature) = state.store.signature(decoded.id).await? else { return Ok(None) };
    Ok((state.keys.check(&decoded, &signature.email_key, now()) == TokenCheck::Valid).then_some(signature.id))
}

/// `POST /s/unsubscribe/{token}`: from the page's button (with its CSRF token), or from a mail
/// client's one-click unsubscribe (RFC 8058: the body holds `List-Unsubscribe=One-Click`,
/// URL-encoded or as a multipart form; the token in the address is the authority).
pub async fn unsubscribe(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let Some(id) = check(&state, &token).await? else { return LinkProblem::Invalid.page(&state, &visitor) };
    let text = String::from_utf8_lossy(&body);
    let one_click = text.contains("List-Unsubscribe=One-Click")
        || (text.contains("name=\"List-Unsubscribe\"") && text.contains("One-Click"));
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let csrf = fields.iter().find(|(k, _)| k == "csrf").map_or("", |(_, v)| v.as_str());
    if !one_click && !visitor.csrf_ok(&state.keys, csrf) {
        return Err(AppError::Forbidden);
    }
    state.store.unsubscribe(id).await?;
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    message(&state, &visitor, StatusCode::OK, t("unsubscribed-heading"), vec![t("unsubscribed-text")], None)
}
