//! The publisher side of a book's `seq`: numbers every event of one book, gap-free.
//!
//! A publisher (the market-data-gateway, or a test) holds one [`BookSequence`] per book and turns
//! each snapshot, delta or stale marker into a [`BookEvent`] through it, so the `seq` grows by
//! exactly one per event. The first `seq` of a new sequence is the current time in microseconds:
//! a restarted publisher continues above everything it published before (consumers would
//! otherwise skip its events as already seen), and the numbers stay below 2^53, exact in JSON
//! readers that use doubles.

use exchange_core::model::{BookDelta, BookSnapshot, Symbol};

use crate::payload::{BookEvent, BookSnapshotRecord, BookState};

/// Numbers the events of one book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookSequence {
    venue: String,
    symbol: Symbol,
    next: u64,
    last: Option<u64>,
    last_state: BookState,
}

impl BookSequence {
    /// A sequence whose first event gets `first_seq`.
    pub fn new(venue: impl Into<String>, symbol: Symbol, first_seq: u64) -> Self {
        BookSequence {
            venue: venue.into(),
            symbol,
            next: first_seq,
            last: None,
            last_state: BookState::Stale,
        }
    }

    /// A sequence starting at the current time in microseconds since the epoch.
    pub fn starting_now(venue: impl Into<String>, symbol: Symbol) -> Self {
        let micros = u64::try_from(exchange_core::model::now_ns() / 1_000).unwrap_or(1);
        Self::new(venue, symbol, micros.max(1))
    }

    /// The venue token.
    pub fn venue(&self) -> &str {
        &self.venue
    }

    /// The book's symbol.
    pub fn symbol(&self) -> &Symbol {
        &self.symbol
    }

    /// The `seq` of the last event numbered, if any.
    pub fn last_seq(&self) -> Option<u64> {
        self.last
    }

    fn take(&mut self) -> u64 {
        let seq = self.next;
        self.next = seq.saturating_add(1);
        self.last = Some(seq);
        seq
    }

    /// The event publishing a full book; the book is live from here on.
    pub fn snapshot(&mut self, snapshot: BookSnapshot) -> BookEvent {
        self.last_state = BookState::Live;
        BookEvent::snapshot(self.venue.clone(), self.take(), snapshot)
    }

    /// The event publishing a change.
    pub fn delta(&mut self, delta: BookDelta) -> BookEvent {
        BookEvent::delta(self.venue.clone(), self.take(), delta)
    }

    /// The stale marker: the book is not proven from here until the next snapshot.
    pub fn stale(&mut self, reason: impl Into<String>, local_ts_ns: i64) -> BookEvent {
        self.last_state = BookState::Stale;
        BookEvent::stale(
            self.venue.clone(),
            self.symbol.clone(),
            self.take(),
            reason,
            local_ts_ns,
        )
    }

    /// The KV record of `snapshot`, which must be the book as of the last event numbered;
    /// `None` before the first event. The record is stale while the book is.
    pub fn record(&self, snapshot: BookSnapshot) -> Option<BookSnapshotRecord> {
        let seq = self.last?;
        Some(BookSnapshotRecord::new(
            self.venue.clone(),
            seq,
            self.last_state,
            snapshot,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(symbol: &Symbol) -> BookSnapshot {
        BookSnapshot {
            symbol: symbol.clone(),
            bids: vec![],
            asks: vec![],
            venue_seq: None,
            exchange_ts_ns: 0,
            local_ts_ns: 0,
        }
    }

    #[test]
    fn numbers_every_event_once_and_tracks_state() {
        let symbol: Symbol = "BTC/USDT".parse().unwrap();
        let mut seq = BookSequence::new("binance", symbol.clone(), 100);
        assert_eq!(seq.last_seq(), None);
        assert!(seq.record(snap(&symbol)).is_none());
        let e = seq.snapshot(snap(&symbol));
        assert_eq!((e.seq, e.is_live_snapshot()), (100, true));
        let d = seq.delta(BookDelta {
            symbol: symbol.clone(),
            bids: vec![],
            asks: vec![],
            venue_first_seq: None,
            venue_seq: None,
            exchange_ts_ns: 0,
            local_ts_ns: 0,
        });
        assert_eq!(d.seq, 101);
        let record = seq.record(snap(&symbol)).unwrap();
        assert_eq!((record.seq, record.state), (101, BookState::Live));
        let s = seq.stale("gap", 1);
        assert_eq!((s.seq, s.state), (102, BookState::Stale));
        let record = seq.record(snap(&symbol)).unwrap();
        assert_eq!((record.seq, record.state), (102, BookState::Stale));
        assert_eq!(seq.last_seq(), Some(102));
    }

    #[test]
    fn a_new_sequence_starts_above_an_older_one() {
        let symbol: Symbol = "BTC/USDT".parse().unwrap();
        let mut first = BookSequence::starting_now("binance", symbol.clone());
        let a = first.snapshot(snap(&symbol)).seq;
        assert!(a < (1u64 << 53), "seq stays exact in JSON doubles");
        for _ in 0..10 {
            first.snapshot(snap(&symbol));
        }
        let b = BookSequence::starting_now("binance", symbol.clone()).next;
        assert!(
            b >= a,
            "a restarted publisher does not go below the old sequence start"
        );
    }
}
