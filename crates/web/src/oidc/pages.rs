//! The round trip's two ends: [`start`] (called by each button's handler, after its CSRF check)
//! and [`callback`], which checks the answer and hands the identity to the room that asked.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fluent_bundle::FluentArgs;
use serde::Deserialize;
use undersigned_core::oidc::{FLOW_MINUTES, Flow, Purpose};
use undersigned_core::store::now;

use super::{CALLBACK_PATH, Provider, Refusal};
use crate::extract::session::CurrentUser;
use crate::extract::{cookie, set_cookie};
use crate::render::messages::message;
use crate::{AppError, AppState, Visitor};

/// The cookie that binds a round trip to the browser that started it.
pub const BROWSER_COOKIE: &str = "oidc";

/// The redirect URI registered with every provider.
pub fn redirect_uri(state: &AppState) -> String {
    format!("{}{CALLBACK_PATH}", state.config.base_url)
}

/// Starts a round trip to `provider` for `purpose` (the caller checked the form's CSRF token and
/// who may do it): kept in the database, then a 303 to the provider. A provider that cannot be
/// reached: a page saying so (502), with a link back to `return_to`.
pub async fn start(
    state: &AppState,
    visitor: &Visitor,
    headers: &HeaderMap,
    provider: &Provider,
    purpose: Purpose,
    user_id: Option<i64>,
    return_to: String,
) -> Result<Response, AppError> {
    let authorization = match state.oidc.authorize(provider, &redirect_uri(state)).await {
        Ok(a) => a,
        Err(reason) => {
            tracing::warn!(provider = %provider.id, reason = reason.as_str(), "OpenID Connect sign-in not started");
            let i18n = &state.pages.i18n;
            let text = unavailable(state, visitor, provider);
            let back = (return_to, i18n.t(&visitor.ui, "oidc-back", None));
            let heading = i18n.t(&visitor.ui, "oidc-unavailable-heading", None);
            return message(state, visitor, StatusCode::BAD_GATEWAY, heading, vec![text], Some(back));
        }
    };
    let browser = match cookie(headers, &state.config.cookie_name(BROWSER_COOKIE)) {
        Some(value) if value.len() == 43 => value.to_owned(),
        _ => URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>()),
    };
    let t = now();
    let flow = Flow {
        state_key: state.keys.oidc_key("state", &authorization.state).to_vec(),
        browser_key: state.keys.oidc_key("browser", &browser).to_vec(),
        provider: provider.id.clone(),
        purpose,
        user_id,
        pkce_verifier: authorization.pkce_verifier,
        nonce: authorization.nonce,
        return_to,
        expires_at: t + time::Duration::minutes(FLOW_MINUTES),
    };
    state.store.begin_oidc_flow(&flow, t).await?;
    // Lax: sent with the provider's redirect back (a top-level GET).
    let value = set_cookie(&state.config, BROWSER_COOKIE, &browser, Some(FLOW_MINUTES * 60));
    let mut response = Redirect::to(authorization.url.as_str()).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, HeaderValue::from_str(&value).map_err(|_| AppError::BadRequest)?);
    Ok(response)
}

/// What a page says of a provider that cannot be reached, by its name.
fn unavailable(state: &AppState, visitor: &Visitor, provider: &Provider) -> String {
    let mut args = FluentArgs::new();
    args.set("provider", provider.name.clone());
    state.pages.i18n.t(&visitor.ui, "oidc-unavailable-text", Some(&args))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

/// A refused answer: a 400 page (or `status`) in the visitor's language saying why in general
/// terms, with a link back, and a warning in the log naming the reason (never the person).
pub fn refuse(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    reason: &str,
    text: String,
    back: &str,
) -> Result<Response, AppError> {
    tracing::warn!(reason, "OpenID Connect sign-in refused");
    let i18n = &state.pages.i18n;
    let heading = i18n.t(&visitor.ui, "oidc-refused-heading", None);
    let link = (back.to_owned(), i18n.t(&visitor.ui, "oidc-back", None));
    message(state, visitor, status, heading, vec![text], Some(link))
}

/// `GET /login/oidc/callback`: the provider's answer.
pub async fn callback(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    current: CurrentUser,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let bad = |reason: &str, back: &str| {
        refuse(&state, &visitor, StatusCode::BAD_REQUEST, reason, t("oidc-refused-text"), back)
    };
    let Some(state_param) = query.state.as_deref().filter(|s| !s.is_empty() && s.len() <= 512) else {
        return bad("no state", "/login");
    };
    let Some(flow) = state.store.take_oidc_flow(&state.keys.oidc_key("state", state_param)).await? else {
        return bad("unknown or used state", "/login");
    };
    let back = flow.return_to.clone();
    let browser = cookie(&headers, &state.config.cookie_name(BROWSER_COOKIE)).unwrap_or("");
    if state.keys.oidc_key("browser", browser)[..] != flow.browser_key[..] {
        return bad("state started in another browser", &back);
    }
    if flow.is_expired(now()) {
        return bad("expired", &back);
    }
    let Some(provider) = state.oidc.get(&flow.provider) else {
        return bad("provider no longer configured", &back);
    };
    if query.error.is_some() {
        let text = t("oidc-cancelled-text");
        return refuse(
            &state,
            &visitor,
            StatusCode::BAD_REQUEST,
            "the provider answered with an error",
            text,
            &back,
        );
    }
    let Some(code) = query.code.as_deref().filter(|c| !c.is_empty()) else {
        return bad("no code", &back);
    };
    let identity = match state
        .oidc
        .finish(provider, &redirect_uri(&state), code, &flow.pkce_verifier, &flow.nonce)
        .await
    {
        Ok(identity) => identity,
        Err(Refusal::Unreachable) => {
            let text = unavailable(&state, &visitor, provider);
            return refuse(
                &state,
                &visitor,
                StatusCode::BAD_GATEWAY,
                Refusal::Unreachable.as_str(),
                text,
                &back,
            );
        }
        Err(reason) => return bad(reason.as_str(), &back),
    };
    match flow.purpose {
        Purpose::Login | Purpose::Link => {
            crate::organise::sign_in::finish(&state, &visitor, &headers, current, &flow, provider, identity)
                .await
        }
        Purpose::Comment => {
            crate::html::comments::signed_in(&state, &visitor, &flow, provider, identity).await
        }
    }
}
