//! Signing in with OpenID Connect (issue 18), for organisers (log in, link an identity to an
//! account) and commenters (instead of confirming an address by mail).
//!
//! The operator configures the providers ([`Provider`]); nothing is fetched from one until a
//! visitor presses its button: then its discovery document (and keys) is fetched, through a client
//! that follows no redirects (as `openidconnect` asks, against SSRF), and kept for
//! [`DISCOVERY_TTL`]. A provider that is down at start stops nothing; its button answers with a
//! page saying so.
//!
//! The round trip: a POST form (with its CSRF token) starts it ([`start`]): a `state`, a nonce and
//! a PKCE verifier (S256) are made and kept in the database (`undersigned_core::oidc::Flow`,
//! found by a keyed hash of the state, bound to the browser by a cookie of its own, expiring after
//! ten minutes), and the browser is sent (303) to the provider. The callback ([`callback`],
//! `/login/oidc/callback`, the one redirect URI to register) takes the round trip away (so that a
//! second use of the same answer finds nothing), exchanges the code with the verifier, and has
//! `openidconnect` check the ID token: its signature against the provider's keys, issuer,
//! audience, expiry and nonce. Anything wrong is a 400 page in the visitor's language, and a
//! warning in the log that names the reason, never the person.
//!
//! This module is the glue under the rooms that use it, as the router is: the callback hands a
//! checked identity to `organise::sign_in` (log in, link) or `html::comments` (comment).

pub mod pages;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::{HeaderValue, header};
use axum::response::Response;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdTokenVerifier, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use undersigned_core::oidc::AllowList;

/// How long a provider's discovery document (and keys) is used before it is fetched again.
pub const DISCOVERY_TTL: Duration = Duration::from_secs(3600);

/// How long a request to a provider may take.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// The path of the callback: `BASE_URL/login/oidc/callback` is the redirect URI to register.
pub const CALLBACK_PATH: &str = "/login/oidc/callback";

/// A provider as the operator configured it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// Short and stable: in URLs and stored with linked identities.
    pub id: String,
    /// What its button says ("Log in with …").
    pub name: String,
    /// The issuer URL; its discovery document is ISSUER/.well-known/openid-configuration.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Who may get a new organiser account from it (nobody when empty).
    pub organisers: AllowList,
}

/// What a provider vouched for in a checked ID token.
#[derive(Clone, Debug)]
pub struct Identity {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    pub groups: Vec<String>,
}

/// Why a round trip's answer was refused (for the log: a reason, never a person).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Unreachable,
    TokenRequest,
    NoIdToken,
    Signature,
    Issuer,
    Audience,
    Expired,
    Nonce,
    Claims,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unreachable => "provider unreachable",
            Self::TokenRequest => "code refused by the token endpoint",
            Self::NoIdToken => "no ID token",
            Self::Signature => "ID token signature",
            Self::Issuer => "ID token issuer",
            Self::Audience => "ID token audience",
            Self::Expired => "ID token expired",
            Self::Nonce => "ID token nonce",
            Self::Claims => "ID token claims",
        }
    }
}

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What is sent to the provider, and kept for the callback.
pub struct Authorization {
    pub url: url::Url,
    pub state: String,
    pub pkce_verifier: String,
    pub nonce: String,
}

/// The configured providers, their discovery documents as last fetched, and the HTTP client.
pub struct Providers {
    list: Vec<Provider>,
    http: openidconnect::reqwest::Client,
    discovered: std::sync::Mutex<HashMap<String, (Instant, CoreProviderMetadata)>>,
}

impl Providers {
    pub fn new(list: Vec<Provider>) -> Self {
        let http = openidconnect::reqwest::Client::builder()
            // openidconnect's docs: no redirects, against SSRF.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()
            .expect("an HTTP client");
        Self { list, http, discovered: Default::default() }
    }

    pub fn list(&self) -> &[Provider] {
        &self.list
    }

    pub fn get(&self, id: &str) -> Option<&Provider> {
        self.list.iter().find(|p| p.id == id)
    }

    /// The provider's discovery document (with its keys): the one kept, or fetched now; and
    /// whether it was fetched now.
    async fn metadata(&self, provider: &Provider) -> Result<(CoreProviderMetadata, bool), Refusal> {
        if let Some(meta) = self.kept(&provider.id) {
            return Ok((meta, false));
        }
        let issuer = IssuerUrl::new(provider.issuer.clone()).map_err(|_| Refusal::Unreachable)?;
        let meta = CoreProviderMetadata::discover_async(issuer, &self.http).await.map_err(|e| {
            tracing::warn!(provider = %provider.id, error = %e, "OpenID Connect discovery failed");
            Refusal::Unreachable
        })?;
        self.lock().insert(provider.id.clone(), (Instant::now(), meta.clone()));
        Ok((meta, true))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, CoreProviderMetadata)>> {
        self.discovered.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The provider's discovery document, if it was fetched less than [`DISCOVERY_TTL`] ago.
    fn kept(&self, id: &str) -> Option<CoreProviderMetadata> {
        self.lock().get(id).filter(|(at, _)| at.elapsed() < DISCOVERY_TTL).map(|(_, meta)| meta.clone())
    }

    /// A page with providers' buttons: its forms lead (through our 303) to the providers'
    /// authorization endpoints, which the content security policy's `form-action` must name (a
    /// browser checks it on the redirects after a form too). Each issuer's origin, and the
    /// authorization endpoint's where discovery has told it and it differs. No provider: as it was.
    pub fn allow_forms(&self, mut response: Response) -> Response {
        if self.list.is_empty() {
            return response;
        }
        let mut origins: Vec<String> = Vec::new();
        for p in &self.list {
            let endpoint = self.kept(&p.id).map(|m| m.authorization_endpoint().url().clone());
            let issuer = url::Url::parse(&p.issuer).ok();
            for url in [issuer, endpoint].into_iter().flatten() {
                let origin = url.origin().ascii_serialization();
                if origin != "null" && !origins.contains(&origin) {
                    origins.push(origin);
                }
            }
        }
        let policy = crate::security::CONTENT_SECURITY_POLICY
            .replace("form-action 'self'", &format!("form-action 'self' {}", origins.join(" ")));
        if let Ok(value) = HeaderValue::from_str(&policy) {
            response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
        }
        response
    }

    fn client(
        &self,
        provider: &Provider,
        meta: CoreProviderMetadata,
        redirect: &str,
    ) -> Result<Client, Refusal> {
        let redirect = RedirectUrl::new(redirect.to_owned()).map_err(|_| Refusal::Unreachable)?;
        Ok(CoreClient::from_provider_metadata(
            meta,
            ClientId::new(provider.client_id.clone()),
            Some(ClientSecret::new(provider.client_secret.clone())),
        )
        .set_redirect_uri(redirect))
    }

    /// The provider's authorization URL for a new round trip (the code flow with PKCE S256), with
    /// what the callback will need.
    pub async fn authorize(&self, provider: &Provider, redirect: &str) -> Result<Authorization, Refusal> {
        let (meta, _) = self.metadata(provider).await?;
        let client = self.client(provider, meta, redirect)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        Ok(Authorization {
            url,
            state: state.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            nonce: nonce.secret().clone(),
        })
    }

    /// Exchanges the code (with the PKCE verifier) and checks the ID token: signature, issuer,
    /// audience, expiry and nonce. A token signed with a key the kept document does not list (the
    /// provider rotated its keys within the hour) has the document and keys fetched again first:
    /// only the provider can make us do that, the token coming from its token endpoint, over the
    /// server's own connection to it.
    pub async fn finish(
        &self,
        provider: &Provider,
        redirect: &str,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
    ) -> Result<Identity, Refusal> {
        let (mut meta, fresh) = self.metadata(provider).await?;
        let client = self.client(provider, meta.clone(), redirect)?;
        let request = client.exchange_code(AuthorizationCode::new(code.to_owned())).map_err(|e| {
            tracing::warn!(provider = %provider.id, error = %e, "OpenID Connect provider without a token endpoint");
            Refusal::Unreachable
        })?;
        let response = request
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|e| {
                tracing::warn!(provider = %provider.id, error = %e, "OpenID Connect token request failed");
                Refusal::TokenRequest
            })?;
        let id_token = response.id_token().ok_or(Refusal::NoIdToken)?;
        let client = match key_id(&id_token.to_string()) {
            Some(kid) if !fresh && !lists_key(&meta, &kid) => {
                tracing::info!(provider = %provider.id, "an ID token signed with a key not seen before: the provider's keys are fetched again");
                self.lock().remove(&provider.id);
                meta = self.metadata(provider).await?.0;
                self.client(provider, meta, redirect)?
            }
            _ => client,
        };
        let verifier: CoreIdTokenVerifier = client.id_token_verifier();
        let claims = id_token.claims(&verifier, &Nonce::new(nonce.to_owned())).map_err(|e| match e {
            ClaimsVerificationError::Expired(_) => Refusal::Expired,
            ClaimsVerificationError::InvalidAudience(_) => Refusal::Audience,
            ClaimsVerificationError::InvalidIssuer(_) => Refusal::Issuer,
            ClaimsVerificationError::InvalidNonce(_) => Refusal::Nonce,
            ClaimsVerificationError::SignatureVerification(_) => Refusal::Signature,
            _ => Refusal::Claims,
        })?;
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned())
            .or_else(|| claims.preferred_username().map(|u| u.as_str().to_owned()));
        let subject = claims.subject().as_str();
        // Nobody's (and PostgreSQL's text holds no NUL).
        if subject.is_empty() || subject.contains('\0') {
            return Err(Refusal::Claims);
        }
        Ok(Identity {
            subject: subject.to_owned(),
            email: claims.email().map(|e| e.as_str().to_lowercase()),
            email_verified: claims.email_verified().unwrap_or(false),
            name,
            // Not among the standard claims: read from the token's payload, whose signature was
            // checked just now.
            groups: groups_claim(&id_token.to_string()),
        })
    }
}

/// The key id (`kid`) in a JWS's header, if it names one.
fn key_id(jws: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Header {
        kid: Option<String>,
    }
    let header = jws.split('.').next()?;
    serde_json::from_slice::<Header>(&decode_segment(header)?).ok()?.kid
}

/// Whether the provider's keys, as discovered, hold one with this id.
fn lists_key(meta: &CoreProviderMetadata, kid: &str) -> bool {
    use openidconnect::JsonWebKey;
    meta.jwks().keys().iter().any(|k| k.key_id().is_some_and(|id| id.as_str() == kid))
}

fn decode_segment(segment: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(segment.trim_end_matches('=')).ok()
}

/// The `groups` claim of a JWS's payload (a list of strings; anything else is no groups).
fn groups_claim(jws: &str) -> Vec<String> {
    let Some(bytes) = jws.split('.').nth(1).and_then(decode_segment) else { return Vec::new() };
    #[derive(serde::Deserialize)]
    struct Groups {
        #[serde(default)]
        groups: Vec<String>,
    }
    serde_json::from_slice::<Groups>(&bytes).map(|g| g.groups).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_read_from_the_payload_and_anything_else_is_none() {
        use base64::Engine;
        let encode = |json: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        let jws = format!("h.{}.s", encode(r#"{"sub":"1","groups":["organisers","staff"]}"#));
        assert_eq!(groups_claim(&jws), ["organisers", "staff"]);
        assert!(groups_claim(&format!("h.{}.s", encode(r#"{"groups":"organisers"}"#))).is_empty());
        assert!(groups_claim(&format!("h.{}.s", encode(r#"{"sub":"1"}"#))).is_empty());
        assert!(groups_claim("nonsense").is_empty());
    }
}
