//! A campaign's webhooks: its organisers register endpoints (an https address, the events it
//! hears of, whether its payloads carry personal data: only for those who may export the
//! signers' addresses), see each one's secret once (on creation and on rotation), pause, resume
//! and delete them, send a test event, read the last deliveries and send a failed one again.
//! Every change is in the audit log. An address of this server's own networks is refused unless
//! the operator allows it (`crate::webhooks::target`).

use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use undersigned_core::account::{Action, User};
use undersigned_core::store::now;
use undersigned_core::webhook::{
    DeliveryState, Endpoint, EndpointState, EventSet, NewEndpoint, WebhookEvent, WebhookSecret, WebhookUrl,
};
use undersigned_core::{CampaignId, ValidationError};

use crate::organise::frame::frame;
use crate::organise::{Authorized, CurrentUser, audit, authorize};
use crate::render::forms::FormState;
use crate::render::messages::ButtonForm;
use crate::webhooks::{TargetError, resolve};
use crate::{AppError, AppState, Visitor};

/// How many deliveries an endpoint's page lists.
const LOG_LENGTH: u32 = 50;

/// The form that registers an endpoint: one checkbox per event, named after it.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct EndpointForm {
    url: String,
    signature_confirmed: Option<String>,
    signature_withdrawn: Option<String>,
    endorsement_approved: Option<String>,
    campaign_status_changed: Option<String>,
    campaign_milestone: Option<String>,
    campaign_threshold_crossed: Option<String>,
    consent_withdrawn: Option<String>,
    demand_met: Option<String>,
    personal_data: Option<String>,
    #[serde(skip_serializing)]
    csrf: String,
}

/// An event's checkbox name (`signature_confirmed`) and the key of its label.
fn field_of(event: WebhookEvent) -> String {
    event.as_str().replace('.', "_")
}

fn label_key(event: WebhookEvent) -> String {
    format!("webhook-event-{}", event.as_str().replace(['.', '_'], "-"))
}

impl EndpointForm {
    fn events(&self) -> EventSet {
        let ticked = [
            (WebhookEvent::SignatureConfirmed, &self.signature_confirmed),
            (WebhookEvent::SignatureWithdrawn, &self.signature_withdrawn),
            (WebhookEvent::EndorsementApproved, &self.endorsement_approved),
            (WebhookEvent::CampaignStatusChanged, &self.campaign_status_changed),
            (WebhookEvent::CampaignMilestone, &self.campaign_milestone),
            (WebhookEvent::ThresholdCrossed, &self.campaign_threshold_crossed),
            (WebhookEvent::ConsentWithdrawn, &self.consent_withdrawn),
            (WebhookEvent::DemandMet, &self.demand_met),
        ];
        EventSet::of(ticked.into_iter().filter(|(_, on)| on.is_some()).map(|(e, _)| e))
    }

    /// The endpoint as asked for, each field's error named ([`check_endpoint`]).
    fn parse(
        &self,
        allow_private: bool,
        may_personal: bool,
    ) -> Result<(WebhookUrl, EventSet, bool), Vec<ValidationError>> {
        check_endpoint(&self.url, self.events(), self.personal_data.is_some(), allow_private, may_personal)
    }
}

/// An endpoint as asked for, here or through the API, each field's error named: the address
/// parsed (`http://` only where the operator allows private addresses), at least one event,
/// personal data only for who may have it.
pub(crate) fn check_endpoint(
    url: &str,
    events: EventSet,
    personal: bool,
    allow_private: bool,
    may_personal: bool,
) -> Result<(WebhookUrl, EventSet, bool), Vec<ValidationError>> {
    let mut errors = Vec::new();
    let url = WebhookUrl::parse("url", url, allow_private).map_err(|e| errors.push(e)).ok();
    if events.is_empty() {
        errors.push(ValidationError::new("events", "choose at least one event"));
    }
    if personal && !may_personal {
        errors.push(ValidationError::new("personal_data", "only for who may export the signers' addresses"));
    }
    match url {
        Some(url) if errors.is_empty() => Ok((url, events, personal)),
        _ => Err(errors),
    }
}

/// Who changes a campaign's webhooks: an organiser on its pages, or a program with one of its
/// API tokens (named in the audit log's detail).
pub(crate) struct Actor<'a> {
    pub user: &'a User,
    pub campaign: CampaignId,
    /// The API token it came through: "#id name".
    pub token: Option<String>,
}

impl Actor<'_> {
    /// The change in the audit log: `webhook-{action}` on the endpoint.
    async fn audit(&self, state: &AppState, action: &str, id: i64, url: &str, detail: String) {
        let detail = match &self.token {
            None => detail,
            Some(token) if detail.is_empty() => format!("through API token {token}"),
            Some(token) => format!("{detail}; through API token {token}"),
        };
        let subject = format!("webhook #{id} {url}");
        audit(state, self.user, Some(self.campaign), &format!("webhook-{action}"), subject, detail).await;
    }

    /// Registers an endpoint whose address was checked and resolved; its id and secret.
    pub(crate) async fn register(
        &self,
        state: &AppState,
        url: WebhookUrl,
        events: EventSet,
        personal_data: bool,
    ) -> Result<(i64, WebhookSecret), AppError> {
        self.register_for(state, url, events, personal_data, None).await
    }

    /// Registers an endpoint, a partner's own with `organisation` (it hears of the signers who
    /// consented to that organisation only); its id and secret.
    pub(crate) async fn register_for(
        &self,
        state: &AppState,
        url: WebhookUrl,
        events: EventSet,
        personal_data: bool,
        organisation_id: Option<i64>,
    ) -> Result<(i64, WebhookSecret), AppError> {
        let secret = WebhookSecret::generate();
        let new = NewEndpoint {
            campaign_id: self.campaign,
            url,
            events,
            personal_data,
            secret,
            now: now(),
            organisation_id,
        };
        let id = state.store.create_webhook(&new).await?;
        let names: Vec<&str> = events.events().map(WebhookEvent::as_str).collect();
        let personal = if personal_data { "yes" } else { "no" };
        let mut detail = format!("events: {}; personal data: {personal}", names.join(", "));
        if let Some(organisation) = organisation_id {
            detail.push_str(&format!("; for organisation #{organisation}"));
        }
        self.audit(state, "create", id, new.url.as_str(), detail).await;
        Ok((id, new.secret))
    }

    /// Queues a test event for the endpoint; the delivery's id (`None`: the endpoint is gone).
    pub(crate) async fn test(&self, state: &AppState, endpoint: &Endpoint) -> Result<Option<i64>, AppError> {
        let Some(delivery) = state.store.queue_webhook_test(self.campaign, endpoint.id, now()).await? else {
            return Ok(None);
        };
        state.webhooks_queued.notify_one();
        self.audit(state, "test", endpoint.id, &endpoint.url, format!("delivery #{delivery}")).await;
        Ok(Some(delivery))
    }

    /// Deletes the endpoint with its deliveries. Whether it was there.
    pub(crate) async fn delete(&self, state: &AppState, endpoint: &Endpoint) -> Result<bool, AppError> {
        let deleted = state.store.delete_webhook(self.campaign, endpoint.id).await?;
        if deleted {
            self.audit(state, "delete", endpoint.id, &endpoint.url, String::new()).await;
        }
        Ok(deleted)
    }
}

fn at(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// The events an endpoint hears of, as its page lists them.
fn event_labels(state: &AppState, visitor: &Visitor, events: EventSet) -> Vec<String> {
    events.events().map(|e| state.pages.i18n.t(&visitor.ui, &label_key(e), None)).collect()
}

fn endpoint_value(state: &AppState, visitor: &Visitor, e: &Endpoint) -> Value {
    context! {
        id => e.id,
        url => &e.url,
        events => event_labels(state, visitor, e.events),
        personal_data => e.personal_data,
        state => e.state.as_str(),
        created_at => at(e.created_at),
        last_success_at => e.last_success_at.map(at),
        rotated_at => e.rotated_at.map(at),
    }
}

async fn render_list(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    form: FormState<EndpointForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let endpoints: Vec<Value> = state
        .store
        .webhooks(auth.campaign.id)
        .await?
        .iter()
        .map(|e| endpoint_value(state, visitor, e))
        .collect();
    let events: Vec<Value> = WebhookEvent::SUBSCRIBABLE
        .into_iter()
        .map(|e| {
            context! {
                name => field_of(e),
                code => e.as_str(),
                label => state.pages.i18n.t(&visitor.ui, &label_key(e), None),
            }
        })
        .collect();
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "organise-tab-webhooks", None),
        frame => frame(state, visitor, auth),
        endpoints => endpoints,
        events => events,
        may_personal => auth.may(Action::ExportEmails),
        allow_http => state.config.webhook_allow_private,
        form => form,
    };
    Ok((status, state.pages.render("organise/webhooks.html", visitor, page)?).into_response())
}

/// One endpoint's page: what it hears of, its buttons, its last deliveries; its secret when it
/// was just made (shown this once).
async fn render_endpoint(
    state: &AppState,
    visitor: &Visitor,
    auth: &Authorized,
    endpoint: &Endpoint,
    secret: Option<String>,
) -> Result<Response, AppError> {
    let i18n = &state.pages.i18n;
    let deliveries: Vec<Value> = state
        .store
        .webhook_deliveries(endpoint.id, LOG_LENGTH)
        .await?
        .iter()
        .map(|d| {
            context! {
                id => d.id,
                message_id => &d.message_id,
                event => i18n.t(&visitor.ui, &label_key(d.event), None),
                code => d.event.as_str(),
                created_at => at(d.created_at),
                attempts => d.attempts,
                state => d.state.as_str(),
                last_attempt_at => d.last_attempt_at.map(at),
                last_status => d.last_status,
                last_error => &d.last_error,
                next_attempt_at => d.next_attempt_at.map(at),
                retry => d.state != DeliveryState::Delivered,
            }
        })
        .collect();
    let page = context! {
        title => i18n.t(&visitor.ui, "webhook-heading", None),
        frame => frame(state, visitor, auth),
        endpoint => endpoint_value(state, visitor, endpoint),
        deliveries => deliveries,
        secret => secret,
    };
    Ok(state.pages.render("organise/webhook.html", visitor, page)?.into_response())
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ManageWebhooks, uri.path()).await?;
    let form = EndpointForm { signature_confirmed: Some("on".into()), ..Default::default() };
    render_list(&state, &visitor, &auth, FormState::new(form), StatusCode::OK).await
}

/// Registers an endpoint: its address checked (resolved, and refused if private unless the
/// operator allows it), then shown with its secret, once.
pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<EndpointForm>,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ManageWebhooks, uri.path()).await?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_list(&state, &visitor, &auth, page, StatusCode::FORBIDDEN).await;
    }
    let allow_private = state.config.webhook_allow_private;
    let refuse = |errors: &[ValidationError], url_error: Option<String>| {
        let mut page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, errors);
        if let Some(message) = url_error {
            page.errors.insert("url".into(), message);
        }
        page
    };
    let (url, events, personal_data) = match form.parse(allow_private, auth.may(Action::ExportEmails)) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let page = refuse(&errors, None);
            return render_list(&state, &visitor, &auth, page, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    if let Err(e) = resolve(&url, allow_private).await {
        let message = match e {
            TargetError::Private(ip) => {
                i18n.t1(&visitor.ui, "webhook-error-private", "address", ip.to_string())
            }
            TargetError::Unresolved => i18n.t(&visitor.ui, "webhook-error-unresolved", None),
        };
        let page = refuse(&[ValidationError::new("url", e.to_string())], Some(message));
        return render_list(&state, &visitor, &auth, page, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let actor = Actor { user: &auth.user, campaign: auth.campaign.id, token: None };
    let (id, secret) = actor.register(&state, url, events, personal_data).await?;
    let endpoint = state.store.webhook(auth.campaign.id, id).await?.ok_or(AppError::NotFound)?;
    render_endpoint(&state, &visitor, &auth, &endpoint, Some(secret.encoded())).await
}

#[derive(Deserialize)]
pub struct EndpointPath {
    slug: String,
    id: i64,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(EndpointPath { slug, id }): Path<EndpointPath>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let auth = authorize(&state, current, &slug, Action::ManageWebhooks, uri.path()).await?;
    let endpoint = state.store.webhook(auth.campaign.id, id).await?.ok_or(AppError::NotFound)?;
    render_endpoint(&state, &visitor, &auth, &endpoint, None).await
}

#[derive(Deserialize)]
pub struct ActionPath {
    slug: String,
    id: i64,
    action: String,
}

/// What every button of an endpoint's page needs first: the organiser allowed to manage the
/// campaign's webhooks, the form's own CSRF token, and the endpoint.
async fn pressed(
    state: &AppState,
    visitor: &Visitor,
    current: CurrentUser,
    slug: &str,
    id: i64,
    path: &str,
    form: &ButtonForm,
) -> Result<(Authorized, Endpoint), AppError> {
    let auth = authorize(state, current, slug, Action::ManageWebhooks, path).await?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let endpoint = state.store.webhook(auth.campaign.id, id).await?.ok_or(AppError::NotFound)?;
    Ok((auth, endpoint))
}

/// The buttons of an endpoint's page: pause, resume, rotate (the new secret shown once), send a
/// test event, delete.
pub async fn act(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(ActionPath { slug, id, action }): Path<ActionPath>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let (auth, endpoint) = pressed(&state, &visitor, current, &slug, id, uri.path(), &form).await?;
    let campaign = auth.campaign.id;
    let actor = Actor { user: &auth.user, campaign, token: None };
    let page = format!("/organise/c/{slug}/webhooks/{id}");
    let (detail, shown_secret) = match action.as_str() {
        "pause" => {
            state.store.set_webhook_state(campaign, id, EndpointState::Paused, now()).await?;
            (String::new(), None)
        }
        "resume" => {
            state.store.set_webhook_state(campaign, id, EndpointState::Active, now()).await?;
            state.webhooks_queued.notify_one();
            (format!("was {}", endpoint.state.as_str()), None)
        }
        "rotate-secret" => {
            let secret = WebhookSecret::generate();
            state.store.rotate_webhook_secret(campaign, id, &secret, now()).await?;
            ("the previous secret signs beside the new one for 24 hours".to_owned(), Some(secret.encoded()))
        }
        "test" => {
            actor.test(&state, &endpoint).await?.ok_or(AppError::NotFound)?;
            return Ok(Redirect::to(&page).into_response());
        }
        "delete" => {
            actor.delete(&state, &endpoint).await?;
            return Ok(Redirect::to(&format!("/organise/c/{slug}/webhooks")).into_response());
        }
        _ => return Err(AppError::NotFound),
    };
    actor.audit(&state, &action, id, &endpoint.url, detail).await;
    match shown_secret {
        Some(secret) => {
            let endpoint = state.store.webhook(campaign, id).await?.ok_or(AppError::NotFound)?;
            render_endpoint(&state, &visitor, &auth, &endpoint, Some(secret)).await
        }
        None => Ok(Redirect::to(&page).into_response()),
    }
}

#[derive(Deserialize)]
pub struct DeliveryPath {
    slug: String,
    id: i64,
    delivery: i64,
}

/// "Retry now": a delivery not delivered is due at once (a failed one with the whole schedule).
pub async fn retry(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(DeliveryPath { slug, id, delivery }): Path<DeliveryPath>,
    OriginalUri(uri): OriginalUri,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let (auth, endpoint) = pressed(&state, &visitor, current, &slug, id, uri.path(), &form).await?;
    if state.store.retry_webhook_delivery(auth.campaign.id, id, delivery, now()).await? {
        state.webhooks_queued.notify_one();
        let actor = Actor { user: &auth.user, campaign: auth.campaign.id, token: None };
        actor.audit(&state, "retry", id, &endpoint.url, format!("delivery #{delivery}")).await;
    }
    Ok(Redirect::to(&format!("/organise/c/{slug}/webhooks/{id}")).into_response())
}
