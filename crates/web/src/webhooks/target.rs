//! Where an endpoint may point: its host resolved, and every address checked, so that nobody can
//! use the server to reach its own machine or network (a database on localhost, the cloud's
//! metadata service, a router's admin page) unless the operator allows it
//! (`--webhook-allow-private`). The worker connects to the addresses checked here, never to a
//! name resolved again: no window for a DNS answer that changes between the check and the
//! connection.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use undersigned_core::webhook::{WebhookHost, WebhookUrl, is_forbidden_ip};

/// How long a host may take to resolve.
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(5);

/// Why an endpoint's address cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// It is, or resolves to, an address of this server's own networks.
    #[error("{0} is a private or reserved address")]
    Private(IpAddr),
    #[error("its host could not be resolved")]
    Unresolved,
}

/// The addresses to connect to for `url`, each checked.
pub async fn resolve(url: &WebhookUrl, allow_private: bool) -> Result<Vec<SocketAddr>, TargetError> {
    let addresses: Vec<SocketAddr> = match url.host() {
        WebhookHost::Ip(ip) => vec![SocketAddr::new(*ip, url.port())],
        WebhookHost::Domain(name) => {
            let lookup = tokio::net::lookup_host((name.as_str(), url.port()));
            match tokio::time::timeout(RESOLVE_TIMEOUT, lookup).await {
                Ok(Ok(found)) => found.collect(),
                _ => return Err(TargetError::Unresolved),
            }
        }
    };
    if addresses.is_empty() {
        return Err(TargetError::Unresolved);
    }
    // One forbidden address is enough to refuse the host: a name that mixes public and private
    // answers is a way round the check.
    if !allow_private && let Some(private) = addresses.iter().find(|a| is_forbidden_ip(a.ip())) {
        return Err(TargetError::Private(private.ip()));
    }
    Ok(addresses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn this_machine_is_refused_unless_allowed() {
        for url in ["https://127.0.0.1/", "https://localhost:8443/", "https://[::ffff:10.0.0.1]/"] {
            let url = WebhookUrl::parse("url", url, false).unwrap();
            assert!(matches!(resolve(&url, false).await, Err(TargetError::Private(_))), "{url:?}");
        }
        let url = WebhookUrl::parse("url", "http://127.0.0.1:9000/hook", true).unwrap();
        assert_eq!(resolve(&url, true).await.unwrap(), ["127.0.0.1:9000".parse().unwrap()]);
        let nowhere = WebhookUrl::parse("url", "https://nowhere.invalid/", false).unwrap();
        assert_eq!(resolve(&nowhere, false).await, Err(TargetError::Unresolved));
    }
}
