//! `/organise/account/sessions`: an organiser's own live sessions (device, when started, when last
//! seen, and whether from the network they are on now), ending any one of them or all the others.
//! A session is named in the forms by its token's hash (never the cookie), and only its own
//! account's sessions can be ended here; an admin ends all of an account's on the people page.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use minijinja::{Value, context};
use serde::Deserialize;
use time::OffsetDateTime;
use undersigned_core::Lang;
use undersigned_core::account::User;
use undersigned_core::session::{Device, SessionInfo};
use undersigned_core::store::now;

use super::{CurrentUser, audit};
use crate::extract::session::{session_hash, session_token};
use crate::{AppError, AppState, Visitor};

const SESSIONS: &str = "/organise/account/sessions";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Shown {
    /// What was just ended: `one` or `others`.
    ended: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EndForm {
    /// The session's token hash, base64url.
    session: String,
    csrf: String,
}

fn signed_in(current: CurrentUser) -> Result<User, AppError> {
    current.0.ok_or_else(|| AppError::LoginRequired { next: SESSIONS.into() })
}

/// The hash of this request's own session.
fn own_session(state: &AppState, headers: &HeaderMap) -> Option<Vec<u8>> {
    session_token(state, headers).map(|token| session_hash(&token))
}

pub(super) fn instant(state: &AppState, lang: &Lang, at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!("{} {:02}:{:02} UTC", state.pages.i18n.date(lang, at.date()), at.hour(), at.minute())
}

/// "Firefox on Linux", in the reader's words.
fn device_label(state: &AppState, lang: &Lang, device: Device) -> String {
    let i18n = &state.pages.i18n;
    let mut args = fluent_bundle::FluentArgs::new();
    let browser =
        device.browser.name().map_or_else(|| i18n.t(lang, "sessions-unknown-browser", None), str::to_owned);
    let system =
        device.system.name().map_or_else(|| i18n.t(lang, "sessions-unknown-system", None), str::to_owned);
    args.set("browser", browser);
    args.set("system", system);
    i18n.t(lang, "sessions-device", Some(&args))
}

/// A session as the list shows it: its network compared with the reader's now, hashed with its key.
fn row(state: &AppState, visitor: &Visitor, session: &SessionInfo, own: Option<&[u8]>) -> Value {
    let lang = &visitor.ui;
    let here = visitor.ip().map(|ip| state.keys.session_network_key(&session.token_hash, &ip));
    let network = match (&session.network, here) {
        (Some(was), Some(is)) if was[..] == is[..] => "here",
        (Some(_), _) => "other",
        (None, _) => "unknown",
    };
    context! {
        id => URL_SAFE_NO_PAD.encode(&session.token_hash),
        device => device_label(state, lang, session.device),
        started => instant(state, lang, session.started),
        last_seen => instant(state, lang, session.last_seen),
        network => network,
        this => own == Some(&session.token_hash[..]),
    }
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    headers: HeaderMap,
    Query(shown): Query<Shown>,
) -> Result<Response, AppError> {
    let user = signed_in(current)?;
    let own = own_session(&state, &headers);
    let sessions = state.store.sessions_of(user.id, now()).await?;
    let rows: Vec<Value> = sessions.iter().map(|s| row(&state, &visitor, s, own.as_deref())).collect();
    let others = sessions.iter().any(|s| own.as_deref() != Some(&s.token_hash[..]));
    let ended = shown.ended.as_deref().filter(|e| ["one", "others"].contains(e));
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "sessions-heading", None),
        sessions => rows,
        others => others,
        ended => ended,
    };
    Ok((StatusCode::OK, state.pages.render("organise/sessions.html", &visitor, page)?).into_response())
}

/// Ends one of the organiser's own sessions (their own too, which logs them out).
pub async fn end(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Form(form): Form<EndForm>,
) -> Result<Response, AppError> {
    let user = signed_in(current)?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let hash = URL_SAFE_NO_PAD.decode(form.session.trim()).map_err(|_| AppError::NotFound)?;
    let device = state
        .store
        .sessions_of(user.id, now())
        .await?
        .into_iter()
        .find(|s| s.token_hash == hash)
        .map(|s| s.device.code());
    if !state.store.end_session_of(user.id, &hash).await? {
        return Err(AppError::NotFound);
    }
    let subject = format!("user #{} {}", user.id, user.email);
    audit(&state, &user, None, "end-own-session", subject, device.unwrap_or_default()).await;
    Ok(Redirect::to(&format!("{SESSIONS}?ended=one")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OthersForm {
    csrf: String,
}

/// Ends every session of the organiser's but the one they are using.
pub async fn end_others(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    headers: HeaderMap,
    Form(form): Form<OthersForm>,
) -> Result<Response, AppError> {
    let user = signed_in(current)?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let own = own_session(&state, &headers).ok_or(AppError::Forbidden)?;
    let ended = state.store.end_other_sessions(user.id, &own).await?;
    let subject = format!("user #{} {}", user.id, user.email);
    audit(&state, &user, None, "end-other-sessions", subject, ended.to_string()).await;
    Ok(Redirect::to(&format!("{SESSIONS}?ended=others")).into_response())
}
