//! The v2 session protocol: frames we send, and recorded frames classified (table tests on
//! `kraken_ws_v2_session_frames.jsonl`, `kraken_ws_v2_subscribe_error_and_update.jsonl` and the
//! executions captures).

use exchange_core::adapters::kraken::ws::{WsChannel, WsMessage, parse_status};
use exchange_core::adapters::kraken::{KrakenWsProtocol, WsKey};
use exchange_core::session::{Frame, Inbound, SessionProtocol};
use serde_json::{Value, json};

use super::lines;

fn classify(p: &KrakenWsProtocol, text: &str) -> Inbound<WsKey, WsMessage> {
    p.classify(Frame::Text(text))
}

fn book(depth: u32, symbol: &str) -> WsKey {
    WsKey::new(WsChannel::Book { depth }, symbol)
}

#[test]
fn recorded_session_frames_classify() {
    let l = lines("kraken_ws_v2_session_frames.jsonl");
    let p = KrakenWsProtocol::new();
    assert_eq!(classify(&p, &l[0]), Inbound::Ignore, "status");
    assert_eq!(
        classify(&p, &l[1]),
        Inbound::Ack(vec![book(10, "BTC/USD")]),
        "per-symbol subscribe ack"
    );
    assert_eq!(classify(&p, &l[2]), Inbound::Heartbeat);
    let status = parse_status(&l[0]).unwrap();
    assert_eq!(status.data[0].connection_id, 3_874_220_236_022_742_727);
    assert_eq!(status.data[0].version, "2.0.10");
    assert!(status.data[0].system.is_online());
    assert!(parse_status(&l[2]).is_none());
}

#[test]
fn a_refused_depth_ends_the_requested_subscription() {
    let l = lines("kraken_ws_v2_subscribe_error_and_update.jsonl");
    let p = KrakenWsProtocol::new();
    let key = book(27, "BTC/USD");
    let frames = p.subscribe_frames(std::slice::from_ref(&key)).unwrap();
    // Our request is the recorded one plus a req_id.
    let mut ours: Value = serde_json::from_str(&frames[0]).unwrap();
    let recorded: Value = serde_json::from_str(&l[0]).unwrap();
    assert!(ours["req_id"].is_u64());
    ours.as_object_mut().unwrap().remove("req_id");
    assert_eq!(ours, recorded);
    // The recorded refusal carries no req_id: it answers the oldest pending request.
    match classify(&p, &l[1]) {
        Inbound::Error { keys, message } => {
            assert_eq!(keys, vec![key]);
            assert!(
                message.contains("Subscription depth not supported"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    let status = parse_status(&l[2]).unwrap();
    assert_eq!(status.data[0].connection_id, 15_113_583_034_416_118_705);
    assert_eq!(classify(&p, &l[2]), Inbound::Ignore);
    // The book update routes to the book key of its symbol at the subscribed depth.
    p.subscribe_frames(&[book(25, "BTC/USD")]).unwrap();
    match classify(&p, &l[3]) {
        Inbound::Data(items) => {
            assert_eq!(items.len(), 1);
            assert_eq!(items[0].0, book(25, "BTC/USD"));
            let WsMessage::Book(m) = &items[0].1 else {
                panic!()
            };
            assert_eq!(m.data.checksum, 4_249_465_476);
            assert_eq!(m.data.asks[0].price.text(), "62807.0");
            assert_eq!(m.data.asks[0].qty.text(), "0.00000000");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn frames_we_send() {
    let p = KrakenWsProtocol::new();
    let frames = p
        .subscribe_frames(&[
            book(10, "BTC/USD"),
            book(10, "ETH/USD"),
            WsKey::new(WsChannel::Ohlc { interval: 5 }, "BTC/USD"),
        ])
        .unwrap();
    let frames: Vec<Value> = frames
        .iter()
        .map(|f| serde_json::from_str(f).unwrap())
        .collect();
    assert_eq!(frames.len(), 2, "one frame per channel and parameters");
    assert_eq!(
        frames[0]["params"],
        json!({"channel":"book","symbol":["BTC/USD","ETH/USD"],"depth":10,"snapshot":true})
    );
    assert_eq!(frames[0]["method"], "subscribe");
    assert_eq!(
        frames[1]["params"],
        json!({"channel":"ohlc","symbol":["BTC/USD"],"interval":5,"snapshot":true})
    );
    assert_ne!(frames[0]["req_id"], frames[1]["req_id"]);
    let unsub: Value =
        serde_json::from_str(&p.unsubscribe_frames(&[book(10, "ETH/USD")]).unwrap()[0]).unwrap();
    assert_eq!(unsub["method"], "unsubscribe");
    assert_eq!(
        unsub["params"],
        json!({"channel":"book","symbol":["ETH/USD"],"depth":10})
    );
    let ping: Value = serde_json::from_str(&p.app_ping().unwrap()).unwrap();
    assert_eq!(ping["method"], "ping");
    assert!(ping["req_id"].is_u64());
    assert_eq!(
        classify(
            &p,
            r#"{"method":"pong","req_id":101,"time_in":"2023-09-24T14:10:23.799685Z","time_out":"2023-09-24T14:10:23.799703Z"}"#
        ),
        Inbound::Pong
    );
}

#[test]
fn executions_need_a_token_that_never_leaks() {
    let p = KrakenWsProtocol::new();
    let err = p.subscribe_frames(&[WsKey::executions()]).unwrap_err();
    assert_eq!(err.kind(), exchange_core::ErrorKind::Authentication);
    p.set_token("secret-token-123".into());
    let frame: Value =
        serde_json::from_str(&p.subscribe_frames(&[WsKey::executions()]).unwrap()[0]).unwrap();
    assert_eq!(frame["params"]["channel"], "executions");
    assert_eq!(frame["params"]["token"], "secret-token-123");
    assert_eq!(frame["params"]["snap_orders"], true);
    assert!(!format!("{p:?}").contains("secret-token-123"));
}

#[test]
fn executions_and_trading_responses_route_to_the_executions_key() {
    let p = KrakenWsProtocol::new();
    for line in lines("kraken_ws_v2_executions_lifecycle.jsonl")
        .iter()
        .chain(&lines("kraken_ws_v2_executions_trades_snapshot.jsonl"))
    {
        match classify(&p, line) {
            Inbound::Data(items) => {
                assert_eq!(items.len(), 1);
                assert_eq!(items[0].0, WsKey::executions());
                assert!(matches!(items[0].1, WsMessage::Executions(_)));
            }
            other => panic!("{other:?}"),
        }
    }
    let response = r#"{"method":"add_order","req_id":99,"success":false,"error":"EOrder:Insufficient funds","time_in":"2026-05-05T10:00:00.123Z","time_out":"2026-05-05T10:00:00.125Z"}"#;
    match classify(&p, response) {
        Inbound::Data(items) => {
            assert_eq!(items[0].0, WsKey::executions());
            let WsMessage::MethodResponse(r) = &items[0].1 else {
                panic!()
            };
            assert_eq!(r.req_id, Some(99));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        classify(&p, "not json"),
        Inbound::Undecodable { .. }
    ));
}
