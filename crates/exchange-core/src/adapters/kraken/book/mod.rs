//! The WebSocket v2 order book (§5.3): snapshot, updates, truncation and the CRC32 checksum.
//!
//! Kraken's public channels have no sequence numbers; the checksum is the only proof that a book
//! is right. The documented procedure
//! (<https://docs.kraken.com/api/docs/guides/spot-ws-book-v2>), as numbered in `kraken.md`:
//!
//! 1. Apply every level of the message in wire order (update lists are unordered and may touch
//!    one price twice); `qty == 0` deletes the level.
//! 2. Truncate each side to the subscribed depth after every message: Kraken sends no deletes
//!    for levels that fall out of scope.
//! 3. Compute the checksum over the top 10 levels ([`checksum`]) and compare it with the
//!    message's `checksum`.
//! 4. Numbers keep the text as sent ([`Num`](super::parse::Num)); on a mismatch the book is
//!    stale and the driver resubscribes, which brings a fresh snapshot.
//!
//! [`KrakenBook`] is pure: it takes [`BookMessage`]s and returns [`BookAction`]s. [`replay`]
//! runs a recorded stream through it offline.

pub mod checksum;
pub mod replay;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::parse::ws_book::{BookData, BookKind, BookMessage, WsLevel};
use crate::BookUpdate;
use crate::ExchangeError;
use crate::model::{BookDelta, BookSnapshot, Level, Symbol};
use checksum::{checksum_input, crc32};

pub use replay::{ReplayReport, replay};

/// The depths Kraken accepts for a `book` subscription.
pub const DEPTHS: [usize; 5] = [10, 25, 100, 500, 1000];

/// Where a [`KrakenBook`] stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BookState {
    /// No snapshot yet (or a resubscription is under way).
    AwaitingSnapshot,
    /// Every checksum so far matched.
    Live,
    /// A checksum failed or the connection dropped; waiting for a fresh snapshot.
    Stale,
}

impl BookState {
    /// `"live"` when proven, `"stale"` otherwise.
    pub fn as_live_or_stale(self) -> &'static str {
        match self {
            BookState::Live => "live",
            BookState::AwaitingSnapshot | BookState::Stale => "stale",
        }
    }
}

/// What the driver of a [`KrakenBook`] must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookAction {
    /// Publish this update; `seq` increases by exactly one per published update.
    Publish {
        /// Gap-free publication sequence.
        seq: u64,
        /// Snapshot, delta or stale notice.
        update: BookUpdate,
    },
    /// Unsubscribe and subscribe the book again to get a fresh snapshot (step 4).
    Resubscribe,
}

/// Running totals, for metrics and for [`replay`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BookCounters {
    /// Messages (snapshots and updates) applied.
    pub applied: u64,
    /// Updates ignored because no proven snapshot was held.
    pub dropped: u64,
    /// Messages whose checksum did not match.
    pub checksum_failures: u64,
    /// Snapshots applied.
    pub snapshots: u64,
    /// Resubscriptions requested.
    pub resubscribes: u64,
}

/// A level with the text it arrived with.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TextLevel {
    price: String,
    qty: String,
    qty_value: Decimal,
}

impl TextLevel {
    fn pair(&self) -> (&str, &str) {
        (&self.price, &self.qty)
    }
}

/// One symbol's v2 book at one subscribed depth.
#[derive(Debug, Clone)]
pub struct KrakenBook {
    symbol: Symbol,
    depth: usize,
    bids: BTreeMap<Decimal, TextLevel>,
    asks: BTreeMap<Decimal, TextLevel>,
    state: BookState,
    counters: BookCounters,
    published: u64,
}

impl KrakenBook {
    /// An empty book for `symbol` subscribed at `depth` (one of [`DEPTHS`]).
    pub fn new(symbol: Symbol, depth: usize) -> crate::Result<Self> {
        if !DEPTHS.contains(&depth) {
            return Err(ExchangeError::Config(format!(
                "kraken book depth {depth} is not one of {DEPTHS:?}"
            )));
        }
        Ok(KrakenBook {
            symbol,
            depth,
            bids: BTreeMap::new(),
            asks: BTreeMap::new(),
            state: BookState::AwaitingSnapshot,
            counters: BookCounters::default(),
            published: 0,
        })
    }

    /// The unified symbol.
    pub fn symbol(&self) -> &Symbol {
        &self.symbol
    }

    /// The subscribed depth.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Where the book stands.
    pub fn state(&self) -> BookState {
        self.state
    }

    /// Running totals.
    pub fn counters(&self) -> BookCounters {
        self.counters
    }

    /// Number of `(bid, ask)` levels held.
    pub fn level_counts(&self) -> (usize, usize) {
        (self.bids.len(), self.asks.len())
    }

    /// The best `n` levels per side as `[price, qty]` text as received: `(bids, asks)`.
    pub fn top_text(&self, n: usize) -> (Vec<[String; 2]>, Vec<[String; 2]>) {
        let text = |l: &TextLevel| [l.price.clone(), l.qty.clone()];
        (
            self.bids.values().rev().take(n).map(text).collect(),
            self.asks.values().take(n).map(text).collect(),
        )
    }

    /// Every level, best first: `(bids, asks)`.
    pub fn levels(&self) -> (Vec<Level>, Vec<Level>) {
        let level = |(p, l): (&Decimal, &TextLevel)| Level::new(*p, l.qty_value);
        (
            self.bids.iter().rev().map(level).collect(),
            self.asks.iter().map(level).collect(),
        )
    }

    /// The checksum of the book as held (step 3).
    pub fn checksum(&self) -> u32 {
        crc32(&checksum_input(
            self.asks.values().map(TextLevel::pair),
            self.bids.values().rev().map(TextLevel::pair),
        ))
    }

    /// The connection dropped (or the stream resynced): the book is stale until a snapshot.
    pub fn on_disconnect(&mut self, reason: &str) -> Vec<BookAction> {
        if self.state == BookState::Stale {
            return Vec::new();
        }
        self.state = BookState::Stale;
        vec![self.publish(BookUpdate::Stale {
            reason: reason.to_owned(),
        })]
    }

    /// Applies one message for this symbol (steps 1–4).
    pub fn on_message(&mut self, message: &BookMessage, local_ts_ns: i64) -> Vec<BookAction> {
        let data = &message.data;
        match message.kind {
            BookKind::Snapshot => {
                self.bids.clear();
                self.asks.clear();
                self.counters.snapshots += 1;
            }
            BookKind::Update if self.state != BookState::Live => {
                self.counters.dropped += 1;
                return Vec::new();
            }
            BookKind::Update => {}
        }
        // Step 1, in wire order.
        let mut removed_bids = Vec::new();
        let mut removed_asks = Vec::new();
        for level in &data.bids {
            set(&mut self.bids, level);
        }
        for level in &data.asks {
            set(&mut self.asks, level);
        }
        // Step 2.
        while self.bids.len() > self.depth {
            if let Some((price, _)) = self.bids.pop_first() {
                removed_bids.push(Level::new(price, Decimal::ZERO));
            }
        }
        while self.asks.len() > self.depth {
            if let Some((price, _)) = self.asks.pop_last() {
                removed_asks.push(Level::new(price, Decimal::ZERO));
            }
        }
        self.counters.applied += 1;
        // Steps 3 and 4.
        let computed = self.checksum();
        if computed != data.checksum {
            self.counters.checksum_failures += 1;
            self.counters.resubscribes += 1;
            self.state = BookState::Stale;
            let reason = format!(
                "kraken {} checksum mismatch: computed {computed}, venue sent {}",
                self.symbol, data.checksum
            );
            return vec![
                self.publish(BookUpdate::Stale { reason }),
                BookAction::Resubscribe,
            ];
        }
        let update = match message.kind {
            BookKind::Snapshot => {
                self.state = BookState::Live;
                let (bids, asks) = self.levels();
                BookUpdate::Snapshot(BookSnapshot {
                    symbol: self.symbol.clone(),
                    bids,
                    asks,
                    venue_seq: None,
                    exchange_ts_ns: data.exchange_ts_ns(),
                    local_ts_ns,
                })
            }
            BookKind::Update => BookUpdate::Delta(delta(
                &self.symbol,
                data,
                removed_bids,
                removed_asks,
                local_ts_ns,
            )),
        };
        vec![self.publish(update)]
    }

    fn publish(&mut self, update: BookUpdate) -> BookAction {
        self.published += 1;
        BookAction::Publish {
            seq: self.published,
            update,
        }
    }
}

fn set(side: &mut BTreeMap<Decimal, TextLevel>, level: &WsLevel) {
    let price = level.price.value();
    let qty = level.qty.value();
    if qty <= Decimal::ZERO {
        side.remove(&price);
    } else {
        side.insert(
            price,
            TextLevel {
                price: level.price.text().to_owned(),
                qty: level.qty.text().to_owned(),
                qty_value: qty,
            },
        );
    }
}

/// The published delta: the wire levels, plus a zero for each level truncated out of scope
/// (step 2), so that a consumer applying deltas holds exactly this book.
fn delta(
    symbol: &Symbol,
    data: &BookData,
    removed_bids: Vec<Level>,
    removed_asks: Vec<Level>,
    local_ts_ns: i64,
) -> BookDelta {
    let wire = |levels: &[WsLevel]| levels.iter().map(WsLevel::level).collect::<Vec<_>>();
    let mut bids = wire(&data.bids);
    bids.extend(removed_bids);
    let mut asks = wire(&data.asks);
    asks.extend(removed_asks);
    BookDelta {
        symbol: symbol.clone(),
        bids,
        asks,
        venue_first_seq: None,
        venue_seq: None,
        exchange_ts_ns: data.exchange_ts_ns(),
        local_ts_ns,
    }
}
