//! Coinbase Advanced Trade limits: private endpoints 30 requests/s per user, public 10/s per IP
//! (`shared/exchanges/coinbase.md` §4, second-hand numbers); resync from `x-ratelimit-limit` and
//! `x-ratelimit-remaining`; a 429 pauses the class for `Retry-After` (or one second).

use std::time::Duration;

use reqwest::header::HeaderMap;

use super::bucket::BucketSpec;
use super::limiter::{Cost, RateLimiter, Scope};

/// Private (authenticated) requests per second.
pub const PRIVATE_1S: &str = "private_1s";
/// Public requests per second.
pub const PUBLIC_1S: &str = "public_1s";

/// Endpoint class of public market data.
pub const CLASS_PUBLIC: &str = "public";
/// Endpoint class of authenticated requests (accounts and orders).
pub const CLASS_PRIVATE: &str = "private";

/// Pause after a 429 without `Retry-After`: the per-second window has surely rolled over.
pub const DEFAULT_429_PAUSE: Duration = Duration::from_secs(1);

/// A limiter with Coinbase's per-second buckets.
pub fn limiter() -> RateLimiter {
    RateLimiter::new()
        .with_bucket(
            PRIVATE_1S,
            BucketSpec::Window {
                limit: 30,
                interval: Duration::from_secs(1),
            },
        )
        .with_bucket(
            PUBLIC_1S,
            BucketSpec::Window {
                limit: 10,
                interval: Duration::from_secs(1),
            },
        )
}

/// The cost of one public request.
pub fn public_cost() -> Cost {
    Cost::new(CLASS_PUBLIC).charge(PUBLIC_1S, 1)
}

/// The cost of one authenticated request.
pub fn private_cost() -> Cost {
    Cost::new(CLASS_PRIVATE).charge(PRIVATE_1S, 1)
}

/// `(limit, remaining)` from `x-ratelimit-limit` / `x-ratelimit-remaining`, each when readable.
pub fn usage_from_headers(headers: &HeaderMap) -> (Option<u32>, Option<u32>) {
    let read = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok())
    };
    (read("x-ratelimit-limit"), read("x-ratelimit-remaining"))
}

/// Re-synchronises `bucket` of `limiter` from a response's headers.
pub fn sync_from_headers(limiter: &RateLimiter, bucket: &str, headers: &HeaderMap) {
    let (limit, remaining) = usage_from_headers(headers);
    if let Some(limit) = limit {
        limiter.set_limit(bucket, limit);
    }
    if let Some(remaining) = remaining {
        limiter.sync_remaining(bucket, remaining);
    }
}

/// What a 429 pauses and for how long.
pub fn rate_limit_pause(class: &str, retry_after: Option<Duration>) -> (Scope, Duration) {
    (
        Scope::Class(class.to_owned()),
        retry_after.unwrap_or(DEFAULT_429_PAUSE),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[tokio::test(start_paused = true)]
    async fn remaining_header_sets_the_used_count() {
        let l = limiter();
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", HeaderValue::from_static("30"));
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("1"));
        sync_from_headers(&l, PRIVATE_1S, &h);
        assert_eq!(l.used(PRIVATE_1S), Some(29.0));
        assert!(l.try_acquire(&private_cost()).is_ok());
        assert!(l.try_acquire(&private_cost()).is_err());
    }
}
