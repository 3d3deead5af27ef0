//! Public streams against venue-sim: trades, ticker and candles of the v2 channels, and the
//! connection state.

use exchange_core::model::Timeframe;
use exchange_core::{ConnectionState, Exchange, StreamEvent, Subscription};
use futures_util::StreamExt;

use super::support::*;

/// The first data item of `sub`, stepping the flow while it is quiet.
async fn first_data<T>(sim: &venue_sim::VenueSim, sub: &mut Subscription<T>) -> T {
    let wait = async {
        loop {
            match tokio::time::timeout(std::time::Duration::from_millis(200), sub.next()).await {
                Ok(Some(StreamEvent::Data(item))) => return item,
                Ok(Some(StreamEvent::Resync)) => {}
                Ok(None) => panic!("the stream ended"),
                Err(_) => sim.step_kraken_flow(20),
            }
        }
    };
    tokio::time::timeout(DEADLINE, wait)
        .await
        .expect("no data before the deadline")
}

#[tokio::test]
async fn trades_tickers_and_candles_flow() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let btc = sym("BTC/USD");
    let mut trades = ex.subscribe_trades(&btc).await.unwrap();
    let mut tickers = ex.subscribe_ticker(&btc).await.unwrap();
    let mut candles = ex.subscribe_ohlcv(&btc, Timeframe::M1).await.unwrap();
    let mut state = ex.connection_state();
    tokio::time::timeout(
        DEADLINE,
        state.wait_for(|s| *s == ConnectionState::Connected),
    )
    .await
    .unwrap()
    .unwrap();

    let trade = first_data(&sim, &mut trades).await;
    assert_eq!(trade.symbol, btc);
    assert!(trade.price > rust_decimal::Decimal::ZERO && trade.taker_side.is_some());
    let ticker = first_data(&sim, &mut tickers).await;
    assert_eq!(ticker.symbol, btc);
    assert!(ticker.bid < ticker.ask, "{ticker:?}");
    let candle = first_data(&sim, &mut candles).await;
    assert_eq!(
        (candle.symbol.clone(), candle.timeframe),
        (btc.clone(), Timeframe::M1)
    );
    assert!(candle.high >= candle.low);

    // One subscription per stream at a time; another symbol is fine.
    assert!(ex.subscribe_trades(&btc).await.is_err());
    let mut eth = ex.subscribe_trades(&sym("ETH/USD")).await.unwrap();
    assert_eq!(first_data(&sim, &mut eth).await.symbol, sym("ETH/USD"));
    assert!(ex.subscribe_trades(&sym("DOGE/USD")).await.is_err());

    ex.disconnect().await.unwrap();
    assert_eq!(
        *ex.connection_state().borrow(),
        ConnectionState::Disconnected
    );
    // Streams end after disconnect (once what was buffered is read).
    let drained = tokio::time::timeout(DEADLINE, trades.by_ref().count()).await;
    assert!(drained.is_ok(), "the trade stream did not end");
    sim.shutdown().await;
}
