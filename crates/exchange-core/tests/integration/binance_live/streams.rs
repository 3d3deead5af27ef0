//! Market-data streams against venue-sim: trades, tickers and candles, and the connection
//! state a subscriber sees. The simulator's own background flow produces the data.

use exchange_core::adapters::binance::{BinanceExchange, Product};
use exchange_core::model::Timeframe;
use exchange_core::{ConnectionState, Exchange, StreamEvent};
use serde_json::json;

use super::support::*;

#[tokio::test]
async fn trades_tickers_and_candles_flow() {
    let sim = start(flowing()).await;
    let ex = adapter(&sim, Product::Spot);
    assert_eq!(
        *ex.connection_state().borrow(),
        ConnectionState::Disconnected
    );
    let s = sym("BTC/USDT");
    let mut trades = ex.subscribe_trades(&s).await.unwrap();
    let mut tickers = ex.subscribe_ticker(&s).await.unwrap();
    let mut candles = ex.subscribe_ohlcv(&s, Timeframe::M1).await.unwrap();
    let mut state = ex.connection_state();
    tokio::time::timeout(
        DEADLINE,
        state.wait_for(|s| *s == ConnectionState::Connected),
    )
    .await
    .unwrap()
    .unwrap();
    {
        let StreamEvent::Data(trade) = next(&mut trades).await else {
            panic!("resync")
        };
        assert_eq!(trade.symbol, s);
        assert!(trade.price > rust_decimal::Decimal::ZERO);
        let StreamEvent::Data(ticker) = next(&mut tickers).await else {
            panic!("resync")
        };
        assert!(ticker.bid.unwrap() < ticker.ask.unwrap());
        let StreamEvent::Data(candle) = next(&mut candles).await else {
            panic!("resync")
        };
        assert_eq!(
            (candle.symbol.clone(), candle.timeframe),
            (s.clone(), Timeframe::M1)
        );
    }
    ex.disconnect().await.unwrap();
    assert_eq!(
        *ex.connection_state().borrow(),
        ConnectionState::Disconnected
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn usdm_agg_trades_flow() {
    let sim = start(flowing()).await;
    let cfg = config(&sim, Product::UsdM, json!({"agg_trades": true}));
    let ex = BinanceExchange::new(Product::UsdM, cfg).unwrap();
    let s = sym("BTC/USDT:USDT");
    let mut trades = ex.subscribe_trades(&s).await.unwrap();
    let StreamEvent::Data(trade) = next(&mut trades).await else {
        panic!("resync")
    };
    assert_eq!(trade.symbol, s);
    sim.shutdown().await;
}

/// A simulator with its background flow running.
fn flowing() -> venue_sim::SimConfig {
    venue_sim::SimConfig {
        flow_rate: 200,
        ..quiet()
    }
}
