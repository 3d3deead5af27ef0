//! `level2` → `l2_data` (§5): a full-book snapshot, then updates; `new_quantity` is the new
//! absolute size and `"0"` removes the level; snapshot levels are not sorted.

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::ExchangeError;
use crate::model::Level;

/// One changed level (live capture).
///
/// ```json
/// {"side":"offer","event_time":"2026-09-07T01:57:58.894355Z","price_level":"79944.1",
///  "new_quantity":"1.2"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct L2Update {
    /// `bid` or `offer`.
    pub side: String,
    /// Venue time of the change, RFC 3339.
    #[serde(default)]
    pub event_time: String,
    /// Price.
    pub price_level: Decimal,
    /// New absolute quantity; zero deletes.
    pub new_quantity: Decimal,
}

/// One `l2_data` event (live capture, cut to one level).
///
/// ```json
/// {"type":"snapshot","product_id":"BTC-PERP-INTX","updates":[{"side":"bid",
///  "event_time":"2026-09-07T01:57:58.894355Z","price_level":"79943.9","new_quantity":"3.0105"}]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct L2Event {
    /// `snapshot` or `update`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Product id.
    pub product_id: String,
    /// Changed levels.
    #[serde(default)]
    pub updates: Vec<L2Update>,
}

impl L2Event {
    /// Whether this is the full-book snapshot.
    pub fn is_snapshot(&self) -> bool {
        super::is_snapshot(&self.kind)
    }

    /// The levels split into `(bids, asks)`, in message order.
    pub fn levels(&self) -> crate::Result<(Vec<Level>, Vec<Level>)> {
        let mut bids = Vec::new();
        let mut asks = Vec::new();
        for u in &self.updates {
            let level = Level::new(u.price_level, u.new_quantity);
            match u.side.as_str() {
                "bid" => bids.push(level),
                "offer" | "ask" => asks.push(level),
                other => {
                    return Err(ExchangeError::InvalidResponse(format!(
                        "coinbase l2_data: unknown side {other:?}"
                    )));
                }
            }
        }
        Ok((bids, asks))
    }
}
