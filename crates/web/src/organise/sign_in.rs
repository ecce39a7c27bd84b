//! Organisers and OpenID Connect providers (issue 18): a button per provider on `/login`, the
//! account's page of linked identities (`/organise/account/sign-in`: link, unlink), and what the
//! callback does with a checked identity ([`finish`]).
//!
//! Decisions: an identity logs in the account it is linked to, and only that one: an account is
//! never matched by its address (whoever controls an address at a provider would otherwise take
//! the account of the same address here). With no linked account, a new one is made only where
//! the operator allows the provider's address domain (with `email_verified`) or group, with no role
//! (an admin gives one), and not when the address has an account already (its owner logs in with
//! the password and links the provider). An account with a second factor is asked for its code
//! after the provider too: the provider stands in for the password, not for the second factor.
//! Linking is a sensitive action (a second way into the account): with a second factor, it asks
//! for the code again after fifteen minutes, as the other sensitive actions do.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentArgs;
use minijinja::{Value, context};
use serde::Deserialize;
use undersigned_core::StoreError;
use undersigned_core::account::{NewUser, account_email, account_name};
use undersigned_core::oidc::{Flow, Purpose};
use undersigned_core::store::now;

use super::{CurrentUser, audit, step_up};
use crate::oidc::pages::{refuse, start};
use crate::oidc::{Identity, Provider};
use crate::paths::safe_next;
use crate::render::messages::ButtonForm;
use crate::{AppError, AppState, Visitor};

const PAGE: &str = "/organise/account/sign-in";

/// The providers' buttons on the login page.
pub fn buttons(state: &AppState) -> Vec<Value> {
    state.oidc.list().iter().map(|p| context! { id => &p.id, name => &p.name }).collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginButton {
    csrf: String,
    next: String,
}

/// `POST /login/oidc/{provider}`: a provider's button on the login page.
pub async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(provider): Path<String>,
    Form(form): Form<LoginButton>,
) -> Result<Response, AppError> {
    let provider = state.oidc.get(&provider).ok_or(AppError::NotFound)?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let next = safe_next(Some(&form.next));
    start(&state, &visitor, &headers, provider, Purpose::Login, None, next).await
}

/// `GET /organise/account/sign-in`: the providers, each linked or not.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    let user = current.0.ok_or_else(|| AppError::LoginRequired { next: PAGE.into() })?;
    let linked = state.store.identities(user.id).await?;
    let i18n = &state.pages.i18n;
    let providers: Vec<Value> = state
        .oidc
        .list()
        .iter()
        .map(|p| {
            let since = linked
                .iter()
                .find(|i| i.provider == p.id)
                .map(|i| i18n.date(&visitor.ui, i.created_at.date()));
            context! { id => &p.id, name => &p.name, since => since }
        })
        .collect();
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "oidc-account-heading", None),
        providers => providers,
    };
    Ok(state.oidc.allow_forms(state.pages.render("organise/sign-in.html", &visitor, page)?.into_response()))
}

/// `POST /organise/account/sign-in/{provider}`: links the provider's identity (after the round trip).
pub async fn link(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    current: CurrentUser,
    Path(provider): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let CurrentUser(user, factor) = current;
    let user = user.ok_or_else(|| AppError::LoginRequired { next: PAGE.into() })?;
    let provider = state.oidc.get(&provider).ok_or(AppError::NotFound)?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    step_up(factor, PAGE)?;
    start(&state, &visitor, &headers, provider, Purpose::Link, Some(user.id), PAGE.into()).await
}

/// `POST /organise/account/sign-in/{provider}/unlink`.
pub async fn unlink(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(provider): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let user = current.0.ok_or_else(|| AppError::LoginRequired { next: PAGE.into() })?;
    let provider = state.oidc.get(&provider).ok_or(AppError::NotFound)?;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    if state.store.unlink_identity(user.id, &provider.id).await? {
        audit(&state, &user, None, "oidc-unlink", user.email.clone(), provider.id.clone()).await;
    }
    Ok(Redirect::to(PAGE).into_response())
}

/// The callback's end for organisers: logs in the account the identity is linked to (or a new
/// one the allow list admits), or links it to the account that started the round trip.
pub async fn finish(
    state: &AppState,
    visitor: &Visitor,
    headers: &HeaderMap,
    current: CurrentUser,
    flow: &Flow,
    provider: &Provider,
    identity: Identity,
) -> Result<Response, AppError> {
    let i18n = &state.pages.i18n;
    let t = |key: &str| {
        let mut args = FluentArgs::new();
        args.set("provider", provider.name.clone());
        i18n.t(&visitor.ui, key, Some(&args))
    };
    if flow.purpose == Purpose::Link {
        let user = match (current.0, flow.user_id) {
            (Some(user), Some(id)) if user.id == id => user,
            _ => {
                let back = "/login";
                let says = t("oidc-wrong-account-text");
                return refuse(
                    state,
                    visitor,
                    StatusCode::BAD_REQUEST,
                    "linking from another session",
                    says,
                    back,
                );
            }
        };
        return match state.store.link_identity(user.id, &provider.id, &identity.subject, now()).await {
            Ok(()) => {
                audit(state, &user, None, "oidc-link", user.email.clone(), provider.id.clone()).await;
                Ok(Redirect::to(PAGE).into_response())
            }
            Err(StoreError::Conflict(_)) => {
                let says = t("oidc-linked-elsewhere-text");
                refuse(state, visitor, StatusCode::CONFLICT, "identity linked already", says, PAGE)
            }
            Err(e) => Err(e.into()),
        };
    }
    let user = match state.store.user_by_identity(&provider.id, &identity.subject).await? {
        Some(user) => user,
        None => {
            let admitted = provider.organisers.admits(
                identity.email.as_deref(),
                identity.email_verified,
                &identity.groups,
            );
            let email = identity.email.as_deref().and_then(|e| account_email("email", e).ok());
            let Some(email) = email.filter(|_| admitted) else {
                let says = t("oidc-not-allowed-text");
                return refuse(
                    state,
                    visitor,
                    StatusCode::FORBIDDEN,
                    "no linked account, not on the allow list",
                    says,
                    "/login",
                );
            };
            let name = identity
                .name
                .as_deref()
                .and_then(|n| account_name("name", n).ok())
                .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
            let new = NewUser { email, name, is_admin: false, password_hash: None };
            match state.store.add_user_with_identity(&new, &provider.id, &identity.subject, now()).await {
                Ok(user) => {
                    audit(state, &user, None, "oidc-account", user.email.clone(), provider.id.clone()).await;
                    user
                }
                Err(StoreError::Conflict(_)) => {
                    let says = t("oidc-exists-text");
                    return refuse(
                        state,
                        visitor,
                        StatusCode::CONFLICT,
                        "address has an account",
                        says,
                        "/login",
                    );
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    if state.store.disabled_users().await?.contains(&user.id) {
        let says = i18n.t(&visitor.ui, "login-error-disabled", None);
        return refuse(state, visitor, StatusCode::FORBIDDEN, "account disabled", says, "/login");
    }
    audit(state, &user, None, "login-oidc", user.email.clone(), provider.id.clone()).await;
    super::account::log_in(state, visitor, &user, headers, &flow.return_to).await
}
