//! What admins do with the public's proposals and the site's settings for starting campaigns:
//! `/organise/proposals` (the queue: publish, reject with a standard reason and a note, delete),
//! `/organise/settings` (who may start a campaign, how many sponsors a proposal needs, the
//! site's thresholds).

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use undersigned_core::CampaignStatus;
use undersigned_core::account::Action;
use undersigned_core::proposal::{Decision, ProposalState, RejectionReason, SiteSettings, WhoStarts};
use undersigned_core::store::now;

use crate::organise::{CurrentUser, audit, authorize_site};
use crate::render::campaign::version_for;
use crate::render::forms::FormState;
use crate::thresholds::{ThresholdFields, field_context, fields_of, parse_fields};
use crate::{AppError, AppState, Visitor};

const PATH: &str = "/organise/proposals";

/// A decision as the queue's forms send it.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct DecideForm {
    /// `publish`, `reject` or `delete`.
    action: String,
    reason: String,
    note: String,
    #[serde(skip_serializing)]
    csrf: String,
}

pub async fn queue(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    authorize_site(current, Action::Administer, PATH)?;
    render_queue(&state, &visitor, None, StatusCode::OK).await
}

/// The queue, with the form of one proposal as sent (`failed`: its id and what was wrong).
async fn render_queue(
    state: &AppState,
    visitor: &Visitor,
    failed: Option<(i64, FormState<DecideForm>)>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    let mut waiting = Vec::new();
    let mut decided = Vec::new();
    let states = [
        ProposalState::Moderation,
        ProposalState::Gathering,
        ProposalState::Unconfirmed,
        ProposalState::Rejected,
    ];
    for proposal in state.store.proposals(&states).await? {
        let Some(campaign) = state.store.campaign_by_id(proposal.campaign_id).await? else { continue };
        let (sponsored, _) = state.store.sponsors(campaign.id).await?;
        let version = version_for(&campaign, visitor);
        let form = match &failed {
            Some((id, form)) if *id == proposal.id => Value::from_serialize(form),
            _ => Value::from_serialize(FormState::new(DecideForm::default())),
        };
        let item = context! {
            id => proposal.id,
            title => &version.title,
            lang => version.lang.as_str(),
            summary => &version.summary,
            state => proposal.state.as_str(),
            proposer => &proposal.proposer_name,
            sponsored => sponsored,
            preview => format!("/organise/c/{}/edit", campaign.content.slug),
            reason => proposal.reason.map(|r| i18n.t(ui, &format!("rejection-{}", r.as_str()), None)),
            hidden => proposal.reason.is_some_and(RejectionReason::hides),
            note => &proposal.note,
            form => form,
        };
        match proposal.state {
            ProposalState::Rejected => decided.push(item),
            _ => waiting.push(item),
        }
    }
    let reasons: Vec<Value> = RejectionReason::ALL
        .iter()
        .map(|r| context! { code => r.as_str(), text => i18n.t(ui, &format!("rejection-{}", r.as_str()), None), hides => r.hides() })
        .collect();
    let page = context! {
        title => i18n.t(ui, "proposals-heading", None),
        waiting => waiting,
        decided => decided,
        reasons => reasons,
        needed => state.store.site_settings().await?.sponsors_needed,
    };
    Ok((status, state.pages.render("organise/proposals.html", visitor, page)?).into_response())
}

pub async fn decide(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<DecideForm>,
) -> Result<Response, AppError> {
    let user = authorize_site(current, Action::Administer, PATH)?;
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(ui, "form-error-csrf", None));
        return render_queue(&state, &visitor, Some((id, page)), StatusCode::FORBIDDEN).await;
    }
    let Some(proposal) = state.store.proposal(id).await? else { return Err(AppError::NotFound) };
    let Some(campaign) = state.store.campaign_by_id(proposal.campaign_id).await? else {
        return Err(AppError::NotFound);
    };
    let subject = format!("proposal {id}: campaign {}", campaign.content.slug);
    let decision = match form.action.as_str() {
        "delete" => {
            if state.store.delete_proposal(id).await? {
                audit(&state, &user, None, "delete-proposal", subject, String::new()).await;
            }
            return Ok(Redirect::to(PATH).into_response());
        }
        "publish" => Decision::Publish,
        _ => match Decision::reject(&form.reason, &form.note) {
            Ok(decision) => decision,
            Err(error) => {
                let page = FormState::new(form.clone()).with_errors(i18n, ui, &[error]);
                return render_queue(&state, &visitor, Some((id, page)), StatusCode::UNPROCESSABLE_ENTITY)
                    .await;
            }
        },
    };
    let mut open = campaign.content.clone();
    open.status = CampaignStatus::Open;
    let detail = match &decision {
        Decision::Publish => "published".to_owned(),
        Decision::Reject { reason, .. } => format!("rejected: {}", reason.as_str()),
    };
    if state.store.decide_proposal(id, &decision, &open, now()).await?.is_some() {
        state.mail_queued.notify_one();
        state.page_cache.forget(campaign.content.slug.as_str());
        audit(&state, &user, Some(campaign.id), "decide-proposal", subject, detail).await;
    }
    Ok(Redirect::to(PATH).into_response())
}

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct SettingsForm {
    who_starts: String,
    sponsors_needed: String,
    /// A second factor required of everyone who may see personal data (a checkbox: `Some` if ticked).
    require_second_factor: Option<String>,
    /// The site's thresholds, one field a language.
    #[serde(flatten)]
    thresholds: ThresholdFields,
    #[serde(skip_serializing)]
    csrf: String,
}

fn render_settings(
    state: &AppState,
    visitor: &Visitor,
    form: FormState<SettingsForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let choices: Vec<&str> = WhoStarts::ALL.iter().map(|w| w.as_str()).collect();
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "site-settings-heading", None),
        form => form,
        choices => choices,
        threshold_fields => field_context(&state.pages.i18n, state.pages.i18n.langs()),
    };
    Ok((status, state.pages.render("organise/settings.html", visitor, page)?).into_response())
}

pub async fn settings_page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    authorize_site(current, Action::Administer, "/organise/settings")?;
    let settings = state.store.site_settings().await?;
    let thresholds = state.store.thresholds(0).await?;
    let form = SettingsForm {
        who_starts: settings.who_starts.as_str().to_owned(),
        sponsors_needed: settings.sponsors_needed.to_string(),
        require_second_factor: settings.require_second_factor.then(|| "1".to_owned()),
        thresholds: fields_of(state.pages.i18n.langs(), &thresholds),
        csrf: String::new(),
    };
    render_settings(&state, &visitor, FormState::new(form), StatusCode::OK)
}

pub async fn save_settings(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    let user = authorize_site(current, Action::Administer, "/organise/settings")?;
    let (i18n, ui) = (&state.pages.i18n, &visitor.ui);
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(ui, "form-error-csrf", None));
        return render_settings(&state, &visitor, page, StatusCode::FORBIDDEN);
    }
    let (settings, thresholds) = match (
        WhoStarts::parse("who_starts", &form.who_starts),
        SiteSettings::parse_sponsors("sponsors_needed", &form.sponsors_needed),
        parse_fields(state.pages.i18n.langs(), &form.thresholds),
    ) {
        (Ok(who_starts), Ok(sponsors_needed), Ok(thresholds)) => {
            let require_second_factor = form.require_second_factor.is_some();
            (SiteSettings { who_starts, sponsors_needed, require_second_factor }, thresholds)
        }
        (w, n, t) => {
            let mut errors: Vec<_> = [w.err(), n.err()].into_iter().flatten().collect();
            errors.extend(t.err().unwrap_or_default());
            let page = FormState::new(form.clone()).with_errors(i18n, ui, &errors);
            return render_settings(&state, &visitor, page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    state.store.save_site_settings(&settings).await?;
    for (lang, labels) in &thresholds {
        state.store.set_thresholds(0, lang, labels).await?;
    }
    let detail = format!(
        "who may start: {}; sponsors needed: {}; second factor required: {}",
        settings.who_starts.as_str(),
        settings.sponsors_needed,
        if settings.require_second_factor { "yes" } else { "no" }
    );
    audit(&state, &user, None, "site-settings", "site".into(), detail).await;
    Ok(Redirect::to("/organise/settings?saved=1").into_response())
}
