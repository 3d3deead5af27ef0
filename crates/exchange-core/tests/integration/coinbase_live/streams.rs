//! Public streams against venue-sim's Coinbase: trades, ticker, candles (WebSocket and
//! polled), the connection state, and the `level2` book against the venue's truth through
//! 10,000+ level updates, a skipped `sequence_num`, a dropped and a frozen connection.

use exchange_core::model::{Side, Timeframe};
use exchange_core::{BookUpdate, ConnectionState, Exchange};
use serde_json::json;
use venue_sim::ApiKind;

use super::support::*;

#[tokio::test]
async fn trades_ticker_and_candles_stream() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    ex.connect().await.unwrap();
    let mut state = ex.connection_state();
    testkit::wait_for(DEADLINE, "connected", || {
        let s = *state.borrow_and_update();
        async move { (s == ConnectionState::Connected).then_some(()) }
    })
    .await
    .unwrap();

    let btc = sym("BTC/USD");
    let mut trades = ex.subscribe_trades(&btc).await.unwrap();
    let trade = first_data(&sim, &mut trades, |_| true).await;
    assert_eq!(trade.symbol, btc);
    assert!(trade.price > rust_decimal::Decimal::ZERO);
    assert!(matches!(trade.taker_side, Some(Side::Buy | Side::Sell)));
    assert!(!trade.trade_id.is_empty());

    let mut ticker = ex.subscribe_ticker(&btc).await.unwrap();
    let t = first_data(&sim, &mut ticker, |t| t.bid.is_some() && t.ask.is_some()).await;
    assert_eq!(t.symbol, btc);
    assert!(t.bid < t.ask, "{t:?}");

    let mut five = ex.subscribe_ohlcv(&btc, Timeframe::M5).await.unwrap();
    let c = first_data(&sim, &mut five, |_| true).await;
    assert_eq!(
        (c.symbol.clone(), c.timeframe),
        (btc.clone(), Timeframe::M5)
    );

    let mut one = ex.subscribe_ohlcv(&btc, Timeframe::M1).await.unwrap();
    let c = first_data(&sim, &mut one, |_| true).await;
    assert_eq!(
        (c.symbol.clone(), c.timeframe),
        (btc.clone(), Timeframe::M1)
    );
    assert!(c.low <= c.high);

    // The same stream twice is refused while the first lives.
    assert!(ex.subscribe_trades(&btc).await.is_err());
    drop(trades);
    ex.disconnect().await.unwrap();
    assert_eq!(
        *ex.connection_state().borrow(),
        ConnectionState::Disconnected
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_book_equals_the_truth_through_ten_thousand_updates() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let mut sub = ex.subscribe_order_book(&sym("BTC/USD"), 50).await.unwrap();
    let mut book = ConsumerBook::default();
    until_equal_to_truth(&sim, "BTC-USD", &mut sub, &mut book).await;
    let mut rounds = 0;
    while book.level_updates < 10_000 {
        sim.step_coinbase_flow(false, 200);
        until_equal_to_truth(&sim, "BTC-USD", &mut sub, &mut book).await;
        rounds += 1;
        assert!(rounds < 2_000, "the flow makes too few level updates");
    }
    assert!(
        book.deltas >= rounds,
        "every round reached the book as deltas"
    );
    assert_eq!(book.snapshots, 1, "no resnapshot without a fault");
    assert_eq!((book.stales, book.resyncs), (0, 0));
    sim.shutdown().await;
}

/// Waits for the book to go stale (or resync) and come back live at the truth.
async fn recovers(
    sim: &venue_sim::VenueSim,
    sub: &mut exchange_core::Subscription<BookUpdate>,
    book: &mut ConsumerBook,
) {
    let (stales, resyncs, snapshots) = (book.stales, book.resyncs, book.snapshots);
    let wait = async {
        while book.stales == stales && book.resyncs == resyncs {
            match tokio::time::timeout(std::time::Duration::from_millis(300), next(sub)).await {
                Ok(event) => book.apply(event),
                Err(_) => sim.step_coinbase_flow(false, 1),
            }
        }
    };
    tokio::time::timeout(DEADLINE, wait)
        .await
        .expect("the fault was not detected");
    until_equal_to_truth(sim, "BTC-USD", sub, book).await;
    assert!(
        book.snapshots > snapshots,
        "a fresh snapshot proved the book"
    );
}

#[tokio::test]
async fn a_skipped_sequence_num_is_detected_and_recovered() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let mut sub = ex.subscribe_order_book(&sym("BTC/USD"), 50).await.unwrap();
    let mut book = ConsumerBook::default();
    until_equal_to_truth(&sim, "BTC-USD", &mut sub, &mut book).await;
    control_post(
        &sim,
        "/coinbase/faults/skip-sequence",
        json!({"product_id": "BTC-USD"}),
    )
    .await;
    sim.step_coinbase_flow(false, 5);
    recovers(&sim, &mut sub, &mut book).await;
    assert!(book.stales >= 1, "the gap made the book stale");
    assert_eq!(book.resyncs, 0, "recovered on the same connection");
    sim.step_coinbase_flow(false, 20);
    until_equal_to_truth(&sim, "BTC-USD", &mut sub, &mut book).await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_dropped_connection_is_recovered() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let mut sub = ex.subscribe_order_book(&sym("BTC/USD"), 50).await.unwrap();
    let mut book = ConsumerBook::default();
    until_equal_to_truth(&sim, "BTC-USD", &mut sub, &mut book).await;
    assert!(sim.drop_connections(Some(ApiKind::CoinbaseWs)) >= 1);
    sim.step_coinbase_flow(false, 5);
    recovers(&sim, &mut sub, &mut book).await;
    assert!(book.resyncs >= 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_frozen_connection_is_recovered() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let mut sub = ex.subscribe_order_book(&sym("BTC/USD"), 50).await.unwrap();
    let mut book = ConsumerBook::default();
    until_equal_to_truth(&sim, "BTC-USD", &mut sub, &mut book).await;
    let frozen = control_post(&sim, "/connections/freeze", json!({"api": "coinbase_ws"})).await;
    assert!(frozen["affected"].as_u64().unwrap() >= 1, "{frozen}");
    sim.step_coinbase_flow(false, 5);
    recovers(&sim, &mut sub, &mut book).await;
    assert!(book.resyncs >= 1, "the watchdog replaced the connection");
    sim.shutdown().await;
}
