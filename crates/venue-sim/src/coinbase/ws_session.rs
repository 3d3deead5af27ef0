//! The WebSocket session of one connection (pure): subscribe/unsubscribe message parsing (one
//! channel per message), channel names (`level2` is published as `l2_data`), the per-connection
//! `sequence_num` shared by all channels, the `subscriptions` ack, envelopes and error frames,
//! and which broadcast messages the connection receives.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;
use serde_json::{Value, json};

use super::state::ChannelMsg;
use super::time::rfc3339_ns;

/// Which endpoint a connection came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `advanced-trade-ws`: every channel.
    Market,
    /// `advanced-trade-ws-user`: `heartbeats` and `user`.
    User,
}

/// Error text for a refused subscription (live frames: coinbase_ws_error.json).
pub const AUTH_FAILURE: &str = "authentication failure";
/// Error text for other failures.
pub const SUBSCRIBE_FAILURE: &str = "failure to subscribe";

/// A subscribe or unsubscribe request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Request {
    /// `subscribe` / `unsubscribe`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Subscribe name of the channel.
    pub channel: String,
    /// Products.
    #[serde(default)]
    pub product_ids: Vec<String>,
    /// JWT (required for `user`).
    #[serde(default)]
    pub jwt: Option<String>,
}

/// Parses a client frame; the error is the text of the `error` frame to answer.
pub fn parse(text: &str) -> Result<Request, &'static str> {
    let r: Request = serde_json::from_str(text).map_err(|_| SUBSCRIBE_FAILURE)?;
    if r.kind != "subscribe" && r.kind != "unsubscribe" {
        return Err(SUBSCRIBE_FAILURE);
    }
    Ok(r)
}

/// The message `channel` of a subscribe name; None for unknown channels.
pub fn published_as(sub: &str) -> Option<&'static str> {
    Some(match sub {
        "heartbeats" => "heartbeats",
        "level2" => "l2_data",
        "market_trades" => "market_trades",
        "ticker" => "ticker",
        "ticker_batch" => "ticker_batch",
        "candles" => "candles",
        "status" => "status",
        "user" => "user",
        _ => return None,
    })
}

/// The subscribe name of a message channel.
pub fn subscribed_as(channel: &str) -> &str {
    if channel == "l2_data" {
        "level2"
    } else {
        channel
    }
}

/// Whether `channel` is served on `endpoint`.
pub fn served(endpoint: Endpoint, channel: &str) -> bool {
    match endpoint {
        Endpoint::Market => published_as(channel).is_some(),
        Endpoint::User => matches!(channel, "heartbeats" | "user"),
    }
}

/// Whether a channel needs `product_ids`.
pub fn needs_products(channel: &str) -> bool {
    !matches!(channel, "heartbeats" | "user")
}

/// One connection's state.
#[derive(Debug, Default)]
pub struct Session {
    next_seq: u64,
    /// Subscribe name → products (`heartbeats` → {"heartbeats"}, `user` → filter, may be empty).
    pub subs: BTreeMap<String, BTreeSet<String>>,
    /// Authenticated user (after a `user` subscription).
    pub user: Option<usize>,
    /// Per product: level2 messages up to this book update id are already in the snapshot.
    pub l2_floor: HashMap<String, u64>,
}

impl Session {
    /// Wraps `events` in an envelope with the next `sequence_num`.
    pub fn envelope(&mut self, channel: &str, events: &Value, now_ns: u128) -> String {
        let seq = self.next_seq;
        self.next_seq += 1;
        let ts = rfc3339_ns(now_ns);
        if matches!(channel, "subscriptions" | "heartbeats") {
            json!({"channel": channel, "timestamp": ts, "sequence_num": seq, "events": events})
        } else {
            json!({"channel": channel, "client_id": "", "timestamp": ts, "sequence_num": seq, "events": events})
        }
        .to_string()
    }

    /// Burns one `sequence_num` (a message lost by fault injection).
    pub fn skip(&mut self) {
        self.next_seq += 1;
    }

    /// The `subscriptions` ack listing every current subscription.
    pub fn ack(&mut self, now_ns: u128) -> String {
        let subs: serde_json::Map<String, Value> = self
            .subs
            .iter()
            .map(|(c, p)| (c.clone(), json!(p.iter().collect::<Vec<_>>())))
            .collect();
        self.envelope("subscriptions", &json!([{"subscriptions": subs}]), now_ns)
    }

    /// Records a subscription; returns the products that are new.
    pub fn add(&mut self, channel: &str, products: &[String]) -> Vec<String> {
        let set = self.subs.entry(channel.to_string()).or_default();
        if channel == "heartbeats" {
            set.insert("heartbeats".into());
            return Vec::new();
        }
        products
            .iter()
            .filter(|p| set.insert((*p).clone()))
            .cloned()
            .collect()
    }

    /// Removes a subscription (all products when `products` is empty).
    pub fn remove(&mut self, channel: &str, products: &[String]) {
        if let Some(set) = self.subs.get_mut(channel) {
            if products.is_empty() || channel == "heartbeats" {
                set.clear();
            } else {
                for p in products {
                    set.remove(p);
                }
            }
            if set.is_empty() {
                self.subs.remove(channel);
            }
        }
        if channel == "level2" {
            self.l2_floor
                .retain(|p, _| self.subs.get("level2").is_some_and(|s| s.contains(p)));
        }
    }

    /// Whether heartbeats are on.
    pub fn heartbeats(&self) -> bool {
        self.subs.contains_key("heartbeats")
    }

    /// Whether this connection receives `m` (level2 messages already covered by the snapshot
    /// are not).
    pub fn wants(&self, m: &ChannelMsg) -> bool {
        let Some(set) = self.subs.get(subscribed_as(m.channel)) else {
            return false;
        };
        if m.channel == "user" {
            return m.user.is_some()
                && m.user == self.user
                && (set.is_empty() || set.contains(&m.product));
        }
        if !set.contains(&m.product) {
            return false;
        }
        m.channel != "l2_data"
            || self
                .l2_floor
                .get(&m.product)
                .is_none_or(|f| m.update_id > *f)
    }
}

/// An `error` frame.
pub fn error_frame(message: &str) -> String {
    json!({"type": "error", "message": message}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_is_shared_and_ack_lists_everything() {
        let mut s = Session::default();
        assert_eq!(
            s.add("level2", &["BTC-USD".into(), "ETH-USD".into()]).len(),
            2
        );
        let a: Value = serde_json::from_str(&s.ack(0)).unwrap();
        assert_eq!(a["sequence_num"], 0);
        s.add("heartbeats", &[]);
        let b: Value = serde_json::from_str(&s.ack(0)).unwrap();
        assert_eq!(b["sequence_num"], 1);
        assert_eq!(
            b["events"][0]["subscriptions"]["heartbeats"],
            json!(["heartbeats"])
        );
        assert!(b.get("client_id").is_none());
        s.skip();
        let c: Value = serde_json::from_str(&s.envelope("l2_data", &json!([]), 0)).unwrap();
        assert_eq!(
            (c["sequence_num"].as_u64(), c["client_id"].as_str()),
            (Some(3), Some(""))
        );
        s.remove("level2", &["BTC-USD".into()]);
        assert_eq!(s.subs["level2"].len(), 1);
        assert_eq!(parse("{}"), Err(SUBSCRIBE_FAILURE));
        assert_eq!(published_as("level2"), Some("l2_data"));
    }
}
