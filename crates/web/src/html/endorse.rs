//! Endorsing as an organisation: the form, and the emailed link its contact confirms with. A
//! confirmed endorsement waits for an organiser's approval before it is listed.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use undersigned_core::endorsement::{EndorsementInput, OrganisationEndorsement};
use undersigned_core::keys::{TokenCheck, TokenKind};
use undersigned_core::store::{EndorsementRequest, EndorsementState, now};
use undersigned_core::{Campaign, OrganisationType};

use crate::limits::{PublicForm, guard_public_form};
use crate::render::campaign::{public_campaign, version_for};
use crate::render::forms::FormState;
use crate::render::messages::{ButtonForm, LinkProblem, action_page, message};
use crate::{AppError, AppState, Visitor};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EndorseForm {
    organisation: String,
    org_type: String,
    country: String,
    website: String,
    contact_name: String,
    contact_email: String,
    statement: String,
    csrf: String,
    homepage: String,
}

impl EndorseForm {
    fn input(&self) -> EndorsementInput {
        EndorsementInput {
            organisation: self.organisation.clone(),
            org_type: self.org_type.clone(),
            country: self.country.clone(),
            website: self.website.clone(),
            contact_name: self.contact_name.clone(),
            contact_email: self.contact_email.clone(),
            statement: self.statement.clone(),
        }
    }
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    form: FormState<EndorsementInput>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let version = version_for(campaign, visitor);
    let org_types: Vec<&str> = OrganisationType::ALL.iter().map(|t| t.as_str()).collect();
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "endorse-heading", None),
        campaign_title => &version.title,
        campaign_lang => version.lang.as_str(),
        campaign_path => format!("/c/{}", campaign.content.slug),
        open => campaign.content.is_open_at(now()),
        form => form,
        form_token => PublicForm::Endorse.token(state, campaign.id),
        org_types => org_types,
        countries => state.pages.i18n.countries(&visitor.ui),
    };
    Ok((status, state.pages.render("endorse.html", visitor, page)?).into_response())
}

pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    render(&state, &visitor, &campaign, FormState::empty(), StatusCode::OK).await
}

pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Form(form): Form<EndorseForm>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let i18n = &state.pages.i18n;
    let lang = &visitor.ui;
    let input = form.input();
    if let Some(refusal) =
        guard_public_form(&state, &visitor, &campaign, PublicForm::Endorse, &form.csrf).await?
    {
        let page = FormState::new(input).with_alert(i18n.t(lang, refusal.key, None));
        let response = render(&state, &visitor, &campaign, page, refusal.status).await?;
        return Ok(refusal.with_retry_after(response));
    }
    let check_email = Redirect::to(&format!("/c/{}/check-email", campaign.content.slug)).into_response();
    if !form.homepage.trim().is_empty() {
        tracing::info!("an endorsement with the honeypot filled was dropped");
        return Ok(check_email);
    }
    let endorsement = match OrganisationEndorsement::parse(&input) {
        Ok(e) => e,
        Err(errors) => {
            let page = FormState::new(input).with_errors(i18n, lang, &errors);
            return render(&state, &visitor, &campaign, page, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let request = EndorsementRequest {
        campaign_id: campaign.id,
        email_key: state.keys.email_key(campaign.id, &endorsement.contact_email.canonical()),
        spec: endorsement.spec,
        contact_name: endorsement.contact_name,
        contact_email: endorsement.contact_email,
        lang: lang.clone(),
        ip_key: state.ip_day_key.stored_ip_key(&*state.store, &state.keys, visitor.ip()).await?,
        now: now(),
    };
    // Within the contact address's mail budget; over it, dropped (with the same answer).
    let budget =
        state.keys.budget_key(&format!("endorse/{}", campaign.id), &request.contact_email.canonical());
    if state.store.take_mail_budget(&budget, state.config.mail_budget, request.now).await? {
        state.store.request_endorsement(&request).await?;
        state.mail_queued.notify_one();
    } else {
        tracing::info!("an endorsement over its contact address's mail budget was dropped");
    }
    Ok(check_email)
}

async fn confirm_or_show(
    state: AppState,
    visitor: Visitor,
    token: String,
    submitted: Option<ButtonForm>,
) -> Result<Response, AppError> {
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let Some(decoded) = state.keys.decode(TokenKind::ConfirmEndorsement, &token) else {
        return LinkProblem::Invalid.page(&state, &visitor);
    };
    let Some(contact) = state.store.endorsement_contact(decoded.id).await? else {
        return LinkProblem::Invalid.page(&state, &visitor);
    };
    let check = state.keys.check(&decoded, &contact.email_key, now());
    let campaign = state.store.campaign_by_id(contact.campaign_id).await?;
    let (TokenCheck::Valid | TokenCheck::Expired, Some(campaign)) = (&check, campaign) else {
        return LinkProblem::Invalid.page(&state, &visitor);
    };
    if check == TokenCheck::Expired && contact.state == EndorsementState::Unverified {
        return LinkProblem::Expired(Box::new(campaign)).page(&state, &visitor);
    }
    let version = version_for(&campaign, &visitor);
    let done = || {
        message(
            &state,
            &visitor,
            StatusCode::OK,
            t("endorse-confirmed-heading"),
            vec![t("endorse-confirmed-text")],
            Some((format!("/c/{}", campaign.content.slug), t("back-to-campaign"))),
        )
    };
    let show = |status, alert| {
        action_page(
            &state,
            &visitor,
            status,
            t("endorse-confirm-heading"),
            vec![state.pages.i18n.t1(
                &visitor.ui,
                "endorse-confirm-text",
                "organisation",
                contact.organisation.clone(),
            )],
            t("endorse-confirm-button"),
            Some((&version.title, &version.lang)),
            alert,
        )
    };
    if contact.state != EndorsementState::Unverified {
        return done();
    }
    match submitted {
        None => show(StatusCode::OK, None),
        Some(form) if !visitor.csrf_ok(&state.keys, &form.csrf) => {
            show(StatusCode::FORBIDDEN, Some(t("form-error-csrf")))
        }
        Some(_) => {
            state.store.verify_endorsement(contact.id, now()).await?;
            done()
        }
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
