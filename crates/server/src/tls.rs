//! TLS to other servers (webhooks' receivers, the SMTP relay): rustls with the ring provider, as
//! lettre's, and Mozilla's roots (webpki-roots), so that what is trusted does not depend on the
//! machine's certificate store.

use std::sync::Arc;

use tokio_rustls::rustls::{ClientConfig, RootCertStore};

/// A client configuration offering `alpn` (none: no ALPN).
pub fn client_config(alpn: &[&[u8]]) -> Arc<ClientConfig> {
    let roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Arc::new(config)
}
