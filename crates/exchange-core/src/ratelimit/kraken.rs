//! Kraken spot limits (`shared/exchanges/kraken.md` §4):
//!
//! - the REST call counter per API key: +1 per call, +2 for ledger and trade-history calls,
//!   decaying by tier; AddOrder/CancelOrder are not counted there;
//! - the per-pair trading counter shared by REST, WebSocket and FIX: +1 per add/amend/edit, plus
//!   a penalty for amending, editing or cancelling young orders, decaying by tier.
//!
//! `EAPI:Rate limit exceeded` and `EOrder:Rate limit exceeded` carry no wait; the venue is then
//! at its ceiling, so the matching counter is re-synchronised to its maximum and the decay
//! arithmetic itself says when the next call fits.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::bucket::BucketSpec;
use super::limiter::{Cost, RateLimiter, Scope};

/// The REST call counter.
pub const REST_COUNTER: &str = "rest_counter";
/// Prefix of the per-pair trading counters: `trade:<pair>`.
pub const TRADING_PREFIX: &str = "trade:";

/// Endpoint class of public requests.
pub const CLASS_PUBLIC: &str = "public";
/// Endpoint class of private non-trading requests.
pub const CLASS_PRIVATE: &str = "private";
/// Endpoint class of order placement, amendment and cancellation.
pub const CLASS_ORDER: &str = "order";

/// A Kraken account tier, which sets the counters' ceilings and decay rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// REST 15 at −0.33/s; trading 60 at −1/s.
    Starter,
    /// REST 20 at −0.5/s; trading 125 at −2.34/s.
    Intermediate,
    /// REST 20 at −1/s; trading 180 at −3.75/s.
    Pro,
}

impl Tier {
    /// The REST call counter's shape.
    pub fn rest_counter(self) -> BucketSpec {
        let (max, decay_per_sec) = match self {
            Tier::Starter => (15.0, 0.33),
            Tier::Intermediate => (20.0, 0.5),
            Tier::Pro => (20.0, 1.0),
        };
        BucketSpec::Decay { max, decay_per_sec }
    }

    /// The per-pair trading counter's shape.
    pub fn trading_counter(self) -> BucketSpec {
        let (max, decay_per_sec) = match self {
            Tier::Starter => (60.0, 1.0),
            Tier::Intermediate => (125.0, 2.34),
            Tier::Pro => (180.0, 3.75),
        };
        BucketSpec::Decay { max, decay_per_sec }
    }
}

/// A limiter with Kraken's counters for `tier`.
pub fn limiter(tier: Tier) -> RateLimiter {
    RateLimiter::new()
        .with_bucket(REST_COUNTER, tier.rest_counter())
        .with_template(TRADING_PREFIX, tier.trading_counter())
}

/// The trading counter bucket of `pair`.
pub fn trading_bucket(pair: &str) -> String {
    format!("{TRADING_PREFIX}{pair}")
}

/// The cost of a private REST call: +2 for ledger / trade-history queries, +1 otherwise.
pub fn private_cost(ledger_or_history: bool) -> Cost {
    Cost::new(CLASS_PRIVATE).charge(REST_COUNTER, if ledger_or_history { 2 } else { 1 })
}

/// Public endpoints are throttled per IP without published numbers: no local charge, but the
/// class can still be paused.
pub fn public_cost() -> Cost {
    Cost::new(CLASS_PUBLIC)
}

/// The cost of placing an order on `pair`: +1 on its trading counter.
pub fn add_order_cost(pair: &str) -> Cost {
    Cost::new(CLASS_ORDER).charge(trading_bucket(pair), 1)
}

/// The cost of cancelling an order on `pair` that is `age` old.
pub fn cancel_order_cost(pair: &str, age: Duration) -> Cost {
    Cost::new(CLASS_ORDER).charge(trading_bucket(pair), cancel_penalty(age))
}

/// The cancel penalty by order age: +8/+6/+5/+4/+2/+1 under 5/10/15/45/90/300 s, then 0.
pub fn cancel_penalty(age: Duration) -> u32 {
    by_age(age, &[(5, 8), (10, 6), (15, 5), (45, 4), (90, 2), (300, 1)])
}

/// The cost of amending an order of `age`: +1, plus +3/+2/+1 under 5/10/15 s.
pub fn amend_cost(age: Duration) -> u32 {
    1 + by_age(age, &[(5, 3), (10, 2), (15, 1)])
}

/// The cost of editing an order of `age`: +1, plus +6/+5/+4/+2/+1 under 5/10/15/45/90 s.
pub fn edit_cost(age: Duration) -> u32 {
    1 + by_age(age, &[(5, 6), (10, 5), (15, 4), (45, 2), (90, 1)])
}

fn by_age(age: Duration, table: &[(u64, u32)]) -> u32 {
    table
        .iter()
        .find(|(under_secs, _)| age < Duration::from_secs(*under_secs))
        .map_or(0, |(_, cost)| *cost)
}

/// A Kraken error string that means "rate limited", with what it limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimitError {
    /// `EAPI:Rate limit exceeded`: the REST call counter.
    RestCounter,
    /// `EOrder:Rate limit exceeded`: a pair's trading counter.
    Trading,
    /// `EGeneral:Temporary lockout`: the key is locked out for a while.
    Lockout,
    /// `EService: Throttled: <unix ts>`: too many concurrent requests, until that time.
    Throttled(Option<u64>),
}

/// Recognises Kraken's rate-limit error strings.
pub fn classify_error(error: &str) -> Option<RateLimitError> {
    let error = error.trim();
    if error.starts_with("EAPI:Rate limit exceeded") {
        Some(RateLimitError::RestCounter)
    } else if error.starts_with("EOrder:Rate limit exceeded") {
        Some(RateLimitError::Trading)
    } else if error.starts_with("EGeneral:Temporary lockout") {
        Some(RateLimitError::Lockout)
    } else if let Some(rest) = error.strip_prefix("EService:") {
        let rest = rest.trim_start().strip_prefix("Throttled")?;
        let ts = rest
            .trim_start_matches([':', ' '])
            .split_whitespace()
            .next()
            .and_then(|t| t.parse().ok());
        Some(RateLimitError::Throttled(ts))
    } else {
        None
    }
}

/// How long a lockout lasts when Kraken does not say (its docs speak of "a short while").
pub const LOCKOUT_PAUSE: Duration = Duration::from_secs(15 * 60);

/// Applies a rate-limit error to `limiter`: fills the counter that overflowed (so its decay
/// paces the next call) or pauses the class until the stated time.
pub fn on_rate_limit_error(
    limiter: &RateLimiter,
    error: RateLimitError,
    class: &str,
    pair: Option<&str>,
) {
    match error {
        RateLimitError::RestCounter => fill(limiter, REST_COUNTER),
        RateLimitError::Trading => match pair {
            Some(pair) => fill(limiter, &trading_bucket(pair)),
            None => limiter.pause(Scope::Class(class.to_owned()), Duration::from_secs(1)),
        },
        RateLimitError::Lockout => limiter.pause(Scope::All, LOCKOUT_PAUSE),
        RateLimitError::Throttled(until) => {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs();
            let secs = until.map_or(1, |t| t.saturating_sub(now).max(1));
            limiter.pause(Scope::Class(class.to_owned()), Duration::from_secs(secs));
        }
    }
}

/// Sets a decaying counter to its ceiling: the venue just said it is full.
fn fill(limiter: &RateLimiter, bucket: &str) {
    if let Some(BucketSpec::Decay { max, .. }) = limiter.decay_spec(bucket) {
        limiter.sync_used(bucket, max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::Instant;

    #[test]
    fn cancel_penalties_follow_the_age_table() {
        let s = Duration::from_secs;
        assert_eq!(cancel_penalty(s(0)), 8);
        assert_eq!(cancel_penalty(s(5)), 6);
        assert_eq!(cancel_penalty(s(14)), 5);
        assert_eq!(cancel_penalty(s(44)), 4);
        assert_eq!(cancel_penalty(s(89)), 2);
        assert_eq!(cancel_penalty(s(299)), 1);
        assert_eq!(cancel_penalty(s(300)), 0);
        assert_eq!(amend_cost(s(1)), 4);
        assert_eq!(amend_cost(s(20)), 1);
        assert_eq!(edit_cost(s(50)), 2);
    }

    #[test]
    fn recognises_rate_limit_strings() {
        assert_eq!(
            classify_error("EAPI:Rate limit exceeded"),
            Some(RateLimitError::RestCounter)
        );
        assert_eq!(
            classify_error("EOrder:Rate limit exceeded"),
            Some(RateLimitError::Trading)
        );
        assert_eq!(
            classify_error("EService: Throttled: 1700000000"),
            Some(RateLimitError::Throttled(Some(1_700_000_000)))
        );
        assert_eq!(classify_error("EOrder:Insufficient funds"), None);
        assert_eq!(classify_error("EService:Unavailable"), None);
    }

    #[tokio::test(start_paused = true)]
    async fn starter_counter_paces_by_decay() {
        let l = limiter(Tier::Starter);
        for _ in 0..15 {
            l.acquire(&private_cost(false), Duration::ZERO)
                .await
                .unwrap();
        }
        let start = Instant::now();
        l.acquire(&private_cost(true), Duration::from_secs(60))
            .await
            .unwrap();
        // +2 on a full counter of 15 waits 2 / 0.33 s.
        let waited = start.elapsed();
        assert!(waited.abs_diff(Duration::from_secs_f64(2.0 / 0.33)) < Duration::from_millis(2));
    }

    #[tokio::test(start_paused = true)]
    async fn rest_counter_error_fills_the_counter() {
        let l = limiter(Tier::Pro);
        on_rate_limit_error(&l, RateLimitError::RestCounter, CLASS_PRIVATE, None);
        assert_eq!(l.used(REST_COUNTER), Some(20.0));
        let start = Instant::now();
        l.acquire(&private_cost(false), Duration::from_secs(5))
            .await
            .unwrap();
        assert!(start.elapsed().abs_diff(Duration::from_secs(1)) < Duration::from_millis(2));
    }

    #[tokio::test(start_paused = true)]
    async fn trading_counters_are_per_pair() {
        let l = limiter(Tier::Starter);
        for _ in 0..7 {
            l.acquire(
                &cancel_order_cost("BTC/USD", Duration::ZERO),
                Duration::ZERO,
            )
            .await
            .unwrap();
        }
        // 56 used on BTC/USD: one more young cancel (+8) does not fit, ETH/USD is untouched.
        assert!(
            l.try_acquire(&cancel_order_cost("BTC/USD", Duration::ZERO))
                .is_err()
        );
        assert!(l.try_acquire(&add_order_cost("BTC/USD")).is_ok());
        assert!(
            l.try_acquire(&cancel_order_cost("ETH/USD", Duration::ZERO))
                .is_ok()
        );
    }
}
