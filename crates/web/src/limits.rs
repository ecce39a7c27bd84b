//! How often one connection may sign, endorse or comment, the checks a public form passes before
//! its fields are read, and how a refusal says when to come back. The limits themselves, shared by
//! the instances on PostgreSQL, are [`crate::rate_limit`]'s.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use undersigned_core::store::{StoreResult, now};
use undersigned_core::{Campaign, CampaignId};

use crate::rate_limit::Limit;
use crate::{AppState, Visitor};

/// Whether the visitor's connection may sign (or endorse) once more this hour (and counts it);
/// the seconds to wait if not.
pub async fn rate_limited(state: &AppState, visitor: &Visitor) -> StoreResult<Option<u64>> {
    let Some(ip) = visitor.ip_key(&state.keys) else { return Ok(None) };
    state.limits.take(&Limit::sign(state.config.sign_rate_limit), &[&ip]).await
}

/// The response, saying when to try again (`Retry-After`, in seconds).
pub fn with_retry_after(mut response: Response, seconds: u64) -> Response {
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The response with a `Retry-After` header when there is a time to say.
pub fn with_retry_after_if(response: Response, seconds: Option<u64>) -> Response {
    match seconds {
        Some(seconds) => with_retry_after(response, seconds),
        None => response,
    }
}

/// Why a public form (signing, endorsing) is refused before its fields are read: the answer's
/// status, the message shown above the form, and when to try again.
pub struct Refusal {
    pub status: StatusCode,
    pub key: &'static str,
    pub retry_after: Option<u64>,
}

impl Refusal {
    /// The page of the refusal, saying when to come back where there is a when.
    pub fn with_retry_after(&self, response: Response) -> Response {
        with_retry_after_if(response, self.retry_after)
    }
}

/// The public forms of a campaign whose sending changes nothing until someone confirms it from
/// their mail (signing, endorsing), so that they need no session: their token is bound to the
/// form, the campaign and a time window, not to a browser, and the pages that carry them can be
/// the same bytes for everyone (cached) and work in another site's frame with its cookies
/// blocked. What keeps other sites from sending them is [`crate::security::from_elsewhere`]; the
/// token (no secret: anyone may read the form) makes a sender read the page first, within a
/// day. The forms bound to a person (a signer's own pages, the organisers') keep the
/// cookie-bound token ([`Visitor::csrf`]).
#[derive(Clone, Copy)]
pub enum PublicForm {
    Sign,
    Endorse,
}

impl PublicForm {
    /// A token is made for a window of this many seconds and taken through the next one: a page
    /// kept open for half a day still sends, and one refused for being older shows the form again
    /// with what was typed and a new token.
    pub const WINDOW_SECONDS: i64 = 12 * 3600;

    fn name(self) -> &'static str {
        match self {
            Self::Sign => "sign",
            Self::Endorse => "endorse",
        }
    }

    fn window() -> i64 {
        now().unix_timestamp().div_euclid(Self::WINDOW_SECONDS)
    }

    /// The token the form carries now.
    pub fn token(self, state: &AppState, campaign: CampaignId) -> String {
        state.keys.form_token(self.name(), campaign, Self::window())
    }

    pub fn token_ok(self, state: &AppState, campaign: CampaignId, token: &str) -> bool {
        state.keys.form_token_ok(self.name(), campaign, Self::window(), token)
    }
}

/// The checks a campaign's public forms pass first, in order: the campaign takes them (open), no
/// other site sent them, they carry the form's token, and the connection has not sent too many
/// this hour.
pub async fn guard_public_form(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    form: PublicForm,
    token: &str,
) -> StoreResult<Option<Refusal>> {
    match closed(campaign) {
        Some(refusal) => Ok(Some(refusal)),
        None => guard_sent_form(state, visitor, campaign, form, token).await,
    }
}

/// The checks of [`guard_public_form`] but the first, for a form that a campaign not yet open
/// takes: a proposal's sponsors sign its draft.
pub async fn guard_sent_form(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    form: PublicForm,
    token: &str,
) -> StoreResult<Option<Refusal>> {
    if visitor.from_elsewhere {
        return Ok(refuse("form-error-elsewhere", StatusCode::FORBIDDEN, None));
    }
    if !form.token_ok(state, campaign.id, token) {
        return Ok(refuse("form-error-csrf", StatusCode::FORBIDDEN, None));
    }
    over_limit(state, visitor).await
}

/// The same checks for a signature sent by a program (OSDI's record signature helper without a
/// token), which has no browser's form to check: the campaign takes signatures, and the connection
/// has not sent too many this hour.
pub async fn guard_program(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
) -> StoreResult<Option<Refusal>> {
    match closed(campaign) {
        Some(refusal) => Ok(Some(refusal)),
        None => over_limit(state, visitor).await,
    }
}

fn refuse(key: &'static str, status: StatusCode, retry_after: Option<u64>) -> Option<Refusal> {
    Some(Refusal { status, key, retry_after })
}

fn closed(campaign: &Campaign) -> Option<Refusal> {
    match campaign.content.is_open_at(now()) {
        true => None,
        false => refuse("sign-error-closed", StatusCode::CONFLICT, None),
    }
}

async fn over_limit(state: &AppState, visitor: &Visitor) -> StoreResult<Option<Refusal>> {
    Ok(match rate_limited(state, visitor).await? {
        Some(wait) => refuse("sign-error-rate-limit", StatusCode::TOO_MANY_REQUESTS, Some(wait)),
        None => None,
    })
}
