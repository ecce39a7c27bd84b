//! `/organise/account`: an organiser's own settings: the language of their mail, and for each
//! kind of notice (`undersigned_core::notice`), a mail at once, a daily digest, or nothing.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use undersigned_core::account::User;
use undersigned_core::notice::{NoticeKind, NoticeMode, NoticeSettings};
use undersigned_core::{Lang, ValidationError};

use super::{CurrentUser, audit};
use crate::render::forms::FormState;
use crate::{AppError, AppState, Visitor};

const PATH: &str = "/organise/account";

/// The form: the language (empty: the site's) and one field a kind (`notice-{kind}`).
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct NoticesForm {
    lang: String,
    #[serde(flatten)]
    modes: std::collections::BTreeMap<String, String>,
    #[serde(skip_serializing)]
    csrf: String,
}

/// The kinds an organiser hears of: proposals only for admins.
fn kinds(user: &User) -> Vec<NoticeKind> {
    NoticeKind::ALL.into_iter().filter(|k| user.is_admin || !k.for_admins_only()).collect()
}

fn field(kind: NoticeKind) -> String {
    format!("notice-{}", kind.as_str())
}

fn signed_in(current: CurrentUser) -> Result<User, AppError> {
    current.0.ok_or_else(|| AppError::LoginRequired { next: PATH.into() })
}

fn render(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    form: FormState<NoticesForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let i18n = &state.pages.i18n;
    let langs: Vec<Value> =
        i18n.langs().iter().map(|l| context! { tag => l.as_str(), name => i18n.native_name(l) }).collect();
    let kinds: Vec<Value> =
        kinds(user).into_iter().map(|k| context! { key => k.as_str(), field => field(k) }).collect();
    let modes: Vec<&str> = NoticeMode::ALL.iter().map(|m| m.as_str()).collect();
    let page = context! {
        title => i18n.t(&visitor.ui, "notices-heading", None),
        user => user,
        form => form,
        langs => langs,
        kinds => kinds,
        modes => modes,
    };
    Ok((status, state.pages.render("organise/account.html", visitor, page)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    let user = signed_in(current)?;
    let settings = state.store.notice_settings(user.id).await?;
    let form = NoticesForm {
        lang: settings.lang.as_ref().map(|l| l.to_string()).unwrap_or_default(),
        modes: kinds(&user).into_iter().map(|k| (field(k), settings.mode(k).as_str().to_owned())).collect(),
        csrf: String::new(),
    };
    render(&state, &visitor, &user, FormState::new(form), StatusCode::OK)
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Form(form): Form<NoticesForm>,
) -> Result<Response, AppError> {
    let user = signed_in(current)?;
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.clone()).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render(&state, &visitor, &user, page, StatusCode::FORBIDDEN);
    }
    let mut errors = Vec::new();
    let lang = match form.lang.trim() {
        "" => None,
        tag => match Lang::parse("lang", tag).ok().filter(|l| i18n.langs().contains(l)) {
            Some(lang) => Some(lang),
            None => {
                errors.push(ValidationError::new("lang", "not a language of the site"));
                None
            }
        },
    };
    let mut modes = Vec::new();
    for kind in kinds(&user) {
        let value = form.modes.get(&field(kind)).map(String::as_str).unwrap_or("now");
        match NoticeMode::parse(value) {
            Some(mode) => modes.push((kind, mode)),
            None => errors.push(ValidationError::new(field(kind), "now, digest or off")),
        }
    }
    if !errors.is_empty() {
        let page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &errors);
        return render(&state, &visitor, &user, page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let settings = NoticeSettings { lang, modes };
    state.store.save_notice_settings(user.id, &settings).await?;
    let detail = settings
        .modes
        .iter()
        .map(|(k, m)| format!("{}: {}", k.as_str(), m.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    audit(&state, &user, None, "notice-settings", format!("account {}", user.email), detail).await;
    Ok(Redirect::to(&format!("{PATH}?saved=1")).into_response())
}
