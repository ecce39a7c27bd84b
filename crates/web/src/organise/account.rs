//! Logging in and out, and setting a password from an emailed link (invitation or reset).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use minijinja::context;
use serde::{Deserialize, Serialize};
use undersigned_core::account::{
    self, User, check_password, hash_password, password_binding, verify_password,
};
use undersigned_core::keys::{TokenCheck, TokenKind};
use undersigned_core::session::{Device, NewSession};
use undersigned_core::store::now;
use undersigned_core::{Email, ValidationError};

use crate::extract::session::{
    SESSION_COOKIE, SESSION_DAYS, login_code_path, pending_session, session_hash, session_token,
};
use crate::extract::set_cookie;
use crate::limits::with_retry_after;
use crate::paths::safe_next;
use crate::render::forms::FormState;
use crate::render::messages::{ButtonForm, LinkProblem, message};
use crate::{AppError, AppState, Visitor};

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    #[serde(skip_serializing)]
    password: String,
    next: String,
    #[serde(skip_serializing)]
    csrf: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn render_login(
    state: &AppState,
    visitor: &Visitor,
    form: FormState<LoginForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "login-heading", None),
        form => form,
        providers => super::sign_in::buttons(state),
    };
    Ok(state.oidc.allow_forms((status, state.pages.render("login.html", visitor, page)?).into_response()))
}

pub async fn login_page(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: axum::http::HeaderMap,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = safe_next(query.next.as_deref());
    // Past the password already, waiting for the code.
    if pending_session(&state, &headers).await?.is_some() {
        return Ok(Redirect::to(&login_code_path(&next)).into_response());
    }
    let form = LoginForm { next, ..Default::default() };
    render_login(&state, &visitor, FormState::new(form), StatusCode::OK)
}

/// Starts a session for `user`: a new random token (a fresh id at every login; the browser's
/// previous session, if any, ends), its hash stored with the device and network it came from
/// (`undersigned_core::session`), the token in an HttpOnly cookie.
async fn start_session(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    headers: &axum::http::HeaderMap,
) -> Result<HeaderValue, AppError> {
    if let Some(previous) = session_token(state, headers) {
        state.store.end_session(&session_hash(&previous)).await?;
    }
    let token = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let hash = session_hash(&token);
    let t = now();
    let network = visitor.ip().map(|ip| state.keys.session_network_key(&hash, &ip));
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    let session = NewSession {
        token_hash: &hash,
        user: user.id,
        started: t,
        expires: t + time::Duration::days(SESSION_DAYS),
        device: Device::from_user_agent(user_agent),
        network: network.as_ref().map(|k| &k[..]),
    };
    state.store.start_session(&session).await?;
    let cookie = set_cookie(&state.config, SESSION_COOKIE, &token, Some(SESSION_DAYS * 24 * 3600));
    HeaderValue::from_str(&cookie).map_err(|_| AppError::Forbidden)
}

pub async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: axum::http::HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let i18n = &state.pages.i18n;
    let lang = &visitor.ui;
    let kept = LoginForm { next: safe_next(Some(&form.next)), ..form.clone() };
    let refuse = |key: &str, status| {
        render_login(
            &state,
            &visitor,
            FormState::new(kept.clone()).with_alert(i18n.t(lang, key, None)),
            status,
        )
    };
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return refuse("form-error-csrf", StatusCode::FORBIDDEN);
    }
    let email = form.email.trim().to_lowercase();
    let account_key = state.keys.email_key(0, &email);
    if let Some(wait) = state.limits.login(&account_key, visitor.ip_key(&state.keys).as_ref()).await? {
        return refuse("login-error-rate-limit", StatusCode::TOO_MANY_REQUESTS)
            .map(|r| with_retry_after(r, wait));
    }
    let found = state.store.user_by_email(&email).await?;
    let password = form.password.clone();
    let hash = found.as_ref().and_then(|(_, h)| h.clone());
    // Verify even without an account, so the time taken tells nothing.
    let verified = hashing(&state, move || match hash {
        Some(hash) => verify_password(&password, &hash),
        None => {
            verify_password(&password, DUMMY_HASH);
            false
        }
    })
    .await;
    let Some(verified) = verified else {
        return refuse("login-error-busy", StatusCode::SERVICE_UNAVAILABLE)
            .map(|r| with_retry_after(r, BUSY_RETRY_SECONDS));
    };
    let Some((user, _)) = found.filter(|_| verified) else {
        return refuse("login-error-wrong", StatusCode::UNAUTHORIZED);
    };
    if state.store.disabled_users().await?.contains(&user.id) {
        return refuse("login-error-disabled", StatusCode::FORBIDDEN);
    }
    crate::organise::audit(&state, &user, None, "login", user.email.clone(), String::new()).await;
    log_in(&state, &visitor, &user, &headers, &form.next).await
}

/// Logs `user` in, past the first factor (a password, or a provider's identity): a new session,
/// then to `next`, or first to the code's page where the account has a second factor (the
/// session is usable once its code is typed).
pub(crate) async fn log_in(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    headers: &axum::http::HeaderMap,
    next: &str,
) -> Result<Response, AppError> {
    let cookie = start_session(state, visitor, user, headers).await?;
    let next = safe_next(Some(next));
    let to = match state.store.second_factor(user.id).await?.is_some_and(|f| f.is_on()) {
        true => login_code_path(&next),
        false => next,
    };
    let mut response = Redirect::to(&to).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

/// How long a request waits for a turn to hash a password before it is told to come back.
const HASH_WAIT: std::time::Duration = std::time::Duration::from_secs(3);
const BUSY_RETRY_SECONDS: u64 = 5;

/// Runs `work` (argon2: 19 MiB and tens of milliseconds each) off the async threads, at most
/// [`crate::hash_permits`] at once; `None` when no turn came within [`HASH_WAIT`].
pub async fn hashing<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let permit = tokio::time::timeout(HASH_WAIT, state.hashing.clone().acquire_owned()).await.ok()?.ok()?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .ok()
}

/// An argon2id hash of nothing anyone knows, to spend the same time on unknown addresses.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ZGVhZGJlZWZkZWFkYmVlZmRlYWRiZWVmZGVhZGJlZWY";

pub async fn logout(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: axum::http::HeaderMap,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    if let Some(token) = session_token(&state, &headers) {
        state.store.end_session(&session_hash(&token)).await?;
    }
    let mut response = Redirect::to("/").into_response();
    let expired = set_cookie(&state.config, SESSION_COOKIE, "", Some(0));
    if let Ok(value) = HeaderValue::from_str(&expired) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct ForgotForm {
    email: String,
    #[serde(skip_serializing)]
    csrf: String,
}

fn render_forgot(
    state: &AppState,
    visitor: &Visitor,
    form: FormState<ForgotForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = context! { title => state.pages.i18n.t(&visitor.ui, "forgot-heading", None), form => form };
    Ok((status, state.pages.render("forgot.html", visitor, page)?).into_response())
}

pub async fn forgot_page(State(state): State<AppState>, visitor: Visitor) -> Result<Response, AppError> {
    render_forgot(&state, &visitor, FormState::empty(), StatusCode::OK)
}

pub async fn forgot(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<ForgotForm>,
) -> Result<Response, AppError> {
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return render_forgot(
            &state,
            &visitor,
            FormState::new(form.clone()).with_alert(t("form-error-csrf")),
            StatusCode::FORBIDDEN,
        );
    }
    let Ok(email) = Email::parse("email", &form.email) else {
        let errors = [ValidationError::new("email", "")];
        let page = FormState::new(form.clone()).with_errors(&state.pages.i18n, &visitor.ui, &errors);
        return render_forgot(&state, &visitor, page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let over = match visitor.ip_key(&state.keys) {
        Some(ip) => state.limits.take(&crate::rate_limit::Limit::LOGIN_IP, &[&ip]).await?,
        None => None,
    };
    if over.is_some() {
        let page = FormState::new(form.clone()).with_alert(t("login-error-rate-limit"));
        return render_forgot(&state, &visitor, page, StatusCode::TOO_MANY_REQUESTS);
    }
    // Looked up in the background: the same answer, in the same time, whether the address has
    // an account or not.
    state.lookups.submit(crate::lookups::Lookup::PasswordReset { email });
    message(&state, &visitor, StatusCode::OK, t("forgot-sent-heading"), vec![t("forgot-sent-text")], None)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    password: String,
    password_again: String,
    csrf: String,
}

async fn password_link(
    state: &AppState,
    token: &str,
) -> Result<Result<(User, Option<String>), LinkProblem>, AppError> {
    let Some(decoded) = state.keys.decode(TokenKind::SetPassword, token) else {
        return Ok(Err(LinkProblem::Invalid));
    };
    let Some((user, hash)) = state.store.user_by_id(decoded.id).await? else {
        return Ok(Err(LinkProblem::Invalid));
    };
    match state.keys.check(&decoded, &password_binding(&user, hash.as_deref()), now()) {
        TokenCheck::Valid => Ok(Ok((user, hash))),
        TokenCheck::Expired => Ok(Err(LinkProblem::ExpiredAccount)),
        TokenCheck::Invalid => Ok(Err(LinkProblem::Invalid)),
    }
}

fn render_password(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    form: FormState<()>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "password-heading", None),
        account => &user.email,
        form => form,
        min => account::PASSWORD_MIN,
    };
    Ok((status, state.pages.render("set-password.html", visitor, page)?).into_response())
}

pub async fn password_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match password_link(&state, &token).await? {
        Ok((user, _)) => render_password(&state, &visitor, &user, FormState::new(()), StatusCode::OK),
        Err(problem) => problem.page(&state, &visitor),
    }
}

pub async fn set_password(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: axum::http::HeaderMap,
    Path(token): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let (user, _) = match password_link(&state, &token).await? {
        Ok(found) => found,
        Err(problem) => return problem.page(&state, &visitor),
    };
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_password(&state, &visitor, &user, page, StatusCode::FORBIDDEN);
    }
    let mut errors = Vec::new();
    if check_password("password", &form.password).is_err() {
        errors.push(ValidationError::new("password", ""));
    } else if form.password != form.password_again {
        errors.push(ValidationError::new("password_again", ""));
    }
    if !errors.is_empty() {
        let page = FormState::new(()).with_errors(i18n, &visitor.ui, &errors);
        return render_password(&state, &visitor, &user, page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let password = form.password;
    let Some(hash) = hashing(&state, move || hash_password(&password)).await else {
        let page = FormState::new(()).with_alert(i18n.t(&visitor.ui, "login-error-busy", None));
        let page = render_password(&state, &visitor, &user, page, StatusCode::SERVICE_UNAVAILABLE);
        return page.map(|r| with_retry_after(r, BUSY_RETRY_SECONDS));
    };
    state.store.set_password(user.id, &hash).await?;
    let cookie = start_session(&state, &visitor, &user, &headers).await?;
    crate::organise::audit(&state, &user, None, "set-password", user.email.clone(), String::new()).await;
    let mut response = Redirect::to("/organise").into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}
