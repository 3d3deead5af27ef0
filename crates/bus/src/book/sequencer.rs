//! The book consumer's sequencing logic, with no I/O: which event to apply, when the book is
//! lost, and which KV snapshot may rebuild it.
//!
//! The procedure (DESIGN §4), numbered as the methods cite it:
//!
//! 1. Subscribe to `md.<venue>.book.<symbol>` **before** reading any snapshot, and buffer the
//!    events that arrive while no snapshot is held ([`BookSequencer::on_event`] while syncing).
//! 2. Read the KV snapshot (`md_books`, key `<venue>.<symbol>`) and offer it to
//!    [`BookSequencer::on_snapshot`]. It is usable when it is live, not older than
//!    [`BookSequencer::wants_snapshot`] asks, and meets the buffer: its `seq` is at least the first
//!    buffered event's `seq - 1`.
//! 3. Reset the book to the snapshot, then apply the buffered events with `seq` greater than the
//!    snapshot's, in order. The book is live.
//! 4. While live, apply each event whose `seq` is the last one plus one. An event with a `seq` not
//!    above the last was already included (it was in flight while the snapshot was read): skip it.
//! 5. On a gap (`seq` above the last plus one) or a stale event, invalidate the book and go back
//!    to step 2, buffering from the event that showed the gap. A stale event also demands a
//!    snapshot newer than itself.
//! 6. A live snapshot event replaces the book whatever came before: it heals any gap at once.
//! 7. If the KV snapshot is too old, do not re-read it in a loop: wait for the next KV update or
//!    snapshot event (the driver keeps a KV watch open while [`BookSequencer::wants_snapshot`]).
//!
//! The buffer is bounded: when it overflows the oldest events are dropped, which only raises the
//! snapshot `seq` step 2 requires.

use std::collections::VecDeque;

use exchange_core::model::Level;

use crate::payload::{BookEvent, BookEventKind, BookSnapshotRecord, BookState};

/// Default bound of the event buffer kept while syncing.
pub const DEFAULT_MAX_BUFFER: usize = 10_000;

/// Levels to put into the book, with the `seq` they bring it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookLevels {
    /// The book's `seq` after this change.
    pub seq: u64,
    /// Bid levels.
    pub bids: Vec<Level>,
    /// Ask levels.
    pub asks: Vec<Level>,
    /// Venue time of this state, ns since the epoch (0 when unknown).
    pub exchange_ts_ns: i64,
}

/// Why a book was invalidated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidReason {
    /// An event was missed: `expected` was due, `got` arrived.
    Gap {
        /// The `seq` that was due.
        expected: u64,
        /// The `seq` that arrived.
        got: u64,
    },
    /// The publisher said its book is stale.
    Stale {
        /// The stale event's `seq`.
        seq: u64,
        /// The publisher's reason.
        reason: Option<String>,
    },
}

impl std::fmt::Display for InvalidReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InvalidReason::Gap { expected, got } => {
                write!(f, "sequence gap: expected {expected}, got {got}")
            }
            InvalidReason::Stale { seq, reason } => write!(
                f,
                "publisher stale at seq {seq}: {}",
                reason.as_deref().unwrap_or("no reason given")
            ),
        }
    }
}

/// What the driver must do to its book, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookAction {
    /// Replace the book with these levels (steps 3 and 6).
    Reset(BookLevels),
    /// Apply these absolute-quantity levels (steps 3 and 4).
    Apply(BookLevels),
    /// The book is no longer proven: discard it until the next reset (step 5).
    Invalidate(InvalidReason),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Syncing,
    Live { last: u64 },
}

/// Counters of what the sequencer saw, for logs and metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SequencerStats {
    /// Events applied as deltas.
    pub applied: u64,
    /// Book resets (snapshots used).
    pub resets: u64,
    /// Invalidations (gaps and stale events).
    pub invalidations: u64,
    /// Events skipped as already included.
    pub skipped: u64,
    /// Snapshots offered but not usable (too old or stale).
    pub snapshots_refused: u64,
    /// Buffered events dropped because the buffer was full.
    pub buffer_dropped: u64,
}

/// The pure sequencer of one book: feed it events and snapshots, do what it answers.
#[derive(Debug, Clone)]
pub struct BookSequencer {
    phase: Phase,
    buffer: VecDeque<BookEvent>,
    max_buffer: usize,
    min_snapshot_seq: u64,
    stats: SequencerStats,
}

impl Default for BookSequencer {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_BUFFER)
    }
}

fn levels(event: BookEvent) -> BookLevels {
    BookLevels {
        seq: event.seq,
        bids: event.bids,
        asks: event.asks,
        exchange_ts_ns: event.exchange_ts_ns,
    }
}

impl BookSequencer {
    /// A sequencer without a book, buffering at most `max_buffer` events (at least 1).
    pub fn new(max_buffer: usize) -> Self {
        BookSequencer {
            phase: Phase::Syncing,
            buffer: VecDeque::new(),
            max_buffer: max_buffer.max(1),
            min_snapshot_seq: 0,
            stats: SequencerStats::default(),
        }
    }

    /// Whether the book is live (proven).
    pub fn is_live(&self) -> bool {
        matches!(self.phase, Phase::Live { .. })
    }

    /// The `seq` of the last change applied, while live.
    pub fn last_seq(&self) -> Option<u64> {
        match self.phase {
            Phase::Live { last } => Some(last),
            Phase::Syncing => None,
        }
    }

    /// While syncing, the smallest snapshot `seq` that could be used now (step 2); `None` while
    /// live. The driver keeps a KV watch open exactly while this is `Some`.
    pub fn wants_snapshot(&self) -> Option<u64> {
        match self.phase {
            Phase::Live { .. } => None,
            Phase::Syncing => {
                let meets_buffer = self.buffer.front().map_or(0, |e| e.seq.saturating_sub(1));
                Some(self.min_snapshot_seq.max(meets_buffer))
            }
        }
    }

    /// Events buffered while syncing.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// What the sequencer saw so far.
    pub fn stats(&self) -> SequencerStats {
        self.stats
    }

    /// Handles one event from the book subject (steps 1, 4, 5, 6).
    pub fn on_event(&mut self, event: BookEvent) -> Vec<BookAction> {
        if event.state == BookState::Stale {
            return self.on_stale(event);
        }
        if event.kind == BookEventKind::Snapshot {
            // Step 6: a live snapshot event replaces the book.
            self.buffer.clear();
            self.go_live(event.seq);
            self.stats.resets += 1;
            return vec![BookAction::Reset(levels(event))];
        }
        match self.phase {
            Phase::Syncing => {
                self.buffer_event(event);
                Vec::new()
            }
            Phase::Live { last } if event.seq <= last => {
                // Step 4: already included in the snapshot we started from.
                self.stats.skipped += 1;
                Vec::new()
            }
            Phase::Live { last } if event.seq == last + 1 => {
                self.go_live(event.seq);
                self.stats.applied += 1;
                vec![BookAction::Apply(levels(event))]
            }
            Phase::Live { last } => {
                // Step 5: a gap.
                let reason = InvalidReason::Gap {
                    expected: last + 1,
                    got: event.seq,
                };
                self.phase = Phase::Syncing;
                self.min_snapshot_seq = last;
                self.buffer_event(event);
                self.stats.invalidations += 1;
                vec![BookAction::Invalidate(reason)]
            }
        }
    }

    /// Handles a snapshot read from KV (steps 2, 3, 7). Ignored while live.
    pub fn on_snapshot(&mut self, record: BookSnapshotRecord) -> Vec<BookAction> {
        let Some(min_seq) = self.wants_snapshot() else {
            return Vec::new();
        };
        if record.state == BookState::Stale {
            // The publisher's book is not proven since `seq`: only a newer one will do.
            self.min_snapshot_seq = self.min_snapshot_seq.max(record.seq.saturating_add(1));
            self.stats.snapshots_refused += 1;
            return Vec::new();
        }
        if record.seq < min_seq {
            // Step 7: too old; wait for the next KV update or snapshot event.
            self.stats.snapshots_refused += 1;
            return Vec::new();
        }
        // Step 3: reset, then apply what was buffered after the snapshot.
        let mut actions = vec![BookAction::Reset(BookLevels {
            seq: record.seq,
            bids: record.snapshot.bids,
            asks: record.snapshot.asks,
            exchange_ts_ns: record.snapshot.exchange_ts_ns,
        })];
        self.stats.resets += 1;
        let mut last = record.seq;
        for event in self.buffer.drain(..) {
            if event.seq <= last {
                continue;
            }
            // The buffer is contiguous and starts at or below `record.seq + 1` (step 2).
            last = event.seq;
            self.stats.applied += 1;
            actions.push(BookAction::Apply(levels(event)));
        }
        self.go_live(last);
        actions
    }

    fn go_live(&mut self, last: u64) {
        self.phase = Phase::Live { last };
        self.min_snapshot_seq = 0;
    }

    fn on_stale(&mut self, event: BookEvent) -> Vec<BookAction> {
        let seq = event.seq;
        self.buffer.clear();
        self.min_snapshot_seq = self.min_snapshot_seq.max(seq.saturating_add(1));
        if self.is_live() {
            self.phase = Phase::Syncing;
            self.stats.invalidations += 1;
            vec![BookAction::Invalidate(InvalidReason::Stale {
                seq,
                reason: event.reason,
            })]
        } else {
            Vec::new()
        }
    }

    /// Step 1: keep a contiguous run of the latest events.
    fn buffer_event(&mut self, event: BookEvent) {
        if let Some(back) = self.buffer.back()
            && event.seq != back.seq + 1
        {
            // A gap (or a restarted sequence) inside the buffer: what came before is useless.
            self.stats.buffer_dropped += self.buffer.len() as u64;
            self.buffer.clear();
        }
        self.buffer.push_back(event);
        while self.buffer.len() > self.max_buffer {
            self.buffer.pop_front();
            self.stats.buffer_dropped += 1;
        }
    }
}

#[cfg(test)]
mod tests;
