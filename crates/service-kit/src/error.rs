//! The crate's one error type.

/// What can go wrong while a service frame starts or runs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServiceError {
    /// The configuration could not be loaded or is invalid. The message names the key, never
    /// a secret value.
    #[error("configuration: {0}")]
    Config(String),
    /// Connecting to NATS failed.
    #[error("NATS: {op}")]
    Nats {
        /// What was attempted.
        op: String,
        /// Why it failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A socket or file operation failed.
    #[error("{op}")]
    Io {
        /// What was attempted.
        op: String,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
    /// Logging could not be set up.
    #[error("logging: {0}")]
    Telemetry(String),
}

impl ServiceError {
    /// A NATS error with what was attempted.
    pub fn nats(
        op: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        ServiceError::Nats {
            op: op.into(),
            source: source.into(),
        }
    }

    /// An I/O error with what was attempted.
    pub fn io(op: impl Into<String>, source: std::io::Error) -> Self {
        ServiceError::Io {
            op: op.into(),
            source,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
