//! Turning HTTP outcomes into the error taxonomy: pure functions of status, kind and the
//! venue's own reading of the body, so the rules are table-tested without sockets.
//!
//! The rules:
//! - a request that never left (connection refused, TLS failure) is [`ExchangeError::Connection`];
//! - 429 and 418 are [`ExchangeError::RateLimited`], with the `Retry-After` when given;
//! - on an **order** request, a 5xx, a timeout or a break after sending is
//!   [`ExchangeError::UnknownOrderStatus`] (Binance: "5xx = execution status UNKNOWN"), as is a
//!   venue error of kind timeout or unavailable; the order path must reconcile;
//! - elsewhere a 5xx is [`ExchangeError::ExchangeUnavailable`] unless the venue says more;
//! - other non-2xx statuses take the venue's error, else a generic one by status.

use std::time::Duration;

use reqwest::StatusCode;

use super::request::RequestKind;
use crate::error::{ErrorKind, ExchangeError};

/// How a request failed before a response arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportFailure {
    /// The connection could not be made: nothing was sent.
    Connect,
    /// No (complete) response in time.
    Timeout,
    /// The connection broke after the request may have been sent.
    Broken,
}

/// The error for a transport failure of a request of `kind`; `what` describes the request
/// (method and path only).
pub fn transport_error(
    failure: TransportFailure,
    kind: RequestKind,
    what: &str,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
) -> ExchangeError {
    match (failure, kind) {
        (TransportFailure::Connect, _) => ExchangeError::Connection {
            message: format!("{what}: could not connect (not sent)"),
            source,
        },
        (TransportFailure::Timeout, RequestKind::Order) => ExchangeError::UnknownOrderStatus(
            format!("{what}: timed out after sending; the order's status is unknown"),
        ),
        (TransportFailure::Broken, RequestKind::Order) => ExchangeError::UnknownOrderStatus(
            format!("{what}: connection broke after sending; the order's status is unknown"),
        ),
        (TransportFailure::Timeout, _) => ExchangeError::Timeout(format!("{what}: timed out")),
        (TransportFailure::Broken, _) => ExchangeError::Connection {
            message: format!("{what}: connection broke"),
            source,
        },
    }
}

/// The error for a response, or `None` for a success. `venue_error` is the adapter's reading
/// of the body ([`super::RestVenue::map_error`]).
pub fn response_error(
    status: StatusCode,
    kind: RequestKind,
    what: &str,
    venue_error: Option<ExchangeError>,
    retry_after: Option<Duration>,
) -> Option<ExchangeError> {
    let error = if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::IM_A_TEAPOT {
        Some(match venue_error {
            Some(ExchangeError::RateLimited {
                message,
                retry_after: venue_after,
            }) => ExchangeError::RateLimited {
                message,
                retry_after: venue_after.or(retry_after),
            },
            other => ExchangeError::RateLimited {
                message: other.map_or_else(|| format!("{what}: HTTP {status}"), |e| e.to_string()),
                retry_after,
            },
        })
    } else if status.is_server_error() {
        Some(match (kind, venue_error) {
            (RequestKind::Order, venue) => ExchangeError::UnknownOrderStatus(format!(
                "{what}: HTTP {status}{}; the order's status is unknown",
                venue.map(|e| format!(" ({e})")).unwrap_or_default()
            )),
            (_, Some(venue)) => venue,
            (_, None) => ExchangeError::ExchangeUnavailable {
                message: format!("{what}: HTTP {status}"),
                retry_after,
            },
        })
    } else if let Some(venue) = venue_error {
        Some(venue)
    } else if !status.is_success() {
        Some(generic_status_error(status, what))
    } else {
        None
    };
    error.map(|e| unknown_if_ambiguous(e, kind, what))
}

fn generic_status_error(status: StatusCode, what: &str) -> ExchangeError {
    let message = format!("{what}: HTTP {status}");
    match status {
        StatusCode::UNAUTHORIZED => ExchangeError::Authentication(message),
        StatusCode::FORBIDDEN => ExchangeError::Permission(message),
        _ => ExchangeError::InvalidResponse(message),
    }
}

/// On an order request, a venue-side timeout or unavailability leaves the outcome open.
fn unknown_if_ambiguous(error: ExchangeError, kind: RequestKind, what: &str) -> ExchangeError {
    match (kind, error.kind()) {
        (RequestKind::Order, ErrorKind::Timeout | ErrorKind::ExchangeUnavailable) => {
            ExchangeError::UnknownOrderStatus(format!(
                "{what}: {error}; the order's status is unknown"
            ))
        }
        _ => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InvalidOrderReason;

    const W: &str = "POST /api/v3/order";

    fn kind_of(status: u16, kind: RequestKind, venue: Option<ExchangeError>) -> Option<ErrorKind> {
        let status = StatusCode::from_u16(status).unwrap();
        response_error(status, kind, W, venue, None).map(|e| e.kind())
    }

    #[test]
    fn statuses_by_request_kind() {
        use ErrorKind as K;
        use RequestKind::*;
        let table: &[(u16, RequestKind, Option<K>)] = &[
            (200, Query, None),
            (200, Order, None),
            (500, Query, Some(K::ExchangeUnavailable)),
            (503, Order, Some(K::UnknownOrderStatus)),
            (502, Write, Some(K::ExchangeUnavailable)),
            (429, Query, Some(K::RateLimited)),
            (429, Order, Some(K::RateLimited)),
            (418, Query, Some(K::RateLimited)),
            (401, Query, Some(K::Authentication)),
            (403, Order, Some(K::Permission)),
            (404, Query, Some(K::InvalidResponse)),
        ];
        for (status, kind, want) in table {
            assert_eq!(kind_of(*status, *kind, None), *want, "{status} {kind:?}");
        }
    }

    #[test]
    fn the_venue_reading_wins_except_for_unknown_order_outcomes() {
        let funds = || Some(ExchangeError::InsufficientFunds("x".into()));
        assert_eq!(
            kind_of(400, RequestKind::Order, funds()),
            Some(ErrorKind::InsufficientFunds)
        );
        // Kraken reports errors with HTTP 200.
        assert_eq!(
            kind_of(200, RequestKind::Order, funds()),
            Some(ErrorKind::InsufficientFunds)
        );
        // Binance -1007 TIMEOUT on an order: unknown, not failed.
        let timeout = Some(ExchangeError::Timeout("-1007".into()));
        assert_eq!(
            kind_of(400, RequestKind::Order, timeout),
            Some(ErrorKind::UnknownOrderStatus)
        );
        let invalid = Some(ExchangeError::invalid_order(
            InvalidOrderReason::TickSize,
            "x",
        ));
        assert_eq!(
            kind_of(500, RequestKind::Order, invalid),
            Some(ErrorKind::UnknownOrderStatus)
        );
    }

    #[test]
    fn rate_limits_carry_retry_after() {
        let e = response_error(
            StatusCode::TOO_MANY_REQUESTS,
            RequestKind::Query,
            W,
            None,
            Some(Duration::from_secs(7)),
        )
        .unwrap();
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    }

    #[test]
    fn transport_failures_by_kind() {
        use TransportFailure::*;
        let k = |f, kind| transport_error(f, kind, W, None).kind();
        assert_eq!(k(Connect, RequestKind::Order), ErrorKind::Connection);
        assert_eq!(
            k(Timeout, RequestKind::Order),
            ErrorKind::UnknownOrderStatus
        );
        assert_eq!(k(Broken, RequestKind::Order), ErrorKind::UnknownOrderStatus);
        assert_eq!(k(Timeout, RequestKind::Query), ErrorKind::Timeout);
        assert_eq!(k(Broken, RequestKind::Write), ErrorKind::Connection);
    }
}
