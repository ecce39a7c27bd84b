//! Taking access away again: admins list every account and make or unmake admins, disable or
//! enable accounts and end anyone's sessions (owners take people off a team on the team page).
//! Each is decided by `allowed`, carries the form's CSRF token, and goes into the audit log.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use undersigned_core::StoreError;
use undersigned_core::account::Action;
use undersigned_core::store::now;

use super::{CurrentUser, audit, authorize_site, step_up};
use crate::render::messages::ButtonForm;
use crate::{AppError, AppState, Visitor};

const PEOPLE: &str = "/organise/people";

async fn render_people(
    state: &AppState,
    visitor: &Visitor,
    alert: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (users, disabled) = tokio::try_join!(state.store.users(), state.store.disabled_users())?;
    let t = |key: &str| state.pages.i18n.t(&visitor.ui, key, None);
    let people: Vec<Value> = users
        .iter()
        .map(|u| {
            let off = disabled.contains(&u.id);
            let actions = [
                if u.is_admin { ("demote", t("people-demote")) } else { ("admin", t("people-admin")) },
                if off { ("enable", t("people-enable")) } else { ("disable", t("people-disable")) },
                ("log-out", t("people-log-out")),
            ];
            let actions: Vec<Value> = actions
                .into_iter()
                .map(|(action, label)| context! { path => format!("{PEOPLE}/{}/{action}", u.id), label })
                .collect();
            let state = match (off, u.is_admin) {
                (true, _) => t("people-state-disabled"),
                (false, true) => t("people-state-admin"),
                (false, false) => t("people-state-organiser"),
            };
            context! { name => &u.name, email => &u.email, state, actions }
        })
        .collect();
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "people-heading", None),
        people => people,
        alert => alert,
    };
    Ok((status, state.pages.render("organise/people.html", visitor, page)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    authorize_site(current, Action::ManageAccounts, PEOPLE)?;
    render_people(&state, &visitor, None, StatusCode::OK).await
}

/// One of an admin's actions on an account: `admin`, `demote`, `disable`, `enable`, `log-out`.
pub async fn act(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path((id, action)): Path<(i64, String)>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let factor = current.1;
    let me = authorize_site(current, Action::ManageAccounts, PEOPLE)?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    step_up(factor, PEOPLE)?;
    let (user, _) = state.store.user_by_id(id).await?.ok_or(AppError::NotFound)?;
    let store = &state.store;
    let done = match action.as_str() {
        "admin" => store.set_admin(id, true).await.map(|()| "grant-admin".to_owned()),
        "demote" => store.set_admin(id, false).await.map(|()| "demote-admin".to_owned()),
        "disable" => store.set_disabled(id, true, now()).await.map(|()| "disable-account".to_owned()),
        "enable" => store.set_disabled(id, false, now()).await.map(|()| "enable-account".to_owned()),
        "log-out" => store.end_sessions(id).await.map(|n| format!("end-sessions ({n})")),
        _ => return Err(AppError::NotFound),
    };
    let done = match done {
        Ok(done) => done,
        Err(StoreError::Conflict(_)) => {
            let alert = state.pages.i18n.t(&visitor.ui, "people-error-last-admin", None);
            return render_people(&state, &visitor, Some(alert), StatusCode::CONFLICT).await;
        }
        Err(e) => return Err(e.into()),
    };
    let (action, detail) = done.split_once(' ').unwrap_or((&done, ""));
    audit(&state, &me, None, action, format!("user #{id} {}", user.email), detail.to_owned()).await;
    Ok(Redirect::to(PEOPLE).into_response())
}
