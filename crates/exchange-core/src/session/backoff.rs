//! Reconnect pacing: exponential backoff with full jitter and a cap, and a connection-attempt
//! budget over a sliding window (Binance allows 300 attempts per 5 minutes per IP).
//!
//! Pure arithmetic: the random source and the current instant are handed in.

use std::collections::VecDeque;
use std::time::Duration;

use rand::Rng;
use tokio::time::Instant;

/// Exponential backoff with full jitter: the `n`-th retry waits a uniformly random time in
/// `[0, min(cap, base * 2^n)]` (the "full jitter" of the AWS architecture blog), so that many
/// clients cut off at once do not reconnect in lockstep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The ceiling of the first retry.
    pub base: Duration,
    /// The largest ceiling.
    pub cap: Duration,
}

impl Backoff {
    /// The ceiling of retry `n` (0-based): `min(cap, base * 2^n)`.
    pub fn ceiling(&self, n: u32) -> Duration {
        let factor = 1u32.checked_shl(n.min(31)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// The wait before retry `n`: uniform in `[0, ceiling(n)]`.
    pub fn delay(&self, n: u32, rng: &mut impl Rng) -> Duration {
        let ceiling = self.ceiling(n);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.random_range(0..=nanos))
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            base: Duration::from_millis(250),
            cap: Duration::from_secs(30),
        }
    }
}

/// At most `max_attempts` connection attempts in any `window`.
#[derive(Debug, Clone)]
pub struct AttemptBudget {
    max_attempts: usize,
    window: Duration,
    attempts: VecDeque<Instant>,
}

impl AttemptBudget {
    /// A budget of `max_attempts` per `window` (a zero `max_attempts` is treated as one).
    pub fn new(max_attempts: usize, window: Duration) -> Self {
        Self {
            max_attempts: max_attempts.max(1),
            window,
            attempts: VecDeque::new(),
        }
    }

    fn prune(&mut self, now: Instant) {
        while let Some(first) = self.attempts.front() {
            if now.duration_since(*first) >= self.window {
                self.attempts.pop_front();
            } else {
                break;
            }
        }
    }

    /// The earliest instant (at or after `now`) at which another attempt fits the budget.
    pub fn next_allowed(&mut self, now: Instant) -> Instant {
        self.prune(now);
        if self.attempts.len() < self.max_attempts {
            return now;
        }
        self.attempts
            .front()
            .map_or(now, |first| (*first + self.window).max(now))
    }

    /// Records an attempt made at `now`.
    pub fn record(&mut self, now: Instant) {
        self.prune(now);
        self.attempts.push_back(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn ceilings_double_up_to_the_cap() {
        let b = Backoff {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(1),
        };
        let ceilings: Vec<_> = (0..6).map(|n| b.ceiling(n).as_millis()).collect();
        assert_eq!(ceilings, vec![100, 200, 400, 800, 1000, 1000]);
        assert_eq!(b.ceiling(u32::MAX), Duration::from_secs(1));
    }

    #[test]
    fn delays_are_jittered_within_the_ceiling() {
        let b = Backoff {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(10),
        };
        let mut rng = StdRng::seed_from_u64(7);
        let delays: Vec<_> = (0..200).map(|_| b.delay(3, &mut rng)).collect();
        assert!(delays.iter().all(|d| *d <= Duration::from_millis(800)));
        // Full jitter spreads over the whole range rather than clustering at the ceiling.
        assert!(delays.iter().any(|d| *d < Duration::from_millis(200)));
        assert!(delays.iter().any(|d| *d > Duration::from_millis(600)));
    }

    #[test]
    fn budget_allows_max_attempts_per_sliding_window() {
        let t0 = Instant::now();
        let window = Duration::from_secs(300);
        let mut budget = AttemptBudget::new(300, window);
        for i in 0..300u64 {
            let t = t0 + Duration::from_millis(i);
            assert_eq!(budget.next_allowed(t), t);
            budget.record(t);
        }
        let t = t0 + Duration::from_secs(1);
        // The 301st attempt waits until the first one leaves the window.
        assert_eq!(budget.next_allowed(t), t0 + window);
        let later = t0 + window + Duration::from_millis(1);
        assert_eq!(budget.next_allowed(later), later);
    }
}
