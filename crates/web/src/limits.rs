//! How often one connection may sign, endorse or comment, the checks a public form passes before
//! its fields are read, and how a refusal says when to come back. The login limits live with the
//! state ([`crate::state::LoginLimiter`]).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use undersigned_core::Campaign;
use undersigned_core::store::now;

use crate::{AppState, Visitor};

/// Whether the visitor's connection may sign (or endorse) once more this hour; the seconds to wait if not.
pub fn rate_limited(state: &AppState, visitor: &Visitor) -> Option<u64> {
    let (limiter, ip) = (state.sign_limiter.as_ref()?, visitor.ip_key(&state.keys)?);
    limiter
        .check_key(&ip)
        .err()
        .map(|not_until| not_until.wait_time_from(DefaultClock::default().now()).as_secs() + 1)
}

/// The response, saying when to try again (`Retry-After`, in seconds).
pub fn with_retry_after(mut response: Response, seconds: u64) -> Response {
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
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
        match self.retry_after {
            Some(seconds) => with_retry_after(response, seconds),
            None => response,
        }
    }
}

/// The checks a campaign's public forms pass first, in order: the campaign takes them (open), the
/// form is this browser's (CSRF), and the connection has not sent too many this hour.
pub fn guard_public_form(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    csrf: &str,
) -> Option<Refusal> {
    if let Some(closed) = closed(campaign) {
        return Some(closed);
    }
    if !visitor.csrf_ok(&state.keys, csrf) {
        return refuse("form-error-csrf", StatusCode::FORBIDDEN, None);
    }
    over_limit(state, visitor)
}

/// The same checks for a signature sent by a program (OSDI's record signature helper without a
/// token), which has no browser's form to check: the campaign takes signatures, and the connection
/// has not sent too many this hour.
pub fn guard_program(state: &AppState, visitor: &Visitor, campaign: &Campaign) -> Option<Refusal> {
    closed(campaign).or_else(|| over_limit(state, visitor))
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

fn over_limit(state: &AppState, visitor: &Visitor) -> Option<Refusal> {
    let wait = rate_limited(state, visitor)?;
    refuse("sign-error-rate-limit", StatusCode::TOO_MANY_REQUESTS, Some(wait))
}
