//! Order books against venue-sim's truth: 10,000+ updates, a skipped update id, a dropped
//! connection and a frozen stream, each ending equal to the true book again.

use exchange_core::Exchange;
use exchange_core::adapters::binance::Product;
use serde_json::json;
use venue_sim::{ApiKind, MarketKind};

use super::support::*;

#[tokio::test]
async fn spot_book_stays_equal_to_truth_through_ten_thousand_updates() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, Product::Spot);
    let mut sub = ex
        .subscribe_order_book(&sym("BTC/USDT"), 5000)
        .await
        .unwrap();
    let mut book = ConsumerBook::default();
    sim.step_flow(MarketKind::Spot, 50);
    let first = until_equal_to_truth(&sim, MarketKind::Spot, "BTCUSDT", &mut sub, &mut book).await;
    let mut last = first;
    while last - first < 10_000 {
        sim.step_flow(MarketKind::Spot, 400);
        last = until_equal_to_truth(&sim, MarketKind::Spot, "BTCUSDT", &mut sub, &mut book).await;
    }
    assert_eq!(book.snapshots, 1, "one snapshot, then only deltas");
    assert_eq!((book.stales, book.resyncs), (0, 0));
    assert!(book.deltas >= 25, "{}", book.deltas);
    ex.disconnect().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test]
async fn usdm_book_follows_the_futures_procedure() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, Product::UsdM);
    let mut sub = ex
        .subscribe_order_book(&sym("BTC/USDT:USDT"), 1000)
        .await
        .unwrap();
    let mut book = ConsumerBook::default();
    let market = MarketKind::Futures;
    sim.step_flow(market, 50);
    let first = until_equal_to_truth(&sim, market, "BTCUSDT", &mut sub, &mut book).await;
    let mut last = first;
    while last - first < 2_000 {
        sim.step_flow(market, 300);
        last = until_equal_to_truth(&sim, market, "BTCUSDT", &mut sub, &mut book).await;
    }
    sim.with_faults(|f| f.skip_depth("futures", "BTCUSDT"));
    sim.step_flow(market, 100);
    until_equal_to_truth(&sim, market, "BTCUSDT", &mut sub, &mut book).await;
    assert_eq!(book.stales, 1, "the broken pu chain was detected");
    assert_eq!(book.snapshots, 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_skipped_update_id_marks_the_book_stale_and_it_resyncs() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, Product::Spot);
    let mut sub = ex
        .subscribe_order_book(&sym("BTC/USDT"), 5000)
        .await
        .unwrap();
    let mut book = ConsumerBook::default();
    sim.step_flow(MarketKind::Spot, 50);
    until_equal_to_truth(&sim, MarketKind::Spot, "BTCUSDT", &mut sub, &mut book).await;
    sim.with_faults(|f| f.skip_depth("spot", "BTCUSDT"));
    sim.step_flow(MarketKind::Spot, 100);
    until_equal_to_truth(&sim, MarketKind::Spot, "BTCUSDT", &mut sub, &mut book).await;
    assert_eq!(book.stales, 1, "the gap was detected and published");
    assert_eq!(book.snapshots, 2, "a new snapshot proved the book again");
    assert_eq!(book.resyncs, 0, "the connection itself stayed up");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_dropped_connection_resyncs_the_book() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, Product::Spot);
    let mut sub = ex
        .subscribe_order_book(&sym("BTC/USDT"), 5000)
        .await
        .unwrap();
    let mut book = ConsumerBook::default();
    sim.step_flow(MarketKind::Spot, 50);
    until_equal_to_truth(&sim, MarketKind::Spot, "BTCUSDT", &mut sub, &mut book).await;
    assert!(sim.drop_connections(Some(ApiKind::SpotWs)) >= 1);
    sim.step_flow(MarketKind::Spot, 100);
    until_equal_to_truth(&sim, MarketKind::Spot, "BTCUSDT", &mut sub, &mut book).await;
    assert!(book.resyncs >= 1, "the subscriber was told to resync");
    assert!(book.stales >= 1, "the live book was marked stale");
    assert!(book.snapshots >= 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_frozen_stream_is_detected_and_the_book_resyncs() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, Product::Spot);
    let mut sub = ex
        .subscribe_order_book(&sym("BTC/USDT"), 5000)
        .await
        .unwrap();
    let mut book = ConsumerBook::default();
    sim.step_flow(MarketKind::Spot, 50);
    until_equal_to_truth(&sim, MarketKind::Spot, "BTCUSDT", &mut sub, &mut book).await;
    let frozen = control_post(
        &sim,
        "/connections/freeze",
        json!({"api": "spot_ws", "frozen": true}),
    )
    .await;
    assert!(frozen["affected"].as_u64().unwrap() >= 1);
    sim.step_flow(MarketKind::Spot, 100);
    until_equal_to_truth(&sim, MarketKind::Spot, "BTCUSDT", &mut sub, &mut book).await;
    assert!(book.resyncs >= 1 && book.stales >= 1);
    assert!(book.snapshots >= 2);
    sim.shutdown().await;
}
