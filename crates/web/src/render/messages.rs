//! The pages that say one thing: a message with a link ([`message`]), a page with one button
//! that posts back to its own address ([`action_page`]: emailed links, since mail scanners open
//! links and a GET must change nothing), and why an emailed link cannot be used ([`LinkProblem`]).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;
use undersigned_core::{Campaign, Lang};

use crate::{AppError, AppState, Visitor};

/// A page with a heading, paragraphs and a link.
pub fn message(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    heading: String,
    paragraphs: Vec<String>,
    link: Option<(String, String)>,
) -> Result<Response, AppError> {
    let page = message_context(heading, paragraphs, link, false);
    Ok((status, state.pages.render("message.html", visitor, page)?).into_response())
}

/// The context of `message.html`; `embed`: in another site's frame (no header or footer).
pub fn message_context(
    heading: String,
    paragraphs: Vec<String>,
    link: Option<(String, String)>,
    embed: bool,
) -> minijinja::Value {
    let link = link.map(|(href, text)| context! { href => href, text => text });
    context! { title => &heading, heading => heading, paragraphs => paragraphs, link => link, embed => embed }
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

/// A form that is only a button: its CSRF token.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ButtonForm {
    pub csrf: String,
}
