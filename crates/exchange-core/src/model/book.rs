//! Order book messages: full snapshots and absolute-quantity deltas.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Symbol;

/// One price level: the total quantity resting at a price.
///
/// Serialized as a two-element array of strings, `["0.0024","10"]`, as the venues send them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "(Decimal, Decimal)", into = "(Decimal, Decimal)")]
pub struct Level {
    /// Price.
    pub price: Decimal,
    /// Quantity at that price; in a delta, zero means the level is gone.
    pub qty: Decimal,
}

impl Level {
    /// A level at `price` holding `qty`.
    pub fn new(price: Decimal, qty: Decimal) -> Self {
        Level { price, qty }
    }
}

/// A full book (up to the venue's or the subscription's depth).
///
/// `bids` are best (highest) first, `asks` best (lowest) first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookSnapshot {
    /// Unified symbol.
    pub symbol: Symbol,
    /// Bids, highest price first.
    pub bids: Vec<Level>,
    /// Asks, lowest price first.
    pub asks: Vec<Level>,
    /// The venue's update id or sequence this snapshot reflects (Binance `lastUpdateId`), if any.
    pub venue_seq: Option<u64>,
    /// Venue time, ns since the epoch (0 when unknown).
    pub exchange_ts_ns: i64,
    /// Local receive time, ns since the epoch.
    pub local_ts_ns: i64,
}

/// Changed levels with their new absolute quantities (zero deletes the level).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookDelta {
    /// Unified symbol.
    pub symbol: Symbol,
    /// Changed bid levels.
    pub bids: Vec<Level>,
    /// Changed ask levels.
    pub asks: Vec<Level>,
    /// The venue's first update id covered (Binance `U`), if any.
    pub venue_first_seq: Option<u64>,
    /// The venue's last update id covered (Binance `u`), if any.
    pub venue_seq: Option<u64>,
    /// Venue time, ns since the epoch (0 when unknown).
    pub exchange_ts_ns: i64,
    /// Local receive time, ns since the epoch.
    pub local_ts_ns: i64,
}

impl From<(Decimal, Decimal)> for Level {
    fn from((price, qty): (Decimal, Decimal)) -> Self {
        Level { price, qty }
    }
}

impl From<Level> for (Decimal, Decimal) {
    fn from(level: Level) -> Self {
        (level.price, level.qty)
    }
}
