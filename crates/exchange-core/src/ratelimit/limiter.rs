//! The rate limiter shared by every task of one venue.
//!
//! A [`RateLimiter`] holds named buckets (fixed windows and decaying counters) and endpoint
//! classes. A request states its [`Cost`]: its class and what it charges to which buckets (a
//! Binance order charges request weight *and* the 10 s and daily order counts). The limiter
//! admits it only when every charged bucket has room and neither its class nor the whole venue is
//! paused, then charges all buckets at once. Buckets named by a registered prefix (Kraken's
//! per-pair trading counters `trade:<pair>`) are created on first use from a template.
//!
//! Venue answers keep it honest: usage headers re-synchronise buckets
//! ([`RateLimiter::sync_used`]), and a 429/418/`EAPI:Rate limit exceeded` pauses a class or the
//! venue for the `Retry-After` or the venue's documented ban ([`RateLimiter::pause`]).
//!
//! The state sits behind a `std::sync::Mutex` held only for arithmetic, never across an await.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use super::bucket::{Bucket, BucketSpec, Denied};
use crate::error::{ExchangeError, Result};

/// One charge of a request against one bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    /// The bucket's name.
    pub bucket: String,
    /// How many units the request costs there.
    pub cost: u32,
}

/// What a request costs: its endpoint class and its charges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cost {
    /// The endpoint class, the unit of pausing ("market", "account", "order", ...).
    pub class: String,
    /// The charges against buckets.
    pub charges: Vec<Charge>,
}

impl Cost {
    /// A cost in `class` with no charges yet.
    pub fn new(class: impl Into<String>) -> Self {
        Self {
            class: class.into(),
            charges: Vec::new(),
        }
    }

    /// Adds a charge of `cost` units to `bucket`.
    pub fn charge(mut self, bucket: impl Into<String>, cost: u32) -> Self {
        self.charges.push(Charge {
            bucket: bucket.into(),
            cost,
        });
        self
    }
}

/// What a pause applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One endpoint class.
    Class(String),
    /// Every class of the venue (an IP-wide limit or ban).
    All,
}

#[derive(Debug, Default)]
struct State {
    buckets: HashMap<String, Bucket>,
    templates: Vec<(String, BucketSpec)>,
    paused: HashMap<String, Instant>,
    all_paused: Option<Instant>,
}

impl State {
    fn bucket(&mut self, name: &str, now: Instant) -> Option<&mut Bucket> {
        if !self.buckets.contains_key(name) {
            let spec = self
                .templates
                .iter()
                .find(|(prefix, _)| name.starts_with(prefix.as_str()))
                .map(|(_, spec)| *spec)?;
            self.buckets.insert(name.to_owned(), spec.build(now));
        }
        self.buckets.get_mut(name)
    }

    fn check(&mut self, cost: &Cost, now: Instant) -> Result<(), Denied> {
        let mut denied: Option<Denied> = None;
        let mut refuse = |d: Denied| denied = Some(denied.map_or(d, |prev| prev.max(d)));
        if let Some(until) = self.all_paused.filter(|until| *until > now) {
            refuse(Denied::Until(until));
        }
        if let Some(until) = self.paused.get(&cost.class).filter(|until| **until > now) {
            refuse(Denied::Until(*until));
        }
        for charge in &cost.charges {
            match self.bucket(&charge.bucket, now) {
                Some(bucket) => {
                    if let Err(d) = bucket.check(charge.cost, now) {
                        refuse(d);
                    }
                }
                None => refuse(Denied::Never),
            }
        }
        match denied {
            None => Ok(()),
            Some(d) => Err(d),
        }
    }

    fn consume(&mut self, cost: &Cost, now: Instant) {
        for charge in &cost.charges {
            if let Some(bucket) = self.bucket(&charge.bucket, now) {
                bucket.consume(charge.cost, now);
            }
        }
    }
}

/// A venue's rate limiter; cheap to clone, shared by all tasks of the venue.
#[derive(Debug, Clone, Default)]
pub struct RateLimiter {
    state: Arc<Mutex<State>>,
}

impl RateLimiter {
    /// A limiter with no buckets.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is plain numbers; a panic elsewhere cannot leave it inconsistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds (or replaces) the bucket `name`.
    pub fn with_bucket(self, name: impl Into<String>, spec: BucketSpec) -> Self {
        let now = Instant::now();
        self.lock().buckets.insert(name.into(), spec.build(now));
        self
    }

    /// Creates buckets whose name starts with `prefix` on first use, shaped by `spec`.
    pub fn with_template(self, prefix: impl Into<String>, spec: BucketSpec) -> Self {
        self.lock().templates.push((prefix.into(), spec));
        self
    }

    /// Admits and charges `cost` now, or says when it could be admitted.
    pub fn try_acquire(&self, cost: &Cost) -> Result<(), Denied> {
        let now = Instant::now();
        let mut state = self.lock();
        state.check(cost, now)?;
        state.consume(cost, now);
        Ok(())
    }

    /// Waits until `cost` is admitted and charges it.
    ///
    /// Fails with [`ExchangeError::RateLimited`] instead of waiting when admission is further
    /// away than `max_wait` (so an order is refused promptly rather than sent late), or never
    /// possible (the cost exceeds a bucket, or names an unknown one).
    pub async fn acquire(&self, cost: &Cost, max_wait: Duration) -> Result<()> {
        loop {
            let until = match self.try_acquire(cost) {
                Ok(()) => return Ok(()),
                Err(Denied::Never) => {
                    return Err(ExchangeError::RateLimited {
                        message: format!(
                            "class {}: cost {:?} can never fit its buckets",
                            cost.class, cost.charges
                        ),
                        retry_after: None,
                    });
                }
                Err(Denied::Until(until)) => until,
            };
            let wait = until.saturating_duration_since(Instant::now());
            if wait > max_wait {
                return Err(ExchangeError::RateLimited {
                    message: format!(
                        "class {}: local limit reached, next slot in {wait:?}",
                        cost.class
                    ),
                    retry_after: Some(wait),
                });
            }
            tokio::time::sleep_until(until).await;
        }
    }

    /// Pauses `scope` for `duration` from now (never shortening a longer pause already in force).
    pub fn pause(&self, scope: Scope, duration: Duration) {
        let until = Instant::now() + duration;
        let mut state = self.lock();
        let slot = match scope {
            Scope::All => state.all_paused.get_or_insert(until),
            Scope::Class(class) => state.paused.entry(class).or_insert(until),
        };
        *slot = (*slot).max(until);
    }

    /// Until when `class` is paused (by itself or by a venue-wide pause), if it is.
    pub fn paused_until(&self, class: &str) -> Option<Instant> {
        let now = Instant::now();
        let state = self.lock();
        let own = state.paused.get(class).copied();
        [own, state.all_paused]
            .into_iter()
            .flatten()
            .filter(|until| *until > now)
            .max()
    }

    /// Adopts the venue's count for `bucket` (from a usage header); unknown buckets are ignored.
    pub fn sync_used(&self, bucket: &str, used: f64) {
        let now = Instant::now();
        if let Some(b) = self.lock().bucket(bucket, now) {
            b.sync_used(used, now);
        }
    }

    /// Adopts the venue's count of units *remaining* in a fixed-window `bucket` (Coinbase
    /// `x-ratelimit-remaining`); unknown buckets are ignored.
    pub fn sync_remaining(&self, bucket: &str, remaining: u32) {
        let now = Instant::now();
        if let Some(Bucket::Window(w)) = self.lock().bucket(bucket, now) {
            let used = w.limit().saturating_sub(remaining);
            w.sync_used(used, now);
        }
    }

    /// Adopts a new limit for a fixed-window `bucket` (e.g. from `x-ratelimit-limit`).
    pub fn set_limit(&self, bucket: &str, limit: u32) {
        let now = Instant::now();
        if let Some(Bucket::Window(w)) = self.lock().bucket(bucket, now) {
            w.set_limit(limit);
        }
    }

    /// The shape of a decaying-counter `bucket` (its ceiling and decay), if it is one.
    pub fn decay_spec(&self, bucket: &str) -> Option<BucketSpec> {
        let now = Instant::now();
        match self.lock().bucket(bucket, now)? {
            Bucket::Decay(d) => Some(BucketSpec::Decay {
                max: d.max(),
                decay_per_sec: d.decay_per_sec(),
            }),
            Bucket::Window(_) => None,
        }
    }

    /// The amount used (or level) of `bucket` now, for metrics and tests.
    pub fn used(&self, bucket: &str) -> Option<f64> {
        let now = Instant::now();
        self.lock().bucket(bucket, now).map(|b| b.used(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> RateLimiter {
        RateLimiter::new()
            .with_bucket(
                "weight",
                BucketSpec::Window {
                    limit: 10,
                    interval: Duration::from_secs(60),
                },
            )
            .with_bucket(
                "orders",
                BucketSpec::Window {
                    limit: 2,
                    interval: Duration::from_secs(10),
                },
            )
    }

    #[tokio::test(start_paused = true)]
    async fn charges_every_bucket_or_none() {
        let l = limiter();
        let order = Cost::new("order").charge("weight", 1).charge("orders", 1);
        assert!(l.try_acquire(&order).is_ok());
        assert!(l.try_acquire(&order).is_ok());
        // The order count is exhausted; the weight must not be charged by the refusal.
        assert!(l.try_acquire(&order).is_err());
        assert_eq!(l.used("weight"), Some(2.0));
    }

    #[tokio::test(start_paused = true)]
    async fn acquire_waits_for_the_window_and_refuses_beyond_max_wait() {
        let l = limiter();
        let order = Cost::new("order").charge("orders", 1);
        l.acquire(&order, Duration::ZERO).await.unwrap();
        l.acquire(&order, Duration::ZERO).await.unwrap();
        let err = l.acquire(&order, Duration::from_secs(1)).await.unwrap_err();
        assert_eq!(err.retry_after(), Some(Duration::from_secs(10)));
        let start = Instant::now();
        l.acquire(&order, Duration::from_secs(10)).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_secs(10));
    }

    #[tokio::test(start_paused = true)]
    async fn unknown_buckets_and_oversized_costs_never_fit() {
        let l = limiter();
        let err = l
            .acquire(&Cost::new("x").charge("nope", 1), Duration::from_secs(60))
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            ExchangeError::RateLimited {
                retry_after: None,
                ..
            }
        ));
        assert_eq!(
            l.try_acquire(&Cost::new("x").charge("weight", 11)),
            Err(Denied::Never)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn templates_create_buckets_per_name() {
        let l = RateLimiter::new().with_template(
            "trade:",
            BucketSpec::Decay {
                max: 2.0,
                decay_per_sec: 1.0,
            },
        );
        let a = Cost::new("order").charge("trade:BTC/USD", 2);
        let b = Cost::new("order").charge("trade:ETH/USD", 2);
        assert!(l.try_acquire(&a).is_ok());
        assert!(l.try_acquire(&b).is_ok());
        assert!(l.try_acquire(&a).is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn pauses_scope_to_a_class_or_the_venue() {
        let l = limiter();
        l.pause(Scope::Class("order".into()), Duration::from_secs(5));
        assert!(
            l.try_acquire(&Cost::new("market").charge("weight", 1))
                .is_ok()
        );
        assert!(
            l.try_acquire(&Cost::new("order").charge("weight", 1))
                .is_err()
        );
        l.pause(Scope::All, Duration::from_secs(8));
        assert!(
            l.try_acquire(&Cost::new("market").charge("weight", 1))
                .is_err()
        );
        // A shorter pause never shortens a longer one.
        l.pause(Scope::All, Duration::from_secs(1));
        assert_eq!(
            l.paused_until("market"),
            Some(Instant::now() + Duration::from_secs(8))
        );
    }
}
