//! A decaying counter (Kraken's REST call counter and per-pair trading counter): each call adds
//! its cost, the level falls continuously at `decay_per_sec`, and a call is refused when it would
//! lift the level above `max`.
//!
//! Pure arithmetic over [`Instant`]s handed in by the caller.

use std::time::Duration;

use tokio::time::Instant;

use super::bucket::Denied;

/// A counter that decays linearly over time.
#[derive(Debug, Clone)]
pub struct DecayingCounter {
    max: f64,
    decay_per_sec: f64,
    level: f64,
    at: Instant,
}

impl DecayingCounter {
    /// An empty counter with ceiling `max`, falling by `decay_per_sec` per second.
    pub fn new(max: f64, decay_per_sec: f64, now: Instant) -> Self {
        Self {
            max,
            decay_per_sec,
            level: 0.0,
            at: now,
        }
    }

    /// The ceiling.
    pub fn max(&self) -> f64 {
        self.max
    }

    /// Units decayed per second.
    pub fn decay_per_sec(&self) -> f64 {
        self.decay_per_sec
    }

    /// The level at `now`, after decay.
    pub fn level(&mut self, now: Instant) -> f64 {
        self.decay(now);
        self.level
    }

    fn decay(&mut self, now: Instant) {
        if now <= self.at {
            return;
        }
        let elapsed = now.duration_since(self.at).as_secs_f64();
        self.level = (self.level - elapsed * self.decay_per_sec).max(0.0);
        self.at = now;
    }

    /// Whether `cost` fits now; if not, when it will (once the level has decayed enough).
    pub fn check(&mut self, cost: u32, now: Instant) -> Result<(), Denied> {
        let cost = f64::from(cost);
        if cost > self.max {
            return Err(Denied::Never);
        }
        self.decay(now);
        let excess = self.level + cost - self.max;
        if excess <= 1e-9 {
            return Ok(());
        }
        if self.decay_per_sec <= 0.0 {
            return Err(Denied::Never);
        }
        let wait = Duration::from_secs_f64(excess / self.decay_per_sec);
        Err(Denied::Until(now + wait))
    }

    /// Adds `cost` at `now` (after a successful [`Self::check`]).
    pub fn consume(&mut self, cost: u32, now: Instant) {
        self.decay(now);
        self.level += f64::from(cost);
    }

    /// Adopts the venue's own value of the counter (Kraken streams it on the `executions`
    /// channel with `ratecounter: true`).
    pub fn sync_level(&mut self, level: f64, now: Instant) {
        self.decay(now);
        self.level = level.max(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Duration, b: Duration) -> bool {
        a.abs_diff(b) < Duration::from_millis(1)
    }

    #[test]
    fn starter_tier_arithmetic() {
        // Kraken Starter: max 15, -0.33/s. 15 calls fill it; the 16th waits (1/0.33) s.
        let t0 = Instant::now();
        let mut c = DecayingCounter::new(15.0, 0.33, t0);
        for _ in 0..15 {
            assert!(c.check(1, t0).is_ok());
            c.consume(1, t0);
        }
        let Err(Denied::Until(at)) = c.check(1, t0) else {
            panic!("the 16th call must wait");
        };
        assert!(close(at - t0, Duration::from_secs_f64(1.0 / 0.33)));
        // A +2 (ledger) call waits twice as long.
        let Err(Denied::Until(at2)) = c.check(2, t0) else {
            panic!("a +2 call must wait");
        };
        assert!(close(at2 - t0, Duration::from_secs_f64(2.0 / 0.33)));
        // After 10 s the level is 15 - 3.3 = 11.7.
        let t10 = t0 + Duration::from_secs(10);
        assert!((c.level(t10) - 11.7).abs() < 1e-9);
        assert!(c.check(3, t10).is_ok());
        assert!(c.check(4, t10).is_err());
    }

    #[test]
    fn the_level_never_goes_below_zero() {
        let t0 = Instant::now();
        let mut c = DecayingCounter::new(20.0, 1.0, t0);
        c.consume(5, t0);
        assert_eq!(c.level(t0 + Duration::from_secs(100)), 0.0);
        assert!(c.check(20, t0 + Duration::from_secs(100)).is_ok());
    }

    #[test]
    fn resync_adopts_the_venue_level() {
        let t0 = Instant::now();
        let mut c = DecayingCounter::new(60.0, 1.0, t0);
        c.sync_level(59.5, t0);
        let Err(Denied::Until(at)) = c.check(1, t0) else {
            panic!("must wait");
        };
        assert!(close(at - t0, Duration::from_millis(500)));
    }
}
