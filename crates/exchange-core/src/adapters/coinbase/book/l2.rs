//! One product's `l2_data` book (steps 2, 3 and the stale rules of [`super`]).

use serde::Serialize;

use crate::BookUpdate;
use crate::adapters::coinbase::parse::ws::level2::L2Event;
use crate::model::{BookDelta, BookSnapshot, Symbol};
use crate::orderbook::OrderBook;

/// Where an [`L2Book`] stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BookState {
    /// Subscribed (or reconnected); the snapshot has not come yet.
    AwaitingSnapshot,
    /// Snapshot plus every update since, with no message lost on the connection.
    Live,
    /// Messages were lost; a resubscribe was asked for and its snapshot has not come yet.
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

/// What the driver of an [`L2Book`] must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookAction {
    /// Publish this update; `seq` grows by exactly one per publication of this book.
    Publish {
        /// Gap-free publication sequence.
        seq: u64,
        /// Snapshot, delta or stale notice.
        update: BookUpdate,
    },
    /// Unsubscribe and subscribe `level2` for this product again (or reconnect), so that a
    /// fresh snapshot comes.
    Resubscribe {
        /// The product.
        product_id: String,
    },
}

/// Running totals, for metrics and replays.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BookCounters {
    /// Events applied (snapshots and updates).
    pub applied: u64,
    /// Updates dropped while no proven book existed.
    pub dropped: u64,
    /// Sequence gaps that hit this book.
    pub gaps: u64,
    /// Snapshots applied.
    pub snapshots: u64,
    /// Resubscribes asked for.
    pub resubscribes: u64,
}

/// The book of one product on one connection.
#[derive(Debug, Clone)]
pub struct L2Book {
    product_id: String,
    symbol: Symbol,
    state: BookState,
    book: OrderBook,
    venue_seq: Option<u64>,
    next_seq: u64,
    counters: BookCounters,
}

impl L2Book {
    /// A book for `product_id` (unified as `symbol`), waiting for its snapshot.
    pub fn new(product_id: &str, symbol: Symbol) -> Self {
        L2Book {
            product_id: product_id.to_owned(),
            symbol,
            state: BookState::AwaitingSnapshot,
            book: OrderBook::new(),
            venue_seq: None,
            next_seq: 1,
            counters: BookCounters::default(),
        }
    }

    /// The product id.
    pub fn product_id(&self) -> &str {
        &self.product_id
    }

    /// The unified symbol.
    pub fn symbol(&self) -> &Symbol {
        &self.symbol
    }

    /// Awaiting snapshot, live or stale.
    pub fn state(&self) -> BookState {
        self.state
    }

    /// The levels. Only a [`BookState::Live`] book is proven; a stale one keeps its last levels
    /// for diagnostics until the next snapshot.
    pub fn book(&self) -> &OrderBook {
        &self.book
    }

    /// The `sequence_num` of the last message applied.
    pub fn venue_seq(&self) -> Option<u64> {
        self.venue_seq
    }

    /// Running totals.
    pub fn counters(&self) -> BookCounters {
        self.counters
    }

    fn publish(&mut self, update: BookUpdate) -> BookAction {
        let seq = self.next_seq;
        self.next_seq += 1;
        BookAction::Publish { seq, update }
    }

    /// Applies one `l2_data` event of message `sequence_num` (message time `ts_ns`). Steps 2
    /// and 3: a snapshot replaces the book and makes it live; an update applies only to a live
    /// book and is dropped otherwise.
    pub fn on_event(
        &mut self,
        event: &L2Event,
        sequence_num: u64,
        ts_ns: i64,
        local_ts_ns: i64,
    ) -> crate::Result<Vec<BookAction>> {
        let (bids, asks) = event.levels()?;
        if event.is_snapshot() {
            self.book.apply_snapshot(&bids, &asks);
            self.state = BookState::Live;
            self.venue_seq = Some(sequence_num);
            self.counters.applied += 1;
            self.counters.snapshots += 1;
            let (bids, asks) = self.book.levels();
            let snapshot = BookSnapshot {
                symbol: self.symbol.clone(),
                bids,
                asks,
                venue_seq: Some(sequence_num),
                exchange_ts_ns: ts_ns,
                local_ts_ns,
            };
            return Ok(vec![self.publish(BookUpdate::Snapshot(snapshot))]);
        }
        if self.state != BookState::Live {
            self.counters.dropped += 1;
            return Ok(Vec::new());
        }
        self.book.apply_delta(&bids, &asks);
        self.venue_seq = Some(sequence_num);
        self.counters.applied += 1;
        let delta = BookDelta {
            symbol: self.symbol.clone(),
            bids,
            asks,
            venue_first_seq: Some(sequence_num),
            venue_seq: Some(sequence_num),
            exchange_ts_ns: ts_ns,
            local_ts_ns,
        };
        Ok(vec![self.publish(BookUpdate::Delta(delta))])
    }

    /// Step 4: messages were lost on the connection. A live book publishes
    /// [`BookUpdate::Stale`]; every book asks for a resubscribe (again, if the previous
    /// resubscribe's snapshot may itself have been lost).
    pub fn on_gap(&mut self, reason: &str) -> Vec<BookAction> {
        self.counters.gaps += 1;
        self.counters.resubscribes += 1;
        let mut actions = Vec::new();
        if self.state == BookState::Live {
            actions.push(self.publish(BookUpdate::Stale {
                reason: format!("coinbase {}: {reason}", self.product_id),
            }));
        }
        self.state = BookState::Stale;
        actions.push(BookAction::Resubscribe {
            product_id: self.product_id.clone(),
        });
        actions
    }

    /// Step 5: the connection was lost (the session resubscribes on reconnect by itself). A live
    /// book publishes [`BookUpdate::Stale`] and waits for its new snapshot.
    pub fn on_disconnect(&mut self, reason: &str) -> Vec<BookAction> {
        let mut actions = Vec::new();
        if self.state == BookState::Live {
            actions.push(self.publish(BookUpdate::Stale {
                reason: format!("coinbase {}: {reason}", self.product_id),
            }));
        }
        if self.state != BookState::Stale {
            self.state = BookState::AwaitingSnapshot;
        }
        actions
    }
}
