//! Payloads that must not decode: garbage, the wrong type, another schema version, an unknown
//! content type, trailing bytes, hostile nesting. Each gives its error variant, never a panic,
//! also when it arrives through a real nats-server.

use async_nats::HeaderMap;
use bus::codec::{CONTENT_TYPE, decode, decode_message, encode};
use bus::{BookEvent, BusError, Encoding, OrderCommand, TradeMsg};
use bytes::Bytes;

use crate::samples;
use crate::support::{bus, recv, subscribe};

fn decode_err<T: bus::Payload + std::fmt::Debug>(bytes: &[u8], enc: Encoding) -> BusError {
    decode::<T>(bytes, enc).unwrap_err()
}

#[test]
fn garbage_and_wrong_types_are_decode_errors() {
    for enc in [Encoding::MsgPack, Encoding::Json] {
        for bytes in [
            &b""[..],
            b"\xc1\xff\x00garbage",
            b"{not json",
            b"[1,2,3]",
            b"\x93\x01\x02\x03",
            b"null",
        ] {
            let err = decode_err::<TradeMsg>(bytes, enc);
            assert!(
                matches!(
                    err,
                    BusError::Decode {
                        payload: "TradeMsg",
                        ..
                    }
                ),
                "{enc} {bytes:?}: {err}"
            );
            assert!(err.is_bad_message());
        }
        // A valid payload of another type.
        let trade = encode(&samples::trade(), enc).unwrap();
        let err = decode_err::<BookEvent>(&trade, enc);
        assert!(
            matches!(
                err,
                BusError::Decode {
                    payload: "BookEvent",
                    ..
                }
            ),
            "{enc}: {err}"
        );
        // A valid payload cut short.
        let err = decode_err::<TradeMsg>(&trade[..trade.len() / 2], enc);
        assert!(matches!(err, BusError::Decode { .. }), "{enc}: {err}");
    }
}

#[test]
fn other_schema_versions_are_wrong_schema() {
    for enc in [Encoding::MsgPack, Encoding::Json] {
        // Same shape, another version.
        let mut trade = samples::trade();
        trade.v = 2;
        let err = decode_err::<TradeMsg>(&encode(&trade, enc).unwrap(), enc);
        assert!(
            matches!(
                err,
                BusError::WrongSchema {
                    payload: "TradeMsg",
                    found: Some(2),
                    expected: 1
                }
            ),
            "{enc}: {err}"
        );
        // Another version with another shape: still reported as a version problem.
        let future = serde_json::json!({"v": 70000, "renamed": true});
        let bytes = match enc {
            Encoding::Json => serde_json::to_vec(&future).unwrap(),
            Encoding::MsgPack => rmp_serde::to_vec_named(&future).unwrap(),
        };
        let err = decode_err::<OrderCommand>(&bytes, enc);
        assert!(
            matches!(
                err,
                BusError::WrongSchema {
                    found: Some(70000),
                    ..
                }
            ),
            "{enc}: {err}"
        );
        assert!(err.to_string().contains("70000"));
        // No version at all: not ours.
        let err = decode_err::<OrderCommand>(br#"{"action":{"type":"cancel"}}"#, Encoding::Json);
        assert!(matches!(err, BusError::Decode { .. }), "{err}");
    }
}

#[test]
fn trailing_bytes_and_hostile_nesting_are_errors() {
    let mut bytes = encode(&samples::trade(), Encoding::MsgPack)
        .unwrap()
        .to_vec();
    bytes.push(0xc0);
    let err = decode_err::<TradeMsg>(&bytes, Encoding::MsgPack);
    assert!(err.to_string().contains("trailing"), "{err}");

    let mut json = encode(&samples::trade(), Encoding::Json).unwrap().to_vec();
    json.extend_from_slice(b" {}");
    assert!(matches!(
        decode_err::<TradeMsg>(&json, Encoding::Json),
        BusError::Decode { .. }
    ));

    // 100 000 nested arrays must fail cleanly, not overflow the stack.
    let deep_json = "[".repeat(100_000);
    assert!(matches!(
        decode_err::<TradeMsg>(deep_json.as_bytes(), Encoding::Json),
        BusError::Decode { .. }
    ));
    let deep_msgpack = vec![0x91u8; 100_000];
    assert!(matches!(
        decode_err::<TradeMsg>(&deep_msgpack, Encoding::MsgPack),
        BusError::Decode { .. }
    ));
}

#[tokio::test]
async fn bad_messages_through_nats_are_errors() {
    let bus = bus().await;
    let c = &bus.client;
    let mut sub = subscribe(c, "test.bad").await;
    let with_type = |t: &str| {
        let mut h = HeaderMap::new();
        h.insert(CONTENT_TYPE, t);
        h
    };

    c.publish_with_headers(
        "test.bad",
        with_type("application/msgpack"),
        Bytes::from_static(b"\xc1garbage"),
    )
    .await
    .unwrap();
    let err = decode_message::<TradeMsg>(&recv(&mut sub, "garbage").await).unwrap_err();
    assert!(
        matches!(
            err,
            BusError::Decode {
                encoding: "msgpack",
                ..
            }
        ),
        "{err}"
    );

    // No header: MessagePack is assumed, so JSON text does not decode.
    let json = encode(&samples::trade(), Encoding::Json).unwrap();
    c.publish("test.bad", json.clone()).await.unwrap();
    let err = decode_message::<TradeMsg>(&recv(&mut sub, "headerless json").await).unwrap_err();
    assert!(
        matches!(
            err,
            BusError::Decode {
                encoding: "msgpack",
                ..
            }
        ),
        "{err}"
    );

    // No header with MessagePack decodes.
    let msgpack = encode(&samples::trade(), Encoding::MsgPack).unwrap();
    c.publish("test.bad", msgpack).await.unwrap();
    let ok = decode_message::<TradeMsg>(&recv(&mut sub, "headerless msgpack").await).unwrap();
    assert_eq!(ok, samples::trade());

    c.publish_with_headers("test.bad", with_type("text/csv"), json.clone())
        .await
        .unwrap();
    let err = decode_message::<TradeMsg>(&recv(&mut sub, "csv").await).unwrap_err();
    assert!(
        matches!(err, BusError::UnknownContentType(ref t) if t == "text/csv"),
        "{err}"
    );

    let mut v2 = samples::trade();
    v2.v = 2;
    let v2 = encode(&v2, Encoding::Json).unwrap();
    c.publish_with_headers("test.bad", Encoding::Json.headers(), v2)
        .await
        .unwrap();
    let err = decode_message::<TradeMsg>(&recv(&mut sub, "v2").await).unwrap_err();
    assert!(
        matches!(err, BusError::WrongSchema { found: Some(2), .. }),
        "{err}"
    );
}

#[test]
fn invalid_order_commands_are_refused_before_publishing() {
    let mut command = samples::order_commands().remove(0);
    if let bus::OrderAction::Place(request) = &mut command.action {
        request.client_order_id = "has.dot".into();
    }
    let err = command.validate().unwrap_err();
    assert!(
        matches!(
            err,
            BusError::InvalidPayload {
                payload: "OrderCommand",
                ..
            }
        ),
        "{err}"
    );
    let reject = bus::Reject::from_bus_error(&err);
    assert_eq!(reject.code, bus::Reject::INVALID_COMMAND);
}
