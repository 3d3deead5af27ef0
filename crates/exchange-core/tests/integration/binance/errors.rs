//! Every body of `binance_error_bodies.json` and the WS-API error doc examples → its taxonomy
//! variant.

use std::time::Duration;

use exchange_core::adapters::binance::errors::{ApiError, RequestKind, map_rest_error};
use exchange_core::adapters::binance::parse::envelope::WsApiResponse;
use exchange_core::{ErrorKind, ExchangeError};
use serde_json::Value;

use super::fixture;

/// (code, message, request kind, expected kind, expected reason code).
const TABLE: &[(i64, &str, RequestKind, ErrorKind, &str)] = &[
    (
        -1021,
        "Timestamp for this request is outside of the recvWindow.",
        RequestKind::Order,
        ErrorKind::Authentication,
        "authentication",
    ),
    (
        -1021,
        "Timestamp for this request was 1000ms ahead of the server's time.",
        RequestKind::Query,
        ErrorKind::Authentication,
        "authentication",
    ),
    (
        -1022,
        "Signature for this request is not valid.",
        RequestKind::Query,
        ErrorKind::Authentication,
        "authentication",
    ),
    (
        -2013,
        "Order does not exist.",
        RequestKind::Query,
        ErrorKind::OrderNotFound,
        "order_not_found",
    ),
    (
        -2010,
        "Account has insufficient balance for requested action.",
        RequestKind::Order,
        ErrorKind::InsufficientFunds,
        "insufficient_funds",
    ),
    (
        -2011,
        "Unknown order sent.",
        RequestKind::Order,
        ErrorKind::OrderNotFound,
        "order_not_found",
    ),
    (
        -2011,
        "Order was not canceled due to cancel restrictions.",
        RequestKind::Order,
        ErrorKind::InvalidOrder,
        "venue_rejected",
    ),
    (
        -1121,
        "Invalid symbol.",
        RequestKind::Query,
        ErrorKind::BadSymbol,
        "bad_symbol",
    ),
    (
        -1003,
        "Too much request weight used; current limit is %s request weight per %s. Please use WebSocket Streams for live updates to avoid polling the API.",
        RequestKind::Query,
        ErrorKind::RateLimited,
        "rate_limited",
    ),
    (
        -2015,
        "Invalid API-key, IP, or permissions for action.",
        RequestKind::Query,
        ErrorKind::Authentication,
        "authentication",
    ),
    (
        -1013,
        "Filter failure: NOTIONAL",
        RequestKind::Order,
        ErrorKind::InvalidOrder,
        "min_notional",
    ),
    (
        -2019,
        "Margin is insufficient.",
        RequestKind::Order,
        ErrorKind::InsufficientFunds,
        "insufficient_funds",
    ),
    (
        -4164,
        "Order notional is too small.",
        RequestKind::Order,
        ErrorKind::InvalidOrder,
        "min_notional",
    ),
];

#[test]
fn every_catalogued_body_maps_to_its_variant() {
    let catalogue: Value = serde_json::from_str(&fixture("binance_error_bodies.json")).unwrap();
    let bodies = catalogue["bodies"].as_array().unwrap();
    assert_eq!(bodies.len(), TABLE.len(), "every catalogued body has a row");
    for entry in bodies {
        let body = entry["body"].as_str().unwrap();
        let status = u16::try_from(entry["http"].as_u64().unwrap()).unwrap();
        let parsed: ApiError = serde_json::from_str(body).unwrap();
        let (_, _, request, kind, reason) = TABLE
            .iter()
            .find(|(code, msg, ..)| *code == parsed.code && *msg == parsed.msg)
            .unwrap_or_else(|| panic!("no row for {body}"));
        let retry = (status == 429).then(|| Duration::from_secs(30));
        let err = map_rest_error(status, body, retry, *request);
        assert_eq!(err.kind(), *kind, "{body}");
        assert_eq!(err.reason_code(), *reason, "{body}");
        assert!(err.to_string().contains(&parsed.code.to_string()), "{err}");
        if status == 429 {
            assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
        }
    }
}

#[test]
fn wsapi_insufficient_balance_maps_to_insufficient_funds() {
    let text = fixture("binance_wsapi_error_insufficient_balance_doc_example.json");
    let resp: WsApiResponse<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(resp.status, 400);
    assert_eq!(resp.id, "e2a85d9f-07a5-4f94-8d5f-789dc3deb097");
    assert_eq!(resp.rate_limits.len(), 3);
    assert_eq!(resp.rate_limits[0].rate_limit_type, "ORDERS");
    assert_eq!(resp.rate_limits[0].interval_num, 10);
    assert_eq!(resp.rate_limits[0].limit, 50);
    assert_eq!(resp.rate_limits[0].count, Some(13));
    assert_eq!(resp.rate_limits[2].count, Some(322));
    let err = resp.into_result(RequestKind::Order).unwrap_err();
    assert!(
        matches!(err, ExchangeError::InsufficientFunds(_)),
        "{err:?}"
    );
}

#[test]
fn wsapi_ip_ban_is_rate_limited_until_retry_after() {
    let text = fixture("binance_wsapi_error_ip_banned_418_doc_example.json");
    let resp: WsApiResponse<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(resp.status, 418);
    let err = resp.into_result(RequestKind::Query).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    // retryAfter 1659146400000 - serverTime 1659142907531 = 3492469 ms.
    assert_eq!(err.retry_after(), Some(Duration::from_millis(3_492_469)));
    assert!(err.is_retryable());
}

/// Every code of binance.md §7, with its HTTP status and the request kind it matters for.
#[test]
fn every_documented_code_has_its_kind() {
    use RequestKind::{Order as O, Query as Q};
    let table: &[(u16, i64, &str, RequestKind, ErrorKind, &str)] = &[
        (
            429,
            -1003,
            "Too much request weight used",
            Q,
            ErrorKind::RateLimited,
            "rate_limited",
        ),
        (
            418,
            -1003,
            "Way too much request weight used; IP banned until 1659146400000.",
            Q,
            ErrorKind::RateLimited,
            "rate_limited",
        ),
        (
            400,
            -1007,
            "Timeout waiting for response from backend server.",
            O,
            ErrorKind::UnknownOrderStatus,
            "unknown_order_status",
        ),
        (
            400,
            -1013,
            "Filter failure: LOT_SIZE",
            O,
            ErrorKind::InvalidOrder,
            "lot_size",
        ),
        (
            400,
            -1013,
            "Filter failure: PRICE_FILTER",
            O,
            ErrorKind::InvalidOrder,
            "tick_size",
        ),
        (
            429,
            -1015,
            "Too many new orders; current limit is 50 orders per 10 SECOND.",
            O,
            ErrorKind::RateLimited,
            "rate_limited",
        ),
        (
            400,
            -1021,
            "Timestamp for this request is outside of the recvWindow.",
            O,
            ErrorKind::Authentication,
            "authentication",
        ),
        (
            400,
            -1022,
            "Signature for this request is not valid.",
            O,
            ErrorKind::Authentication,
            "authentication",
        ),
        (
            400,
            -1102,
            "Mandatory parameter 'price' was not sent.",
            O,
            ErrorKind::InvalidOrder,
            "venue_rejected",
        ),
        (
            400,
            -1104,
            "Not all sent parameters were read.",
            O,
            ErrorKind::InvalidOrder,
            "venue_rejected",
        ),
        (
            400,
            -1106,
            "Parameter 'price' sent when not required.",
            Q,
            ErrorKind::InvalidResponse,
            "invalid_response",
        ),
        (
            400,
            -1121,
            "Invalid symbol.",
            Q,
            ErrorKind::BadSymbol,
            "bad_symbol",
        ),
        (
            400,
            -2010,
            "Account has insufficient balance for requested action.",
            O,
            ErrorKind::InsufficientFunds,
            "insufficient_funds",
        ),
        (
            400,
            -2010,
            "Order would immediately match and take.",
            O,
            ErrorKind::InvalidOrder,
            "post_only_would_take",
        ),
        (
            400,
            -2010,
            "Duplicate order sent.",
            O,
            ErrorKind::InvalidOrder,
            "duplicate_client_order_id",
        ),
        (
            400,
            -2011,
            "Unknown order sent.",
            O,
            ErrorKind::OrderNotFound,
            "order_not_found",
        ),
        (
            400,
            -2013,
            "Order does not exist.",
            Q,
            ErrorKind::OrderNotFound,
            "order_not_found",
        ),
        (
            400,
            -2014,
            "API-key format invalid.",
            Q,
            ErrorKind::Authentication,
            "authentication",
        ),
        (
            401,
            -2015,
            "Invalid API-key, IP, or permissions for action.",
            Q,
            ErrorKind::Authentication,
            "authentication",
        ),
        (
            400,
            -2026,
            "Order was canceled or expired with no executed qty over 90 days ago and has been archived.",
            Q,
            ErrorKind::OrderNotFound,
            "order_not_found",
        ),
        (
            400,
            -2019,
            "Margin is insufficient.",
            O,
            ErrorKind::InsufficientFunds,
            "insufficient_funds",
        ),
        (
            400,
            -4164,
            "Order notional is too small.",
            O,
            ErrorKind::InvalidOrder,
            "min_notional",
        ),
        (
            503,
            -1008,
            "Server is currently overloaded with other requests.",
            O,
            ErrorKind::UnknownOrderStatus,
            "unknown_order_status",
        ),
    ];
    for (status, code, msg, kind, expected, reason) in table {
        let body = serde_json::json!({"code": code, "msg": msg}).to_string();
        let e = map_rest_error(*status, &body, None, *kind);
        assert_eq!(e.kind(), *expected, "{body}");
        assert_eq!(e.reason_code(), *reason, "{body}");
    }
}
