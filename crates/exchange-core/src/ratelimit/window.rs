//! A fixed-window counter: at most `limit` units per `interval` (Binance `REQUEST_WEIGHT` per
//! minute, `ORDERS` per 10 s and per day; Coinbase requests per second).
//!
//! Pure arithmetic over [`Instant`]s handed in by the caller, so it is tested without a runtime.
//! The window starts at the first use and rolls forward by whole intervals. Venues count in
//! wall-clock-aligned windows; the difference is closed by [`FixedWindow::sync_used`] from the
//! venue's own usage headers.

use std::time::Duration;

use tokio::time::Instant;

use super::bucket::Denied;

/// At most `limit` units in each `interval`.
#[derive(Debug, Clone)]
pub struct FixedWindow {
    limit: u32,
    interval: Duration,
    used: u32,
    window_start: Instant,
}

impl FixedWindow {
    /// A fresh window of `limit` units per `interval`, starting at `now`.
    pub fn new(limit: u32, interval: Duration, now: Instant) -> Self {
        Self {
            limit,
            interval,
            used: 0,
            window_start: now,
        }
    }

    /// The configured limit per interval.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Units used in the window containing `now`.
    pub fn used(&mut self, now: Instant) -> u32 {
        self.roll(now);
        self.used
    }

    /// When the window containing `now` ends.
    pub fn window_end(&mut self, now: Instant) -> Instant {
        self.roll(now);
        self.window_start + self.interval
    }

    fn roll(&mut self, now: Instant) {
        if self.interval.is_zero() || now < self.window_start + self.interval {
            return;
        }
        let elapsed = now.duration_since(self.window_start);
        let whole = elapsed.as_nanos() / self.interval.as_nanos();
        let advance = self.interval.as_nanos() * whole;
        self.window_start += Duration::from_nanos(u64::try_from(advance).unwrap_or(u64::MAX));
        self.used = 0;
    }

    /// Whether `cost` units fit now; if not, when they may.
    pub fn check(&mut self, cost: u32, now: Instant) -> Result<(), Denied> {
        if cost > self.limit {
            return Err(Denied::Never);
        }
        self.roll(now);
        if self.used.saturating_add(cost) <= self.limit {
            Ok(())
        } else {
            Err(Denied::Until(self.window_start + self.interval))
        }
    }

    /// Records `cost` units as used at `now` (after a successful [`Self::check`]).
    pub fn consume(&mut self, cost: u32, now: Instant) {
        self.roll(now);
        self.used = self.used.saturating_add(cost);
    }

    /// Adopts the venue's own count of used units for the current window (it is the authority:
    /// it also counts other processes sharing the IP or account).
    pub fn sync_used(&mut self, used: u32, now: Instant) {
        self.roll(now);
        self.used = used;
    }

    /// Adopts a new limit (e.g. from Binance `exchangeInfo.rateLimits` or Coinbase
    /// `x-ratelimit-limit`).
    pub fn set_limit(&mut self, limit: u32) {
        self.limit = limit;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_until_the_window_ends() {
        let t0 = Instant::now();
        let mut w = FixedWindow::new(10, Duration::from_secs(60), t0);
        assert!(w.check(6, t0).is_ok());
        w.consume(6, t0);
        let t1 = t0 + Duration::from_secs(5);
        assert_eq!(
            w.check(5, t1),
            Err(Denied::Until(t0 + Duration::from_secs(60)))
        );
        assert!(w.check(4, t1).is_ok());
        let t2 = t0 + Duration::from_secs(61);
        assert!(w.check(10, t2).is_ok());
        assert_eq!(w.used(t2), 0);
    }

    #[test]
    fn windows_roll_by_whole_intervals() {
        let t0 = Instant::now();
        let mut w = FixedWindow::new(1, Duration::from_secs(10), t0);
        w.consume(1, t0);
        let t = t0 + Duration::from_secs(35);
        assert_eq!(w.window_end(t), t0 + Duration::from_secs(40));
    }

    #[test]
    fn a_cost_above_the_limit_never_fits() {
        let t0 = Instant::now();
        let mut w = FixedWindow::new(10, Duration::from_secs(1), t0);
        assert_eq!(w.check(11, t0), Err(Denied::Never));
    }

    #[test]
    fn header_resync_replaces_the_local_count() {
        let t0 = Instant::now();
        let mut w = FixedWindow::new(6000, Duration::from_secs(60), t0);
        w.consume(10, t0);
        w.sync_used(5990, t0);
        assert_eq!(w.used(t0), 5990);
        assert!(w.check(11, t0).is_err());
        assert!(w.check(10, t0).is_ok());
    }
}
