//! The Binance local order book procedure (§5.1) as a pure sequencer: events and snapshots in,
//! [`SyncAction`]s out, no I/O.
//!
//! Spot (web-socket-streams.md "How to manage a local order book correctly"):
//! 1. open the diff-depth stream and buffer its events, noting `U` of the first;
//! 2. fetch a depth snapshot;
//! 3. if the snapshot's `lastUpdateId` is older than the first buffered `U`, fetch again;
//! 4. discard buffered events with `u <= lastUpdateId`; the first remaining one must straddle
//!    (`U <= lastUpdateId + 1 <= u`);
//! 5. book := snapshot, then apply each event; if `U > book id + 1` something was lost: discard
//!    the book and restart from step 1.
//!
//! USD-M futures (developers.binance.com, same title) differs in steps 4–6: drop `u <
//! lastUpdateId`; the first event has `U <= lastUpdateId <= u`; afterwards `pu` must equal the
//! previous event's `u`. The verdicts live in [`rules`].
//!
//! A book is never published as good unless proven: the snapshot is only published together
//! with the first event that continues it, and any gap publishes [`BookUpdate::Stale`] and asks
//! for a new snapshot. Published updates carry a gap-free `seq`. When the connection itself
//! breaks (dropped, frozen), the driver calls [`BookSync::invalidate`].

pub mod rules;
mod types;

use std::collections::VecDeque;

pub use types::{SyncAction, SyncCounters, SyncState};

use self::rules::{Rules, Verdict};
use super::Product;
use super::parse::depth::{DepthSnapshot, DepthUpdate};
use crate::BookUpdate;
use crate::model::{BookDelta, BookSnapshot, Symbol};
use crate::orderbook::OrderBook;

/// How many events are buffered while waiting for a snapshot before the oldest are evicted.
pub const DEFAULT_MAX_BUFFER: usize = 10_000;

/// The order book sequencer of one symbol.
#[derive(Debug, Clone)]
pub struct BookSync {
    symbol: Symbol,
    rules: Rules,
    state: SyncState,
    book: OrderBook,
    book_id: Option<u64>,
    pending: Option<(DepthSnapshot, i64)>,
    buffer: VecDeque<(DepthUpdate, i64)>,
    max_buffer: usize,
    snapshot_requested: bool,
    next_seq: u64,
    counters: SyncCounters,
}

impl BookSync {
    /// A sequencer for `symbol` following the procedure of `product`.
    pub fn new(symbol: Symbol, product: Product) -> Self {
        BookSync {
            symbol,
            rules: match product {
                Product::Spot | Product::Margin => Rules::Spot,
                Product::UsdM => Rules::UsdM,
            },
            state: SyncState::Syncing,
            book: OrderBook::new(),
            book_id: None,
            pending: None,
            buffer: VecDeque::new(),
            max_buffer: DEFAULT_MAX_BUFFER,
            snapshot_requested: false,
            next_seq: 1,
            counters: SyncCounters::default(),
        }
    }

    /// Sets how many events may wait for a snapshot (at least 1).
    pub fn with_max_buffer(mut self, max_buffer: usize) -> Self {
        self.max_buffer = max_buffer.max(1);
        self
    }

    /// The unified symbol.
    pub fn symbol(&self) -> &Symbol {
        &self.symbol
    }

    /// Syncing, live or stale.
    pub fn state(&self) -> SyncState {
        self.state
    }

    /// The book. Only [`SyncState::Live`] books are proven; a stale one keeps its last levels
    /// for diagnostics until the next snapshot replaces them.
    pub fn book(&self) -> &OrderBook {
        &self.book
    }

    /// The update id the book reflects (last applied `u`, or the snapshot's `lastUpdateId`).
    pub fn last_update_id(&self) -> Option<u64> {
        self.book_id
    }

    /// Running totals.
    pub fn counters(&self) -> SyncCounters {
        self.counters
    }

    /// Handles one diff-depth event received at `local_ts_ns`.
    pub fn on_update(&mut self, ev: DepthUpdate, local_ts_ns: i64) -> Vec<SyncAction> {
        let mut actions = Vec::new();
        self.on_update_into(ev, local_ts_ns, &mut actions);
        actions
    }

    /// Handles a REST depth snapshot received at `local_ts_ns` (steps 3–5): buffered events are
    /// replayed on it. Ignored while the book is live; a proven book is only replaced after a
    /// gap or [`Self::invalidate`].
    pub fn on_snapshot(&mut self, snapshot: DepthSnapshot, local_ts_ns: i64) -> Vec<SyncAction> {
        let mut actions = Vec::new();
        if self.state == SyncState::Live {
            return actions;
        }
        self.snapshot_requested = false;
        self.pending = Some((snapshot, local_ts_ns));
        let buffered = std::mem::take(&mut self.buffer);
        for (ev, ts) in buffered {
            self.on_update_into(ev, ts, &mut actions);
        }
        actions
    }

    /// Marks the book unproven after something outside the stream broke it (a dropped or
    /// frozen connection, a resubscribe): publishes [`BookUpdate::Stale`] if it was live, drops
    /// everything buffered, and restarts at step 1 (the next event asks for a snapshot).
    pub fn invalidate(&mut self, reason: &str) -> Vec<SyncAction> {
        let mut actions = Vec::new();
        if self.state == SyncState::Live {
            self.publish(
                BookUpdate::Stale {
                    reason: reason.to_owned(),
                },
                &mut actions,
            );
        }
        if self.state != SyncState::Syncing {
            self.state = SyncState::Stale;
        }
        self.pending = None;
        self.counters.dropped += self.buffer.len() as u64;
        self.buffer.clear();
        self.snapshot_requested = false;
        actions
    }

    fn on_update_into(&mut self, ev: DepthUpdate, ts: i64, actions: &mut Vec<SyncAction>) {
        match self.state {
            SyncState::Live => self.on_live(ev, ts, actions),
            _ if self.pending.is_some() => self.on_first(ev, ts, actions),
            _ => self.buffer_event(ev, ts, actions),
        }
    }

    /// Step 1: buffer, and ask for a snapshot once.
    fn buffer_event(&mut self, ev: DepthUpdate, ts: i64, actions: &mut Vec<SyncAction>) {
        if self.buffer.len() >= self.max_buffer {
            self.buffer.pop_front();
            self.counters.dropped += 1;
        }
        self.buffer.push_back((ev, ts));
        self.request_snapshot(actions);
    }

    fn request_snapshot(&mut self, actions: &mut Vec<SyncAction>) {
        if !self.snapshot_requested {
            self.snapshot_requested = true;
            self.counters.snapshot_requests += 1;
            actions.push(SyncAction::FetchSnapshot);
        }
    }

    /// Steps 3–4 (futures 4–5): the first event after the pending snapshot.
    fn on_first(&mut self, ev: DepthUpdate, ts: i64, actions: &mut Vec<SyncAction>) {
        let Some((snapshot, snapshot_ts)) = self.pending.take() else {
            return self.buffer_event(ev, ts, actions);
        };
        match rules::first_event(self.rules, &ev, snapshot.last_update_id) {
            Verdict::Drop => {
                self.counters.dropped += 1;
                self.pending = Some((snapshot, snapshot_ts));
            }
            Verdict::Apply => {
                self.go_live(snapshot, snapshot_ts, actions);
                self.apply(ev, ts, actions);
            }
            Verdict::Gap => {
                // Step 3: the snapshot is older than the stream; it cannot be proven.
                self.buffer_event(ev, ts, actions);
            }
        }
    }

    /// Step 5 (futures 6): a live book takes only continuous events.
    fn on_live(&mut self, ev: DepthUpdate, ts: i64, actions: &mut Vec<SyncAction>) {
        let book_id = self.book_id.unwrap_or(0);
        match rules::next_event(self.rules, &ev, book_id) {
            Verdict::Drop => self.counters.dropped += 1,
            Verdict::Apply => self.apply(ev, ts, actions),
            Verdict::Gap => {
                self.counters.gaps += 1;
                self.state = SyncState::Stale;
                let reason = match self.rules {
                    Rules::Spot => format!(
                        "gap: book at {book_id}, next event starts at U={}",
                        ev.first_update_id
                    ),
                    Rules::UsdM => format!(
                        "gap: book at {book_id}, next event has pu={:?}",
                        ev.prev_final_update_id
                    ),
                };
                self.publish(BookUpdate::Stale { reason }, actions);
                self.buffer_event(ev, ts, actions);
            }
        }
    }

    fn go_live(&mut self, snapshot: DepthSnapshot, ts: i64, actions: &mut Vec<SyncAction>) {
        self.book.apply_snapshot(&snapshot.bids, &snapshot.asks);
        self.book_id = Some(snapshot.last_update_id);
        self.state = SyncState::Live;
        self.counters.snapshots += 1;
        let (bids, asks) = self.book.levels();
        let proven: BookSnapshot = DepthSnapshot {
            bids,
            asks,
            ..snapshot
        }
        .to_snapshot(self.symbol.clone(), ts);
        self.publish(BookUpdate::Snapshot(proven), actions);
    }

    fn apply(&mut self, ev: DepthUpdate, ts: i64, actions: &mut Vec<SyncAction>) {
        self.book.apply_delta(&ev.bids, &ev.asks);
        self.book_id = Some(ev.final_update_id);
        self.counters.applied += 1;
        let exchange_ts_ns = ev.exchange_ts_ns();
        let delta = BookDelta {
            symbol: self.symbol.clone(),
            venue_first_seq: Some(ev.first_update_id),
            venue_seq: Some(ev.final_update_id),
            bids: ev.bids,
            asks: ev.asks,
            exchange_ts_ns,
            local_ts_ns: ts,
        };
        self.publish(BookUpdate::Delta(delta), actions);
    }

    fn publish(&mut self, update: BookUpdate, actions: &mut Vec<SyncAction>) {
        actions.push(SyncAction::Publish {
            seq: self.next_seq,
            update,
        });
        self.next_seq += 1;
    }
}
