//! Who calls the API with a token ([`Caller`], or [`MaybeCaller`] where a token is optional):
//! the token from the `OSDI-API-Token` header or `Authorization: Bearer`, looked up by its hash,
//! refused with a problem document when it is missing or bad (401, with `WWW-Authenticate`), given
//! in the query string (400: an address ends up in logs), or over its limit (429, with
//! `Retry-After`). Its use is recorded at most once a minute. What it may do on a campaign is
//! asked of [`Caller::may`].

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use undersigned_core::CampaignId;
use undersigned_core::account::User;
use undersigned_core::api_token::{self, ApiToken, Refused, Scope, Scopes, TokenState, USE_RECORDED_EVERY};
use undersigned_core::store::now;

use crate::problem::Problem;
use crate::state::AppState;

/// The header OSDI names for the token.
pub const HEADER: &str = "OSDI-API-Token";

/// The query parameter OSDI allows for the token, which is refused here.
pub const QUERY_PARAMETER: &str = "osdi-api-token";

/// What a 401 says a client should send.
const CHALLENGE: &str = "Bearer realm=\"undersigned\"";

/// A request made with a token that works: the token and its owner.
#[derive(Clone, Debug)]
pub struct Caller {
    pub token: ApiToken,
    pub owner: User,
}

/// A request made with a token that works, or with none; a bad token is refused all the same.
#[derive(Clone, Debug)]
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        refuse_in_query(parts.uri.query())?;
        match presented(&parts.headers) {
            None => Ok(Self(None)),
            Some(text) => Ok(Self(Some(check(state, &text).await?))),
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        MaybeCaller::from_request_parts(parts, state).await?.0.ok_or_else(|| {
            unauthorized(
                "This address needs an API token, in the OSDI-API-Token header or as Authorization: Bearer.",
                false,
            )
        })
    }
}

/// A 401: no token where one is needed, or one that does not work.
fn unauthorized(detail: &str, presented: bool) -> Problem {
    let challenge =
        if presented { format!("{CHALLENGE}, error=\"invalid_token\"") } else { CHALLENGE.to_owned() };
    Problem::new(StatusCode::UNAUTHORIZED, detail).with_header(header::WWW_AUTHENTICATE, &challenge)
}

fn forbidden(detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::FORBIDDEN, detail)
}

/// A token in the query string is refused, whatever else the address takes: addresses are kept in
/// logs, by proxies, in browser histories.
fn refuse_in_query(query: Option<&str>) -> Result<(), Problem> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or("")).unwrap_or_default();
    match pairs.iter().find(|(name, _)| name.eq_ignore_ascii_case(QUERY_PARAMETER)) {
        Some((name, _)) => Err(Problem::bad_param(
            name,
            "is refused: an address with a token ends up in logs. Send the token in the OSDI-API-Token \
             header or as Authorization: Bearer, and make a new one: this one may have leaked",
        )),
        None => Ok(()),
    }
}

/// The token the request carries, if any: `OSDI-API-Token`, else `Authorization: Bearer`.
fn presented(headers: &HeaderMap) -> Option<String> {
    let value = |name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(token) = value(HEADER).filter(|t| !t.is_empty()) {
        return Some(token.to_owned());
    }
    let authorization = value(header::AUTHORIZATION.as_str())?;
    let (scheme, token) = authorization.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The token's row and owner, if it works now: else a 401 saying why, or a 429 when it has made
/// its requests for the minute. Records its use, at most once a minute.
async fn check(state: &AppState, text: &str) -> Result<Caller, Problem> {
    let found =
        state.store.token_by_hash(&api_token::hash(text)).await.map_err(|_| Problem::unavailable())?;
    // A disabled owner's tokens are not found: they stop working with the account.
    let Some((token, owner)) = found else {
        return Err(unauthorized("This token is not valid: check that it was copied whole.", true));
    };
    let now = now();
    match token.state(now) {
        TokenState::Active => {}
        TokenState::Revoked => return Err(unauthorized("This token was revoked.", true)),
        TokenState::Expired => {
            let day = token.expires_at.date() - time::Duration::days(1);
            return Err(unauthorized(&format!("This token expired at the end of {day} (UTC)."), true));
        }
    }
    if let Some(seconds) = state.api_limiter.wait(token.id) {
        let limit = state.config.api_rate_limit;
        let detail =
            format!("This token made its {limit} requests for the minute: try again after Retry-After.");
        return Err(Problem::new(StatusCode::TOO_MANY_REQUESTS, detail)
            .with_header(header::RETRY_AFTER, &seconds.to_string()));
    }
    let every = USE_RECORDED_EVERY.unsigned_abs();
    if token.use_to_record(now) && state.api_limiter.record_use(token.id, every) {
        // Not worth failing the request for: the next use a minute on records it.
        if let Err(error) = state.store.token_used(token.id, now, now - USE_RECORDED_EVERY).await {
            tracing::warn!(%error, "could not record an API token's use");
        }
    }
    Ok(Caller { token, owner })
}

impl Caller {
    /// Whether the token may do what needs `scope` (`None`: read what it covers) on `campaign`: it
    /// is for that campaign (or the whole site), it has the scope, and its owner may still do what
    /// that needs there ([`api_token::may_hold`]). A 403 saying which it is not.
    pub async fn may(
        &self,
        state: &AppState,
        campaign: CampaignId,
        scope: Option<Scope>,
    ) -> Result<(), Problem> {
        if self.token.campaign_id.is_some_and(|own| own != campaign) {
            return Err(forbidden("This token is for another campaign."));
        }
        if let Some(scope) = scope
            && !self.token.scopes.contains(scope)
        {
            return Err(forbidden(format!("This needs a token with the scope {}.", scope.as_str())));
        }
        let role = match self.owner.is_admin {
            true => None,
            false => state.store.role(campaign, self.owner.id).await.map_err(|_| Problem::unavailable())?,
        };
        let scopes = Scopes::new(scope);
        match api_token::may_hold(&self.owner, self.token.campaign_id, role, &scopes) {
            Ok(()) => Ok(()),
            Err(Refused::SiteWide) => {
                Err(forbidden("A site-wide token works only while its owner is an admin."))
            }
            Err(Refused::Campaign) => {
                Err(forbidden("This token's owner no longer has a role on this campaign."))
            }
            Err(Refused::Scope(scope)) => Err(forbidden(format!(
                "This token's owner may no longer do on this campaign what {} needs.",
                scope.as_str()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_comes_from_either_header_and_never_from_the_query() {
        let mut headers = HeaderMap::new();
        assert_eq!(presented(&headers), None);
        headers.insert(header::AUTHORIZATION, "bearer us_abc".parse().unwrap());
        assert_eq!(presented(&headers).as_deref(), Some("us_abc"));
        headers.insert(header::AUTHORIZATION, "Basic dXM6YWJj".parse().unwrap());
        assert_eq!(presented(&headers), None);
        headers.insert(HEADER, " us_def ".parse().unwrap());
        assert_eq!(presented(&headers).as_deref(), Some("us_def"));
        assert!(refuse_in_query(Some("page=2")).is_ok());
        let refused = refuse_in_query(Some("page=2&OSDI-API-Token=us_abc")).unwrap_err();
        assert_eq!((refused.status, refused.invalid_params[0].name.as_str()), (400, "OSDI-API-Token"));
    }
}
