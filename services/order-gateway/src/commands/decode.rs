//! Decoding a command message, pure: a good [`OrderCommand`], or a refusal with a reason and,
//! where one can still be read from the broken payload, the client order id it was about.

use async_nats::HeaderMap;
use bus::codec::decode;
use bus::{Encoding, OrderCommand, Reject};

/// What a command message turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// A command that keeps the bus contract.
    Command(OrderCommand),
    /// A message that cannot be a command: refuse it, never retry it.
    Refused {
        /// The id it named, when a valid one could be read.
        client_order_id: Option<String>,
        /// Why.
        reason: Reject,
    },
}

/// Decodes the payload of a message from `orders.cmd.<venue>.<account>`.
pub fn decode_command(headers: Option<&HeaderMap>, payload: &[u8]) -> Decoded {
    let encoding = match Encoding::from_headers(headers) {
        Ok(encoding) => encoding,
        Err(e) => {
            return Decoded::Refused {
                client_order_id: None,
                reason: Reject::from_bus_error(&e),
            };
        }
    };
    let command: OrderCommand = match decode(payload, encoding) {
        Ok(command) => command,
        Err(e) => {
            return Decoded::Refused {
                client_order_id: salvage_id(payload, encoding),
                reason: Reject::from_bus_error(&e),
            };
        }
    };
    if let Err(e) = command.validate() {
        return Decoded::Refused {
            client_order_id: None,
            reason: Reject::from_bus_error(&e),
        };
    }
    Decoded::Command(command)
}

/// The `client_order_id` (or `command_id`) of a payload that did not decode as a command, if the
/// payload is at least a map holding a valid one.
fn salvage_id(payload: &[u8], encoding: Encoding) -> Option<String> {
    let value: serde_json::Value = match encoding {
        Encoding::Json => serde_json::from_slice(payload).ok()?,
        Encoding::MsgPack => rmp_serde::from_slice(payload).ok()?,
    };
    let action = value.get("action")?;
    let id = action
        .get("client_order_id")
        .or_else(|| action.get("command_id"))?
        .as_str()?;
    bus::subject::check_token("client_order_id", id).ok()?;
    Some(id.to_owned())
}

#[cfg(test)]
mod tests {
    use bus::codec::{CONTENT_TYPE, JSON};

    use super::*;

    fn json() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(CONTENT_TYPE, JSON);
        h
    }

    const PLACE: &str = r#"{"v":1,"sent_ts_ns":1,"action":{"type":"place","client_order_id":"s-1","symbol":"BTC/USDT","side":"buy","order_type":"limit","quantity":"0.010","price":"43000.00","stop_price":null,"time_in_force":"gtc","expire_ts_ns":null,"post_only":false,"reduce_only":false}}"#;

    fn refused(d: Decoded) -> (Option<String>, String) {
        match d {
            Decoded::Refused {
                client_order_id,
                reason,
            } => (client_order_id, reason.code),
            Decoded::Command(c) => panic!("decoded {c:?}"),
        }
    }

    #[test]
    fn a_good_command_decodes() {
        let Decoded::Command(c) = decode_command(Some(&json()), PLACE.as_bytes()) else {
            panic!()
        };
        assert_eq!(c.id(), "s-1");
        let packed = bus::codec::encode(&c, Encoding::MsgPack).unwrap();
        assert_eq!(decode_command(None, &packed), Decoded::Command(c));
    }

    #[test]
    fn each_kind_of_bad_payload_is_refused_with_its_code() {
        // (name, headers, payload, id the refusal names, reason code)
        type Case = (
            &'static str,
            Option<HeaderMap>,
            Vec<u8>,
            Option<&'static str>,
            &'static str,
        );
        let cases: Vec<Case> = vec![
            ("not JSON", Some(json()), b"{oops".to_vec(), None, "undecodable"),
            ("empty", Some(json()), Vec::new(), None, "undecodable"),
            ("garbage msgpack", None, vec![0xc1, 0xff, 0x00], None, "undecodable"),
            (
                "unknown content type",
                Some({
                    let mut h = HeaderMap::new();
                    h.insert(CONTENT_TYPE, "text/xml");
                    h
                }),
                PLACE.as_bytes().to_vec(),
                None,
                "undecodable",
            ),
            (
                "missing field, id readable",
                Some(json()),
                br#"{"v":1,"sent_ts_ns":1,"action":{"type":"place","client_order_id":"s-2","symbol":"BTC/USDT"}}"#.to_vec(),
                Some("s-2"),
                "undecodable",
            ),
            (
                "bad quantity",
                Some(json()),
                PLACE.replace("\"0.010\"", "\"lots\"").into_bytes(),
                Some("s-1"),
                "undecodable",
            ),
            (
                "unknown action",
                Some(json()),
                br#"{"v":1,"sent_ts_ns":1,"action":{"type":"amend","client_order_id":"s-3"}}"#.to_vec(),
                Some("s-3"),
                "undecodable",
            ),
            (
                "other schema version",
                Some(json()),
                PLACE.replace("\"v\":1", "\"v\":9").into_bytes(),
                Some("s-1"),
                "wrong_schema",
            ),
            (
                "bad id",
                Some(json()),
                PLACE.replace("\"s-1\"", "\"s 1.x\"").into_bytes(),
                None,
                "invalid_command",
            ),
        ];
        for (name, headers, payload, id, code) in cases {
            let (got_id, got_code) = refused(decode_command(headers.as_ref(), &payload));
            assert_eq!(got_code, code, "{name}");
            assert_eq!(got_id.as_deref(), id, "{name}");
        }
    }
}
