//! Moving a campaign through its statuses (the dashboard's buttons), within the rules of
//! `undersigned_core::edit_rules`; a campaign declared won tells its signers.

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use undersigned_core::account::Action;
use undersigned_core::edit_rules::{EditRefusal, check_edit};
use undersigned_core::store::{UpdateText, now};
use undersigned_core::{CampaignContent, CampaignStatus, Lang};

use super::dashboard_with_alert;
use crate::i18n::FALLBACK;
use crate::organise::{Authorized, CurrentUser, audit, authorize};
use crate::{AppError, AppState, Visitor};

/// The update that announces a win: a text for each of the campaign's versions, in its language
/// (or the site's fallback where the site does not speak it). What the browser posts when an
/// organiser declares a campaign won, and what `campaign import` posts when the files do.
pub fn win_announcement(i18n: &crate::i18n::Localizer, content: &CampaignContent) -> Vec<UpdateText> {
    content
        .versions
        .iter()
        .map(|v| {
            let lang = if i18n.supports(&v.lang) { v.lang.clone() } else { Lang::known(FALLBACK) };
            UpdateText {
                lang: v.lang.clone(),
                title: i18n.t(&lang, "won-update-title", None),
                body: i18n.t1(&lang, "won-update-body", "title", v.title.clone()),
            }
        })
        .collect()
}

/// A campaign declared won tells every signer who asked for news, in each version's language.
async fn announce_win(state: &AppState, auth: &Authorized) -> Result<(), AppError> {
    let texts = win_announcement(&state.pages.i18n, &auth.campaign.content);
    state.store.post_update(auth.campaign.id, &auth.user.name, &texts, true, now()).await?;
    state.mail_queued.notify_one();
    Ok(())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    to: String,
    csrf: String,
}

pub async fn change_status(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ChangeStatus, uri.path()).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let from = auth.campaign.content.status;
    let refuse =
        |key: &str| dashboard_with_alert(state.clone(), visitor.clone(), auth.clone(), key.to_owned());
    let Ok(to) = CampaignStatus::parse("to", &form.to) else { return refuse("status-error-unknown").await };
    let mut next = auth.campaign.content.clone();
    next.status = to;
    match check_edit(Some(&auth.campaign.content), &next) {
        _ if from == to => return refuse("status-error-move").await,
        Err(EditRefusal::StatusMove { .. }) => return refuse("status-error-move").await,
        Err(EditRefusal::Incomplete(_)) => return refuse("status-error-incomplete").await,
        Err(_) => return refuse("status-error-move").await,
        Ok(()) => {}
    }
    if to == CampaignStatus::Open && next.status_at(now()) != CampaignStatus::Open {
        // Its end date has passed: it would be closed the moment it opened.
        return refuse("status-error-ended").await;
    }
    state.store.save_campaign(auth.campaign.id, &next, false, now()).await?;
    if to == CampaignStatus::Won {
        announce_win(&state, &auth).await?;
    }
    audit(
        &state,
        &auth.user,
        Some(auth.campaign.id),
        "change-status",
        format!("campaign {slug}"),
        format!("{} → {}", from.as_str(), to.as_str()),
    )
    .await;
    Ok(Redirect::to(&format!("/organise/c/{slug}")).into_response())
}
