//! The organisers' second factor (issue 18): enrolment and switching it off at
//! `/organise/account/second-factor`, the code after the password at `/login/code`, and the code
//! again before a sensitive action at `/organise/account/second-factor/confirm` (see
//! `extract::session::step_up`); passkeys, beside the codes, are `super::passkeys`'. Codes are checked by `undersigned_core::second_factor`; the store
//! keeps each time step used once, the recovery codes used once, and the lock after
//! `MAX_FAILURES` wrong codes, for every instance.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentArgs;
use minijinja::{Value, context};
use qrcode::QrCode;
use qrcode::render::svg;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use undersigned_core::StoreError;
use undersigned_core::account::User;
use undersigned_core::second_factor::{
    FailureOutcome, LOCK_FOR, MAX_FAILURES, RECOVERY_CODES, SecondFactor, Secret, StepOutcome,
    normalise_recovery_code, recovery_code,
};
use undersigned_core::store::now;

use super::audit;
use crate::extract::session::{SignedIn, pending_session as pending};
use crate::limits::with_retry_after_if;
use crate::paths::safe_next;
use crate::render::forms::FormState;
use crate::{AppError, AppState, Visitor};

const PAGE: &str = "/organise/account/second-factor";

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct CodeForm {
    code: String,
    next: String,
    #[serde(skip_serializing)]
    csrf: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    /// A passkey was just added (`added=1`) or removed (`removed=1`).
    added: Option<String>,
    removed: Option<String>,
}

/// What checking a typed code came to.
enum Checked {
    Right,
    /// Wrong, or a code used already (`replayed`).
    Wrong {
        replayed: bool,
    },
    Locked(OffsetDateTime),
}

/// Checks `typed` (a current code or a recovery code) against the second factor of `user`,
/// counting a wrong one and writing the audit log's entries for a recovery code used and a lock.
async fn check(
    state: &AppState,
    user: &User,
    factor: &SecondFactor,
    typed: &str,
) -> Result<Checked, AppError> {
    let t = now();
    if let Some(until) = factor.locked_at(t) {
        return Ok(Checked::Locked(until));
    }
    let mut replayed = false;
    if let Some(step) = factor.secret.check(typed, t) {
        match state.store.use_step(user.id, step, t).await? {
            StepOutcome::Accepted => return Ok(Checked::Right),
            StepOutcome::Locked(until) => return Ok(Checked::Locked(until)),
            StepOutcome::Replayed => replayed = true,
        }
    } else if let Some(code) = normalise_recovery_code(typed)
        && state.store.use_recovery_code(user.id, &code, t).await?
    {
        let left = factor.recovery_codes_left.saturating_sub(1);
        audit(state, user, None, "recovery-code-used", account(user), format!("{left} left")).await;
        return Ok(Checked::Right);
    }
    match state.store.count_wrong_code(user.id, MAX_FAILURES, LOCK_FOR, t).await? {
        FailureOutcome::Counted(_) => Ok(Checked::Wrong { replayed }),
        FailureOutcome::Locked(until) => {
            let detail =
                format!("{MAX_FAILURES} wrong codes; locked for {} minutes", LOCK_FOR.whole_minutes());
            audit(state, user, None, "second-factor-locked", account(user), detail).await;
            Ok(Checked::Locked(until))
        }
    }
}

fn account(user: &User) -> String {
    format!("account {}", user.email)
}

/// A form whose field `field` is refused: a wrong code, or one used already (`replayed`).
fn refused<T: Serialize>(
    state: &AppState,
    visitor: &Visitor,
    typed: T,
    field: &str,
    replayed: bool,
) -> FormState<T> {
    let i18n = &state.pages.i18n;
    let mut form = FormState::new(typed);
    let message = match replayed {
        true => i18n.t(&visitor.ui, "second-factor-error-replayed", None),
        false => i18n.t(&visitor.ui, "second-factor-error-code", None),
    };
    form.errors.insert(field.to_owned(), message);
    form.order.push(field.to_owned());
    form.with_alert(i18n.t(&visitor.ui, "form-alert-check", None))
}

/// The form after a check that was not right: the field named, or the lock and when it ends
/// (429, with `Retry-After`).
fn not_right<T: Serialize>(
    state: &AppState,
    visitor: &Visitor,
    typed: T,
    field: &str,
    checked: &Checked,
) -> (FormState<T>, StatusCode, Option<u64>) {
    match checked {
        Checked::Locked(until) => {
            let i18n = &state.pages.i18n;
            let mut args = FluentArgs::new();
            let seconds = (*until - now()).whole_seconds().max(1);
            args.set("minutes", (seconds + 59) / 60);
            args.set("time", format!("{:02}:{:02} UTC", until.hour(), until.minute()));
            let alert = i18n.t(&visitor.ui, "second-factor-locked", Some(&args));
            let form = FormState::new(typed).with_alert(alert);
            (form, StatusCode::TOO_MANY_REQUESTS, Some(seconds as u64))
        }
        Checked::Wrong { replayed: true } => {
            let form = refused(state, visitor, typed, field, true);
            (form, StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        _ => {
            let form = refused(state, visitor, typed, field, false);
            (form, StatusCode::UNPROCESSABLE_ENTITY, None)
        }
    }
}

/// Which page asks for the code.
#[derive(Clone, Copy)]
enum Heading {
    /// After the password.
    Login,
    /// Before a sensitive action.
    Confirm,
}

/// The page asking for the code: after the password (`/login/code`) or before a sensitive action
/// (`…/confirm`).
async fn render_code(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    heading: Heading,
    form: FormState<CodeForm>,
    status: StatusCode,
    retry_after: Option<u64>,
) -> Result<Response, AppError> {
    let (heading, action) = match heading {
        Heading::Login => (state.pages.i18n.t(&visitor.ui, "login-code-heading", None), "/login/code"),
        Heading::Confirm => (state.pages.i18n.t(&visitor.ui, "second-factor-confirm-heading", None), CONFIRM),
    };
    let page = context! {
        title => &heading,
        heading => heading,
        action => action,
        form => form,
        passkeys => !state.store.passkeys(user.id).await?.is_empty(),
    };
    let response = (status, state.pages.render("second-factor-code.html", visitor, page)?).into_response();
    Ok(with_retry_after_if(response, retry_after))
}

pub async fn login_code_page(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = safe_next(query.next.as_deref());
    let Some((_, user)) = pending(&state, &headers).await? else {
        return Ok(
            Redirect::to(&format!("/login?next={}", crate::paths::query_escape(&next))).into_response()
        );
    };
    let form = FormState::new(CodeForm { next, ..Default::default() });
    render_code(&state, &visitor, &user, Heading::Login, form, StatusCode::OK, None).await
}

pub async fn login_code(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let kept = CodeForm { next: safe_next(Some(&form.next)), ..form.clone() };
    let Some((session, user)) = pending(&state, &headers).await? else {
        let to = format!("/login?next={}", crate::paths::query_escape(&kept.next));
        return Ok(Redirect::to(&to).into_response());
    };
    let heading = Heading::Login;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(kept).with_alert(state.pages.i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_code(&state, &visitor, &user, heading, page, StatusCode::FORBIDDEN, None).await;
    }
    let factor = state.store.second_factor(user.id).await?.filter(SecondFactor::is_on);
    let Some(factor) = factor else { return Err(AppError::Forbidden) };
    let checked = check(&state, &user, &factor, &form.code).await?;
    if let Checked::Right = checked {
        state.store.check_session(&session, now()).await?;
        audit(&state, &user, None, "login-second-factor", account(&user), String::new()).await;
        return Ok(Redirect::to(&kept.next).into_response());
    }
    let (page, status, retry) = not_right(&state, &visitor, kept, "code", &checked);
    render_code(&state, &visitor, &user, heading, page, status, retry).await
}

pub async fn confirm_page(
    State(state): State<AppState>,
    visitor: Visitor,
    signed_in: SignedIn,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = safe_next(query.next.as_deref());
    if !signed_in.factor.on {
        return Ok(Redirect::to(&next).into_response());
    }
    let form = FormState::new(CodeForm { next, ..Default::default() });
    render_code(&state, &visitor, &signed_in.user, Heading::Confirm, form, StatusCode::OK, None).await
}

const CONFIRM: &str = "/organise/account/second-factor/confirm";

pub async fn confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    signed_in: SignedIn,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let kept = CodeForm { next: safe_next(Some(&form.next)), ..form.clone() };
    let heading = Heading::Confirm;
    let user = &signed_in.user;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(kept).with_alert(state.pages.i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_code(&state, &visitor, user, heading, page, StatusCode::FORBIDDEN, None).await;
    }
    let Some(factor) = state.store.second_factor(user.id).await?.filter(SecondFactor::is_on) else {
        return Ok(Redirect::to(&kept.next).into_response());
    };
    let checked = check(&state, user, &factor, &form.code).await?;
    if let Checked::Right = checked {
        state.store.check_session(&signed_in.session, now()).await?;
        return Ok(Redirect::to(&kept.next).into_response());
    }
    let (page, status, retry) = not_right(&state, &visitor, kept, "code", &checked);
    render_code(&state, &visitor, user, heading, page, status, retry).await
}

/// The forms of the account's second-factor page, with what was typed in each.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct FactorForm {
    /// The code that switches it on.
    code: String,
    /// The code (or a recovery code) that switches it off.
    off_code: String,
    /// The code (or a recovery code) that makes new recovery codes.
    renew_code: String,
    next: String,
    #[serde(skip_serializing)]
    csrf: String,
}

/// The QR code of `uri` as inline SVG (drawn here: no image from another host), named for
/// screen readers.
fn qr_svg(uri: &str, label: &str) -> Option<String> {
    let code = QrCode::new(uri.as_bytes()).ok()?;
    let image = code.render::<svg::Color>().min_dimensions(200, 200).quiet_zone(true).build();
    let start = image.find("<svg")?;
    let label = label.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    Some(image[start..].replacen("<svg", &format!("<svg role=\"img\" aria-label=\"{label}\""), 1))
}

/// The page, saying what was just done to the passkeys (`done`: `added`, `removed`), if anything.
async fn render_factor(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    factor: &SecondFactor,
    form: FormState<FactorForm>,
    status: StatusCode,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let i18n = &state.pages.i18n;
    let (qr, secret) = match factor.is_on() {
        true => (None, None),
        false => {
            let uri = factor.secret.uri(&i18n.t(&visitor.ui, "site-name", None), &user.email);
            let label = i18n.t(&visitor.ui, "second-factor-qr-label", None);
            (qr_svg(&uri, &label).map(Value::from_safe_string), Some(spaced(&factor.secret.base32())))
        }
    };
    let page = context! {
        title => i18n.t(&visitor.ui, "second-factor-heading", None),
        on => factor.is_on(),
        qr => qr,
        secret => secret,
        codes_left => factor.recovery_codes_left,
        required => crate::extract::session::must_have_second_factor(state, user).await?,
        passkeys => match factor.is_on() {
            true => super::passkeys::listed(state, visitor, user).await?,
            false => Vec::new(),
        },
        passkey_done => done,
        passkeys_possible => super::passkeys::possible(state),
        form => form,
    };
    Ok((status, state.pages.render("organise/second-factor.html", visitor, page)?).into_response())
}

/// The secret in groups of four, as apps that take it typed show it.
fn spaced(text: &str) -> String {
    text.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// `GET /organise/account/second-factor`: whether it is on; if not, a new secret to enrol
/// (a new one at each visit: the one shown last is the one the code must come from).
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    signed_in: SignedIn,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let user = &signed_in.user;
    let next = query.next.as_deref().map(|n| safe_next(Some(n))).unwrap_or_default();
    let factor = match state.store.second_factor(user.id).await?.filter(SecondFactor::is_on) {
        Some(on) => on,
        None => {
            let secret = Secret::generate();
            state.store.begin_second_factor(user.id, &secret, now()).await?;
            state.store.second_factor(user.id).await?.ok_or(AppError::NotFound)?
        }
    };
    let form = FormState::new(FactorForm { next, ..Default::default() });
    let done = match (query.added.is_some(), query.removed.is_some()) {
        (true, _) => Some("added"),
        (_, true) => Some("removed"),
        _ => None,
    };
    render_factor(&state, &visitor, user, &factor, form, StatusCode::OK, done).await
}

/// The recovery codes, shown once.
fn render_codes(
    state: &AppState,
    visitor: &Visitor,
    codes: &[String],
    next: &str,
) -> Result<Response, AppError> {
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "recovery-codes-heading", None),
        codes => codes,
        next => if next.is_empty() { "/organise" } else { next },
    };
    Ok(state.pages.render("organise/recovery-codes.html", visitor, page)?.into_response())
}

fn new_codes() -> (Vec<String>, Vec<String>) {
    let shown: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
    let kept = shown.iter().filter_map(|c| normalise_recovery_code(c)).collect();
    (shown, kept)
}

/// `POST /organise/account/second-factor`: the code from the secret shown switches it on, and the
/// recovery codes are shown.
pub async fn enable(
    State(state): State<AppState>,
    visitor: Visitor,
    signed_in: SignedIn,
    Form(form): Form<FactorForm>,
) -> Result<Response, AppError> {
    let user = &signed_in.user;
    let Some(factor) = state.store.second_factor(user.id).await? else {
        return Ok(Redirect::to(PAGE).into_response());
    };
    let kept = FactorForm { next: form.next.clone(), ..Default::default() };
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(kept).with_alert(state.pages.i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_factor(&state, &visitor, user, &factor, page, StatusCode::FORBIDDEN, None).await;
    }
    if factor.is_on() {
        return Ok(Redirect::to(PAGE).into_response());
    }
    let Some(step) = factor.secret.check(&form.code, now()) else {
        let typed = FactorForm { code: form.code.clone(), ..kept };
        let page = refused(&state, &visitor, typed, "code", false);
        return render_factor(&state, &visitor, user, &factor, page, StatusCode::UNPROCESSABLE_ENTITY, None)
            .await;
    };
    let (shown, kept_codes) = new_codes();
    match state.store.enable_second_factor(user.id, step, &kept_codes, &signed_in.session, now()).await {
        Ok(()) => {}
        // Switched on meanwhile (another tab), or enrolment started again: the page says which.
        Err(StoreError::Conflict(_) | StoreError::NotFound) => return Ok(Redirect::to(PAGE).into_response()),
        Err(e) => return Err(e.into()),
    }
    audit(&state, user, None, "second-factor-on", account(user), "TOTP".into()).await;
    render_codes(&state, &visitor, &shown, &safe_next(Some(&form.next)))
}

/// Checks the code typed in `field` of the page's form for an action on a second factor that is on.
async fn check_on(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    form: &FactorForm,
    field: &str,
) -> Result<Result<SecondFactor, Response>, AppError> {
    let Some(factor) = state.store.second_factor(user.id).await?.filter(SecondFactor::is_on) else {
        return Ok(Err(Redirect::to(PAGE).into_response()));
    };
    let typed = if field == "off_code" { &form.off_code } else { &form.renew_code };
    let kept = FactorForm { csrf: String::new(), ..form.clone() };
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(kept).with_alert(state.pages.i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_factor(state, visitor, user, &factor, page, StatusCode::FORBIDDEN, None)
            .await
            .map(Err);
    }
    let checked = check(state, user, &factor, typed).await?;
    if let Checked::Right = checked {
        return Ok(Ok(factor));
    }
    let (page, status, retry) = not_right(state, visitor, kept, field, &checked);
    let response = render_factor(state, visitor, user, &factor, page, status, None).await?;
    Ok(Err(with_retry_after_if(response, retry)))
}

/// `POST /organise/account/second-factor/off`: with a current code or a recovery code.
pub async fn disable(
    State(state): State<AppState>,
    visitor: Visitor,
    signed_in: SignedIn,
    Form(form): Form<FactorForm>,
) -> Result<Response, AppError> {
    let user = &signed_in.user;
    if let Err(response) = check_on(&state, &visitor, user, &form, "off_code").await? {
        return Ok(response);
    }
    state.store.disable_second_factor(user.id).await?;
    audit(&state, user, None, "second-factor-off", account(user), "TOTP".into()).await;
    Ok(Redirect::to("/organise/account").into_response())
}

/// `POST /organise/account/second-factor/recovery-codes`: ten new recovery codes (the old ones
/// stop working), with a current code or a recovery code.
pub async fn renew_codes(
    State(state): State<AppState>,
    visitor: Visitor,
    signed_in: SignedIn,
    Form(form): Form<FactorForm>,
) -> Result<Response, AppError> {
    let user = &signed_in.user;
    if let Err(response) = check_on(&state, &visitor, user, &form, "renew_code").await? {
        return Ok(response);
    }
    let (shown, kept) = new_codes();
    state.store.replace_recovery_codes(user.id, &kept).await?;
    audit(&state, user, None, "recovery-codes-renewed", account(user), String::new()).await;
    render_codes(&state, &visitor, &shown, "/organise/account")
}
