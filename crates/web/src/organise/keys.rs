//! `/organise/keys`: an organiser's own age keys, which the private fields of the campaigns they own
//! and their exports are sealed to. Registering a public key (`age1…`) seals a challenge to it; the
//! organiser opens it (`age -d -i key.txt`, or in the browser) and types its code, which activates
//! the key and retires the one before (rows sealed to the old key keep its id). Both steps are in
//! the audit log. The identity (secret key) never reaches the server: the page's script that makes
//! a key pair in the browser shows it to be saved and sends only the public key.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use undersigned_core::account::{AuditEntry, User};
use undersigned_core::owner_key::{KeyState, NewOwnerKey, OwnerKey, code_hash};
use undersigned_core::store::now;

use super::{CurrentUser, step_up};
use crate::render::forms::FormState;
use crate::{AppError, AppState, Visitor};

const KEYS: &str = "/organise/keys";

/// The form that registers a public key.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct KeyForm {
    owner_key: String,
    #[serde(skip_serializing)]
    csrf: String,
}

/// The form that answers a key's challenge.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct AnswerForm {
    key_code: String,
    #[serde(skip_serializing)]
    csrf: String,
}

fn instant(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!("{} {:02}:{:02} UTC", at.date(), at.hour(), at.minute())
}

fn row(key: &OwnerKey) -> Value {
    let state = key.state();
    context! {
        id => key.id,
        recipient => &key.recipient,
        state => state.as_str(),
        created => instant(key.created_at),
        activated => key.activated_at.map(instant),
        retired => key.retired_at.map(instant),
        challenge => (state == KeyState::Waiting).then_some(&key.challenge),
        activate => format!("{KEYS}/{}/activate", key.id),
    }
}

/// The page; `answer` is the challenge form that failed, with the key it was for.
async fn render(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    form: FormState<KeyForm>,
    answer: Option<(i64, FormState<AnswerForm>)>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let keys = state.store.owner_keys(user.id).await?;
    let active = keys.iter().any(|k| k.state() == KeyState::Active);
    let (failed, answer) = match answer {
        Some((id, form)) => (Some(id), form),
        None => (None, FormState::new(AnswerForm::default())),
    };
    // An answer for a key that waits no more is said at the top: it has no form left.
    let waiting = |id| keys.iter().any(|k| k.id == id && k.state() == KeyState::Waiting);
    let notice = failed.filter(|id| !waiting(*id)).and(answer.alert.clone());
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "keys-heading", None),
        keys => keys.iter().map(row).collect::<Vec<_>>(),
        active => active,
        form => form,
        answer => answer,
        blank => FormState::new(AnswerForm::default()),
        failed => failed,
        notice => notice,
    };
    Ok((status, state.pages.render("organise/keys.html", visitor, page)?).into_response())
}

fn logged_in(current: CurrentUser) -> Result<User, AppError> {
    current.0.ok_or_else(|| AppError::LoginRequired { next: KEYS.into() })
}

fn entry(user: &User, action: &str, subject: &str, detail: String) -> AuditEntry {
    AuditEntry {
        at: now(),
        actor: user.email.clone(),
        campaign_id: None,
        action: action.into(),
        subject: subject.into(),
        detail,
    }
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    let user = logged_in(current)?;
    render(&state, &visitor, &user, FormState::new(KeyForm::default()), None, StatusCode::OK).await
}

/// Registers a public key and shows its challenge.
pub async fn register(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Form(form): Form<KeyForm>,
) -> Result<Response, AppError> {
    let factor = current.1;
    let user = logged_in(current)?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render(&state, &visitor, &user, page, None, StatusCode::FORBIDDEN).await;
    }
    step_up(factor, KEYS)?;
    let key = match NewOwnerKey::register(user.id, "owner_key", &form.owner_key, now()) {
        Ok(key) => key,
        Err(e) => {
            let mut page = FormState::new(form.clone());
            let message = i18n.t(&visitor.ui, &format!("form-error-owner-key-{}", e.reason), None);
            page.errors.insert(e.field.clone(), message);
            page.order.push(e.field);
            let page = page.with_alert(i18n.t(&visitor.ui, "form-alert-check", None));
            return render(&state, &visitor, &user, page, None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let audit = entry(&user, "register-owner-key", &key.recipient, "waits for its challenge".into());
    state.store.register_owner_key(&key, &audit).await?;
    render(&state, &visitor, &user, FormState::new(KeyForm::default()), None, StatusCode::OK).await
}

/// Activates a key whose challenge is answered with its code.
pub async fn activate(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let factor = current.1;
    let user = logged_in(current)?;
    let i18n = &state.pages.i18n;
    let fresh = || FormState::new(KeyForm::default());
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render(&state, &visitor, &user, fresh(), Some((id, page)), StatusCode::FORBIDDEN).await;
    }
    step_up(factor, KEYS)?;
    let keys = state.store.owner_keys(user.id).await?;
    let key = keys.iter().find(|k| k.id == id).ok_or(AppError::NotFound)?;
    let subject = format!("key #{id} {}", key.recipient);
    let audit = entry(&user, "activate-owner-key", &subject, "its challenge answered".into());
    if key.state() == KeyState::Waiting
        && state.store.activate_owner_key(user.id, id, &code_hash(&form.key_code), now(), &audit).await?
    {
        return render(&state, &visitor, &user, fresh(), None, StatusCode::OK).await;
    }
    if key.state() != KeyState::Waiting {
        let done = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "keys-code-done", None));
        return render(&state, &visitor, &user, fresh(), Some((id, done)), StatusCode::CONFLICT).await;
    }
    let mut page = FormState::new(form.clone());
    page.errors.insert("key_code".into(), i18n.t(&visitor.ui, "form-error-key-code", None));
    page.order.push("key_code".into());
    let page = page.with_alert(i18n.t(&visitor.ui, "form-alert-check", None));
    render(&state, &visitor, &user, fresh(), Some((id, page)), StatusCode::UNPROCESSABLE_ENTITY).await
}
