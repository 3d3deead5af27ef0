//! What the sequencer reports: its state, its actions and its counters.

use serde::Serialize;

use crate::BookUpdate;

/// Where a [`super::BookSync`] stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// Buffering events and waiting for a snapshot (or for the event that proves it).
    Syncing,
    /// Proven: snapshot plus a gap-free chain of events.
    Live,
    /// A gap was detected; waiting for a fresh snapshot. The book is not to be trusted.
    Stale,
}

impl SyncState {
    /// `"live"` when proven, `"stale"` otherwise (syncing books are not proven either).
    pub fn as_live_or_stale(self) -> &'static str {
        match self {
            SyncState::Live => "live",
            SyncState::Syncing | SyncState::Stale => "stale",
        }
    }
}

/// What the driver of a [`super::BookSync`] must do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncAction {
    /// Fetch a REST depth snapshot and pass it to [`super::BookSync::on_snapshot`] (step 2, or
    /// step 3 / after a gap: a newer one).
    FetchSnapshot,
    /// Publish this book update. `seq` increases by exactly one per published update over the
    /// life of the sequencer, so consumers can detect anything they missed.
    Publish {
        /// Gap-free publication sequence.
        seq: u64,
        /// Snapshot, delta or stale notice.
        update: BookUpdate,
    },
}

/// Running totals, for metrics and for `xctl replay book`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SyncCounters {
    /// Events applied to the book.
    pub applied: u64,
    /// Events ignored as older than the book (or evicted from a full buffer).
    pub dropped: u64,
    /// Continuity breaks detected on a live book.
    pub gaps: u64,
    /// Snapshots that became the base of a live book.
    pub snapshots: u64,
    /// Snapshot fetches requested.
    pub snapshot_requests: u64,
}
