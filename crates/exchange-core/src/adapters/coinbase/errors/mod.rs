//! Coinbase errors (§6) → [`ExchangeError`].
//!
//! Four shapes reach us:
//! 1. the grpc-gateway body of a failed REST call, HTTP 4xx/5xx:
//!    `{"error":"NOT_FOUND","error_details":"…","message":"…"}` ([`ErrorBody`]);
//! 2. a refused order, **HTTP 200** with `success:false` and an `error_response` whose codes
//!    say why (`INSUFFICIENT_FUND`, `INVALID_LIMIT_PRICE_POST_ONLY`, …) ([`ErrorResponse`]);
//! 3. authentication failures: HTTP 401 with the plain-text body `Unauthorized` (not JSON), or
//!    the legacy v2 `{"errors":[{"id":"authentication_error","message":"…"}]}`;
//! 4. WebSocket `{"type":"error","message":"authentication failure"}` ([`map_ws_error`]).
//!
//! Statuses decide first (401 authentication, 403 permission, 429 rate limit); then the most
//! specific code (an order's `new_order_failure_reason` or `preview_failure_reason` before its
//! generic `error`, which is often `UNKNOWN_FAILURE_REASON`). The retry and "order status
//! unknown" rules (an order's 5xx) are [`crate::rest::classify`]'s; [`classify_response`]
//! applies them.

mod codes;

use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;

pub use codes::{ErrorBody, ErrorResponse, map_cancel_failure, map_order_code};

use crate::ExchangeError;
use crate::model::InvalidOrderReason as R;
use crate::rest::RequestKind;
use crate::rest::classify::response_error;

/// The legacy v2 error list: `{"errors":[{"id":"authentication_error","message":"…"}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct LegacyErrors {
    errors: Vec<LegacyError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct LegacyError {
    #[serde(default)]
    id: String,
    #[serde(default)]
    message: String,
}

/// A `success:false` order answer (HTTP 200).
#[derive(Debug, Deserialize)]
struct Refusal {
    success: bool,
    #[serde(default)]
    error_response: Option<ErrorResponse>,
    #[serde(default)]
    failure_reason: Option<String>,
}

/// A short, printable excerpt of a non-JSON body (the venue's own text, never ours).
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let mut out: String = text.chars().take(120).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

fn by_generic_code(status: StatusCode, body: &ErrorBody) -> ExchangeError {
    let text = [&body.message, &body.error_details]
        .into_iter()
        .find(|t| !t.is_empty())
        .cloned()
        .unwrap_or_else(|| body.error.clone());
    let msg = format!("coinbase HTTP {}: {text}", status.as_u16());
    let lower = text.to_ascii_lowercase();
    match body.error.as_str() {
        "PERMISSION_DENIED" => ExchangeError::Permission(msg),
        "UNAUTHENTICATED" => ExchangeError::Authentication(msg),
        "RESOURCE_EXHAUSTED" => ExchangeError::RateLimited {
            message: msg,
            retry_after: None,
        },
        "INTERNAL" | "UNAVAILABLE" | "DEADLINE_EXCEEDED" => ExchangeError::ExchangeUnavailable {
            message: msg,
            retry_after: None,
        },
        "INSUFFICIENT_FUND" | "INSUFFICIENT_FUNDS" => ExchangeError::InsufficientFunds(msg),
        _ if lower.contains("order") && lower.contains("not found") => {
            ExchangeError::OrderNotFound(msg)
        }
        _ if lower.contains("product") => ExchangeError::BadSymbol(msg),
        _ if status == StatusCode::NOT_FOUND => ExchangeError::OrderNotFound(msg),
        _ if status.is_server_error() => ExchangeError::ExchangeUnavailable {
            message: msg,
            retry_after: None,
        },
        _ => ExchangeError::InvalidResponse(msg),
    }
}

/// Reads the venue's error out of any response, or `None` for a success. This is the adapter's
/// [`crate::rest::RestVenue::map_error`]: it is called for HTTP 200 too, where a create-order
/// answer may say `success:false`.
pub fn map_error(status: StatusCode, body: &[u8]) -> Option<ExchangeError> {
    if status.is_success() {
        if !body.windows(9).any(|w| w == b"\"success\"") {
            return None;
        }
        let refusal: Refusal = serde_json::from_slice(body).ok()?;
        if refusal.success {
            return None;
        }
        return Some(match (refusal.error_response, refusal.failure_reason) {
            (Some(e), _) => e.to_error(),
            (None, Some(reason)) => map_order_code(&reason, &reason),
            (None, None) => ExchangeError::invalid_order(
                R::VenueRejected,
                "coinbase: order refused without a reason",
            ),
        });
    }
    let code = status.as_u16();
    if let Ok(legacy) = serde_json::from_slice::<LegacyErrors>(body)
        && let Some(first) = legacy.errors.first()
    {
        let msg = format!("coinbase HTTP {code}: {} ({})", first.message, first.id);
        return Some(match first.id.as_str() {
            "authentication_error" | "invalid_token" | "expired_token" | "revoked_token" => {
                ExchangeError::Authentication(msg)
            }
            "invalid_scope" | "personal_details_required" => ExchangeError::Permission(msg),
            "rate_limit_exceeded" => ExchangeError::RateLimited {
                message: msg,
                retry_after: None,
            },
            "not_found" => ExchangeError::OrderNotFound(msg),
            _ => ExchangeError::InvalidResponse(msg),
        });
    }
    let parsed = serde_json::from_slice::<ErrorBody>(body).ok();
    match status {
        StatusCode::UNAUTHORIZED => {
            return Some(ExchangeError::Authentication(format!(
                "coinbase HTTP 401: {} (check the key name, the key, and the clock: a JWT \
                 lives 120 s)",
                parsed.map_or_else(|| excerpt(body), |b| b.message)
            )));
        }
        StatusCode::FORBIDDEN => {
            return Some(ExchangeError::Permission(format!(
                "coinbase HTTP 403: {}",
                parsed
                    .map(|b| b.message)
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| "Missing Required Scopes".to_owned())
            )));
        }
        StatusCode::TOO_MANY_REQUESTS => {
            return Some(ExchangeError::RateLimited {
                message: format!("coinbase HTTP 429: {}", excerpt(body)),
                retry_after: None,
            });
        }
        _ => {}
    }
    match parsed {
        Some(body) if !(body.error.is_empty() && body.message.is_empty()) => {
            Some(by_generic_code(status, &body))
        }
        _ => None,
    }
}

/// The full verdict on a response to a request of `kind` (`what` = `METHOD /path`): the venue's
/// error ([`map_error`]) through the shared status rules (429 → rate limited, an order's 5xx →
/// [`ExchangeError::UnknownOrderStatus`], ...). `None` is a success.
pub fn classify_response(
    status: StatusCode,
    body: &[u8],
    kind: RequestKind,
    what: &str,
    retry_after: Option<Duration>,
) -> Option<ExchangeError> {
    response_error(status, kind, what, map_error(status, body), retry_after)
}

/// A WebSocket `{"type":"error","message":…}` → error: authentication failures (which the venue
/// also answers to unknown channel names) are [`ExchangeError::Authentication`].
pub fn map_ws_error(message: &str) -> ExchangeError {
    let lower = message.to_ascii_lowercase();
    if lower.contains("auth") || lower.contains("jwt") {
        ExchangeError::Authentication(format!("coinbase websocket: {message}"))
    } else if lower.contains("rate") || lower.contains("too many") {
        ExchangeError::RateLimited {
            message: format!("coinbase websocket: {message}"),
            retry_after: None,
        }
    } else {
        ExchangeError::InvalidResponse(format!("coinbase websocket: {message}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind as K;

    #[test]
    fn cancel_failures_and_ws_errors() {
        assert_eq!(
            map_cancel_failure("UNKNOWN_CANCEL_ORDER", "x").kind(),
            K::OrderNotFound
        );
        assert_eq!(
            map_cancel_failure("UNKNOWN_CANCEL_FAILURE_REASON", "x").kind(),
            K::UnknownOrderStatus
        );
        assert_eq!(
            map_ws_error("authentication failure").kind(),
            K::Authentication
        );
        assert_eq!(
            map_ws_error("failure to subscribe").kind(),
            K::InvalidResponse
        );
    }

    #[test]
    fn statuses_decide_first() {
        let s = |c| StatusCode::from_u16(c).unwrap();
        assert_eq!(
            map_error(s(401), b"Unauthorized").unwrap().kind(),
            K::Authentication
        );
        assert_eq!(map_error(s(403), b"").unwrap().kind(), K::Permission);
        assert_eq!(
            map_error(s(429), b"slow down").unwrap().kind(),
            K::RateLimited
        );
        assert!(map_error(s(200), br#"{"success":true,"success_response":{}}"#).is_none());
        assert!(map_error(s(200), br#"{"products":[]}"#).is_none());
        assert!(map_error(s(502), b"<html>bad gateway</html>").is_none());
        let order = classify_response(s(503), b"", RequestKind::Order, "POST /orders", None);
        assert_eq!(order.unwrap().kind(), K::UnknownOrderStatus);
        let query = classify_response(s(503), b"", RequestKind::Query, "GET /products", None);
        assert_eq!(query.unwrap().kind(), K::ExchangeUnavailable);
    }
}
