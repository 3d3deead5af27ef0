//! Every body of `kraken_error_bodies.json` maps to its taxonomy variant.

use exchange_core::ErrorKind as K;
use exchange_core::adapters::kraken::errors::map_body;
use exchange_core::adapters::kraken::parse::ws_frames::MethodResponse;
use exchange_core::adapters::kraken::parse::{from_json, parse_result};
use serde_json::Value;

use super::fixture;

#[test]
fn every_error_body_maps_to_its_kind() {
    let v: Value = serde_json::from_str(&fixture("kraken_error_bodies.json")).unwrap();
    let bodies: Vec<&str> = v["bodies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["body"].as_str().unwrap())
        .collect();
    let expected = [
        ("EGeneral:Permission denied", K::Permission),
        ("EAPI:Invalid key", K::Authentication),
        ("EQuery:Unknown asset pair", K::BadSymbol),
        ("EGeneral:Invalid arguments:type", K::InvalidOrder),
        ("EAPI:Invalid nonce", K::Authentication),
        ("EAPI:Invalid signature", K::Authentication),
        ("EOrder:Insufficient funds", K::InsufficientFunds),
        ("EAPI:Rate limit exceeded", K::RateLimited),
        ("EOrder:Rate limit exceeded", K::RateLimited),
        ("EService: Throttled: 1700000000", K::RateLimited),
        ("EOrder:Unknown order", K::OrderNotFound),
        ("EService:Unavailable", K::ExchangeUnavailable),
        ("EGeneral:Temporary lockout", K::RateLimited),
    ];
    assert_eq!(bodies.len(), expected.len() + 1, "one WS body at the end");
    for (body, (text, kind)) in bodies.iter().zip(expected) {
        assert!(body.contains(text), "{body} vs {text}");
        let err = map_body(body.as_bytes()).unwrap_or_else(|| panic!("{body} is an error"));
        assert_eq!(err.kind(), kind, "{body}");
        assert!(err.to_string().contains(text), "{err}");
        let via_envelope = parse_result::<Value>("test", body).unwrap_err();
        assert_eq!(via_envelope.kind(), kind, "{body}");
    }
    assert!(map_body(bodies[7].as_bytes()).unwrap().is_retryable());
    assert!(!map_body(bodies[1].as_bytes()).unwrap().is_retryable());

    let ws: MethodResponse = from_json("ws", bodies[13]).unwrap();
    assert_eq!(ws.method, "add_order");
    assert_eq!(ws.req_id, Some(99));
    assert_eq!(ws.error().unwrap().kind(), K::InsufficientFunds);
}
