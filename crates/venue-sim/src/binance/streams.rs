//! Market stream names and the live subscription methods (web-socket-streams.md "Live
//! Subscribing/Unsubscribing to streams"): SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS,
//! SET_PROPERTY, GET_PROPERTY, with the documented error messages.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::engine::MarketKind;
use crate::engine::candles::interval_ms;

/// Whether `name` is a stream this market serves, for one of `symbols` (upper case).
pub fn is_valid(kind: MarketKind, name: &str, symbols: &[String]) -> bool {
    let Some((sym, rest)) = name.split_once('@') else {
        return false;
    };
    if sym != sym.to_lowercase() || !symbols.iter().any(|s| s.to_lowercase() == sym) {
        return false;
    }
    if let Some(i) = rest.strip_prefix("kline_") {
        return interval_ms(i).is_some();
    }
    let common = matches!(
        rest,
        "aggTrade"
            | "bookTicker"
            | "depth"
            | "depth@100ms"
            | "depth5"
            | "depth10"
            | "depth20"
            | "depth5@100ms"
            | "depth10@100ms"
            | "depth20@100ms"
    );
    match kind {
        MarketKind::Spot => common || rest == "trade",
        MarketKind::Futures => {
            common
                || matches!(
                    rest,
                    "depth@250ms"
                        | "depth@500ms"
                        | "depth5@500ms"
                        | "depth10@500ms"
                        | "depth20@500ms"
                )
        }
    }
}

/// Per-connection subscription state.
#[derive(Debug, Default, Clone)]
pub struct Session {
    /// Subscribed streams.
    pub streams: BTreeSet<String>,
    /// Combined-stream framing (`{"stream":..,"data":..}`).
    pub combined: bool,
}

/// What a control message did to the subscriptions.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Change {
    /// Newly added streams.
    pub added: Vec<String>,
    /// Removed streams.
    pub removed: Vec<String>,
}

fn err(code: i64, msg: &str, id: &Value) -> Value {
    json!({"error": {"code": code, "msg": msg}, "id": id})
}

fn valid_id(id: &Value) -> bool {
    match id {
        Value::Null => true,
        Value::Number(n) => n.is_i64() || n.is_u64(),
        Value::String(s) => {
            s.len() <= 36 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        }
        _ => false,
    }
}

impl Session {
    /// Handles one text frame from the client; returns the reply and the subscription change.
    pub fn handle(&mut self, kind: MarketKind, text: &str, symbols: &[String]) -> (Value, Change) {
        let mut change = Change::default();
        let msg: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => return (err(3, &format!("Invalid JSON: {e}"), &Value::Null), change),
        };
        let id = msg.get("id").cloned().unwrap_or(Value::Null);
        if !valid_id(&id) {
            return (
                err(
                    2,
                    "Invalid request: request ID must be an unsigned integer",
                    &Value::Null,
                ),
                change,
            );
        }
        let Some(method) = msg.get("method").and_then(Value::as_str) else {
            return (
                err(2, "Invalid request: missing field `method`", &id),
                change,
            );
        };
        let params = msg.get("params").cloned().unwrap_or(Value::Array(vec![]));
        match method {
            "SUBSCRIBE" | "UNSUBSCRIBE" => {
                let Some(names) = params
                    .as_array()
                    .and_then(|a| a.iter().map(Value::as_str).collect::<Option<Vec<_>>>())
                else {
                    return (
                        err(
                            2,
                            "Invalid request: params must be an array of stream names",
                            &id,
                        ),
                        change,
                    );
                };
                if names.iter().any(|n| !is_valid(kind, n, symbols)) {
                    return (err(2, "Invalid request: invalid stream", &id), change);
                }
                for n in names {
                    if method == "SUBSCRIBE" {
                        if self.streams.insert(n.to_string()) {
                            change.added.push(n.to_string());
                        }
                    } else if self.streams.remove(n) {
                        change.removed.push(n.to_string());
                    }
                }
                (json!({"result": null, "id": id}), change)
            }
            "LIST_SUBSCRIPTIONS" => (
                json!({"result": self.streams.iter().collect::<Vec<_>>(), "id": id}),
                change,
            ),
            "SET_PROPERTY" => match params.as_array().map(Vec::as_slice) {
                Some([Value::String(p), Value::Bool(b)]) if p == "combined" => {
                    self.combined = *b;
                    (json!({"result": null, "id": id}), change)
                }
                Some([Value::String(p), _]) if p == "combined" => {
                    (err(1, "Invalid value type: expected Boolean", &id), change)
                }
                Some([Value::String(_), _]) => (err(0, "Unknown property", &id), change),
                _ => (
                    err(2, "Invalid request: property name must be a string", &id),
                    change,
                ),
            },
            "GET_PROPERTY" => match params.as_array().map(Vec::as_slice) {
                Some([Value::String(p)]) if p == "combined" => {
                    (json!({"result": self.combined, "id": id}), change)
                }
                Some([Value::String(_)]) => (err(0, "Unknown property", &id), change),
                _ => (
                    err(2, "Invalid request: property name must be a string", &id),
                    change,
                ),
            },
            other => (
                err(
                    2,
                    &format!(
                        "Invalid request: unknown variant `{other}`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`"
                    ),
                    &id,
                ),
                change,
            ),
        }
    }

    /// Frames a payload for this session (raw or combined).
    pub fn frame(&self, stream: &str, data: &str) -> String {
        if self.combined {
            format!("{{\"stream\":\"{stream}\",\"data\":{data}}}")
        } else {
            data.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syms() -> Vec<String> {
        vec!["BTCUSDT".into()]
    }

    #[test]
    fn names() {
        assert!(is_valid(MarketKind::Spot, "btcusdt@depth@100ms", &syms()));
        assert!(is_valid(MarketKind::Spot, "btcusdt@kline_1m", &syms()));
        assert!(!is_valid(MarketKind::Spot, "BTCUSDT@trade", &syms()));
        assert!(!is_valid(MarketKind::Spot, "ethusdt@trade", &syms()));
        assert!(!is_valid(MarketKind::Futures, "btcusdt@trade", &syms()));
        assert!(is_valid(
            MarketKind::Futures,
            "btcusdt@depth@500ms",
            &syms()
        ));
    }

    #[test]
    fn methods() {
        let mut s = Session::default();
        let (r, c) = s.handle(
            MarketKind::Spot,
            r#"{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}"#,
            &syms(),
        );
        assert_eq!(r, json!({"result":null,"id":1}));
        assert_eq!(c.added, vec!["btcusdt@trade"]);
        let (r, _) = s.handle(
            MarketKind::Spot,
            r#"{"method":"LIST_SUBSCRIPTIONS","id":"a1"}"#,
            &syms(),
        );
        assert_eq!(r, json!({"result":["btcusdt@trade"],"id":"a1"}));
        let (r, _) = s.handle(MarketKind::Spot, "{nope", &syms());
        assert_eq!(r["error"]["code"], 3);
        let (r, _) = s.handle(
            MarketKind::Spot,
            r#"{"method":"SET_PROPERTY","params":["combined",true],"id":2}"#,
            &syms(),
        );
        assert_eq!(r["result"], Value::Null);
        assert!(s.combined);
        assert_eq!(s.frame("x", "{}"), r#"{"stream":"x","data":{}}"#);
        let (r, _) = s.handle(MarketKind::Spot, r#"{"method":"FOO","id":2}"#, &syms());
        assert_eq!(r["error"]["code"], 2);
    }
}
