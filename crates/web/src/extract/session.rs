//! Who is logged in, and what they may do: the session cookie read into a [`CurrentUser`], and
//! [`authorize`] / [`authorize_site`], through which every organiser page asks the one place that
//! decides, `undersigned_core::account::allowed`. A session's "last seen" (and the keyed hash of
//! the network it was seen from) is written here, at most every `session::SEEN_EVERY`: a page
//! view within that time only reads.
//!
//! A session of an account with a second factor is not a login until its code was typed
//! ([`CurrentUser`] is `None` until then); where the site requires a second factor, an account
//! that may see personal data and has none is sent to enrol first ([`AppError::SecondFactorNeeded`]);
//! sensitive actions ask for the code again after a while ([`step_up`]).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use undersigned_core::account::{Action, Role, User, allowed};
use undersigned_core::second_factor::SessionFactor;
use undersigned_core::session::seen_is_due;
use undersigned_core::store::now;
use undersigned_core::{Campaign, Slug};

use crate::error::AppError;
use crate::extract::cookie;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "session";

/// How long an organiser's login lasts (the cookie's and the stored session's lifetime).
pub const SESSION_DAYS: i64 = 14;

/// What the session cookie's value is stored as: its SHA-256, so the database opens no session.
pub fn session_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The session token the request carries, if any.
pub fn session_token(state: &AppState, headers: &axum::http::HeaderMap) -> Option<String> {
    cookie(headers, &state.config.cookie_name(SESSION_COOKIE)).map(str::to_owned)
}

/// The organiser logged in on this request, if any, and what the session knows of their second
/// factor.
#[derive(Clone, Debug)]
pub struct CurrentUser(pub Option<User>, pub SessionFactor);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(SignedIn { user, factor, .. }) = MaybeSignedIn::from_request_parts(parts, state).await?.0
        else {
            return Ok(Self(None, SessionFactor::default()));
        };
        if !factor.on && must_have_second_factor(state, &user).await? {
            let next = match parts.method == axum::http::Method::GET {
                true => parts.uri.path_and_query().map_or("/organise", |p| p.as_str()).to_owned(),
                false => "/organise".to_owned(),
            };
            return Err(AppError::SecondFactorNeeded { next });
        }
        Ok(Self(Some(user), factor))
    }
}

/// A session past its password and, if the account has one, its second factor: what the
/// second-factor pages take (they must open before the account has one, where the site requires
/// it); every other page takes [`CurrentUser`].
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub user: User,
    pub factor: SessionFactor,
    /// The session's stored hash.
    pub session: Vec<u8>,
}

/// [`SignedIn`] if the request has such a session.
pub struct MaybeSignedIn(pub Option<SignedIn>);

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(token) = session_token(state, &parts.headers) else { return Ok(Self(None)) };
        let session = session_hash(&token);
        let t = now();
        let Some((user, last_seen, factor)) = state.store.live_session(&session, t).await? else {
            return Ok(Self(None));
        };
        // Waiting for its code: not logged in yet.
        if factor.pending() {
            return Ok(Self(None));
        }
        if seen_is_due(last_seen, t) {
            let ip = parts.extensions.get::<crate::Visitor>().and_then(|v| v.ip());
            let network = ip.map(|ip| state.keys.session_network_key(&session, &ip));
            // What the sessions page shows; not worth refusing the page over (a full disk).
            if let Err(e) = state.store.session_seen(&session, t, network.as_ref().map(|k| &k[..])).await {
                tracing::warn!(error = %e, "could not note when a session was last seen");
            }
        }
        Ok(Self(Some(SignedIn { user, factor, session })))
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match MaybeSignedIn::from_request_parts(parts, state).await?.0 {
            Some(signed_in) => Ok(signed_in),
            None => {
                let next = parts.uri.path_and_query().map_or("/organise", |p| p.as_str()).to_owned();
                Err(AppError::LoginRequired { next })
            }
        }
    }
}

/// The session waiting for its code after the password, if the request has one: its stored hash
/// and its account.
pub async fn pending_session(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<Option<(Vec<u8>, User)>, AppError> {
    let Some(token) = session_token(state, headers) else { return Ok(None) };
    let session = session_hash(&token);
    let found = state.store.session_factor(&session, now()).await?;
    Ok(found.filter(|(_, f)| f.pending()).map(|(user, _)| (session, user)))
}

/// Where the login goes after a right password, for an account with a second factor.
pub fn login_code_path(next: &str) -> String {
    format!("/login/code?next={}", crate::paths::query_escape(next))
}

/// Whether `user` may not use the organisers' pages without a second factor: the site requires one
/// of everyone who may see personal data, which is admins and the owners of a campaign (who may
/// export the signers' addresses).
pub async fn must_have_second_factor(state: &AppState, user: &User) -> Result<bool, AppError> {
    if !state.store.site_settings().await?.require_second_factor {
        return Ok(false);
    }
    Ok(user.is_admin || state.store.campaigns_of(user.id).await?.iter().any(|(_, role)| *role == Role::Owner))
}

/// For a sensitive action (an export with addresses, a key or role change): refuses it, sending
/// the organiser to type their code again, when the session last checked the second factor more
/// than `STEP_UP_AFTER` ago; `next` is the page to go back to, where they submit again.
pub fn step_up(factor: SessionFactor, next: &str) -> Result<(), AppError> {
    match factor.needs_step_up(now()) {
        true => Err(AppError::StepUp { next: next.to_owned() }),
        false => Ok(()),
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

/// [`authorize`] for a button or form that acts: also refuses (403) a form without the CSRF token
/// of the browser that sent it.
pub async fn authorize_post(
    state: &AppState,
    visitor: &crate::Visitor,
    current: CurrentUser,
    slug: &str,
    action: Action,
    path: &str,
    csrf: &str,
) -> Result<Authorized, AppError> {
    let auth = authorize(state, current, slug, action, path).await?;
    if !visitor.csrf_ok(&state.keys, csrf) {
        return Err(AppError::Forbidden);
    }
    Ok(auth)
}

/// The same for what concerns the whole site (`Action::Administer`).
pub fn authorize_site(current: CurrentUser, action: Action, path: &str) -> Result<User, AppError> {
    let Some(user) = current.0 else { return Err(AppError::LoginRequired { next: path.to_owned() }) };
    if !allowed(Some(&user), None, action) {
        return Err(AppError::Forbidden);
    }
    Ok(user)
}
