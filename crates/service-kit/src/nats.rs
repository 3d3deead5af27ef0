//! The NATS connection of a service: settings, authentication, TLS, and a watch on the link.
//!
//! ```toml
//! [nats]
//! url = "nats://127.0.0.1:4222"        # several servers: "nats://a:4222,nats://b:4222"
//! name = "market-data-gateway"         # client name shown by the server (default: the service)
//! credentials_file = "/run/secrets/nats.creds"   # or user + password, or token
//! # user = "md"
//! # password = "..."                  # prefer EXGW_NATS__PASSWORD
//! # token = "..."                     # prefer EXGW_NATS__TOKEN
//! connect_timeout_ms = 5000
//!
//! [nats.tls]
//! required = false
//! ca_file = "/etc/nats/ca.pem"
//! cert_file = "/etc/nats/client.pem"   # client certificate (mutual TLS), with key_file
//! key_file = "/etc/nats/client-key.pem"
//! ```
//!
//! The client reconnects forever with capped exponential backoff; [`NatsConnection::link`]
//! reports every connect and disconnect so that services can re-create what a restarted server
//! lost (JetStream definitions) and republish state. Password and token are secrets: `Debug`
//! shows `[REDACTED]`, and they are not serializable.

use std::path::PathBuf;
use std::time::Duration;

use async_nats::{ConnectOptions, Event};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::error::{Result, ServiceError};
use crate::health::Readiness;
use crate::metrics::{Counter, Gauge};

/// The `[nats]` section.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NatsConfig {
    /// Server URL(s), comma-separated (default `nats://127.0.0.1:4222`).
    pub url: String,
    /// Client name; the service name when absent.
    pub name: Option<String>,
    /// A `.creds` file (JWT + NKey seed).
    pub credentials_file: Option<PathBuf>,
    /// User for user/password authentication.
    pub user: Option<String>,
    /// Password for user/password authentication.
    pub password: Option<SecretString>,
    /// Token authentication.
    pub token: Option<SecretString>,
    /// TLS settings.
    pub tls: TlsConfig,
    /// How long one connection attempt may take (default 5000 ms).
    pub connect_timeout_ms: u64,
}

impl Default for NatsConfig {
    fn default() -> Self {
        NatsConfig {
            url: "nats://127.0.0.1:4222".to_owned(),
            name: None,
            credentials_file: None,
            user: None,
            password: None,
            token: None,
            tls: TlsConfig::default(),
            connect_timeout_ms: 5_000,
        }
    }
}

/// The `[nats.tls]` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TlsConfig {
    /// Refuse to connect without TLS (`tls://` URLs require it too).
    pub required: bool,
    /// A PEM file of CA certificates to trust (besides the system's web PKI roots).
    pub ca_file: Option<PathBuf>,
    /// A PEM client certificate, for servers that verify clients (with `key_file`).
    pub cert_file: Option<PathBuf>,
    /// The client certificate's PEM private key.
    pub key_file: Option<PathBuf>,
}

/// The link to the server as the client sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LinkState {
    /// Whether the client is connected now.
    pub connected: bool,
    /// How many times it (re)connected; a change after the first means a reconnect.
    pub connects: u64,
}

/// A connected client and a watch on its link.
#[derive(Debug, Clone)]
pub struct NatsConnection {
    /// The client (cheap to clone).
    pub client: async_nats::Client,
    link: watch::Receiver<LinkState>,
}

impl NatsConnection {
    /// Connects with `config`, naming the client `default_name` unless configured. Waits for the
    /// first connection (at most `connect_timeout_ms` per attempt, retrying while the server is
    /// unreachable) so that a service starting before NATS comes up waits for it.
    pub async fn connect(config: &NatsConfig, default_name: &str) -> Result<Self> {
        let (tx, link) = watch::channel(LinkState::default());
        let options = options(config, default_name)
            .await?
            .event_callback(move |event| {
                let tx = tx.clone();
                async move {
                    match event {
                        Event::Connected => {
                            tx.send_modify(|s| {
                                s.connected = true;
                                s.connects += 1;
                            });
                            tracing::info!("NATS connected");
                        }
                        Event::Disconnected => {
                            tx.send_modify(|s| s.connected = false);
                            tracing::warn!("NATS disconnected; reconnecting");
                        }
                        Event::SlowConsumer(sid) => {
                            tracing::warn!(
                                sid,
                                "NATS slow consumer: messages dropped by the client"
                            );
                        }
                        other => tracing::info!(event = %other, "NATS event"),
                    }
                }
            });
        let client = options
            .connect(config.url.as_str())
            .await
            .map_err(|e| ServiceError::nats(format!("connect to {}", config.url), e))?;
        let connection = NatsConnection { client, link };
        let mut link = connection.link.clone();
        // The first Connected event may come just after connect() returns.
        let _ =
            tokio::time::timeout(Duration::from_secs(5), link.wait_for(|s| s.connects > 0)).await;
        Ok(connection)
    }

    /// A watch on the link state.
    pub fn link(&self) -> watch::Receiver<LinkState> {
        self.link.clone()
    }

    /// Flushes and drains the client (pending publishes are sent, subscriptions end).
    pub async fn drain(&self) -> Result<()> {
        self.client
            .flush()
            .await
            .map_err(|e| ServiceError::nats("flush before drain", e))?;
        self.client
            .drain()
            .await
            .map_err(|e| ServiceError::nats("drain", e))
    }
}

/// Mirrors a connection's link into a `connected` gauge (1/0), a `reconnects` counter and the
/// `nats` readiness check until `token` is cancelled, and calls `on_reconnect` after every
/// reconnect (not the first connection).
pub async fn watch_link(
    nats: NatsConnection,
    connected: Gauge,
    reconnects: Counter,
    readiness: Readiness,
    on_reconnect: impl Fn(),
    token: CancellationToken,
) {
    let mut link = nats.link();
    let mut seen = 0u64;
    loop {
        let state = *link.borrow_and_update();
        connected.set(i64::from(state.connected));
        readiness.set(
            "nats",
            if state.connected {
                Ok(())
            } else {
                Err("disconnected".into())
            },
        );
        if state.connects > seen {
            if seen > 0 {
                reconnects.add(state.connects - seen);
                on_reconnect();
            }
            seen = state.connects;
        }
        tokio::select! {
            () = token.cancelled() => return,
            changed = link.changed() => if changed.is_err() { return },
        }
    }
}

async fn options(config: &NatsConfig, default_name: &str) -> Result<ConnectOptions> {
    let mut options = ConnectOptions::new();
    if let Some(path) = &config.credentials_file {
        options = options.credentials_file(path).await.map_err(|e| {
            ServiceError::io(
                format!("read the NATS credentials file {}", path.display()),
                e,
            )
        })?;
    }
    match (&config.user, &config.password) {
        (Some(user), Some(password)) => {
            options = options.user_and_password(user.clone(), password.expose_secret().to_owned());
        }
        (None, None) => {}
        _ => {
            return Err(ServiceError::Config(
                "nats.user and nats.password go together".into(),
            ));
        }
    }
    if let Some(token) = &config.token {
        options = options.token(token.expose_secret().to_owned());
    }
    let tls = &config.tls;
    if tls.required {
        options = options.require_tls(true);
    }
    if let Some(ca) = &tls.ca_file {
        options = options.add_root_certificates(ca.clone());
    }
    match (&tls.cert_file, &tls.key_file) {
        (Some(cert), Some(key)) => {
            options = options.add_client_certificate(cert.clone(), key.clone());
        }
        (None, None) => {}
        _ => {
            return Err(ServiceError::Config(
                "nats.tls.cert_file and nats.tls.key_file go together".into(),
            ));
        }
    }
    let name = config
        .name
        .clone()
        .unwrap_or_else(|| default_name.to_owned());
    Ok(options
        .name(name)
        .connection_timeout(Duration::from_millis(config.connect_timeout_ms.max(1)))
        .retry_on_initial_connect()
        .max_reconnects(None)
        .reconnect_delay_callback(reconnect_delay))
}

/// Capped exponential backoff between reconnect attempts: 0, 100 ms, 200 ms, ... up to 2 s.
fn reconnect_delay(attempts: usize) -> Duration {
    if attempts <= 1 {
        return Duration::ZERO;
    }
    let exp = u32::try_from(attempts - 2).unwrap_or(u32::MAX).min(5);
    Duration::from_millis(100u64 << exp).min(Duration::from_secs(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secrets() {
        let config = NatsConfig {
            password: Some(SecretString::from("hunter2-password")),
            token: Some(SecretString::from("s3cret-token")),
            ..NatsConfig::default()
        };
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("s3cret"),
            "{shown}"
        );
    }

    #[test]
    fn backoff_is_capped() {
        assert_eq!(reconnect_delay(1), Duration::ZERO);
        assert_eq!(reconnect_delay(2), Duration::from_millis(100));
        assert_eq!(reconnect_delay(50), Duration::from_secs(2));
    }

    #[tokio::test]
    async fn reports_reconnects_after_a_server_restart() {
        let mut server = testkit::NatsServer::start().await.unwrap();
        let config = NatsConfig {
            url: server.url(),
            ..NatsConfig::default()
        };
        let nats = NatsConnection::connect(&config, "test").await.unwrap();
        let mut link = nats.link();
        assert!(link.borrow().connected);
        server.restart().await.unwrap();
        let state = tokio::time::timeout(
            Duration::from_secs(20),
            link.wait_for(|s| s.connects >= 2 && s.connected),
        )
        .await
        .unwrap()
        .unwrap();
        assert!(state.connected);
        nats.drain().await.unwrap();
    }
}
