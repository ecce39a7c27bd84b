//! Passkeys (WebAuthn, by webauthn-rs) as an organiser's second factor beside TOTP (issue 18).
//!
//! An organiser whose TOTP is on adds passkeys on `/organise/account/second-factor` and removes
//! them there; a passkey then does what a code does after the password (`/login/code`) and before
//! a sensitive action (`…/second-factor/confirm`). TOTP and the recovery codes stay the way in
//! when the passkey's device is lost (and without JavaScript, which a passkey needs).
//!
//! Each ceremony is two JSON requests made by `/static/passkeys.js`, each with the form's CSRF
//! token: `…/start` answers the challenge and keeps webauthn-rs's state of the ceremony in the
//! database (any instance may take the answer), `…/finish` takes that state (once: a second answer
//! to the same challenge finds none) and checks the browser's answer against it. The relying party
//! is the host of `--base-url`, its origin the only one accepted.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use undersigned_core::account::User;
use undersigned_core::passkey::{CEREMONY_TTL, Ceremony, MAX_PER_ACCOUNT, StoredPasskey, parse_name};
use undersigned_core::second_factor::{LOCK_FOR, MAX_FAILURES, SecondFactor};
use undersigned_core::store::now;
use undersigned_core::{Lang, StoreError};
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential,
    Url, Uuid, Webauthn, WebauthnBuilder,
};

use super::audit;
use crate::extract::session::{SignedIn, session_hash, session_token, step_up};
use crate::paths::safe_next;
use crate::{AppError, AppState, Visitor};

const PAGE: &str = "/organise/account/second-factor";

/// The relying party named `name`: the host of the base URL, and its origin; `Err` says why the
/// site's address cannot be one (an IP address, which browsers refuse as a relying party).
fn relying_party(base_url: &str, name: &str) -> Result<Webauthn, String> {
    let base = Url::parse(base_url).map_err(|e| format!("base URL: {e}"))?;
    let origin =
        Url::parse(&base.origin().ascii_serialization()).map_err(|e| format!("base URL's origin: {e}"))?;
    let rp_id = origin.host_str().ok_or("base URL without a host")?;
    WebauthnBuilder::new(rp_id, &origin)
        .and_then(|b| b.rp_name(name).build())
        .map_err(|e| format!("WebAuthn relying party {rp_id}: {e}"))
}

/// Whether passkeys can be used at the site's address (`--base-url` names a host).
pub fn possible(state: &AppState) -> bool {
    relying_party(&state.config.base_url, "Undersigned").is_ok()
}

fn webauthn(state: &AppState, visitor: &Visitor) -> Result<Webauthn, AppError> {
    let name = state.pages.i18n.t(&visitor.ui, "site-name", None);
    relying_party(&state.config.base_url, &name).map_err(AppError::Internal)
}

/// The user handle the authenticator keeps with the credential: the account's id, nothing else
/// of it.
fn user_handle(user: &User) -> Uuid {
    Uuid::from_u64_pair(0, user.id as u64)
}

/// A refusal as the script shows it: the message `key` in the visitor's language `lang`.
fn refuse(lang: &Lang, key: &str, status: StatusCode, state: &AppState) -> Response {
    let text = state.pages.i18n.t(lang, key, None);
    (status, Json(json!({ "error": text }))).into_response()
}

/// A ceremony's request without this browser's CSRF token, or that a browser says another site's
/// page sent (`Sec-Fetch-Site`, `Origin`): refused.
fn csrf_refused(state: &AppState, visitor: &Visitor) -> Response {
    refuse(&visitor.ui, "form-error-csrf", StatusCode::FORBIDDEN, state)
}

/// The account's passkeys as the credentials webauthn-rs checks against, with their rows.
fn credentials(stored: &[StoredPasskey]) -> Result<Vec<Passkey>, AppError> {
    stored
        .iter()
        .map(|p| {
            serde_json::from_str(&p.credential)
                .map_err(|e| AppError::Internal(format!("passkey {} unreadable: {e}", p.id)))
        })
        .collect()
}

#[derive(Deserialize)]
pub struct StartBody {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

/// `POST /organise/account/passkeys/start`: the options of `navigator.credentials.create` for a
/// new passkey named `name`. Only with TOTP on, and, being a change of the account's keys, only
/// within the step-up's time since the second factor was last checked.
pub async fn register_start(
    State(state): State<AppState>,
    visitor: Visitor,
    signed_in: SignedIn,
    Json(body): Json<StartBody>,
) -> Result<Response, AppError> {
    if visitor.from_elsewhere || !visitor.csrf_ok(&state.keys, &body.csrf) {
        return Ok(csrf_refused(&state, &visitor));
    }
    let user = &signed_in.user;
    if !possible(&state) {
        return Ok(refuse(&visitor.ui, "passkeys-error-address", StatusCode::CONFLICT, &state));
    }
    if state.store.second_factor(user.id).await?.filter(SecondFactor::is_on).is_none() {
        return Ok(refuse(&visitor.ui, "passkeys-error-totp-first", StatusCode::CONFLICT, &state));
    }
    if signed_in.factor.needs_step_up(now()) {
        let to = format!("{PAGE}/confirm?next={}", crate::paths::query_escape(PAGE));
        return Ok((StatusCode::UNAUTHORIZED, Json(json!({ "redirect": to }))).into_response());
    }
    if parse_name(&body.name).is_none() {
        let text = state.pages.i18n.t(&visitor.ui, "passkeys-error-name", None);
        let body = json!({ "error": text, "field": "passkey_name" });
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
    }
    let stored = state.store.passkeys(user.id).await?;
    if stored.len() >= MAX_PER_ACCOUNT {
        return Ok(refuse(&visitor.ui, "passkeys-error-too-many", StatusCode::UNPROCESSABLE_ENTITY, &state));
    }
    let exclude = credentials(&stored)?.iter().map(|p| p.cred_id().clone()).collect();
    let (options, registration) = webauthn(&state, &visitor)?
        .start_passkey_registration(user_handle(user), &user.email, &user.name, Some(exclude))
        .map_err(|e| AppError::Internal(format!("passkey registration: {e}")))?;
    let kept = serde_json::to_string(&registration).map_err(|e| AppError::Internal(e.to_string()))?;
    let t = now();
    state
        .store
        .begin_ceremony(&signed_in.session, Ceremony::Register, user.id, &kept, t + CEREMONY_TTL)
        .await?;
    Ok(Json(options).into_response())
}

#[derive(Deserialize)]
pub struct RegisterBody {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    credential: serde_json::Value,
}

/// `POST /organise/account/passkeys/finish`: the browser's new credential, checked against the
/// challenge of the session's registration, kept under the name typed.
pub async fn register_finish(
    State(state): State<AppState>,
    visitor: Visitor,
    signed_in: SignedIn,
    Json(body): Json<RegisterBody>,
) -> Result<Response, AppError> {
    if visitor.from_elsewhere || !visitor.csrf_ok(&state.keys, &body.csrf) {
        return Ok(csrf_refused(&state, &visitor));
    }
    let user = &signed_in.user;
    let t = now();
    let taken = state.store.take_ceremony(&signed_in.session, Ceremony::Register, t).await?;
    let Some((owner, kept)) = taken.filter(|(owner, _)| *owner == user.id) else {
        tracing::info!(user = user.id, "passkey registration without a live challenge");
        return Ok(refuse(&visitor.ui, "passkeys-error-expired", StatusCode::BAD_REQUEST, &state));
    };
    let Some(name) = parse_name(&body.name) else {
        let text = state.pages.i18n.t(&visitor.ui, "passkeys-error-name", None);
        let body = json!({ "error": text, "field": "passkey_name" });
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
    };
    let registration: PasskeyRegistration =
        serde_json::from_str(&kept).map_err(|e| AppError::Internal(format!("registration state: {e}")))?;
    let passkey = serde_json::from_value::<RegisterPublicKeyCredential>(body.credential)
        .map_err(|e| e.to_string())
        .and_then(|c| {
            webauthn(&state, &visitor)
                .map_err(|e| e.to_string())?
                .finish_passkey_registration(&c, &registration)
                .map_err(|e| e.to_string())
        });
    let passkey = match passkey {
        Ok(passkey) => passkey,
        Err(e) => {
            tracing::info!(user = owner, error = %e, "passkey registration refused");
            return Ok(refuse(&visitor.ui, "passkeys-error-refused", StatusCode::BAD_REQUEST, &state));
        }
    };
    let credential = serde_json::to_string(&passkey).map_err(|e| AppError::Internal(e.to_string()))?;
    match state.store.add_passkey(user.id, passkey.cred_id().as_slice(), &name, &credential, t).await {
        Ok(_) => {}
        Err(StoreError::Conflict(_)) => {
            return Ok(refuse(&visitor.ui, "passkeys-error-known", StatusCode::CONFLICT, &state));
        }
        Err(e) => return Err(e.into()),
    }
    audit(&state, user, None, "passkey-added", format!("account {}", user.email), name).await;
    Ok(Json(json!({ "redirect": format!("{PAGE}?added=1") })).into_response())
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /organise/account/passkeys/{id}/remove`: a change of the account's keys, so within the
/// step-up's time.
pub async fn remove(
    State(state): State<AppState>,
    visitor: Visitor,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<RemoveForm>,
) -> Result<Response, AppError> {
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    step_up(signed_in.factor, PAGE)?;
    let user = &signed_in.user;
    let name = state.store.passkeys(user.id).await?.into_iter().find(|p| p.id == id).map(|p| p.name);
    let Some(name) = name else { return Err(AppError::NotFound) };
    if state.store.remove_passkey(user.id, id).await? {
        audit(&state, user, None, "passkey-removed", format!("account {}", user.email), name).await;
    }
    Ok(Redirect::to(&format!("{PAGE}?removed=1")).into_response())
}

/// The session this request carries, whether it waits for its second factor or is past it, with
/// its account: a passkey checks either.
async fn any_session(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<(Vec<u8>, User, bool)>, AppError> {
    let Some(token) = session_token(state, headers) else { return Ok(None) };
    let session = session_hash(&token);
    let found = state.store.session_factor(&session, now()).await?;
    Ok(found.filter(|(_, f)| f.on).map(|(user, f)| (session, user, f.pending())))
}

#[derive(Deserialize)]
pub struct CsrfBody {
    #[serde(default)]
    csrf: String,
}

/// `POST /login/passkey/start`: the options of `navigator.credentials.get`, for the session's
/// account's passkeys: after the password, or before a sensitive action.
pub async fn authenticate_start(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Json(body): Json<CsrfBody>,
) -> Result<Response, AppError> {
    if visitor.from_elsewhere || !visitor.csrf_ok(&state.keys, &body.csrf) {
        return Ok(csrf_refused(&state, &visitor));
    }
    let Some((session, user, _)) = any_session(&state, &headers).await? else {
        return Ok(refuse(&visitor.ui, "passkeys-error-session", StatusCode::UNAUTHORIZED, &state));
    };
    let stored = state.store.passkeys(user.id).await?;
    if stored.is_empty() {
        return Ok(refuse(&visitor.ui, "passkeys-error-none", StatusCode::NOT_FOUND, &state));
    }
    let (options, authentication) = webauthn(&state, &visitor)?
        .start_passkey_authentication(&credentials(&stored)?)
        .map_err(|e| AppError::Internal(format!("passkey authentication: {e}")))?;
    let kept = serde_json::to_string(&authentication).map_err(|e| AppError::Internal(e.to_string()))?;
    let t = now();
    state.store.begin_ceremony(&session, Ceremony::Authenticate, user.id, &kept, t + CEREMONY_TTL).await?;
    Ok(Json(options).into_response())
}

#[derive(Deserialize)]
pub struct AuthenticateBody {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    credential: serde_json::Value,
}

/// `POST /login/passkey/finish`: the browser's assertion, checked against the challenge of the
/// session's authentication (taken once) and the account's passkeys; right, the session has
/// checked its second factor now, and the passkey's counter and backup state are kept.
pub async fn authenticate_finish(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Json(body): Json<AuthenticateBody>,
) -> Result<Response, AppError> {
    if visitor.from_elsewhere || !visitor.csrf_ok(&state.keys, &body.csrf) {
        return Ok(csrf_refused(&state, &visitor));
    }
    let Some((session, user, pending)) = any_session(&state, &headers).await? else {
        return Ok(refuse(&visitor.ui, "passkeys-error-session", StatusCode::UNAUTHORIZED, &state));
    };
    let t = now();
    let taken = state.store.take_ceremony(&session, Ceremony::Authenticate, t).await?;
    let Some((_, kept)) = taken.filter(|(owner, _)| *owner == user.id) else {
        tracing::info!(user = user.id, "passkey assertion without a live challenge");
        return Ok(refuse(&visitor.ui, "passkeys-error-expired", StatusCode::BAD_REQUEST, &state));
    };
    let Some(factor) = state.store.second_factor(user.id).await?.filter(SecondFactor::is_on) else {
        return Ok(refuse(&visitor.ui, "passkeys-error-none", StatusCode::NOT_FOUND, &state));
    };
    if factor.locked_at(t).is_some() {
        return Ok(refuse(&visitor.ui, "passkeys-error-locked", StatusCode::TOO_MANY_REQUESTS, &state));
    }
    let authentication: PasskeyAuthentication =
        serde_json::from_str(&kept).map_err(|e| AppError::Internal(format!("authentication state: {e}")))?;
    let checked = serde_json::from_value::<PublicKeyCredential>(body.credential)
        .map_err(|e| e.to_string())
        .and_then(|c| {
            webauthn(&state, &visitor)
                .map_err(|e| e.to_string())?
                .finish_passkey_authentication(&c, &authentication)
                .map_err(|e| e.to_string())
        });
    let result = match checked {
        Ok(result) => result,
        Err(e) => {
            tracing::info!(user = user.id, error = %e, "passkey assertion refused");
            // Counted with the wrong codes: the same lock.
            if let undersigned_core::second_factor::FailureOutcome::Locked(_) =
                state.store.count_wrong_code(user.id, MAX_FAILURES, LOCK_FOR, t).await?
            {
                let detail = format!(
                    "{MAX_FAILURES} wrong codes or passkeys; locked for {} minutes",
                    LOCK_FOR.whole_minutes()
                );
                audit(&state, &user, None, "second-factor-locked", format!("account {}", user.email), detail)
                    .await;
            }
            return Ok(refuse(&visitor.ui, "passkeys-error-refused", StatusCode::BAD_REQUEST, &state));
        }
    };
    let stored = state.store.passkeys(user.id).await?;
    let used = stored.iter().find(|p| p.credential_id.as_slice() == result.cred_id().as_slice());
    let Some(used) = used else {
        // Removed between the challenge and the answer.
        return Ok(refuse(&visitor.ui, "passkeys-error-refused", StatusCode::BAD_REQUEST, &state));
    };
    let mut passkey: Passkey = serde_json::from_str(&used.credential)
        .map_err(|e| AppError::Internal(format!("passkey {} unreadable: {e}", used.id)))?;
    passkey.update_credential(&result);
    let credential = serde_json::to_string(&passkey).map_err(|e| AppError::Internal(e.to_string()))?;
    state.store.use_passkey(user.id, &used.credential_id, &credential, t).await?;
    state.store.check_session(&session, t).await?;
    if pending {
        let detail = format!("passkey {}", used.name);
        audit(&state, &user, None, "login-second-factor", format!("account {}", user.email), detail).await;
    }
    Ok(Json(json!({ "redirect": safe_next(Some(&body.next)) })).into_response())
}

/// What the second-factor page shows of the account's passkeys.
pub async fn listed(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
) -> Result<Vec<minijinja::Value>, AppError> {
    let lang = &visitor.ui;
    Ok(state
        .store
        .passkeys(user.id)
        .await?
        .into_iter()
        .map(|p| {
            minijinja::context! {
                id => p.id,
                name => p.name,
                added => super::sessions::instant(state, lang, p.created_at),
                last_used => p.last_used_at.map(|at| super::sessions::instant(state, lang, at)),
            }
        })
        .collect())
}
