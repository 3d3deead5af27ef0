//! The WebSocket API (`wss://ws-api.binance.com:443/ws-api/v3`, §1, §6): signed requests and
//! the frames that come back on the connection.
//!
//! Requests are `{"id":…,"method":…,"params":{…}}`. A signed request carries `apiKey`,
//! `timestamp` (and `recvWindow`) plus a `signature` over the sorted params (see
//! [`super::auth`]). The connection returns responses `{"id","status","result"|"error",
//! "rateLimits"}` and, after `userDataStream.subscribe[.signature]`, user data events
//! `{"subscriptionId","event"}`. Since 2026-02-20 this subscription is the only spot user data
//! stream (listenKeys were retired).

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::auth::HmacSigner;
use super::parse::envelope::{UserEnvelope, WsApiResponse};
use super::parse::from_json;
use super::parse::user_data::UserDataEvent;

/// Builds a signed WS-API request. `params` come as text (as signed); `timestamp` and
/// `recvWindow` are sent as numbers, as in the documented examples.
pub fn signed_request(
    id: &str,
    method: &str,
    params: &[(&str, String)],
    api_key: &str,
    signer: &HmacSigner,
    timestamp_ms: i64,
    recv_window_ms: Option<u64>,
) -> String {
    let timestamp = timestamp_ms.to_string();
    let window = recv_window_ms.map(|w| w.to_string());
    let mut signed: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    signed.push(("apiKey", api_key));
    signed.push(("timestamp", &timestamp));
    if let Some(window) = &window {
        signed.push(("recvWindow", window));
    }
    let signature = signer.sign_wsapi(&signed);
    let mut object = Map::new();
    for (k, v) in params {
        object.insert((*k).to_owned(), Value::String(v.clone()));
    }
    object.insert("apiKey".into(), Value::String(api_key.to_owned()));
    object.insert("timestamp".into(), json!(timestamp_ms));
    if let Some(w) = recv_window_ms {
        object.insert("recvWindow".into(), json!(w));
    }
    object.insert("signature".into(), Value::String(signature));
    json!({"id": id, "method": method, "params": object}).to_string()
}

/// `userDataStream.subscribe.signature`: subscribe this connection to the account's user data
/// with an HMAC key (Ed25519 keys use `session.logon` then `userDataStream.subscribe`).
pub fn subscribe_user_data_request(
    id: &str,
    api_key: &str,
    signer: &HmacSigner,
    timestamp_ms: i64,
) -> String {
    signed_request(
        id,
        "userDataStream.subscribe.signature",
        &[],
        api_key,
        signer,
        timestamp_ms,
        None,
    )
}

/// The result of a successful `userDataStream.subscribe[.signature]`: `{"subscriptionId":0}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscribeResult {
    /// Id carried by the subscription's events.
    pub subscription_id: u64,
}

/// One frame from a WS-API connection.
#[derive(Debug, Clone, PartialEq)]
pub enum WsApiFrame {
    /// A response to one of our requests (match it by `id`).
    Response(WsApiResponse<Value>),
    /// A user data event.
    UserEvent(UserEnvelope<UserDataEvent>),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Peek {
    #[serde(default)]
    subscription_id: Option<u64>,
}

/// Classifies one WS-API text frame.
pub fn parse_wsapi_frame(text: &str) -> crate::Result<WsApiFrame> {
    let peek: Peek = from_json("ws-api frame", text)?;
    Ok(match peek.subscription_id {
        Some(_) => WsApiFrame::UserEvent(from_json("user data event", text)?),
        None => WsApiFrame::Response(from_json("ws-api response", text)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::binance::errors::RequestKind;

    #[test]
    fn signed_request_signs_sorted_params_and_sends_numbers() {
        let signer = HmacSigner::new(b"secret").unwrap();
        let text = signed_request(
            "req-1",
            "order.status",
            &[
                ("symbol", "BTCUSDT".into()),
                ("origClientOrderId", "a-1".into()),
            ],
            "KEY",
            &signer,
            1_645_423_376_532,
            Some(5000),
        );
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["id"], "req-1");
        assert_eq!(v["method"], "order.status");
        assert_eq!(v["params"]["timestamp"], 1_645_423_376_532_i64);
        assert_eq!(v["params"]["recvWindow"], 5000);
        let expected = signer.sign(
            "apiKey=KEY&origClientOrderId=a-1&recvWindow=5000&symbol=BTCUSDT&timestamp=1645423376532",
        );
        assert_eq!(v["params"]["signature"], expected.as_str());
        let sub: Value =
            serde_json::from_str(&subscribe_user_data_request("s", "KEY", &signer, 1)).unwrap();
        assert_eq!(sub["method"], "userDataStream.subscribe.signature");
        assert_eq!(
            sub["params"]["signature"],
            signer.sign("apiKey=KEY&timestamp=1").as_str()
        );
    }

    #[test]
    fn frames_are_responses_or_user_events() {
        let frame = parse_wsapi_frame(
            r#"{"id":"s","status":200,"result":{"subscriptionId":0},"rateLimits":[]}"#,
        )
        .unwrap();
        let WsApiFrame::Response(resp) = frame else {
            panic!("{frame:?}")
        };
        let result: SubscribeResult =
            serde_json::from_value(resp.into_result(RequestKind::Query).unwrap()).unwrap();
        assert_eq!(result.subscription_id, 0);
        let frame = parse_wsapi_frame(
            r#"{"subscriptionId":0,"event":{"e":"eventStreamTerminated","E":1728973001334}}"#,
        )
        .unwrap();
        assert_eq!(
            frame,
            WsApiFrame::UserEvent(UserEnvelope {
                subscription_id: 0,
                event: UserDataEvent::StreamTerminated {
                    event_time: 1_728_973_001_334
                }
            })
        );
        assert!(parse_wsapi_frame("[]").is_err());
    }
}
