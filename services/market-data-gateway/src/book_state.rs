//! The publisher side of one book, as pure logic: it turns the adapter's [`BookUpdate`]s and
//! [`StreamEvent::Resync`]s into numbered [`BookEvent`]s, feed status changes and KV records.
//!
//! The rules (docs/bus.md, "BookEvent" and "FeedStatus"):
//!
//! 1. A snapshot from the adapter is proven: it replaces the book, is published as a snapshot
//!    event and written to KV. The first one publishes status `live`; one after the book was
//!    stale (or after a resync) publishes `resynced`.
//! 2. A delta is published with the next `seq`; every `snapshot_every` deltas the book is also
//!    written to KV, and at least every `snapshot_interval_ms` while deltas come
//!    ([`BookState::periodic_record`], driven by the feed's timer).
//! 3. `Stale` from the adapter, a `Resync` (the venue connection was lost: updates may be
//!    missing) or the end of the stream make the book stale: a stale marker event, status
//!    `stale`, and a stale KV record. Deltas are ignored until the next snapshot.
//! 4. Nothing is numbered unless it will be published: when the NATS side is backed up the
//!    driver calls [`BookState::suspend`] instead, which keeps the local book current without
//!    numbering. When there is room again, [`BookState::resume`] publishes a fresh snapshot of
//!    the (still proven) local book, so consumers resync instead of seeing a hole.
//! 5. After a NATS reconnect, [`BookState::republish`] publishes a snapshot and KV record again
//!    (the server may have lost both).
//! 6. While the venue's stream is down and REST polling stands in ([`BookState::set_polling`]),
//!    snapshots are polled books: the first one after the book was stale publishes status
//!    `polling` instead of `resynced`; later ones publish no status.

use bus::{BookEvent, BookSequence, BookSnapshotRecord, FeedState};
use exchange_core::model::{BookSnapshot, Symbol};
use exchange_core::orderbook::OrderBook;
use exchange_core::{BookUpdate, StreamEvent};

/// Channel messages [`BookState`] may emit for one input, at most (event + status).
pub const MAX_CHANNEL_EMITS: usize = 2;

/// What the state machine wants published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Emit {
    /// A book event on `md.<venue>.book.<symbol>`.
    Event(BookEvent),
    /// A feed status change on `md.<venue>.status.<symbol>`.
    Status(FeedState, Option<String>),
    /// The KV `md_books` record (goes to the KV writer, not the channel).
    Record(BookSnapshotRecord),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    AwaitingFirst,
    Live,
    Stale,
}

/// One book's publisher state.
#[derive(Debug)]
pub struct BookState {
    seq: BookSequence,
    book: OrderBook,
    phase: Phase,
    /// The last snapshot or delta's venue id and times, for snapshots made from the local book.
    venue_seq: Option<u64>,
    exchange_ts_ns: i64,
    local_ts_ns: i64,
    resync_pending: bool,
    suspended: u64,
    deltas_since_record: u64,
    snapshot_every: u64,
    stale_reason: String,
    /// Whether the last book event published said live (a snapshot or delta, not a marker).
    published_live: bool,
    /// Whether snapshots now come from REST polling.
    polling: bool,
}

impl BookState {
    /// The state of `venue`'s book of `symbol`, numbering from `first_seq`, with a KV record
    /// every `snapshot_every` deltas.
    pub fn new(venue: &str, symbol: Symbol, first_seq: u64, snapshot_every: u64) -> Self {
        BookState {
            seq: BookSequence::new(venue, symbol, first_seq),
            book: OrderBook::new(),
            phase: Phase::AwaitingFirst,
            venue_seq: None,
            exchange_ts_ns: 0,
            local_ts_ns: 0,
            resync_pending: false,
            suspended: 0,
            deltas_since_record: 0,
            snapshot_every: snapshot_every.max(1),
            stale_reason: String::new(),
            published_live: false,
            polling: false,
        }
    }

    /// Tells whether the venue is served by REST polling now (its connection state): snapshots
    /// then publish status `polling` rather than `resynced`.
    pub fn set_polling(&mut self, polling: bool) {
        self.polling = polling;
    }

    /// The local book (what was published, plus what is pending while suspended).
    pub fn book(&self) -> &OrderBook {
        &self.book
    }

    /// Whether the book is live (proven).
    pub fn is_live(&self) -> bool {
        self.phase == Phase::Live
    }

    /// Inputs skipped while suspended, since the last resume (0 when not suspended).
    pub fn suspended(&self) -> u64 {
        self.suspended
    }

    /// The `seq` of the last event numbered.
    pub fn last_seq(&self) -> Option<u64> {
        self.seq.last_seq()
    }

    /// Handles one input with room to publish; returns what to publish, in order.
    pub fn on_event(&mut self, event: StreamEvent<BookUpdate>, now_ns: i64) -> Vec<Emit> {
        match event {
            StreamEvent::Data(BookUpdate::Snapshot(snapshot)) => self.snapshot(snapshot),
            StreamEvent::Data(BookUpdate::Delta(delta)) => {
                if self.phase != Phase::Live {
                    return Vec::new();
                }
                self.book.apply_delta(&delta.bids, &delta.asks);
                self.note(delta.venue_seq, delta.exchange_ts_ns, delta.local_ts_ns);
                let mut out = vec![Emit::Event(self.seq.delta(delta))];
                self.deltas_since_record += 1;
                if self.deltas_since_record >= self.snapshot_every {
                    out.extend(self.record());
                }
                out
            }
            StreamEvent::Data(BookUpdate::Stale { reason }) => self.go_stale(reason, now_ns),
            StreamEvent::Resync => {
                self.resync_pending = true;
                if self.phase == Phase::Live {
                    self.go_stale(
                        "venue stream resync: updates may have been missed".into(),
                        now_ns,
                    )
                } else {
                    Vec::new()
                }
            }
        }
    }

    /// The adapter's stream ended: the book cannot be proven any more.
    pub fn on_stream_end(&mut self, now_ns: i64) -> Vec<Emit> {
        self.resync_pending = true;
        match self.phase {
            Phase::Live => self.go_stale("venue stream ended".into(), now_ns),
            _ => Vec::new(),
        }
    }

    /// Handles one input without room to publish: keeps the local book current, numbers
    /// nothing, and remembers to [`BookState::resume`].
    pub fn suspend(&mut self, event: StreamEvent<BookUpdate>) {
        self.suspended += 1;
        match event {
            StreamEvent::Data(BookUpdate::Snapshot(s)) => {
                self.book.apply_snapshot(&s.bids, &s.asks);
                self.note(s.venue_seq, s.exchange_ts_ns, s.local_ts_ns);
                if self.phase != Phase::Live {
                    self.resync_pending |= self.phase == Phase::Stale;
                    self.phase = Phase::Live;
                }
            }
            StreamEvent::Data(BookUpdate::Delta(d)) => {
                if self.phase == Phase::Live {
                    self.book.apply_delta(&d.bids, &d.asks);
                    self.note(d.venue_seq, d.exchange_ts_ns, d.local_ts_ns);
                }
            }
            StreamEvent::Data(BookUpdate::Stale { reason }) => {
                if self.phase == Phase::Live {
                    self.phase = Phase::Stale;
                    self.stale_reason = reason;
                }
            }
            StreamEvent::Resync => {
                self.resync_pending = true;
                if self.phase == Phase::Live {
                    self.phase = Phase::Stale;
                    self.stale_reason = "venue stream resync: updates may have been missed".into();
                }
            }
        }
    }

    /// The KV record of a live book changed since the last record (for the periodic write that
    /// bounds how long a resyncing consumer waits); `None` when nothing changed or not live.
    pub fn periodic_record(&mut self) -> Option<Emit> {
        if self.phase == Phase::Live && self.suspended == 0 && self.deltas_since_record > 0 {
            self.record()
        } else {
            None
        }
    }

    /// Remembers that consumers are owed the current book (a republish found no room): the
    /// next [`BookState::resume`] publishes it.
    pub fn owe_snapshot(&mut self) {
        self.suspended += 1;
    }

    /// With room again after [`BookState::suspend`]: publishes the state consumers need (a
    /// snapshot of the proven local book, or a stale marker).
    pub fn resume(&mut self, now_ns: i64) -> Vec<Emit> {
        if self.suspended == 0 {
            return Vec::new();
        }
        let skipped = std::mem::take(&mut self.suspended);
        let why = format!("publisher buffer overflow: {skipped} updates not published");
        match self.phase {
            Phase::Live => self.local_snapshot(FeedState::Resynced, why),
            Phase::Stale if self.published_live => {
                // Consumers hold a live book that went stale while nothing could be published.
                let reason = std::mem::take(&mut self.stale_reason);
                self.phase = Phase::Live; // go_stale acts on a live book only
                self.go_stale(reason, now_ns)
            }
            Phase::Stale | Phase::AwaitingFirst => Vec::new(),
        }
    }

    /// After a NATS reconnect: the book again, as a snapshot event and KV record (live), or a
    /// stale KV record.
    pub fn republish(&mut self) -> Vec<Emit> {
        match self.phase {
            Phase::Live => self.local_snapshot(
                FeedState::Resynced,
                "republished after a NATS reconnect".into(),
            ),
            Phase::Stale => self.record().into_iter().collect(),
            Phase::AwaitingFirst => Vec::new(),
        }
    }

    fn snapshot(&mut self, snapshot: BookSnapshot) -> Vec<Emit> {
        self.book.apply_snapshot(&snapshot.bids, &snapshot.asks);
        self.note(
            snapshot.venue_seq,
            snapshot.exchange_ts_ns,
            snapshot.local_ts_ns,
        );
        let status = match self.phase {
            Phase::AwaitingFirst => Some((FeedState::Live, "first snapshot".to_owned())),
            Phase::Stale => Some((
                FeedState::Resynced,
                "book rebuilt from a new snapshot".into(),
            )),
            Phase::Live if self.resync_pending => {
                Some((FeedState::Resynced, "book rebuilt after a resync".into()))
            }
            Phase::Live => None,
        };
        let status = match status {
            Some(_) if self.polling => Some((
                FeedState::Polling,
                "book from a REST snapshot: the venue stream is down".to_owned(),
            )),
            other => other,
        };
        self.phase = Phase::Live;
        self.resync_pending = false;
        self.published_live = true;
        let mut out = vec![Emit::Event(self.seq.snapshot(snapshot))];
        if let Some((state, why)) = status {
            out.push(Emit::Status(state, Some(why)));
        }
        out.extend(self.record());
        out
    }

    fn local_snapshot(&mut self, state: FeedState, why: String) -> Vec<Emit> {
        let snapshot = self.current();
        self.resync_pending = false;
        self.published_live = true;
        let mut out = vec![
            Emit::Event(self.seq.snapshot(snapshot)),
            Emit::Status(state, Some(why)),
        ];
        out.extend(self.record());
        out
    }

    fn go_stale(&mut self, reason: String, now_ns: i64) -> Vec<Emit> {
        if self.phase != Phase::Live {
            return Vec::new();
        }
        self.phase = Phase::Stale;
        self.published_live = false;
        let mut out = vec![
            Emit::Event(self.seq.stale(reason.clone(), now_ns)),
            Emit::Status(FeedState::Stale, Some(reason)),
        ];
        out.extend(self.record());
        out
    }

    fn record(&mut self) -> Option<Emit> {
        self.deltas_since_record = 0;
        let snapshot = self.current();
        self.seq.record(snapshot).map(Emit::Record)
    }

    fn current(&self) -> BookSnapshot {
        let (bids, asks) = self.book.levels();
        BookSnapshot {
            symbol: self.seq.symbol().clone(),
            bids,
            asks,
            venue_seq: self.venue_seq,
            exchange_ts_ns: self.exchange_ts_ns,
            local_ts_ns: self.local_ts_ns,
        }
    }

    fn note(&mut self, venue_seq: Option<u64>, exchange_ts_ns: i64, local_ts_ns: i64) {
        self.venue_seq = venue_seq;
        self.exchange_ts_ns = exchange_ts_ns;
        self.local_ts_ns = local_ts_ns;
    }
}

#[cfg(test)]
mod tests;
