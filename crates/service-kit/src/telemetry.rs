//! Logs: `tracing` to stderr, human-readable or JSON lines, filtered by `RUST_LOG` or the
//! configured filter.

use serde::{Deserialize, Serialize};
use tracing_subscriber::EnvFilter;

use crate::error::{Result, ServiceError};

/// The `[log]` section.
///
/// ```toml
/// [log]
/// filter = "info,market_data_gateway=debug"   # RUST_LOG syntax; RUST_LOG wins when set
/// json = false                                 # one JSON object per line when true
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// The filter, in `RUST_LOG` syntax (default `info`).
    pub filter: String,
    /// JSON lines instead of human-readable text.
    pub json: bool,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            filter: "info".to_owned(),
            json: false,
        }
    }
}

/// Installs the global subscriber. Call once, early in `main`.
pub fn init(config: &LogConfig) -> Result<()> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(value) if !value.trim().is_empty() => EnvFilter::try_new(value),
        _ => EnvFilter::try_new(&config.filter),
    }
    .map_err(|e| ServiceError::Telemetry(format!("invalid log filter: {e}")))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let installed = if config.json {
        builder.json().with_current_span(false).try_init()
    } else {
        builder.try_init()
    };
    installed.map_err(|e| ServiceError::Telemetry(e.to_string()))
}
