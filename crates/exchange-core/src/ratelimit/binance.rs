//! Binance spot limits: request weight per minute (per IP), order counts per 10 s and per day
//! (per account), raw requests per 5 minutes; resync from `X-MBX-USED-WEIGHT-*` and
//! `X-MBX-ORDER-COUNT-*`; 429 and 418 pause the whole venue (weights are per IP).
//!
//! Values are those of `enums.md` / `exchangeInfo.rateLimits` at the time of writing
//! (`shared/exchanges/binance.md` §4); adapters should adopt the live values from
//! `exchangeInfo` with [`RateLimiter::set_limit`].

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::bucket::BucketSpec;
use super::limiter::{Cost, RateLimiter, Scope};

/// Request weight per minute (`REQUEST_WEIGHT`, 6000 / 1 MINUTE), per IP.
pub const WEIGHT_1M: &str = "weight_1m";
/// Orders per 10 s (`ORDERS`, 50 / 10 SECOND), per account.
pub const ORDERS_10S: &str = "orders_10s";
/// Orders per day (`ORDERS`, 160000 / 1 DAY), per account.
pub const ORDERS_1D: &str = "orders_1d";
/// Raw requests per 5 minutes (`RAW_REQUESTS`, 61000 / 5 MINUTE), per IP.
pub const RAW_5M: &str = "raw_requests_5m";

/// Endpoint class of public market data.
pub const CLASS_MARKET: &str = "market";
/// Endpoint class of signed account queries.
pub const CLASS_ACCOUNT: &str = "account";
/// Endpoint class of order placement and cancellation.
pub const CLASS_ORDER: &str = "order";

/// The documented ban after ignoring 429s starts at 2 minutes (and scales to 3 days); used when
/// a 418 carries no `Retry-After`.
pub const DEFAULT_BAN: Duration = Duration::from_secs(120);
/// Pause after a 429 without `Retry-After`: until the weight minute has surely rolled over.
pub const DEFAULT_429_PAUSE: Duration = Duration::from_secs(60);

/// A limiter with Binance spot's buckets.
pub fn limiter() -> RateLimiter {
    RateLimiter::new()
        .with_bucket(WEIGHT_1M, window(6000, 60))
        .with_bucket(ORDERS_10S, window(50, 10))
        .with_bucket(ORDERS_1D, window(160_000, 86_400))
        .with_bucket(RAW_5M, window(61_000, 300))
}

fn window(limit: u32, secs: u64) -> BucketSpec {
    BucketSpec::Window {
        limit,
        interval: Duration::from_secs(secs),
    }
}

/// The cost of a non-order request of `weight` in `class`.
pub fn request_cost(class: &str, weight: u32) -> Cost {
    Cost::new(class).charge(WEIGHT_1M, weight).charge(RAW_5M, 1)
}

/// The cost of an order request (new order, cancel-replace) of `weight`: weight plus one order
/// in each order-count window.
pub fn order_cost(weight: u32) -> Cost {
    request_cost(CLASS_ORDER, weight)
        .charge(ORDERS_10S, 1)
        .charge(ORDERS_1D, 1)
}

/// The bucket counts a response reports: `X-MBX-USED-WEIGHT-1M: 31` → (`weight_1m`, 31),
/// `X-MBX-ORDER-COUNT-10S: 1` → (`orders_10s`, 1). Intervals without a bucket of ours are
/// still returned; unreadable values are skipped.
pub fn usage_from_headers(headers: &HeaderMap) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for (name, value) in headers {
        let name = name.as_str(); // lower-case in `http`
        let bucket = if let Some(interval) = name.strip_prefix("x-mbx-used-weight-") {
            format!("weight_{interval}")
        } else if let Some(interval) = name.strip_prefix("x-mbx-order-count-") {
            format!("orders_{interval}")
        } else {
            continue;
        };
        if let Some(n) = value.to_str().ok().and_then(|v| v.trim().parse().ok()) {
            out.push((bucket, n));
        }
    }
    out
}

/// Re-synchronises `limiter` from a response's usage headers.
pub fn sync_from_headers(limiter: &RateLimiter, headers: &HeaderMap) {
    for (bucket, used) in usage_from_headers(headers) {
        limiter.sync_used(&bucket, f64::from(used));
    }
}

/// What a rate-limit answer pauses and for how long: 418 (IP ban) and 429 pause every class,
/// because request weight is counted per IP; an order-count refusal (`-1015`, sent as 429 on the
/// order class) still pauses everything, which costs little and never hammers.
pub fn rate_limit_pause(status: StatusCode, retry_after: Option<Duration>) -> (Scope, Duration) {
    let fallback = if status == StatusCode::IM_A_TEAPOT {
        DEFAULT_BAN
    } else {
        DEFAULT_429_PAUSE
    };
    (Scope::All, retry_after.unwrap_or(fallback))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn reads_weight_and_order_count_headers() {
        let mut h = HeaderMap::new();
        h.insert("X-MBX-USED-WEIGHT-1M", HeaderValue::from_static("31"));
        h.insert("X-MBX-ORDER-COUNT-10S", HeaderValue::from_static("2"));
        h.insert("X-MBX-ORDER-COUNT-1D", HeaderValue::from_static("7"));
        h.insert("X-MBX-USED-WEIGHT", HeaderValue::from_static("31"));
        h.insert("Content-Type", HeaderValue::from_static("application/json"));
        let mut got = usage_from_headers(&h);
        got.sort();
        assert_eq!(
            got,
            vec![
                ("orders_10s".to_owned(), 2),
                ("orders_1d".to_owned(), 7),
                ("weight_1m".to_owned(), 31)
            ]
        );
    }

    #[test]
    fn teapot_without_retry_after_pauses_for_the_documented_ban() {
        assert_eq!(
            rate_limit_pause(StatusCode::IM_A_TEAPOT, None),
            (Scope::All, DEFAULT_BAN)
        );
        assert_eq!(
            rate_limit_pause(StatusCode::TOO_MANY_REQUESTS, Some(Duration::from_secs(3))),
            (Scope::All, Duration::from_secs(3))
        );
    }
}
