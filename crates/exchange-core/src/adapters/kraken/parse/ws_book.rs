//! WebSocket v2 `book` frames (§5.2, §5.3).
//!
//! Levels are JSON numbers at the pair's full precision; they are read as [`Num`] so that the
//! checksum sees the text as sent (`1797.30`, `0.00000000`). A real frame (fixture
//! `kraken_book_v2_sequence_ETHUSD.jsonl`):
//!
//! ```json
//! {"channel":"book","type":"update","data":[{"symbol":"ETH/USD","bids":[],
//!  "asks":[{"price":1797.29,"qty":0.00000000},{"price":1797.52,"qty":1.56601318}],
//!  "checksum":3329440863,"timestamp":"2025-05-06T09:17:26.208075Z"}]}
//! ```

use serde::Deserialize;

use super::Num;
use super::time::rfc3339_to_ns;
use crate::model::Level;

/// One price level as sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WsLevel {
    /// Price, text preserved.
    pub price: Num,
    /// Quantity, text preserved; zero deletes the level.
    pub qty: Num,
}

impl WsLevel {
    /// The normalized level.
    pub fn level(&self) -> Level {
        Level::new(self.price.value(), self.qty.value())
    }
}

/// One symbol's entry of a `book` frame.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BookData {
    /// v2 symbol (`ETH/USD`).
    pub symbol: String,
    /// Changed or snapshot bids (update lists are unordered).
    #[serde(default)]
    pub bids: Vec<WsLevel>,
    /// Changed or snapshot asks.
    #[serde(default)]
    pub asks: Vec<WsLevel>,
    /// CRC32 of the top 10 levels after this message.
    pub checksum: u32,
    /// Venue time, RFC 3339 (absent on some snapshots).
    #[serde(default)]
    pub timestamp: Option<String>,
}

impl BookData {
    /// The venue time in ns since the epoch (0 when absent).
    pub fn exchange_ts_ns(&self) -> i64 {
        self.timestamp
            .as_deref()
            .and_then(rfc3339_to_ns)
            .unwrap_or(0)
    }
}

/// Snapshot or update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookKind {
    /// The full book to the subscribed depth.
    Snapshot,
    /// Changes with absolute quantities.
    Update,
}

/// A whole `book` frame.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BookFrame {
    /// Snapshot or update.
    #[serde(rename = "type")]
    pub kind: BookKind,
    /// One entry per symbol.
    pub data: Vec<BookData>,
}

/// One symbol's book message, as routed to its subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookMessage {
    /// Snapshot or update.
    pub kind: BookKind,
    /// The symbol's levels and checksum.
    pub data: BookData,
}

impl BookFrame {
    /// Splits the frame into per-symbol messages.
    pub fn into_messages(self) -> Vec<BookMessage> {
        let kind = self.kind;
        self.data
            .into_iter()
            .map(|data| BookMessage { kind, data })
            .collect()
    }
}
