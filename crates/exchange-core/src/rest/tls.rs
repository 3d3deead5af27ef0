//! TLS client settings shared by the REST client and the WebSocket session manager: rustls with
//! the *ring* provider (never aws-lc) and the Mozilla roots of `webpki-roots`, so that a
//! container without system certificates still verifies venues.

use std::sync::Arc;

use rustls::{ClientConfig, RootCertStore};

use crate::error::{ExchangeError, Result};

fn base() -> Result<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ExchangeError::Config(format!("TLS settings: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}

/// Settings for HTTPS (ALPN offers HTTP/2 and HTTP/1.1).
pub fn http_config() -> Result<ClientConfig> {
    let mut config = base()?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// Settings for `wss://` (no ALPN: the WebSocket handshake is HTTP/1.1).
pub fn websocket_config() -> Result<Arc<ClientConfig>> {
    base().map(Arc::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_with_ring_and_roots() {
        let http = http_config().unwrap();
        assert_eq!(http.alpn_protocols.len(), 2);
        assert!(websocket_config().unwrap().alpn_protocols.is_empty());
    }
}
