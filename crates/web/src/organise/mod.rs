//! The organisers' pages, under `/organise`, and their login. Who may do what is decided in one
//! place, `undersigned_core::account::allowed`, called through [`authorize`] by every page here.

pub mod account;
pub mod campaign;
pub mod chart;
pub mod comments;
pub mod delivery;
pub mod editor;
pub mod export;
pub mod import;
pub mod life;
pub mod outbox;
pub mod people;
pub mod response;
pub mod signatures;
pub mod site;
pub mod updates;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use undersigned_core::account::{Action, Role, User, allowed};
use undersigned_core::store::now;
use undersigned_core::{Campaign, Slug};

use crate::{AppError, AppState};

pub const SESSION_COOKIE: &str = "session";

/// What the session cookie's value is stored as: its SHA-256, so the database opens no session.
pub fn session_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The organiser logged in on this request, if any.
#[derive(Clone, Debug)]
pub struct CurrentUser(pub Option<User>);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let name = state.config.cookie_name(SESSION_COOKIE);
        let token = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|c| c.trim().strip_prefix(name.as_str())?.strip_prefix('=').map(str::to_owned));
        let Some(token) = token else { return Ok(Self(None)) };
        Ok(Self(state.store.session_user(&session_hash(&token), now()).await?))
    }
}

/// The campaign an organiser page is about, the organiser, and their role on it.
#[derive(Clone)]
pub struct Authorized {
    pub user: User,
    pub campaign: Campaign,
    pub role: Option<Role>,
}

impl Authorized {
    pub fn may(&self, action: Action) -> bool {
        allowed(Some(&self.user), self.role, action)
    }
}

/// Lets the request through only if its organiser may do `action` on the campaign at `slug`: no
/// session leads to the login page, no right to a 403 page.
pub async fn authorize(
    state: &AppState,
    current: CurrentUser,
    slug: &str,
    action: Action,
    path: &str,
) -> Result<Authorized, AppError> {
    let Some(user) = current.0 else { return Err(AppError::LoginRequired { next: path.to_owned() }) };
    let slug = Slug::parse("slug", slug).map_err(|_| AppError::NotFound)?;
    let campaign = state.store.campaign_by_slug(&slug).await?.ok_or(AppError::NotFound)?;
    let role = state.store.role(campaign.id, user.id).await?;
    if !allowed(Some(&user), role, action) {
        tracing::info!(user = user.id, action = ?action, campaign = campaign.id, "refused");
        return Err(AppError::Forbidden);
    }
    Ok(Authorized { user, campaign, role })
}

/// The same for what concerns the whole site (`Action::Administer`).
pub fn authorize_site(current: CurrentUser, action: Action, path: &str) -> Result<User, AppError> {
    let Some(user) = current.0 else { return Err(AppError::LoginRequired { next: path.to_owned() }) };
    if !allowed(Some(&user), None, action) {
        return Err(AppError::Forbidden);
    }
    Ok(user)
}

/// Records an organiser's action in the audit log; a failure to record is logged, not shown.
pub async fn audit(
    state: &AppState,
    user: &User,
    campaign: Option<i64>,
    action: &str,
    subject: String,
    detail: String,
) {
    let entry = undersigned_core::account::AuditEntry {
        at: now(),
        actor: user.email.clone(),
        campaign_id: campaign,
        action: action.to_owned(),
        subject,
        detail,
    };
    if let Err(e) = state.store.audit(&entry).await {
        tracing::error!(error = %e, "could not write the audit log");
    }
}

/// Percent-encodes a value for a query string (only what a path can hold needs it).
pub fn query_escape(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only local paths are followed after login (no open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) => crate::paths::same_site(n).unwrap_or("/organise").to_owned(),
        None => "/organise".to_owned(),
    }
}
