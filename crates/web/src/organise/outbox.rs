//! Admins' page of mail given up (kind, when, SMTP code and class, campaign; never the address),
//! with a button to send each, or all, again.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use undersigned_core::account::Action;
use undersigned_core::store::now;

use super::{CurrentUser, audit, authorize_site};
use crate::{AppError, AppState, Visitor};

const PATH: &str = "/organise/mail";

pub async fn failed_mail(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    authorize_site(current, Action::Administer, PATH)?;
    let rows: Vec<Value> = state
        .store
        .failed_mail(500)
        .await?
        .iter()
        .map(|m| {
            context! {
                id => m.id,
                at => m.failed_at.unwrap_or(m.created_at).format(&Rfc3339).unwrap_or_default(),
                kind => m.kind.as_str(),
                campaign => &m.campaign,
                error => &m.error,
                attempts => m.attempts,
            }
        })
        .collect();
    let page = context! { title => state.pages.i18n.t(&visitor.ui, "outbox-heading", None), mails => rows };
    Ok(state.pages.render("organise/mail.html", &visitor, page)?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RetryForm {
    pub csrf: String,
    /// One mail; without it, all.
    pub id: Option<i64>,
}

/// Puts one mail given up, or all, back in the outbox.
pub async fn retry(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Form(form): Form<RetryForm>,
) -> Result<Response, AppError> {
    let admin = authorize_site(current, Action::Administer, PATH)?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let ids = form.id.map(|id| vec![id]);
    let n = state.store.retry_failed_mail(ids.as_deref(), now()).await?;
    state.mail_queued.notify_one();
    let subject = form.id.map_or_else(|| "all".to_owned(), |id| format!("#{id}"));
    audit(&state, &admin, None, "mail-retry", subject, format!("{n} requeued")).await;
    Ok(Redirect::to(PATH).into_response())
}
