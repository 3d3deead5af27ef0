//! One limit of a venue: a fixed window or a decaying counter, behind one interface.

use std::time::Duration;

use tokio::time::Instant;

use super::decay::DecayingCounter;
use super::window::FixedWindow;

/// Why a cost does not fit a bucket now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// It fits from this instant on (if nothing else is spent meanwhile).
    Until(Instant),
    /// It can never fit: the cost exceeds the bucket's capacity, or the bucket is unknown.
    Never,
}

impl Denied {
    /// The later of two refusals; `Never` wins.
    pub fn max(self, other: Denied) -> Denied {
        match (self, other) {
            (Denied::Never, _) | (_, Denied::Never) => Denied::Never,
            (Denied::Until(a), Denied::Until(b)) => Denied::Until(a.max(b)),
        }
    }
}

/// How to build a bucket: the limit's shape, without its running state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BucketSpec {
    /// At most `limit` units per `interval`.
    Window {
        /// Units per interval.
        limit: u32,
        /// The window length.
        interval: Duration,
    },
    /// A counter with ceiling `max` that falls by `decay_per_sec` each second.
    Decay {
        /// The ceiling.
        max: f64,
        /// Units decayed per second.
        decay_per_sec: f64,
    },
}

impl BucketSpec {
    /// A running bucket of this shape, empty at `now`.
    pub fn build(self, now: Instant) -> Bucket {
        match self {
            BucketSpec::Window { limit, interval } => {
                Bucket::Window(FixedWindow::new(limit, interval, now))
            }
            BucketSpec::Decay { max, decay_per_sec } => {
                Bucket::Decay(DecayingCounter::new(max, decay_per_sec, now))
            }
        }
    }
}

/// A running limit.
#[derive(Debug, Clone)]
pub enum Bucket {
    /// See [`FixedWindow`].
    Window(FixedWindow),
    /// See [`DecayingCounter`].
    Decay(DecayingCounter),
}

impl Bucket {
    /// Whether `cost` fits at `now`.
    pub fn check(&mut self, cost: u32, now: Instant) -> Result<(), Denied> {
        match self {
            Bucket::Window(w) => w.check(cost, now),
            Bucket::Decay(d) => d.check(cost, now),
        }
    }

    /// Spends `cost` at `now`.
    pub fn consume(&mut self, cost: u32, now: Instant) {
        match self {
            Bucket::Window(w) => w.consume(cost, now),
            Bucket::Decay(d) => d.consume(cost, now),
        }
    }

    /// The amount used (window) or the level (counter) at `now`.
    pub fn used(&mut self, now: Instant) -> f64 {
        match self {
            Bucket::Window(w) => f64::from(w.used(now)),
            Bucket::Decay(d) => d.level(now),
        }
    }

    /// Adopts the venue's own count (window) or level (counter).
    pub fn sync_used(&mut self, used: f64, now: Instant) {
        match self {
            Bucket::Window(w) => {
                // Header counts are whole numbers; clamp anything odd into range.
                let used = used.clamp(0.0, f64::from(u32::MAX)) as u32;
                w.sync_used(used, now);
            }
            Bucket::Decay(d) => d.sync_level(used, now),
        }
    }
}
