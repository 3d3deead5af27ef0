//! Order book payloads (§5): the REST depth snapshot and the `depthUpdate` diff stream.

use serde::Deserialize;

use crate::adapters::binance::time::ms_to_ns;
use crate::model::{BookSnapshot, Level, Symbol};

/// `GET /api/v3/depth` (or `/fapi/v1/depth`, which adds `E` and `T`), and the partial-depth
/// streams `<s>@depth<5|10|20>`.
///
/// ```json
/// {"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"]],
///  "asks":[["4.00000200","12.00000000"]]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DepthSnapshot {
    /// The update id this snapshot reflects.
    #[serde(rename = "lastUpdateId")]
    pub last_update_id: u64,
    /// Bids, best first, `[price, qty]` strings.
    pub bids: Vec<Level>,
    /// Asks, best first.
    pub asks: Vec<Level>,
    /// USD-M only: message output time, ms.
    #[serde(rename = "E", default)]
    pub event_time: Option<i64>,
    /// USD-M only: transaction time, ms.
    #[serde(rename = "T", default)]
    pub transaction_time: Option<i64>,
}

impl DepthSnapshot {
    /// The normalized snapshot for `symbol`, received at `local_ts_ns`.
    pub fn to_snapshot(&self, symbol: Symbol, local_ts_ns: i64) -> BookSnapshot {
        BookSnapshot {
            symbol,
            bids: self.bids.clone(),
            asks: self.asks.clone(),
            venue_seq: Some(self.last_update_id),
            exchange_ts_ns: self
                .transaction_time
                .or(self.event_time)
                .map_or(0, ms_to_ns),
            local_ts_ns,
        }
    }
}

/// A diff-depth event, `<s>@depth` / `<s>@depth@100ms` (spot) and its USD-M form (adds `T`,
/// `pu`). Quantities are absolute; `"0"` deletes the level.
///
/// ```json
/// {"e":"depthUpdate","E":1633998516670,"s":"LRCBTC","U":259345536,"u":259345539,
///  "b":[["0.00000636","10310.00000000"],["0.00000634","44780.00000000"]],
///  "a":[["0.00000639","23417.00000000"],["0.00000640","15869.00000000"]]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DepthUpdate {
    /// Event time, ms.
    #[serde(rename = "E")]
    pub event_time: i64,
    /// USD-M only: transaction time, ms.
    #[serde(rename = "T", default)]
    pub transaction_time: Option<i64>,
    /// Venue symbol id.
    #[serde(rename = "s")]
    pub symbol: String,
    /// First update id in the event.
    #[serde(rename = "U")]
    pub first_update_id: u64,
    /// Final update id in the event.
    #[serde(rename = "u")]
    pub final_update_id: u64,
    /// USD-M only: final update id of the previous event on this stream.
    #[serde(rename = "pu", default)]
    pub prev_final_update_id: Option<u64>,
    /// Changed bids.
    #[serde(rename = "b")]
    pub bids: Vec<Level>,
    /// Changed asks.
    #[serde(rename = "a")]
    pub asks: Vec<Level>,
}

impl DepthUpdate {
    /// The venue time of the event (USD-M transaction time when present), ns.
    pub fn exchange_ts_ns(&self) -> i64 {
        ms_to_ns(self.transaction_time.unwrap_or(self.event_time))
    }
}
