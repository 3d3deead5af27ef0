//! Venue faults the adapter must absorb: a 429 the limiter honours, and an order accepted but
//! answered with "status unknown", which must end in exactly one order at the venue.

use std::time::{Duration, Instant};

use exchange_core::adapters::binance::{BinanceExchange, Product};
use exchange_core::model::Side;
use exchange_core::{ErrorKind, Exchange};
use rust_decimal_macros::dec;
use serde_json::json;
use venue_sim::{ApiKind, MarketKind};

use super::support::*;

/// Two processes trade one account: the venue counts both, so the second one's limiter cannot
/// know the budget is spent and gets the venue's 429 (`-1015`, Retry-After ≤ 10 s).
#[tokio::test]
async fn a_429_pauses_every_request_for_its_retry_after() {
    let mut cfg = quiet();
    cfg.limits.orders_per_10s = 1;
    let sim = start(cfg).await;
    let options = || json!({"max_limiter_wait_ms": 15000});
    let first =
        BinanceExchange::new(Product::Spot, config(&sim, Product::Spot, options())).unwrap();
    let second =
        BinanceExchange::new(Product::Spot, config(&sim, Product::Spot, options())).unwrap();
    first.fetch_markets().await.unwrap();
    second.fetch_markets().await.unwrap();
    let price = resting_bid(&sim, MarketKind::Spot, "BTCUSDT");
    let mut refused = None;
    for i in 0..3 {
        let a = limit(
            &format!("rl-a{i}"),
            "BTC/USDT",
            Side::Buy,
            dec!(0.001),
            price,
        );
        first.place_order(&a).await.unwrap();
        let b = limit(
            &format!("rl-b{i}"),
            "BTC/USDT",
            Side::Buy,
            dec!(0.001),
            price,
        );
        if let Err(e) = second.place_order(&b).await {
            refused = Some((e, Instant::now()));
            break;
        }
    }
    let (error, at) = refused.expect("the venue's order limit was never hit");
    assert_eq!(error.kind(), ErrorKind::RateLimited, "{error}");
    let retry_after = error.retry_after().expect("Retry-After was given");
    assert!(retry_after >= Duration::from_secs(1));
    // The next request, of another class, waits until the pause is over before it is sent.
    second.fetch_open_orders(None).await.unwrap();
    let waited = at.elapsed();
    assert!(
        waited + Duration::from_millis(100) >= retry_after,
        "waited {waited:?}, Retry-After {retry_after:?}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn an_unknown_place_outcome_resolves_to_the_one_order_placed() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, Product::Spot);
    let price = resting_bid(&sim, MarketKind::Spot, "BTCUSDT");
    sim.with_faults(|f| f.set_order_timeouts(ApiKind::SpotRest, 1));
    let order = ex
        .place_order(&limit(
            "unknown-1",
            "BTC/USDT",
            Side::Buy,
            dec!(0.001),
            price,
        ))
        .await
        .unwrap();
    assert_eq!(order.client_order_id, "unknown-1");
    assert!(order.venue_order_id.is_some());
    assert_eq!(truth_orders(&sim, "spot", "unknown-1").await.len(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn an_order_that_never_arrived_stays_unknown_and_is_not_resent() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, Product::Spot);
    let price = resting_bid(&sim, MarketKind::Spot, "BTCUSDT");
    ex.fetch_markets().await.unwrap();
    sim.with_faults(|f| f.set_http(ApiKind::SpotRest, 503, 1));
    let e = ex
        .place_order(&limit(
            "unknown-2",
            "BTC/USDT",
            Side::Buy,
            dec!(0.001),
            price,
        ))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnknownOrderStatus, "{e}");
    assert!(truth_orders(&sim, "spot", "unknown-2").await.is_empty());
    let e = ex
        .fetch_order_status(&sym("BTC/USDT"), "unknown-2")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OrderNotFound);
    sim.shutdown().await;
}
