//! Order book payloads: events on `md.<venue>.book.<symbol>` and the KV snapshot record.
//!
//! Every event of one book carries a `seq` that grows by exactly one per event (snapshot, delta
//! or stale marker), so a consumer sees any lost message as a gap. A publisher starts its sequence
//! above anything it published before (the bus [`crate::BookSequence`] starts at its start time in
//! microseconds) and begins with a snapshot.

use exchange_core::model::{BookDelta, BookSnapshot, Level, Symbol};
use serde::{Deserialize, Serialize};

use super::payload;

/// Whether an event replaces the book or changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookEventKind {
    /// The full book: replaces anything held.
    Snapshot,
    /// Changed levels with absolute quantities; zero deletes the level.
    Delta,
}

/// Whether the publisher can prove its book correct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookState {
    /// Proven by the venue's sync procedure.
    Live,
    /// Not proven (gap, checksum failure, disconnect): discard the book until the next live
    /// snapshot.
    Stale,
}

/// One order book event on `md.<venue>.book.<symbol>`.
///
/// A delta:
///
/// ```json
/// {"v":1,"venue":"binance","symbol":"BTC/USDT","seq":1700000000000123,"kind":"delta",
///  "state":"live","bids":[["43000.10","0.5"],["42999.00","0"]],"asks":[],
///  "venue_seq":160,"exchange_ts_ns":1700000000123000000,"local_ts_ns":1700000000124000000,
///  "reason":null}
/// ```
///
/// A stale marker (a delta without levels; the book must be discarded):
///
/// ```json
/// {"v":1,"venue":"binance","symbol":"BTC/USDT","seq":1700000000000124,"kind":"delta",
///  "state":"stale","bids":[],"asks":[],"venue_seq":null,"exchange_ts_ns":0,
///  "local_ts_ns":1700000000125000000,"reason":"sequence gap: expected 161, got 165"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookEvent {
    /// Schema version ([`BookEvent::VERSION`]).
    pub v: u16,
    /// Venue token.
    pub venue: String,
    /// Unified symbol.
    pub symbol: Symbol,
    /// Gap-free sequence of this book's events: each event is the previous one's plus one.
    pub seq: u64,
    /// Snapshot or delta.
    pub kind: BookEventKind,
    /// Live, or stale (then `bids`/`asks` are empty and `reason` says why).
    pub state: BookState,
    /// Bid levels, best (highest) first in snapshots.
    pub bids: Vec<Level>,
    /// Ask levels, best (lowest) first in snapshots.
    pub asks: Vec<Level>,
    /// The venue's own update id for this state, when it has one.
    pub venue_seq: Option<u64>,
    /// Venue time, ns since the epoch (0 when unknown).
    pub exchange_ts_ns: i64,
    /// When the publisher received it, ns since the epoch.
    pub local_ts_ns: i64,
    /// Why the book is stale (stale events only).
    pub reason: Option<String>,
}

impl BookEvent {
    /// The schema version this build speaks.
    pub const VERSION: u16 = 1;

    /// A live snapshot event.
    pub fn snapshot(venue: impl Into<String>, seq: u64, snapshot: BookSnapshot) -> Self {
        BookEvent {
            v: Self::VERSION,
            venue: venue.into(),
            symbol: snapshot.symbol,
            seq,
            kind: BookEventKind::Snapshot,
            state: BookState::Live,
            bids: snapshot.bids,
            asks: snapshot.asks,
            venue_seq: snapshot.venue_seq,
            exchange_ts_ns: snapshot.exchange_ts_ns,
            local_ts_ns: snapshot.local_ts_ns,
            reason: None,
        }
    }

    /// A live delta event.
    pub fn delta(venue: impl Into<String>, seq: u64, delta: BookDelta) -> Self {
        BookEvent {
            v: Self::VERSION,
            venue: venue.into(),
            symbol: delta.symbol,
            seq,
            kind: BookEventKind::Delta,
            state: BookState::Live,
            bids: delta.bids,
            asks: delta.asks,
            venue_seq: delta.venue_seq,
            exchange_ts_ns: delta.exchange_ts_ns,
            local_ts_ns: delta.local_ts_ns,
            reason: None,
        }
    }

    /// A stale marker: the publisher can no longer prove its book.
    pub fn stale(
        venue: impl Into<String>,
        symbol: Symbol,
        seq: u64,
        reason: impl Into<String>,
        local_ts_ns: i64,
    ) -> Self {
        BookEvent {
            v: Self::VERSION,
            venue: venue.into(),
            symbol,
            seq,
            kind: BookEventKind::Delta,
            state: BookState::Stale,
            bids: Vec::new(),
            asks: Vec::new(),
            venue_seq: None,
            exchange_ts_ns: 0,
            local_ts_ns,
            reason: Some(reason.into()),
        }
    }

    /// Whether this is a live snapshot (which replaces any book, whatever came before).
    pub fn is_live_snapshot(&self) -> bool {
        self.kind == BookEventKind::Snapshot && self.state == BookState::Live
    }
}
payload!(BookEvent, BookEvent::VERSION);

/// The latest snapshot of a book in KV `md_books`, key `<venue>.<symbol>`.
///
/// `seq` is the [`BookEvent::seq`] of the last event the snapshot includes: a consumer applies
/// events with a greater `seq` on top of it. A `stale` record says the publisher's book is not
/// proven since event `seq`; a consumer waits for a newer record or a live snapshot event.
///
/// ```json
/// {"v":1,"venue":"binance","seq":1700000000000123,"state":"live",
///  "snapshot":{"symbol":"BTC/USDT","bids":[["43000.10","0.5"]],"asks":[["43000.20","1.2"]],
///  "venue_seq":160,"exchange_ts_ns":1700000000123000000,"local_ts_ns":1700000000124000000}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookSnapshotRecord {
    /// Schema version ([`BookSnapshotRecord::VERSION`]).
    pub v: u16,
    /// Venue token.
    pub venue: String,
    /// The seq of the last book event this snapshot includes.
    pub seq: u64,
    /// Live, or stale (the snapshot is then the last proven one, for display only).
    pub state: BookState,
    /// The full book (its `symbol` is the book's symbol).
    pub snapshot: BookSnapshot,
}

impl BookSnapshotRecord {
    /// The schema version this build speaks.
    pub const VERSION: u16 = 1;

    /// A record of `snapshot` as of event `seq`.
    pub fn new(
        venue: impl Into<String>,
        seq: u64,
        state: BookState,
        snapshot: BookSnapshot,
    ) -> Self {
        BookSnapshotRecord {
            v: Self::VERSION,
            venue: venue.into(),
            seq,
            state,
            snapshot,
        }
    }
}
payload!(BookSnapshotRecord, BookSnapshotRecord::VERSION);
