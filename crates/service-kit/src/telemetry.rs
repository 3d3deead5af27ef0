//! Logs and traces: `tracing` to stderr, human-readable or JSON lines, filtered by `RUST_LOG` or
//! the configured filter; and, when `[log.otlp]` is configured, the same spans exported to an
//! OpenTelemetry collector over OTLP/HTTP (see [`otlp`]).
//!
//! [`init`] returns a [`Telemetry`] handle; call [`Telemetry::shutdown`] on the way out so that
//! spans still in the exporter's batch reach the collector.

pub mod otlp;
pub mod propagation;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use serde::{Deserialize, Serialize};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

use crate::error::{Result, ServiceError};

pub use otlp::OtlpConfig;
pub use propagation::set_remote_parent;

/// The `[log]` section, with its optional `[log.otlp]` table.
///
/// ```toml
/// [log]
/// filter = "info,market_data_gateway=debug"   # RUST_LOG syntax; RUST_LOG wins when set
/// json = false                                 # one JSON object per line when true
///
/// [log.otlp]                                   # absent: no export, nothing runs
/// endpoint = "http://127.0.0.1:4318"           # OTLP/HTTP base URL; /v1/traces is appended
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// The filter, in `RUST_LOG` syntax (default `info`). It applies to exported spans too.
    pub filter: String,
    /// JSON lines instead of human-readable text.
    pub json: bool,
    /// OpenTelemetry export of the spans; `None` (the default) exports nothing.
    pub otlp: Option<OtlpConfig>,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            filter: "info".to_owned(),
            json: false,
            otlp: None,
        }
    }
}

/// What [`init`] installed; [`Telemetry::shutdown`] flushes it.
#[derive(Debug)]
#[must_use = "call `shutdown` on exit so that buffered spans are exported"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Whether spans are exported to an OpenTelemetry collector.
    pub fn exporting(&self) -> bool {
        self.provider.is_some()
    }

    /// Exports the spans still buffered and stops the exporter (a no-op without one). Failures
    /// are logged, not returned: they must not change how the service exits.
    pub async fn shutdown(self) {
        let Some(provider) = self.provider else {
            return;
        };
        // The SDK blocks while its batch thread exports; the export itself runs on this
        // runtime, so block a blocking-pool thread, not a worker.
        let flushed = tokio::task::spawn_blocking(move || provider.shutdown()).await;
        match flushed {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "flushing the OpenTelemetry exporter failed"),
            Err(e) => tracing::warn!(error = %e, "flushing the OpenTelemetry exporter failed"),
        }
    }
}

/// Installs the global subscriber: logs, and the OpenTelemetry layer when `[log.otlp]` is set
/// (`service_name` is the resource's `service.name` unless `[log.otlp] service_name` says
/// otherwise). Call once, early in `main`, inside the Tokio runtime.
pub fn init(config: &LogConfig, service_name: &str) -> Result<Telemetry> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(value) if !value.trim().is_empty() => EnvFilter::try_new(value),
        _ => EnvFilter::try_new(&config.filter),
    }
    .map_err(|e| ServiceError::Telemetry(format!("invalid log filter: {e}")))?;
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let fmt = if config.json {
        fmt.json().with_current_span(false).boxed()
    } else {
        fmt.boxed()
    };
    let provider = tracer_provider(config, service_name)?;
    let otel = provider.as_ref().map(|provider| {
        tracing_opentelemetry::layer().with_tracer(provider.tracer(env!("CARGO_PKG_NAME")))
    });
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .with(otel)
        .try_init()
        .map_err(|e| ServiceError::Telemetry(e.to_string()))?;
    if let Some(otlp) = &config.otlp {
        tracing::info!(collector = %otlp::describe_endpoint(&otlp.endpoint), "exporting spans over OTLP/HTTP");
    }
    Ok(Telemetry { provider })
}

/// The tracer provider `config` asks for: `None` without `[log.otlp]` (no exporter, no thread,
/// no task).
pub fn tracer_provider(
    config: &LogConfig,
    service_name: &str,
) -> Result<Option<SdkTracerProvider>> {
    config
        .otlp
        .as_ref()
        .map(|otlp| otlp::tracer_provider(otlp, service_name))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_an_endpoint_nothing_is_exported() {
        let config: LogConfig = crate::load_config(None, Vec::<(String, String)>::new()).unwrap();
        assert_eq!(config, LogConfig::default());
        assert!(config.otlp.is_none());
        assert!(tracer_provider(&config, "svc").unwrap().is_none());
        let telemetry = Telemetry { provider: None };
        assert!(!telemetry.exporting());
    }

    #[tokio::test]
    async fn an_endpoint_builds_an_exporter() {
        let config: LogConfig = crate::load_config(
            None,
            vec![(
                "EXGW_OTLP__ENDPOINT".to_owned(),
                "http://127.0.0.1:4318".to_owned(),
            )],
        )
        .unwrap();
        let otlp = config.otlp.clone().unwrap();
        assert_eq!(otlp.sample_ratio, 1.0);
        assert_eq!(otlp.service_name, None);
        let provider = tracer_provider(&config, "svc").unwrap();
        let telemetry = Telemetry { provider };
        assert!(telemetry.exporting());
        telemetry.shutdown().await;
    }
}
