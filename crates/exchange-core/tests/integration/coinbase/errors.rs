//! Every documented error body maps to its error kind.

use exchange_core::ErrorKind;
use exchange_core::adapters::coinbase::errors::{classify_response, map_error, map_ws_error};
use exchange_core::adapters::coinbase::parse::create::CreateOrderResponse;
use exchange_core::adapters::coinbase::parse::from_json;
use exchange_core::rest::RequestKind;
use reqwest::StatusCode;
use serde::Deserialize;

use super::fixture;

#[derive(Deserialize)]
struct Catalogue {
    bodies: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    meaning: String,
    http: u16,
    body: String,
}

#[test]
fn catalogue_bodies_map_to_their_kinds() {
    let cat: Catalogue = serde_json::from_str(&fixture("coinbase_error_bodies.json")).unwrap();
    let expected = [
        (
            "order not found (GET orders/historical/{id})",
            ErrorKind::OrderNotFound,
            "order_not_found",
        ),
        (
            "order not found (variant)",
            ErrorKind::OrderNotFound,
            "order_not_found",
        ),
        (
            "insufficient funds on create order",
            ErrorKind::InsufficientFunds,
            "insufficient_funds",
        ),
        (
            "post-only would cross",
            ErrorKind::InvalidOrder,
            "post_only_would_take",
        ),
        (
            "missing API key scopes",
            ErrorKind::Permission,
            "permission",
        ),
        (
            "timestamp/JWT expired on legacy v2 endpoints",
            ErrorKind::Authentication,
            "authentication",
        ),
    ];
    assert_eq!(cat.bodies.len(), expected.len());
    for (entry, (meaning, kind, code)) in cat.bodies.iter().zip(expected) {
        assert_eq!(entry.meaning, meaning);
        let status = StatusCode::from_u16(entry.http).unwrap();
        let e = map_error(status, entry.body.as_bytes())
            .unwrap_or_else(|| panic!("{meaning}: no error"));
        assert_eq!((e.kind(), e.reason_code()), (kind, code), "{meaning}: {e}");
    }
}

#[test]
fn insufficient_fund_create_order_fixture() {
    let body = fixture("coinbase_create_order_error_insufficient_fund.json");
    let r: CreateOrderResponse = from_json("create order", &body).unwrap();
    assert!(!r.success);
    let e = r.clone().into_result().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InsufficientFunds);
    assert!(
        e.to_string()
            .contains("Insufficient balance in source account"),
        "{e}"
    );
    let resp = r.error_response.unwrap();
    assert_eq!(resp.error, "INSUFFICIENT_FUND");
    assert_eq!(resp.preview_failure_reason, "PREVIEW_INSUFFICIENT_FUND");
    // The REST hook sees the same body with HTTP 200 and reports it as an error too.
    let hooked = map_error(StatusCode::OK, body.as_bytes()).unwrap();
    assert_eq!(hooked.kind(), ErrorKind::InsufficientFunds);
}

#[test]
fn plain_text_unauthorized_rate_limits_and_order_5xx() {
    for (status, kind, body, expected) in [
        (
            401,
            RequestKind::Query,
            "Unauthorized",
            ErrorKind::Authentication,
        ),
        (
            401,
            RequestKind::Order,
            "Unauthorized\n",
            ErrorKind::Authentication,
        ),
        (
            429,
            RequestKind::Query,
            "Too Many Requests",
            ErrorKind::RateLimited,
        ),
        (429, RequestKind::Order, "", ErrorKind::RateLimited),
        (500, RequestKind::Order, "", ErrorKind::UnknownOrderStatus),
        (
            503,
            RequestKind::Order,
            r#"{"error":"UNAVAILABLE","message":"try later"}"#,
            ErrorKind::UnknownOrderStatus,
        ),
        (
            502,
            RequestKind::Query,
            "<html>",
            ErrorKind::ExchangeUnavailable,
        ),
        (403, RequestKind::Query, "", ErrorKind::Permission),
        (
            404,
            RequestKind::Query,
            r#"{"error":"NOT_FOUND","error_details":"order with this orderID was not found","message":"order with this orderID was not found"}"#,
            ErrorKind::OrderNotFound,
        ),
    ] {
        let s = StatusCode::from_u16(status).unwrap();
        let e = classify_response(
            s,
            body.as_bytes(),
            kind,
            "POST /api/v3/brokerage/orders",
            None,
        )
        .unwrap_or_else(|| panic!("{status} {body:?}: no error"));
        assert_eq!(e.kind(), expected, "{status} {kind:?} {body:?}: {e}");
    }
    assert!(
        classify_response(
            StatusCode::OK,
            b"{\"products\":[]}",
            RequestKind::Query,
            "GET /p",
            None
        )
        .is_none()
    );
}

#[test]
fn ws_error_fixture_is_an_authentication_error() {
    let text = fixture("coinbase_ws_error.json");
    let msg: serde_json::Value = serde_json::from_str(&text).unwrap();
    let e = map_ws_error(msg["message"].as_str().unwrap());
    assert_eq!(e.kind(), ErrorKind::Authentication);
}
