//! Control channels (§5): the `subscriptions` ack and `heartbeats`.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The event of a `subscriptions` ack: every channel now subscribed on the connection, with its
/// product ids (live capture).
///
/// ```json
/// {"subscriptions":{"heartbeats":["heartbeats"],"level2":["BTC-PERP-INTX","ETH-PERP-INTX"]}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SubscriptionsEvent {
    /// Channel subscribe name → product ids (`heartbeats` lists itself).
    #[serde(default)]
    pub subscriptions: BTreeMap<String, Vec<String>>,
}

/// A heartbeat (live capture). `current_time` is Go's `time.String()` with a monotonic suffix;
/// it is kept as text, never parsed strictly.
///
/// ```json
/// {"current_time":"2026-09-07 23:37:22.674409 +0000 UTC m=+139651.272674714",
///  "heartbeat_counter":139651}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct HeartbeatEvent {
    /// Server time, as text.
    #[serde(default)]
    pub current_time: String,
    /// Increments by one per heartbeat (a number on the wire; the SDK types it as a string).
    #[serde(with = "crate::adapters::coinbase::parse::num::str_u64")]
    pub heartbeat_counter: u64,
}
