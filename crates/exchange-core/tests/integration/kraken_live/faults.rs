//! Venue faults on order entry: an order accepted but answered "unavailable" must end in
//! exactly one order, and an order that never arrived stays unknown and is not sent again.

use exchange_core::model::{OrderStatus, Side};
use exchange_core::{ErrorKind, Exchange};
use rust_decimal_macros::dec;
use venue_sim::ApiKind;

use super::support::*;

#[tokio::test]
async fn an_unknown_place_outcome_resolves_to_the_one_order_placed() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let price = resting_bid(&sim);
    ex.fetch_markets().await.unwrap();
    sim.with_faults(|f| f.set_order_timeouts(ApiKind::KrakenRest, 1));
    let order = ex
        .place_order(&limit("unknown-1", "BTC/USD", Side::Buy, dec!(0.01), price))
        .await
        .unwrap();
    assert_eq!(order.client_order_id, "unknown-1");
    assert_eq!(order.status, OrderStatus::Open);
    assert!(order.venue_order_id.is_some());
    assert_eq!(truth_orders(&sim, "unknown-1").await.len(), 1);
    assert_eq!(ex.fetch_open_orders(None).await.unwrap().len(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn an_order_that_never_arrived_stays_unknown_and_is_not_resent() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let price = resting_bid(&sim);
    ex.fetch_markets().await.unwrap();
    sim.with_faults(|f| f.set_http(ApiKind::KrakenRest, 503, 1));
    let e = ex
        .place_order(&limit("unknown-2", "BTC/USD", Side::Buy, dec!(0.01), price))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnknownOrderStatus, "{e}");
    assert!(truth_orders(&sim, "unknown-2").await.is_empty());
    let e = ex
        .fetch_order_status(&sym("BTC/USD"), "unknown-2")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OrderNotFound, "{e}");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_rate_limited_query_is_paced_by_the_counter_and_then_succeeds() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    ex.fetch_markets().await.unwrap();
    sim.with_faults(|f| f.set_http(ApiKind::KrakenRest, 429, 1));
    // The 429 fills the REST counter; the query is retried after the counter's decay.
    ex.fetch_balance().await.unwrap();
    sim.shutdown().await;
}
