//! Rate-limiter behaviour on tokio's paused clock: a 429's `Retry-After` pauses the class for
//! exactly that long, usage headers resync buckets, Kraken's counter decays by the tier's rate.

use std::time::Duration;

use exchange_core::ErrorKind;
use exchange_core::ratelimit::{Cost, Scope, binance, coinbase, kraken, retry_after_header};
use reqwest::header::{HeaderMap, HeaderValue};
use tokio::time::Instant;

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, HeaderValue::from_static(v));
    }
    h
}

#[tokio::test(start_paused = true)]
async fn retry_after_pauses_the_class_for_exactly_that_long() {
    let limiter = coinbase::limiter();
    let answer = headers(&[("retry-after", "7")]);
    let (scope, pause) =
        coinbase::rate_limit_pause(coinbase::CLASS_PRIVATE, retry_after_header(&answer));
    assert_eq!(scope, Scope::Class(coinbase::CLASS_PRIVATE.into()));
    limiter.pause(scope, pause);

    let start = Instant::now();
    // Another class is not affected.
    limiter
        .acquire(&coinbase::public_cost(), Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(start.elapsed(), Duration::ZERO);
    // The paused class is admitted after exactly 7 s, not earlier.
    limiter
        .acquire(&coinbase::private_cost(), Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(7));
}

#[tokio::test(start_paused = true)]
async fn a_binance_ban_pauses_everything_and_refuses_beyond_max_wait() {
    let limiter = binance::limiter();
    let (scope, pause) = binance::rate_limit_pause(reqwest::StatusCode::IM_A_TEAPOT, None);
    limiter.pause(scope, pause);
    let err = limiter
        .acquire(&binance::order_cost(1), Duration::from_secs(10))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(binance::DEFAULT_BAN));
    let start = Instant::now();
    limiter
        .acquire(
            &binance::request_cost(binance::CLASS_MARKET, 1),
            Duration::from_secs(600),
        )
        .await
        .unwrap();
    assert_eq!(start.elapsed(), binance::DEFAULT_BAN);
}

#[tokio::test(start_paused = true)]
async fn binance_headers_resync_weight_and_order_counts() {
    let limiter = binance::limiter();
    binance::sync_from_headers(
        &limiter,
        &headers(&[
            ("x-mbx-used-weight-1m", "5999"),
            ("x-mbx-order-count-10s", "50"),
            ("x-mbx-order-count-1d", "1234"),
        ]),
    );
    assert_eq!(limiter.used(binance::WEIGHT_1M), Some(5999.0));
    assert_eq!(limiter.used(binance::ORDERS_1D), Some(1234.0));
    // The 10 s order window is full: an order waits for it to roll over, a query does not.
    let start = Instant::now();
    limiter
        .acquire(
            &Cost::new(binance::CLASS_MARKET).charge(binance::WEIGHT_1M, 1),
            Duration::ZERO,
        )
        .await
        .unwrap();
    limiter
        .acquire(
            &Cost::new(binance::CLASS_ORDER).charge(binance::ORDERS_10S, 1),
            Duration::from_secs(10),
        )
        .await
        .unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(10));
}

#[tokio::test(start_paused = true)]
async fn kraken_intermediate_counter_decays_half_a_call_per_second() {
    let limiter = kraken::limiter(kraken::Tier::Intermediate);
    for _ in 0..10 {
        // Ten ledger queries (+2 each) fill the counter of 20.
        limiter
            .acquire(&kraken::private_cost(true), Duration::ZERO)
            .await
            .unwrap();
    }
    assert_eq!(limiter.used(kraken::REST_COUNTER), Some(20.0));
    tokio::time::advance(Duration::from_secs(4)).await;
    assert_eq!(limiter.used(kraken::REST_COUNTER), Some(18.0));
    let start = Instant::now();
    // 18 + 2 fits exactly; the next +1 needs 2 s of decay at 0.5/s.
    limiter
        .acquire(&kraken::private_cost(true), Duration::ZERO)
        .await
        .unwrap();
    limiter
        .acquire(&kraken::private_cost(false), Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn kraken_rate_limit_answers_fill_the_counter() {
    let limiter = kraken::limiter(kraken::Tier::Starter);
    let error = kraken::classify_error("EOrder:Rate limit exceeded").unwrap();
    kraken::on_rate_limit_error(&limiter, error, kraken::CLASS_ORDER, Some("XBT/USD"));
    assert_eq!(limiter.used(&kraken::trading_bucket("XBT/USD")), Some(60.0));
    // Starter decays 1/s: a young cancel (+8) waits 8 s; another pair is free.
    assert!(
        limiter
            .try_acquire(&kraken::add_order_cost("ETH/USD"))
            .is_ok()
    );
    let start = Instant::now();
    limiter
        .acquire(
            &kraken::cancel_order_cost("XBT/USD", Duration::from_secs(1)),
            Duration::from_secs(30),
        )
        .await
        .unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(8));
}
