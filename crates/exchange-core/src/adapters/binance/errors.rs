//! Binance errors (§7) → [`ExchangeError`].
//!
//! REST failures are an HTTP status plus, usually, a body `{"code":-1121,"msg":"Invalid symbol."}`;
//! the WebSocket API sends `{"id":…,"status":400,"error":{"code":…,"msg":…,"data"?:{…}}}`. Codes are
//! stable, messages vary, so the code decides and the message refines only where Binance reuses
//! one code for several causes (`-1013` filter failures, `-2010`/`-2011` engine messages).
//!
//! Rules an order gateway depends on:
//! - **5xx means the execution status is unknown** (rest-api.md): for place and cancel
//!   ([`RequestKind::Order`]) it maps to [`ExchangeError::UnknownOrderStatus`], as do
//!   `-1007 TIMEOUT` and the other "status unknown" codes; the caller reconciles by querying the
//!   order by client order id. For other requests they are [`ExchangeError::Timeout`] or
//!   [`ExchangeError::ExchangeUnavailable`], which the REST client's own classification
//!   ([`crate::rest::classify`]) also turns into unknown status on order requests.
//! - 429, 418 (IP ban), `-1003` and `-1015` are [`ExchangeError::RateLimited`] with the
//!   `Retry-After` the venue gave (REST header, or WS-API `data.retryAfter - data.serverTime`).

use std::time::Duration;

use serde::Deserialize;

use crate::ExchangeError;
use crate::model::InvalidOrderReason as R;
pub use crate::rest::RequestKind;

/// A Binance error body: `{"code":-2013,"msg":"Order does not exist."}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiError {
    /// Negative Binance error code.
    pub code: i64,
    /// Human-readable message (wording varies; do not match on it unless documented).
    pub msg: String,
    /// WS-API extra data (`serverTime`, `retryAfter`), present on 418/429.
    #[serde(default)]
    pub data: Option<ApiErrorData>,
}

/// The `data` object of a WS-API error:
/// `{"serverTime":1659142907531,"retryAfter":1659146400000}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiErrorData {
    /// Server time when the error was produced, ms.
    pub server_time: Option<i64>,
    /// When the ban or limit lifts, ms since the epoch.
    pub retry_after: Option<i64>,
}

impl ApiError {
    /// Whether this is `-1021 INVALID_TIMESTAMP`: resynchronize the
    /// [`ServerClock`](crate::clock::ServerClock) before retrying.
    pub fn is_timestamp_error(&self) -> bool {
        self.code == -1021
    }

    /// How long the WS-API asked us to wait (`retryAfter - serverTime`), when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        let data = self.data?;
        let wait = data.retry_after?.checked_sub(data.server_time?)?;
        u64::try_from(wait).ok().map(Duration::from_millis)
    }
}

/// Maps a failed REST response: its HTTP `status`, raw `body` and `Retry-After` header.
pub fn map_rest_error(
    status: u16,
    body: &str,
    retry_after: Option<Duration>,
    kind: RequestKind,
) -> ExchangeError {
    let parsed = serde_json::from_str::<ApiError>(body).ok();
    map_error(status, parsed.as_ref(), retry_after, kind)
}

/// Maps a WS-API error response (`status` and `error` of the response envelope).
pub fn map_wsapi_error(status: u16, error: &ApiError, kind: RequestKind) -> ExchangeError {
    map_error(status, Some(error), error.retry_after(), kind)
}

/// Maps an HTTP-like status and an optional Binance error body.
pub fn map_error(
    status: u16,
    error: Option<&ApiError>,
    retry_after: Option<Duration>,
    kind: RequestKind,
) -> ExchangeError {
    let text = match error {
        Some(e) => format!("binance {}: {}", e.code, e.msg),
        None => format!("binance HTTP {status}"),
    };
    match status {
        418 => {
            return ExchangeError::RateLimited {
                message: format!("IP banned (HTTP 418): {text}"),
                retry_after,
            };
        }
        429 => {
            return ExchangeError::RateLimited {
                message: text,
                retry_after,
            };
        }
        500..=599 => return unknown_outcome(text, retry_after, kind, false),
        _ => {}
    }
    match error {
        Some(e) => map_code(e, text, status, retry_after, kind),
        None => map_status_only(status, text, retry_after, kind),
    }
}

fn unknown_outcome(
    text: String,
    retry_after: Option<Duration>,
    kind: RequestKind,
    timeout: bool,
) -> ExchangeError {
    match kind {
        RequestKind::Order => ExchangeError::UnknownOrderStatus(text),
        RequestKind::Query | RequestKind::Write if timeout => ExchangeError::Timeout(text),
        RequestKind::Query | RequestKind::Write => ExchangeError::ExchangeUnavailable {
            message: text,
            retry_after,
        },
    }
}

fn map_status_only(
    status: u16,
    text: String,
    retry_after: Option<Duration>,
    kind: RequestKind,
) -> ExchangeError {
    match status {
        401 => ExchangeError::Authentication(text),
        403 => ExchangeError::Permission(format!("{text} (WAF limit violated)")),
        408 => unknown_outcome(text, retry_after, kind, true),
        503 => ExchangeError::ExchangeUnavailable {
            message: text,
            retry_after,
        },
        _ => ExchangeError::InvalidResponse(text),
    }
}

fn map_code(
    e: &ApiError,
    text: String,
    status: u16,
    retry_after: Option<Duration>,
    kind: RequestKind,
) -> ExchangeError {
    match e.code {
        -1003 | -1015 => ExchangeError::RateLimited {
            message: text,
            retry_after,
        },
        // UNKNOWN, DISCONNECTED, UNEXPECTED_RESP, TIMEOUT: execution status unknown.
        -1000 | -1001 | -1006 => unknown_outcome(text, retry_after, kind, false),
        -1007 => unknown_outcome(text, retry_after, kind, true),
        -1008 | -1016 => ExchangeError::ExchangeUnavailable {
            message: text,
            retry_after,
        },
        -1002 => ExchangeError::Permission(text),
        -1021 | -1022 | -2014 | -2015 => ExchangeError::Authentication(text),
        -1013 => ExchangeError::invalid_order(filter_reason(&e.msg), text),
        -1115 => ExchangeError::invalid_order(R::TimeInForce, text),
        -1121 => ExchangeError::BadSymbol(text),
        -2010 => engine_rejection(&e.msg, text)
            .unwrap_or_else(|text| ExchangeError::invalid_order(R::VenueRejected, text)),
        -2011 => engine_rejection(&e.msg, text).unwrap_or_else(ExchangeError::OrderNotFound),
        -2013 | -2026 => ExchangeError::OrderNotFound(text),
        -2019 => ExchangeError::InsufficientFunds(text),
        -4164 => ExchangeError::invalid_order(R::MinNotional, text),
        -1199..=-1100 if kind == RequestKind::Order => {
            ExchangeError::invalid_order(R::VenueRejected, text)
        }
        _ if status == 401 => ExchangeError::Authentication(text),
        _ if kind == RequestKind::Order && (400..500).contains(&status) => {
            ExchangeError::invalid_order(R::VenueRejected, text)
        }
        _ => ExchangeError::InvalidResponse(text),
    }
}

/// The matching-engine messages documented for `-2010`/`-2011` (errors.md "Messages for -1010
/// ERROR_MSG_RECEIVED, -2010 NEW_ORDER_REJECTED, and -2011 CANCEL_REJECTED"). `Err` hands the
/// text back when the message is none of them.
fn engine_rejection(msg: &str, text: String) -> Result<ExchangeError, String> {
    let m = msg.trim();
    Ok(if m.contains("insufficient balance") {
        ExchangeError::InsufficientFunds(text)
    } else if m == "Order would immediately match and take." {
        ExchangeError::invalid_order(R::PostOnlyWouldTake, text)
    } else if m == "Duplicate order sent." {
        ExchangeError::invalid_order(R::DuplicateClientOrderId, text)
    } else if m == "Market is closed." {
        ExchangeError::invalid_order(R::MarketClosed, text)
    } else if m == "Unknown order sent." {
        ExchangeError::OrderNotFound(text)
    } else if m == "Order was not canceled due to cancel restrictions." {
        ExchangeError::invalid_order(R::VenueRejected, text)
    } else {
        return Err(text);
    })
}

/// The invalid-order reason of a `-1013` message `Filter failure: <FILTER>` (errors.md "Filter
/// failures"); other `-1013` messages are [`R::VenueRejected`].
pub fn filter_reason(msg: &str) -> R {
    let Some(filter) = msg.trim().strip_prefix("Filter failure:") else {
        return R::VenueRejected;
    };
    match filter.trim() {
        "PRICE_FILTER" => R::TickSize,
        "LOT_SIZE" | "MARKET_LOT_SIZE" => R::LotSize,
        "MIN_NOTIONAL" | "NOTIONAL" => R::MinNotional,
        _ => R::VenueRejected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn rest(status: u16, body: &str, kind: RequestKind) -> ExchangeError {
        map_rest_error(status, body, None, kind)
    }

    #[test]
    fn five_hundreds_are_unknown_for_orders_and_unavailable_for_queries() {
        let e = rest(502, "<html>Bad Gateway</html>", RequestKind::Order);
        assert_eq!(e.kind(), ErrorKind::UnknownOrderStatus);
        let e = rest(500, "", RequestKind::Query);
        assert_eq!(e.kind(), ErrorKind::ExchangeUnavailable);
        let e = rest(
            400,
            r#"{"code":-1007,"msg":"Timeout waiting for response from backend server. Send status unknown; execution status unknown."}"#,
            RequestKind::Order,
        );
        assert_eq!(e.kind(), ErrorKind::UnknownOrderStatus);
        let e = rest(400, r#"{"code":-1007,"msg":"Timeout"}"#, RequestKind::Query);
        assert_eq!(e.kind(), ErrorKind::Timeout);
    }

    #[test]
    fn rate_limits_keep_retry_after() {
        let e = map_rest_error(
            429,
            r#"{"code":-1015,"msg":"Too many new orders."}"#,
            Some(Duration::from_secs(7)),
            RequestKind::Order,
        );
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
        let e = map_rest_error(418, "", Some(Duration::from_secs(120)), RequestKind::Query);
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(120)));
    }

    #[test]
    fn filter_failures_name_their_reason() {
        assert_eq!(filter_reason("Filter failure: PRICE_FILTER"), R::TickSize);
        assert_eq!(filter_reason("Filter failure: LOT_SIZE"), R::LotSize);
        assert_eq!(
            filter_reason("Filter failure: MIN_NOTIONAL"),
            R::MinNotional
        );
        assert_eq!(
            filter_reason("Filter failure: PERCENT_PRICE"),
            R::VenueRejected
        );
        assert_eq!(filter_reason("Invalid quantity."), R::VenueRejected);
    }

    #[test]
    fn engine_messages_refine_2010() {
        let e = rest(
            400,
            r#"{"code":-2010,"msg":"Order would immediately match and take."}"#,
            RequestKind::Order,
        );
        assert_eq!(e.reason_code(), "post_only_would_take");
        let e = rest(
            400,
            r#"{"code":-2010,"msg":"Duplicate order sent."}"#,
            RequestKind::Order,
        );
        assert_eq!(e.reason_code(), "duplicate_client_order_id");
        let e = rest(
            400,
            r#"{"code":-2010,"msg":"Order would trigger immediately."}"#,
            RequestKind::Order,
        );
        assert_eq!(e.reason_code(), "venue_rejected");
    }

    #[test]
    fn status_only_failures() {
        assert_eq!(
            rest(403, "", RequestKind::Query).kind(),
            ErrorKind::Permission
        );
        assert_eq!(
            rest(401, "", RequestKind::Query).kind(),
            ErrorKind::Authentication
        );
        assert_eq!(
            rest(408, "", RequestKind::Order).kind(),
            ErrorKind::UnknownOrderStatus
        );
        assert_eq!(
            rest(400, "nope", RequestKind::Query).kind(),
            ErrorKind::InvalidResponse
        );
    }
}
