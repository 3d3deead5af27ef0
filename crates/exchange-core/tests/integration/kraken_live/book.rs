//! Order books against venue-sim's truth: 10,000+ updates at depth 10 and at depth 1000, a
//! corrupted checksum, a dropped connection and a frozen stream, each ending equal to the true
//! book again.

use exchange_core::Exchange;
use serde_json::json;
use venue_sim::ApiKind;

use super::support::*;

/// Follows `pair` at `depth` through at least `updates` book updates, checking the book
/// against the truth after every batch of flow steps.
async fn follow(depth: usize, updates: usize) {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let mut sub = ex
        .subscribe_order_book(&sym("BTC/USD"), depth)
        .await
        .unwrap();
    let mut book = ConsumerBook::default();
    until_equal_to_truth(&sim, "BTC/USD", depth, &mut sub, &mut book).await;
    let mut rounds = 0;
    while book.deltas < updates {
        sim.step_kraken_flow(500);
        until_equal_to_truth(&sim, "BTC/USD", depth, &mut sub, &mut book).await;
        rounds += 1;
        assert!(
            rounds < 400,
            "only {} updates after {rounds} rounds",
            book.deltas
        );
    }
    assert_eq!(book.snapshots, 1, "one snapshot, then only updates");
    assert_eq!((book.stales, book.resyncs), (0, 0));
    let (bids, asks) = book.book.levels();
    assert!(bids.len() <= depth && asks.len() <= depth);
    ex.disconnect().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test]
async fn book_at_depth_10_stays_equal_to_truth_through_ten_thousand_updates() {
    follow(10, 10_000).await;
}

#[tokio::test]
async fn book_at_depth_1000_stays_equal_to_truth_through_ten_thousand_updates() {
    follow(1000, 10_000).await;
}

#[tokio::test]
async fn a_corrupted_checksum_marks_the_book_stale_and_a_resubscription_heals_it() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let mut sub = ex.subscribe_order_book(&sym("BTC/USD"), 10).await.unwrap();
    let mut book = ConsumerBook::default();
    until_equal_to_truth(&sim, "BTC/USD", 10, &mut sub, &mut book).await;
    sim.with_faults(|f| f.corrupt_checksum("BTC/USD"));
    until(
        &sim,
        &mut sub,
        &mut book,
        "the corrupted checksum is noticed",
        |b| b.stales == 1,
    )
    .await;
    until_equal_to_truth(&sim, "BTC/USD", 10, &mut sub, &mut book).await;
    assert_eq!(book.stales, 1, "the mismatch was detected and published");
    assert_eq!(book.snapshots, 2, "a fresh snapshot proved the book again");
    assert_eq!(book.resyncs, 0, "the connection itself stayed up");
    sim.step_kraken_flow(200);
    until_equal_to_truth(&sim, "BTC/USD", 10, &mut sub, &mut book).await;
    assert_eq!(book.stales, 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_dropped_connection_resyncs_the_book() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let mut sub = ex.subscribe_order_book(&sym("BTC/USD"), 25).await.unwrap();
    let mut book = ConsumerBook::default();
    until_equal_to_truth(&sim, "BTC/USD", 25, &mut sub, &mut book).await;
    assert!(sim.drop_connections(Some(ApiKind::KrakenWs)) >= 1);
    until(&sim, &mut sub, &mut book, "the drop is noticed", |b| {
        b.resyncs >= 1
    })
    .await;
    sim.step_kraken_flow(100);
    until_equal_to_truth(&sim, "BTC/USD", 25, &mut sub, &mut book).await;
    assert!(book.resyncs >= 1, "the subscriber was told to resync");
    assert!(book.stales >= 1, "the live book was marked stale");
    assert!(book.snapshots >= 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_frozen_stream_is_detected_and_the_book_resyncs() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let mut sub = ex.subscribe_order_book(&sym("BTC/USD"), 10).await.unwrap();
    let mut book = ConsumerBook::default();
    until_equal_to_truth(&sim, "BTC/USD", 10, &mut sub, &mut book).await;
    let frozen = control_post(
        &sim,
        "/connections/freeze",
        json!({"api": "kraken_ws", "frozen": true}),
    )
    .await;
    assert!(frozen["affected"].as_u64().unwrap() >= 1);
    until(&sim, &mut sub, &mut book, "the freeze is noticed", |b| {
        b.resyncs >= 1
    })
    .await;
    sim.step_kraken_flow(100);
    until_equal_to_truth(&sim, "BTC/USD", 10, &mut sub, &mut book).await;
    assert!(book.resyncs >= 1 && book.stales >= 1);
    assert!(book.snapshots >= 2);
    sim.shutdown().await;
}
