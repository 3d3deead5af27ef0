//! The gateway's one error type.

/// What stops the gateway from starting or running.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GatewayError {
    /// The configuration is invalid.
    #[error("configuration: {0}")]
    Config(String),
    /// The service frame failed (NATS connection, health server, logging).
    #[error(transparent)]
    Service(#[from] service_kit::ServiceError),
    /// A bus operation failed.
    #[error(transparent)]
    Bus(#[from] bus::BusError),
    /// An adapter could not be built.
    #[error(transparent)]
    Exchange(#[from] exchange_core::ExchangeError),
}

/// The gateway's result type.
pub type Result<T, E = GatewayError> = std::result::Result<T, E>;
