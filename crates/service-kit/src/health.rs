//! The HTTP health server: `/healthz` (liveness), `/readyz` (readiness) and `/metrics`
//! (Prometheus text).
//!
//! - `GET /healthz`: `200 ok` while the process serves requests.
//! - `GET /readyz`: `200 ready` when every readiness check passes, else `503` with one line per
//!   failing check (`nats: disconnected`). Checks are named by the service ([`Readiness::set`]).
//! - `GET /metrics`: the [`Metrics`] registry, `text/plain; version=0.0.4`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use crate::error::{Result, ServiceError};
use crate::metrics::Metrics;
use crate::shutdown::Shutdown;

/// The `[health]` section.
///
/// ```toml
/// [health]
/// listen = "0.0.0.0:9464"   # address of /healthz, /readyz, /metrics; port 0 picks one
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HealthConfig {
    /// Listen address (default `127.0.0.1:9464`).
    pub listen: String,
}

impl Default for HealthConfig {
    fn default() -> Self {
        HealthConfig {
            listen: "127.0.0.1:9464".to_owned(),
        }
    }
}

/// Named readiness checks, set by the service as its parts come and go. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Readiness {
    checks: Arc<Mutex<BTreeMap<String, Option<String>>>>,
}

impl Readiness {
    /// No checks yet (ready).
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks check `name` as passing (`Ok`) or failing with a reason.
    pub fn set(&self, name: &str, state: std::result::Result<(), String>) {
        let mut checks = self.checks.lock().unwrap_or_else(PoisonError::into_inner);
        checks.insert(name.to_owned(), state.err());
    }

    /// The failing checks as `name: reason` lines; empty when ready.
    pub fn failing(&self) -> Vec<String> {
        let checks = self.checks.lock().unwrap_or_else(PoisonError::into_inner);
        checks
            .iter()
            .filter_map(|(name, why)| why.as_ref().map(|why| format!("{name}: {why}")))
            .collect()
    }

    /// Whether every check passes.
    pub fn is_ready(&self) -> bool {
        self.failing().is_empty()
    }
}

#[derive(Clone)]
struct AppState {
    metrics: Metrics,
    readiness: Readiness,
}

/// The running health server.
#[derive(Debug, Clone, Copy)]
pub struct HealthServer {
    addr: SocketAddr,
}

impl HealthServer {
    /// Binds `config.listen` and serves until `shutdown` is cancelled (on its tracker).
    pub async fn start(
        config: &HealthConfig,
        metrics: Metrics,
        readiness: Readiness,
        shutdown: &Shutdown,
    ) -> Result<Self> {
        let listener = tokio::net::TcpListener::bind(&config.listen)
            .await
            .map_err(|e| {
                ServiceError::io(format!("bind the health server on {}", config.listen), e)
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| ServiceError::io("read the health server's address", e))?;
        let app = Router::new()
            .route("/healthz", get(healthz))
            .route("/readyz", get(readyz))
            .route("/metrics", get(render_metrics))
            .with_state(AppState { metrics, readiness });
        let token = shutdown.token().clone();
        shutdown.spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(token.cancelled_owned());
            if let Err(e) = serve.await {
                tracing::warn!(error = %e, "health server ended");
            }
        });
        tracing::info!(%addr, "health server on /healthz, /readyz, /metrics");
        Ok(HealthServer { addr })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let failing = state.readiness.failing();
    if failing.is_empty() {
        (StatusCode::OK, "ready\n".to_owned())
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{}\n", failing.join("\n")),
        )
    }
}

async fn render_metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn get_text(addr: SocketAddr, path: &str) -> String {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        s.write_all(req.as_bytes()).await.unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    }

    #[tokio::test]
    async fn serves_health_readiness_and_metrics_then_stops() {
        let shutdown = Shutdown::new();
        let metrics = Metrics::new();
        metrics.counter("things_total", "Things", &[]).add(2);
        let readiness = Readiness::new();
        readiness.set("nats", Err("disconnected".into()));
        let config = HealthConfig {
            listen: "127.0.0.1:0".into(),
        };
        let server = HealthServer::start(&config, metrics, readiness.clone(), &shutdown)
            .await
            .unwrap();
        assert!(
            get_text(server.addr(), "/healthz")
                .await
                .starts_with("HTTP/1.1 200")
        );
        let r = get_text(server.addr(), "/readyz").await;
        assert!(
            r.starts_with("HTTP/1.1 503") && r.contains("nats: disconnected"),
            "{r}"
        );
        readiness.set("nats", Ok(()));
        assert!(
            get_text(server.addr(), "/readyz")
                .await
                .starts_with("HTTP/1.1 200")
        );
        let m = get_text(server.addr(), "/metrics").await;
        assert!(m.contains("things_total 2"), "{m}");
        shutdown.cancel();
        assert!(shutdown.wait(std::time::Duration::from_secs(5)).await);
    }
}
