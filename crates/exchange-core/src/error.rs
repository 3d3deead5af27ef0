//! One error taxonomy for every venue.
//!
//! Each adapter maps its venue's own error codes and HTTP statuses onto [`ExchangeError`], in the
//! spirit of CCXT's hierarchy, so that callers can decide what to do without knowing the venue:
//! [`ExchangeError::is_retryable`] says whether the same request may be sent again, and
//! [`ExchangeError::retry_after`] how long to wait first. [`ExchangeError::kind`] gives a stable,
//! matchable kind with a machine-readable code for bus payloads and metrics.
//!
//! Error messages never carry secrets: adapters build them from venue responses and request
//! descriptions, never from credentials or signed query strings.

use std::time::Duration;

use crate::model::InvalidOrderReason;

/// The result type of exchange-core.
pub type Result<T, E = ExchangeError> = std::result::Result<T, E>;

/// Every failure an exchange adapter, the factory or the key manager can report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExchangeError {
    /// The request did not complete in time. Whether it took effect at the venue is unknown.
    #[error("timeout: {0}")]
    Timeout(String),
    /// The connection failed or broke before a response arrived.
    #[error("connection error: {message}")]
    Connection {
        /// What failed.
        message: String,
        /// The transport error behind it, when there is one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The venue said a rate limit was exceeded (HTTP 429/418, Kraken `EAPI:Rate limit exceeded`).
    #[error("rate limited: {message}")]
    RateLimited {
        /// The venue's message.
        message: String,
        /// How long the venue asked us to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// The credentials were refused: bad key, bad signature, expired token, clock outside the window.
    #[error("authentication failed: {0}")]
    Authentication(String),
    /// The credentials are valid but lack the permission, or the account/IP is not allowed.
    #[error("permission denied: {0}")]
    Permission(String),
    /// The account does not hold enough of an asset for the request.
    #[error("insufficient funds: {0}")]
    InsufficientFunds(String),
    /// The order was refused before or by the venue, with a machine-readable reason.
    #[error("invalid order ({}): {message}", reason.code())]
    InvalidOrder {
        /// Why, as a stable code.
        reason: InvalidOrderReason,
        /// Human-readable detail.
        message: String,
    },
    /// The venue does not know the order.
    #[error("order not found: {0}")]
    OrderNotFound(String),
    /// The symbol is unknown to the venue or to our market list.
    #[error("bad symbol: {0}")]
    BadSymbol(String),
    /// The venue is down, in maintenance, or answered 5xx to a request that is safe to repeat.
    #[error("exchange unavailable: {message}")]
    ExchangeUnavailable {
        /// The venue's message or status.
        message: String,
        /// How long to wait before retrying, when known.
        retry_after: Option<Duration>,
    },
    /// An order request (place or cancel) failed in a way that leaves its outcome unknown
    /// (5xx, timeout after sending, venue "status unknown"): reconcile before acting again.
    #[error("order status unknown: {0}")]
    UnknownOrderStatus(String),
    /// The adapter does not support this operation on this venue.
    #[error("not supported: {0}")]
    NotSupported(String),
    /// The venue answered something we could not parse or that breaks its own documented rules.
    #[error("invalid response: {0}")]
    InvalidResponse(String),
    /// A configuration problem: unknown venue, missing credentials, unreadable key file.
    #[error("configuration error: {0}")]
    Config(String),
}

/// The kind of an [`ExchangeError`], for matching and for machine-readable codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// See [`ExchangeError::Timeout`].
    Timeout,
    /// See [`ExchangeError::Connection`].
    Connection,
    /// See [`ExchangeError::RateLimited`].
    RateLimited,
    /// See [`ExchangeError::Authentication`].
    Authentication,
    /// See [`ExchangeError::Permission`].
    Permission,
    /// See [`ExchangeError::InsufficientFunds`].
    InsufficientFunds,
    /// See [`ExchangeError::InvalidOrder`].
    InvalidOrder,
    /// See [`ExchangeError::OrderNotFound`].
    OrderNotFound,
    /// See [`ExchangeError::BadSymbol`].
    BadSymbol,
    /// See [`ExchangeError::ExchangeUnavailable`].
    ExchangeUnavailable,
    /// See [`ExchangeError::UnknownOrderStatus`].
    UnknownOrderStatus,
    /// See [`ExchangeError::NotSupported`].
    NotSupported,
    /// See [`ExchangeError::InvalidResponse`].
    InvalidResponse,
    /// See [`ExchangeError::Config`].
    Config,
}

impl ErrorKind {
    /// A stable snake_case code, used in bus `rejected` events and metrics labels.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Timeout => "timeout",
            ErrorKind::Connection => "connection",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Authentication => "authentication",
            ErrorKind::Permission => "permission",
            ErrorKind::InsufficientFunds => "insufficient_funds",
            ErrorKind::InvalidOrder => "invalid_order",
            ErrorKind::OrderNotFound => "order_not_found",
            ErrorKind::BadSymbol => "bad_symbol",
            ErrorKind::ExchangeUnavailable => "exchange_unavailable",
            ErrorKind::UnknownOrderStatus => "unknown_order_status",
            ErrorKind::NotSupported => "not_supported",
            ErrorKind::InvalidResponse => "invalid_response",
            ErrorKind::Config => "config",
        }
    }
}

impl ExchangeError {
    /// Builds a [`ExchangeError::Connection`] from a message and its cause.
    pub fn connection(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        ExchangeError::Connection {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }

    /// Builds an [`ExchangeError::InvalidOrder`].
    pub fn invalid_order(reason: InvalidOrderReason, message: impl Into<String>) -> Self {
        ExchangeError::InvalidOrder {
            reason,
            message: message.into(),
        }
    }

    /// The matchable kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ExchangeError::Timeout(_) => ErrorKind::Timeout,
            ExchangeError::Connection { .. } => ErrorKind::Connection,
            ExchangeError::RateLimited { .. } => ErrorKind::RateLimited,
            ExchangeError::Authentication(_) => ErrorKind::Authentication,
            ExchangeError::Permission(_) => ErrorKind::Permission,
            ExchangeError::InsufficientFunds(_) => ErrorKind::InsufficientFunds,
            ExchangeError::InvalidOrder { .. } => ErrorKind::InvalidOrder,
            ExchangeError::OrderNotFound(_) => ErrorKind::OrderNotFound,
            ExchangeError::BadSymbol(_) => ErrorKind::BadSymbol,
            ExchangeError::ExchangeUnavailable { .. } => ErrorKind::ExchangeUnavailable,
            ExchangeError::UnknownOrderStatus(_) => ErrorKind::UnknownOrderStatus,
            ExchangeError::NotSupported(_) => ErrorKind::NotSupported,
            ExchangeError::InvalidResponse(_) => ErrorKind::InvalidResponse,
            ExchangeError::Config(_) => ErrorKind::Config,
        }
    }

    /// Whether the same request may be sent again after [`Self::retry_after`].
    ///
    /// Only transport failures, rate limits and venue unavailability are retryable.
    /// [`ExchangeError::Timeout`] is retryable for idempotent requests only; an order request that
    /// timed out is reported as [`ExchangeError::UnknownOrderStatus`] instead, which is not.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::Timeout
                | ErrorKind::Connection
                | ErrorKind::RateLimited
                | ErrorKind::ExchangeUnavailable
        )
    }

    /// How long the venue asked us to wait before retrying, when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ExchangeError::RateLimited { retry_after, .. }
            | ExchangeError::ExchangeUnavailable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// A machine-readable reason code: the invalid-order reason where there is one, else the kind.
    pub fn reason_code(&self) -> &'static str {
        match self {
            ExchangeError::InvalidOrder { reason, .. } => reason.code(),
            other => other.kind().code(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_kinds_are_exactly_the_transient_ones() {
        let retryable = [
            ExchangeError::Timeout("t".into()),
            ExchangeError::Connection {
                message: "c".into(),
                source: None,
            },
            ExchangeError::RateLimited {
                message: "r".into(),
                retry_after: Some(Duration::from_secs(3)),
            },
            ExchangeError::ExchangeUnavailable {
                message: "u".into(),
                retry_after: None,
            },
        ];
        for e in &retryable {
            assert!(e.is_retryable(), "{e} should be retryable");
        }
        let terminal = [
            ExchangeError::Authentication("a".into()),
            ExchangeError::Permission("p".into()),
            ExchangeError::InsufficientFunds("f".into()),
            ExchangeError::invalid_order(InvalidOrderReason::TickSize, "x"),
            ExchangeError::OrderNotFound("o".into()),
            ExchangeError::BadSymbol("s".into()),
            ExchangeError::UnknownOrderStatus("?".into()),
            ExchangeError::NotSupported("n".into()),
            ExchangeError::InvalidResponse("i".into()),
            ExchangeError::Config("c".into()),
        ];
        for e in &terminal {
            assert!(!e.is_retryable(), "{e} should not be retryable");
        }
    }

    #[test]
    fn retry_after_comes_from_rate_limits_and_unavailability() {
        let e = ExchangeError::RateLimited {
            message: "429".into(),
            retry_after: Some(Duration::from_secs(7)),
        };
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(ExchangeError::Timeout("t".into()).retry_after(), None);
    }

    #[test]
    fn reason_code_prefers_the_invalid_order_reason() {
        let e = ExchangeError::invalid_order(InvalidOrderReason::MinNotional, "too small");
        assert_eq!(e.reason_code(), "min_notional");
        assert_eq!(e.kind(), ErrorKind::InvalidOrder);
        assert_eq!(
            ExchangeError::BadSymbol("X".into()).reason_code(),
            "bad_symbol"
        );
    }
}
