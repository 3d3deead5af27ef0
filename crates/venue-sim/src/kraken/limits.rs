//! Kraken's decaying counters (kraken.md §4): the REST call counter per API key (+1 per call,
//! +2 for history calls) and the trading counter per key and pair (+1 per order, a cancel costs
//! +8/+6/+5/+4/+2/+1 by order age). A counter decays linearly; a call that would take it above
//! the maximum is refused and not counted.

use rust_decimal::Decimal;
use serde::Deserialize;

/// Maximum and decay of a counter.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct CounterConfig {
    /// Threshold.
    pub max: Decimal,
    /// Decay per second.
    pub decay_per_s: Decimal,
}

/// A decaying counter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counter {
    value: Decimal,
    at_ms: u64,
}

impl Default for Counter {
    fn default() -> Self {
        Counter {
            value: Decimal::ZERO,
            at_ms: 0,
        }
    }
}

impl Counter {
    /// The value at `now` after decay.
    pub fn value(&self, cfg: &CounterConfig, now: u64) -> Decimal {
        let elapsed = Decimal::from(now.saturating_sub(self.at_ms)) / Decimal::from(1000u32);
        (self.value - elapsed * cfg.decay_per_s).max(Decimal::ZERO)
    }

    /// Adds `cost` unless that would exceed the maximum; false when refused (nothing added).
    #[must_use]
    pub fn charge(&mut self, cfg: &CounterConfig, cost: u32, now: u64) -> bool {
        let v = self.value(cfg, now) + Decimal::from(cost);
        if v > cfg.max {
            return false;
        }
        self.value = v;
        self.at_ms = now;
        true
    }
}

/// Extra trading-counter cost of a cancel by the order's age in ms.
pub fn cancel_cost(age_ms: u64) -> u32 {
    match age_ms {
        a if a < 5_000 => 8,
        a if a < 10_000 => 6,
        a if a < 15_000 => 5,
        a if a < 45_000 => 4,
        a if a < 90_000 => 2,
        a if a < 300_000 => 1,
        _ => 0,
    }
}

/// REST call-counter cost of a private method (history calls +2, order entry not counted).
pub fn call_cost(method: &str) -> u32 {
    match method {
        "AddOrder" | "CancelOrder" | "CancelAll" => 0,
        "TradesHistory" | "ClosedOrders" | "QueryTrades" | "Ledgers" | "QueryLedgers" => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decays_and_refuses() {
        let cfg = CounterConfig {
            max: Decimal::from(3),
            decay_per_s: Decimal::ONE,
        };
        let mut c = Counter::default();
        assert!(c.charge(&cfg, 2, 1000));
        assert!(c.charge(&cfg, 1, 1000));
        assert!(!c.charge(&cfg, 1, 1000));
        assert_eq!(c.value(&cfg, 1000), Decimal::from(3));
        assert!(c.charge(&cfg, 1, 2000));
        assert_eq!(c.value(&cfg, 10_000), Decimal::ZERO);
        assert_eq!(
            (cancel_cost(0), cancel_cost(60_000), cancel_cost(400_000)),
            (8, 2, 0)
        );
    }
}
