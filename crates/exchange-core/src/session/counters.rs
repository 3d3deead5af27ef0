//! Counters of what a venue's connections received that the adapter could not use, shared by
//! every session of one adapter and readable by its users ([`crate::Exchange::frame_counters`]).
//!
//! Cheap to clone: every clone counts into the same atomics. The session manager counts; a
//! service exports the counts (the market-data-gateway as
//! `md_venue_frames_undecodable_total{venue}`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Frame counts of one adapter's venue connections.
#[derive(Debug, Clone, Default)]
pub struct FrameCounters {
    undecodable: Arc<AtomicU64>,
}

impl FrameCounters {
    /// Fresh counters at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one frame the adapter could not decode
    /// ([`Inbound::Undecodable`](super::Inbound::Undecodable)).
    pub fn record_undecodable(&self) -> u64 {
        self.undecodable.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Frames received that could not be decoded, so far.
    pub fn undecodable(&self) -> u64 {
        self.undecodable.load(Ordering::Relaxed)
    }

    /// The shared count itself, for a metrics registry that reads it at scrape time without
    /// exchange-core depending on it.
    pub fn undecodable_shared(&self) -> Arc<AtomicU64> {
        self.undecodable.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_count_into_the_same_total() {
        let a = FrameCounters::new();
        let b = a.clone();
        assert_eq!(a.record_undecodable(), 1);
        assert_eq!(b.record_undecodable(), 2);
        assert_eq!(a.undecodable(), 2);
        assert_eq!(a.undecodable_shared().load(Ordering::Relaxed), 2);
    }
}
