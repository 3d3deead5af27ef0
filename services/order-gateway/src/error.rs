//! The crate's one error type.

use thiserror::Error;

/// What can stop the order-gateway or one of its operations.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum GatewayError {
    /// The configuration is invalid.
    #[error("configuration error: {0}")]
    Config(String),
    /// The bus (NATS, JetStream, KV, codec) failed.
    #[error(transparent)]
    Bus(#[from] bus::BusError),
    /// The service frame failed (NATS connection, health server).
    #[error(transparent)]
    Service(#[from] service_kit::ServiceError),
    /// A venue adapter failed.
    #[error(transparent)]
    Exchange(#[from] exchange_core::ExchangeError),
    /// A NATS operation failed.
    #[error("{op} failed: {message}")]
    Nats {
        /// What was attempted.
        op: String,
        /// The client's error.
        message: String,
    },
    /// The ledger refused an update it should not have been given.
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    /// The service is stopping.
    #[error("stopping")]
    Stopping,
}

impl GatewayError {
    /// A NATS error while doing `op`.
    pub fn nats(op: impl Into<String>, error: impl std::fmt::Display) -> Self {
        GatewayError::Nats {
            op: op.into(),
            message: error.to_string(),
        }
    }
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, GatewayError>;
