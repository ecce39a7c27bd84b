//! The OpenID Connect providers of the configuration file: one `[[oidc]]` table each (only in the
//! file: a client secret has no place on a command line). Checked at start, without contacting
//! the providers: one that is down then stops nothing (its discovery waits for the first button
//! pressed).

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::{Context, bail};
use serde::Deserialize;
use undersigned_core::oidc::AllowList;
use undersigned_web::oidc::Provider;

/// One provider as written in the file.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct OidcOptions {
    /// Short and stable (letters, digits, `-`, `_`): in URLs and stored with linked identities.
    pub id: String,
    /// What its button says: "Log in with NAME".
    pub name: String,
    /// The issuer URL (https://, or http:// on this machine for tests).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// A file holding the client secret (its first line), instead of `client_secret`.
    pub client_secret_file: Option<PathBuf>,
    /// New organiser accounts (with no role) for addresses of these domains that the provider
    /// says it verified.
    #[serde(default)]
    pub organiser_domains: Vec<String>,
    /// ...or for members of these groups (the ID token's `groups` claim).
    #[serde(default)]
    pub organiser_groups: Vec<String>,
}

/// Whether `issuer` may be used: https, or plain http to this machine only.
fn issuer_ok(issuer: &str) -> bool {
    let Ok(url) = url::Url::parse(issuer) else { return false };
    match url.scheme() {
        "https" => url.host().is_some(),
        "http" => matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]")),
        _ => false,
    }
}

/// The providers, each checked, their secrets read.
pub fn providers(options: &[OidcOptions]) -> anyhow::Result<Vec<Provider>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for o in options {
        let id = o.id.trim();
        if id.is_empty()
            || id.len() > 40
            || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            bail!("[[oidc]] id must be 1 to 40 letters, digits, - or _ (it is {id:?})");
        }
        if !seen.insert(id.to_owned()) {
            bail!("[[oidc]] id {id:?} is given twice");
        }
        if o.name.trim().is_empty() {
            bail!("[[oidc]] {id}: name is empty");
        }
        let issuer = o.issuer.trim().trim_end_matches('/').to_owned();
        if !issuer_ok(&issuer) {
            bail!(
                "[[oidc]] {id}: issuer must be an https:// URL (http:// only to this machine), it is {issuer:?}"
            );
        }
        if o.client_id.trim().is_empty() {
            bail!("[[oidc]] {id}: client_id is empty");
        }
        let client_secret = match (&o.client_secret, &o.client_secret_file) {
            (Some(secret), None) => secret.clone(),
            (None, Some(path)) => std::fs::read_to_string(path)
                .with_context(|| format!("[[oidc]] {id}: reading client_secret_file {}", path.display()))?
                .lines()
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned(),
            _ => bail!("[[oidc]] {id}: give client_secret or client_secret_file (one of them)"),
        };
        if client_secret.is_empty() {
            bail!("[[oidc]] {id}: the client secret is empty");
        }
        let domains = o
            .organiser_domains
            .iter()
            .map(|d| d.trim().trim_start_matches('@').to_lowercase())
            .filter(|d| !d.is_empty())
            .collect();
        let groups =
            o.organiser_groups.iter().map(|g| g.trim().to_owned()).filter(|g| !g.is_empty()).collect();
        out.push(Provider {
            id: id.to_owned(),
            name: o.name.trim().to_owned(),
            issuer,
            client_id: o.client_id.trim().to_owned(),
            client_secret,
            organisers: AllowList { domains, groups },
        });
    }
    Ok(out)
}

/// The `[[oidc]]` part of `undersigned config example`: commented out, as every option there.
pub const EXAMPLE: &str = "
# OpenID Connect providers (only in this file): organisers log in with them (a button each on
# /login, and linked from their account page), commenters sign in with them instead of
# confirming an address by mail. Register BASE_URL/login/oidc/callback as the redirect URI.
# New organiser accounts (with no role until an admin gives one) only for the domains (with
# email_verified) or groups (the ID token's `groups` claim) listed; none listed: nobody.
#[[oidc]]
#id = \"union\"
#name = \"Union login\"
#issuer = \"https://login.union.example/realms/union\"
#client_id = \"undersigned\"
#client_secret_file = \"/etc/undersigned/oidc-union.secret\"  # or client_secret = \"...\"
#organiser_domains = [\"union.example\"]
#organiser_groups = [\"organisers\"]
";

#[cfg(test)]
mod tests {
    use super::*;

    fn one() -> OidcOptions {
        OidcOptions {
            id: "union".into(),
            name: "Union login".into(),
            issuer: "https://login.union.example/realms/union/".into(),
            client_id: "undersigned".into(),
            client_secret: Some("s3cret".into()),
            organiser_domains: vec!["@Union.example".into()],
            ..Default::default()
        }
    }

    #[test]
    fn providers_are_checked_and_their_secrets_read() {
        let p = &providers(&[one()]).unwrap()[0];
        assert_eq!(p.issuer, "https://login.union.example/realms/union");
        assert_eq!(p.organisers.domains, ["union.example"]);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret");
        std::fs::write(&file, "from-file\n").unwrap();
        let from_file = OidcOptions { client_secret: None, client_secret_file: Some(file), ..one() };
        assert_eq!(providers(&[from_file]).unwrap()[0].client_secret, "from-file");
        for bad in [
            OidcOptions { id: "a b".into(), ..one() },
            OidcOptions { issuer: "http://login.union.example".into(), ..one() },
            OidcOptions { client_secret: None, ..one() },
            OidcOptions { client_id: " ".into(), ..one() },
        ] {
            assert!(providers(&[bad]).is_err());
        }
        assert!(providers(&[one(), one()]).is_err(), "an id twice");
        let local = OidcOptions { issuer: "http://127.0.0.1:9999".into(), ..one() };
        assert!(providers(&[local]).is_ok());
    }
}
