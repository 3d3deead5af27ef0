//! service-kit: the frame every gateway service stands in (DESIGN §5).
//!
//! - [`config`]: figment loading, a TOML file plus `EXGW_`-prefixed environment overrides.
//! - [`telemetry`]: tracing logs, human or JSON, and OpenTelemetry span export over OTLP/HTTP
//!   when `[log.otlp]` is configured.
//! - [`nats`]: NATS connection settings (URL, credentials file, user/password, token, TLS) and a
//!   connection that reports its connects and disconnects.
//! - [`metrics`]: a small registry of counters and gauges rendered as Prometheus text.
//! - [`health`]: the HTTP server with `/healthz`, `/readyz` and `/metrics`.
//! - [`micro`]: the NATS micro service (`$SRV.PING`, `$SRV.INFO`, `$SRV.STATS`).
//! - [`shutdown`]: one cancellation token and task tracker per service, cancelled by SIGTERM or
//!   SIGINT.
//! - [`error`]: the crate's one error type.

pub mod config;
pub mod error;
pub mod health;
pub mod metrics;
pub mod micro;
pub mod nats;
pub mod shutdown;
pub mod telemetry;

pub use config::{ENV_PREFIX, ENV_SEPARATOR, load_config};
pub use error::{Result, ServiceError};
pub use health::{HealthConfig, HealthServer, Readiness};
pub use metrics::{Counter, Gauge, Metrics};
pub use nats::{NatsConfig, NatsConnection, TlsConfig};
pub use shutdown::Shutdown;
pub use telemetry::{LogConfig, OtlpConfig, Telemetry};
