//! Recorded WebSocket frames: parsing, and classification by the session protocol.

use std::sync::Arc;

use exchange_core::adapters::coinbase::auth::JwtSigner;
use exchange_core::adapters::coinbase::parse::ws::{
    Channel, ChannelBody, WsMessage, parse_message,
};
use exchange_core::adapters::coinbase::protocol::{CoinbaseProtocol, StreamMessage, SubKey};
use exchange_core::session::{Frame, Inbound, SessionProtocol};

use super::fixture;

/// The live capture of one connection, in wire order: snapshot (0), acks (1, 2), heartbeat (3).
fn capture() -> Vec<String> {
    let mut frames = vec![fixture("coinbase_level2_snapshot.json").trim().to_owned()];
    frames.extend(
        fixture("coinbase_ws_subscriptions_ack.jsonl")
            .lines()
            .map(str::to_owned),
    );
    frames.push(fixture("coinbase_ws_heartbeats.json").trim().to_owned());
    frames
}

#[test]
fn recorded_frames_parse_into_their_channels() {
    let frames = capture();
    let expected: [(&str, u64, i64); 4] = [
        ("l2_data", 0, 1_788_746_278_894_355_000),
        ("subscriptions", 1, 1_788_824_242_278_662_782),
        ("subscriptions", 2, 1_788_824_242_278_739_877),
        ("heartbeats", 3, 1_788_824_242_675_755_362),
    ];
    for (frame, (channel, seq, ts)) in frames.iter().zip(expected) {
        let WsMessage::Channel(msg) = parse_message(frame).unwrap() else {
            panic!("{frame}");
        };
        assert_eq!(
            (msg.channel.as_str(), msg.sequence_num, msg.timestamp_ns),
            (channel, seq, ts)
        );
        match (&msg.body, channel) {
            (ChannelBody::Level2(events), "l2_data") => {
                assert_eq!(events.len(), 1);
                assert!(events[0].is_snapshot());
                assert_eq!(events[0].product_id, "BTC-PERP-INTX");
                assert_eq!(events[0].updates.len(), 4);
                assert_eq!(events[0].updates[0].side, "offer");
                assert_eq!(events[0].updates[0].price_level.to_string(), "79944.1");
                assert_eq!(events[0].updates[0].new_quantity.to_string(), "1.2");
            }
            (ChannelBody::Subscriptions(events), "subscriptions") => {
                assert_eq!(
                    events[0].subscriptions["level2"],
                    vec!["BTC-PERP-INTX".to_owned(), "ETH-PERP-INTX".to_owned()]
                );
            }
            (ChannelBody::Heartbeats(events), "heartbeats") => {
                assert_eq!(events[0].heartbeat_counter, 139_651);
                assert!(events[0].current_time.ends_with("m=+139651.272674714"));
            }
            (body, channel) => panic!("{channel}: {body:?}"),
        }
    }
    assert_eq!(
        parse_message(&fixture("coinbase_ws_error.json")).unwrap(),
        WsMessage::Error {
            message: "authentication failure".into()
        }
    );
    assert!(
        parse_message("{\"channel\":\"l2_data\"}").is_err(),
        "no sequence_num"
    );
    assert!(parse_message("not json").is_err());
}

fn l2(product: &str) -> SubKey {
    SubKey::new(Channel::Level2, product)
}

/// What a classification is, for table comparison.
fn shape(inbound: Inbound<SubKey, StreamMessage>) -> String {
    match inbound {
        Inbound::Data(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|(k, m)| {
                    let what = match m {
                        StreamMessage::Data(msg) => format!("data#{}", msg.sequence_num),
                        StreamMessage::SequenceGap { expected, received } => {
                            format!("gap {expected}->{received}")
                        }
                    };
                    format!(
                        "{}/{}:{what}",
                        k.channel.subscribe_name(),
                        k.product_id.as_deref().unwrap_or("-")
                    )
                })
                .collect();
            format!("data[{}]", parts.join(", "))
        }
        Inbound::Ack(keys) => format!(
            "ack[{}]",
            keys.iter()
                .map(|k| format!(
                    "{}/{}",
                    k.channel.subscribe_name(),
                    k.product_id.as_deref().unwrap_or("-")
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Inbound::Error { keys, message } => format!("error[{}] {message}", keys.len()),
        Inbound::Heartbeat => "heartbeat".into(),
        Inbound::Pong => "pong".into(),
        Inbound::ShutdownNotice => "shutdown".into(),
        Inbound::Ignore => "ignore".into(),
        Inbound::Undecodable { reason } => format!("undecodable {reason}"),
    }
}

#[test]
fn subscribe_frames_are_one_channel_per_message() {
    let p = CoinbaseProtocol::public();
    let frames = p
        .subscribe_frames(&[
            l2("BTC-PERP-INTX"),
            SubKey::heartbeats(),
            l2("ETH-PERP-INTX"),
        ])
        .unwrap();
    assert_eq!(
        frames,
        vec![
            r#"{"type":"subscribe","channel":"heartbeats"}"#.to_owned(),
            r#"{"type":"subscribe","product_ids":["BTC-PERP-INTX","ETH-PERP-INTX"],"channel":"level2"}"#.to_owned(),
        ]
    );
    assert_eq!(
        p.unsubscribe_frames(&[l2("ETH-PERP-INTX")]).unwrap(),
        vec![
            r#"{"type":"unsubscribe","product_ids":["ETH-PERP-INTX"],"channel":"level2"}"#
                .to_owned()
        ]
    );
    let user = SubKey::channel(Channel::User);
    assert_eq!(
        p.subscribe_frames(std::slice::from_ref(&user))
            .unwrap_err()
            .kind(),
        exchange_core::ErrorKind::Authentication
    );
}

#[test]
fn authenticated_subscribes_carry_a_fresh_ws_jwt() {
    let v: serde_json::Value =
        serde_json::from_str(&fixture("coinbase_jwt_test_vectors.json")).unwrap();
    let name = v["test_key_name"].as_str().unwrap();
    let signer = JwtSigner::new(name, v["ed25519"]["private_seed_b64"].as_str().unwrap()).unwrap();
    let p = CoinbaseProtocol::authenticated(Arc::new(signer)).with_clock(|| 1_700_000_000);
    let frames = p
        .subscribe_frames(&[SubKey::new(Channel::User, "BTC-USD")])
        .unwrap();
    let msg: serde_json::Value = serde_json::from_str(&frames[0]).unwrap();
    assert_eq!(msg["type"], "subscribe");
    assert_eq!(msg["channel"], "user");
    assert_eq!(msg["product_ids"][0], "BTC-USD");
    let jwt = msg["jwt"].as_str().unwrap();
    let again = p
        .subscribe_frames(&[SubKey::new(Channel::User, "BTC-USD")])
        .unwrap();
    assert_ne!(frames, again, "a fresh nonce per subscribe");
    let key = exchange_core::adapters::coinbase::auth::VerifyingKey::from_ed25519_base64(
        v["ed25519"]["public_key_b64"].as_str().unwrap(),
    )
    .unwrap();
    let verified = exchange_core::adapters::coinbase::auth::JwtVerifier::new()
        .with_key(name, key)
        .verify(jwt, 1_700_000_000, None)
        .unwrap();
    assert_eq!(verified.claims.uri, None);
}

#[test]
fn recorded_connection_classifies_frame_by_frame() {
    let p = CoinbaseProtocol::public();
    p.subscribe_frames(&[
        l2("BTC-PERP-INTX"),
        l2("ETH-PERP-INTX"),
        SubKey::heartbeats(),
    ])
    .unwrap();
    let frames = capture();
    let table = [
        "data[level2/BTC-PERP-INTX:data#0]",
        "ack[level2/BTC-PERP-INTX, level2/ETH-PERP-INTX]",
        "ack[heartbeats/-, level2/BTC-PERP-INTX, level2/ETH-PERP-INTX]",
        "heartbeat",
    ];
    for (frame, want) in frames.iter().zip(table) {
        assert_eq!(shape(p.classify(Frame::Text(frame))), want, "{frame}");
    }
    // Everything is acked: an error frame now concerns no pending subscription.
    let error = fixture("coinbase_ws_error.json");
    assert_eq!(
        shape(p.classify(Frame::Text(error.trim()))),
        "error[0] authentication failure"
    );
    assert_eq!(shape(p.classify(Frame::Binary(b"\x00"))), "ignore");
    assert!(shape(p.classify(Frame::Text("{]"))).starts_with("undecodable "));
}

#[test]
fn an_error_refuses_the_pending_subscription() {
    let p = CoinbaseProtocol::public();
    p.subscribe_frames(&[l2("BTC-PERP-INTX")]).unwrap();
    let frames = capture();
    p.classify(Frame::Text(&frames[0]));
    p.classify(Frame::Text(&frames[1]));
    p.subscribe_frames(&[SubKey::new(Channel::MarketTrades, "NOPE-USD")])
        .unwrap();
    match p.classify(Frame::Text(fixture("coinbase_ws_error.json").trim())) {
        Inbound::Error { keys, message } => {
            assert_eq!(keys, vec![SubKey::new(Channel::MarketTrades, "NOPE-USD")]);
            assert_eq!(message, "authentication failure");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_skipped_sequence_num_marks_every_data_stream_before_more_data() {
    let p = CoinbaseProtocol::public();
    p.subscribe_frames(&[
        l2("BTC-PERP-INTX"),
        l2("ETH-PERP-INTX"),
        SubKey::heartbeats(),
    ])
    .unwrap();
    let frames = capture();
    assert_eq!(
        shape(p.classify(Frame::Text(&frames[0]))),
        "data[level2/BTC-PERP-INTX:data#0]"
    );
    assert!(shape(p.classify(Frame::Text(&frames[1]))).starts_with("ack["));
    // Frame 2 (sequence_num 2) is lost; the heartbeat (3) reveals it.
    assert_eq!(
        shape(p.classify(Frame::Text(&frames[3]))),
        "data[level2/BTC-PERP-INTX:gap 2->3, level2/ETH-PERP-INTX:gap 2->3]"
    );
    // A new connection starts again at 0: no gap, just data.
    assert_eq!(
        shape(p.classify(Frame::Text(&frames[0]))),
        "data[level2/BTC-PERP-INTX:data#0]"
    );
}
