//! `/api/v1/webhooks`: a campaign's webhook endpoints, for a program with a token that has
//! `webhooks:manage` (for that campaign, or site-wide): list them, register one (its secret
//! answered this once), read one, delete one, send one a test event. The same checks as the
//! organisers' webhooks page, through the same code ([`crate::organise::webhooks`]): the address
//! parsed and resolved, refused if it is of this server's own networks unless the operator allows
//! it, personal data only with a token that also has `pii:read`. Every change is in the audit
//! log as the token's owner's, naming the token.
//!
//! These addresses are for programs, not for pages of other sites: no CORS (as `/api/osdi`), and
//! never cached.

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use undersigned_core::api_token::Scope;
use undersigned_core::webhook::{Endpoint, EventSet, WebhookEvent};
use undersigned_core::{Campaign, Slug};

use super::body::read_json;
use super::model::{NewWebhook, WebhookCreated, WebhookEndpoint, WebhookList, WebhookTestQueued};
use super::query::Params;
use super::{ApiError, instant};
use crate::AppState;
use crate::extract::api_token::Caller;
use crate::organise::webhooks::{Actor, check_endpoint};
use crate::problem::{InvalidParam, Problem};
use crate::webhooks::resolve;

/// The addresses' prefix.
pub const PATH: &str = "/api/v1/webhooks";

/// `body` as JSON with `status`, never kept by caches.
fn json(status: StatusCode, body: &impl Serialize) -> Result<Response, ApiError> {
    let mut response = (status, serde_json::to_string(body)?).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(super::JSON));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "No webhook this token may manage has this number.")
}

fn forbidden(detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::FORBIDDEN, detail)
}

fn event_names(events: EventSet) -> Vec<String> {
    events.events().map(|e| e.as_str().to_owned()).collect()
}

fn described(endpoint: &Endpoint, campaign: &Campaign) -> WebhookEndpoint {
    WebhookEndpoint {
        id: endpoint.id,
        campaign: campaign.content.slug.to_string(),
        url: endpoint.url.clone(),
        events: event_names(endpoint.events),
        personal_data: endpoint.personal_data,
        state: endpoint.state.as_str().to_owned(),
        created: instant(endpoint.created_at),
    }
}

fn actor<'a>(caller: &'a Caller, campaign: &Campaign) -> Actor<'a> {
    let token = format!("#{} {}", caller.token.id, caller.token.name);
    Actor { user: &caller.owner, campaign: campaign.id, token: Some(token) }
}

/// The campaigns whose webhooks the token may manage: its own, or every one for a site-wide
/// token; a 403 when it may not ([`Caller::may`]).
async fn campaigns(state: &AppState, caller: &Caller) -> Result<Vec<Campaign>, ApiError> {
    if !caller.token.scopes.contains(Scope::WebhooksManage) {
        return Err(forbidden("This needs a token with the scope webhooks:manage.").into());
    }
    let campaigns = match caller.token.campaign_id {
        Some(id) => state.store.campaign_by_id(id).await?.into_iter().collect(),
        None => state.store.all_campaigns().await?,
    };
    for campaign in &campaigns {
        caller.may(state, campaign.id, Some(Scope::WebhooksManage)).await?;
    }
    Ok(campaigns)
}

/// A request about one endpoint (`/api/v1/webhooks/{id}…`): the endpoint numbered `id` among
/// those the token may manage, with its campaign, and who asks; else a 404 (another campaign's
/// endpoint is not told apart from none).
pub struct Found {
    state: AppState,
    caller: Caller,
    campaign: Campaign,
    endpoint: Endpoint,
}

impl FromRequestParts<AppState> for Found {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        Params::parse(parts.uri.query(), &[])?;
        let Path(id) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| not_found())?;
        let id: i64 = id.parse().map_err(|_| not_found())?;
        for campaign in campaigns(state, &caller).await? {
            if let Some(endpoint) = state.store.webhook(campaign.id, id).await? {
                return Ok(Self { state: state.clone(), caller, campaign, endpoint });
            }
        }
        Err(not_found().into())
    }
}

impl Found {
    fn actor(&self) -> Actor<'_> {
        actor(&self.caller, &self.campaign)
    }
}

/// The endpoints of the token's campaign (every campaign's, for a site-wide token).
#[utoipa::path(
    get,
    path = "/api/v1/webhooks",
    tag = "webhooks",
    responses((status = 200, description = "The endpoints, by campaign, oldest first.", body = WebhookList)),
    security(("token" = []), ("bearer" = [])),
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref(), &[])?;
    let mut webhooks = Vec::new();
    for campaign in campaigns(&state, &caller).await? {
        let endpoints = state.store.webhooks(campaign.id).await?;
        webhooks.extend(endpoints.iter().map(|e| described(e, &campaign)));
    }
    json(StatusCode::OK, &WebhookList { webhooks })
}

/// One endpoint.
#[utoipa::path(
    get,
    path = "/api/v1/webhooks/{id}",
    tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's number.")),
    responses((status = 200, description = "The endpoint.", body = WebhookEndpoint)),
    security(("token" = []), ("bearer" = [])),
)]
pub async fn one(found: Found) -> Result<Response, ApiError> {
    json(StatusCode::OK, &described(&found.endpoint, &found.campaign))
}

/// Registers an endpoint; its secret is in the answer, this once.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks",
    tag = "webhooks",
    request_body(content = NewWebhook, content_type = "application/json", description = "The endpoint. Read as JSON whatever the `Content-Type`."),
    responses((status = 201, description = "Registered, active at once; `Location` is its address. The secret is shown this once.", body = WebhookCreated,
        headers(("Location" = String, description = "The endpoint's address.")))),
    security(("token" = []), ("bearer" = [])),
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref(), &[])?;
    let input: NewWebhook = read_json(&body, "a webhook endpoint", "a webhook endpoint")?;
    let campaign = asked_campaign(&state, &caller, &input.campaign).await?;
    caller.may(&state, campaign.id, Some(Scope::WebhooksManage)).await?;
    if input.personal_data
        && let Err(refused) = caller.may(&state, campaign.id, Some(Scope::PiiRead)).await
    {
        let mut problem = forbidden(format!(
            "personal_data needs a token that also has the scope pii:read, held by someone who may \
             export the signers' addresses: {}",
            refused.detail
        ));
        let reason = "needs a token with pii:read too".to_owned();
        problem.invalid_params.push(InvalidParam { name: "personal_data".into(), reason });
        return Err(problem.into());
    }
    let mut bad = Vec::new();
    let mut events = Vec::new();
    for (i, name) in input.events.iter().enumerate() {
        match WebhookEvent::parse(name.trim()).filter(|e| WebhookEvent::SUBSCRIBABLE.contains(e)) {
            Some(event) => events.push(event),
            None => bad.push((format!("events[{i}]"), "is not an event an endpoint can hear of".to_owned())),
        }
    }
    let allow_private = state.config.webhook_allow_private;
    let checked = check_endpoint(&input.url, EventSet::of(events), input.personal_data, allow_private, true);
    let (url, events) = match checked {
        Ok((url, events, _)) if bad.is_empty() => (url, events),
        Ok(_) => return Err(Problem::bad_fields(bad).into()),
        Err(errors) => {
            // "events" is empty only when no name was bad: else the bad names say it.
            let named = !bad.is_empty();
            let errors = errors.into_iter().filter(|e| e.field != "events" || !named);
            bad.extend(errors.map(|e| (e.field, e.reason)));
            return Err(Problem::bad_fields(bad).into());
        }
    };
    if let Err(refused) = resolve(&url, allow_private).await {
        return Err(Problem::bad_fields(vec![("url".into(), refused.to_string())]).into());
    }
    let (id, secret) = actor(&caller, &campaign).register(&state, url, events, input.personal_data).await?;
    let endpoint = state.store.webhook(campaign.id, id).await?.ok_or(crate::AppError::NotFound)?;
    let shown = described(&endpoint, &campaign);
    let created = WebhookCreated {
        id: shown.id,
        campaign: shown.campaign,
        url: shown.url,
        events: shown.events,
        personal_data: shown.personal_data,
        state: shown.state,
        created: shown.created,
        secret: secret.encoded(),
    };
    let mut response = json(StatusCode::CREATED, &created)?;
    let location = format!("{}{PATH}/{id}", state.config.base_url);
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// The campaign the body names: for a campaign's token, only its own (else a 403); for a
/// site-wide one, any (else a 400 naming `campaign`).
async fn asked_campaign(state: &AppState, caller: &Caller, asked: &str) -> Result<Campaign, ApiError> {
    let none = || Problem::bad_fields(vec![("campaign".into(), "names no campaign of this site".into())]);
    let slug = Slug::parse("campaign", asked).map_err(|_| none())?;
    match caller.token.campaign_id {
        Some(own) => {
            let campaign = state.store.campaign_by_id(own).await?;
            campaign
                .filter(|c| c.content.slug == slug)
                .ok_or_else(|| forbidden("This token is for another campaign.").into())
        }
        None => state.store.campaign_by_slug(&slug).await?.ok_or_else(|| none().into()),
    }
}

/// Deletes an endpoint, with its deliveries.
#[utoipa::path(
    delete,
    path = "/api/v1/webhooks/{id}",
    tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's number.")),
    responses((status = 204, description = "Deleted: nothing more is sent to it.")),
    security(("token" = []), ("bearer" = [])),
)]
pub async fn delete(found: Found) -> Result<Response, ApiError> {
    found.actor().delete(&found.state, &found.endpoint).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Queues a test event (`webhook.test`) for an endpoint, through the same outbox as the events.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/{id}/test",
    tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's number.")),
    responses((status = 202, description = "Queued: sent soon (once resumed, if the endpoint is paused); its attempts are in the endpoint's delivery log.", body = WebhookTestQueued)),
    security(("token" = []), ("bearer" = [])),
)]
pub async fn test(found: Found) -> Result<Response, ApiError> {
    let delivery = found.actor().test(&found.state, &found.endpoint).await?.ok_or_else(not_found)?;
    json(StatusCode::ACCEPTED, &WebhookTestQueued { delivery })
}
