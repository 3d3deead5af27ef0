//! `fetch_order_fills` against venue-sim: a resting maker order filled partly by two of our
//! own market orders; its fills over REST are exactly the two the private stream reported (spot,
//! USD-M) or venue-sim's truth has (margin, which has no stream here), oldest first.

use std::collections::BTreeMap;

use exchange_core::adapters::binance::{BinanceExchange, Product};
use exchange_core::model::{
    AccountEvent, Fill, Liquidity, OrderStatus, OrderType, Side, TimeInForce,
};
use exchange_core::{ErrorKind, Exchange, StreamEvent, Subscription};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use venue_sim::MarketKind;

use super::support::*;

fn market_sell(id: &str, symbol: &str, qty: Decimal) -> exchange_core::model::OrderRequest {
    let mut r = limit(id, symbol, Side::Sell, qty, dec!(1));
    r.order_type = OrderType::Market;
    r.price = None;
    r.time_in_force = TimeInForce::Ioc;
    r
}

/// Fills and last statuses seen on the private stream.
#[derive(Default)]
struct Stream {
    fills: BTreeMap<String, Vec<Fill>>,
    status: BTreeMap<String, OrderStatus>,
}

impl Stream {
    /// Reads until order `id` is `status` and has at least `fills` fills.
    async fn until(
        &mut self,
        sub: &mut Subscription<AccountEvent>,
        id: &str,
        status: Option<OrderStatus>,
        fills: usize,
    ) {
        while status.is_some_and(|s| self.status.get(id) != Some(&s))
            || self.fills.get(id).map_or(0, Vec::len) < fills
        {
            match next(sub).await {
                StreamEvent::Data(AccountEvent::Fill(f)) => self
                    .fills
                    .entry(f.client_order_id.clone())
                    .or_default()
                    .push(f),
                StreamEvent::Data(AccountEvent::Order(o)) => {
                    self.status.insert(o.client_order_id, o.status);
                }
                _ => {}
            }
        }
    }
}

/// Places the maker (3 × qty) and two takers (qty each); answers what the stream saw, if the
/// product has a stream.
async fn two_partial_fills(
    sim: &venue_sim::VenueSim,
    ex: &BinanceExchange,
    symbol: &str,
    market: MarketKind,
    tick: Decimal,
    qty: Decimal,
    with_stream: bool,
) -> Option<Stream> {
    let mut sub = match with_stream {
        true => Some(ex.subscribe_account().await.unwrap()),
        false => None,
    };
    let mut seen = Stream::default();
    let (_, (bids, asks)) = sim.truth_book(market, "BTCUSDT").unwrap();
    let price = bids[0].0 + tick;
    assert!(price < asks[0].0, "no room inside the spread");
    ex.place_order(&limit("maker-f", symbol, Side::Buy, qty * dec!(3), price))
        .await
        .unwrap();
    for taker in ["taker-f1", "taker-f2"] {
        let placed = ex
            .place_order(&market_sell(taker, symbol, qty))
            .await
            .unwrap();
        if let Some(sub) = sub.as_mut() {
            seen.until(sub, taker, Some(OrderStatus::Filled), 1).await;
        } else {
            assert_eq!(placed.status, OrderStatus::Filled);
        }
    }
    if let Some(sub) = sub.as_mut() {
        seen.until(sub, "maker-f", None, 2).await;
    }
    with_stream.then_some(seen)
}

fn check(fills: &[Fill], qty: Decimal, venue_order_id: &str) {
    assert_eq!(fills.len(), 2, "{fills:?}");
    assert_eq!(
        fills.iter().map(|f| f.quantity).sum::<Decimal>(),
        qty * dec!(2)
    );
    assert!(
        fills[0].exchange_ts_ns <= fills[1].exchange_ts_ns,
        "oldest first"
    );
    assert_ne!(fills[0].trade_id, fills[1].trade_id);
    for f in fills {
        assert_eq!(f.client_order_id, "maker-f");
        assert_eq!(f.venue_order_id, venue_order_id);
        assert_eq!(f.side, Side::Buy);
        assert_eq!(f.liquidity, Some(Liquidity::Maker));
        assert!(f.fee_asset.is_some());
        assert!(f.exchange_ts_ns > 0 && f.local_ts_ns > 0);
    }
}

async fn streamed(product: Product, symbol: &str, market: MarketKind, tick: Decimal, qty: Decimal) {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, product);
    let seen = two_partial_fills(&sim, &ex, symbol, market, tick, qty, true)
        .await
        .unwrap();
    let order = ex
        .fetch_order_status(&sym(symbol), "maker-f")
        .await
        .unwrap();
    assert_eq!(order.filled_quantity, qty * dec!(2));
    let fills = ex.fetch_order_fills(&sym(symbol), "maker-f").await.unwrap();
    check(&fills, qty, order.venue_order_id.as_deref().unwrap());
    let rest: Vec<_> = fills
        .iter()
        .map(|f| (&f.trade_id, f.quantity, f.price))
        .collect();
    let stream: Vec<_> = seen.fills["maker-f"]
        .iter()
        .map(|f| (&f.trade_id, f.quantity, f.price))
        .collect();
    assert_eq!(rest, stream, "the same trades, under the same ids");
    let taker = ex
        .fetch_order_fills(&sym(symbol), "taker-f1")
        .await
        .unwrap();
    assert_eq!(taker.len(), 1);
    assert_eq!(taker[0].liquidity, Some(Liquidity::Taker));
    assert_eq!(
        taker[0].trade_id, fills[0].trade_id,
        "one trade, both sides"
    );
    let unknown = ex.fetch_order_fills(&sym(symbol), "never-placed").await;
    assert_eq!(unknown.unwrap_err().kind(), ErrorKind::OrderNotFound);
    ex.disconnect().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test]
async fn spot_order_fills_match_the_stream() {
    streamed(
        Product::Spot,
        "BTC/USDT",
        MarketKind::Spot,
        dec!(0.01),
        dec!(0.001),
    )
    .await;
}

#[tokio::test]
async fn usdm_order_fills_match_the_stream() {
    streamed(
        Product::UsdM,
        "BTC/USDT:USDT",
        MarketKind::Futures,
        dec!(0.1),
        dec!(0.01),
    )
    .await;
}

#[tokio::test]
async fn margin_order_fills_match_the_truth() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, Product::Margin);
    let qty = dec!(0.001);
    two_partial_fills(
        &sim,
        &ex,
        "BTC/USDT",
        MarketKind::Spot,
        dec!(0.01),
        qty,
        false,
    )
    .await;
    let order = ex
        .fetch_order_status(&sym("BTC/USDT"), "maker-f")
        .await
        .unwrap();
    let venue_id = order.venue_order_id.unwrap();
    let fills = ex
        .fetch_order_fills(&sym("BTC/USDT"), "maker-f")
        .await
        .unwrap();
    check(&fills, qty, &venue_id);
    let truth = control_get(&sim, "/truth/fills?market=margin").await;
    let mut expected: Vec<String> = truth
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["order_id"].as_u64().map(|id| id.to_string()) == Some(venue_id.clone()))
        .map(|f| f["trade_id"].as_u64().unwrap().to_string())
        .collect();
    expected.sort();
    let mut got: Vec<String> = fills.iter().map(|f| f.trade_id.clone()).collect();
    got.sort();
    assert_eq!(got, expected);
    let unknown = ex.fetch_order_fills(&sym("BTC/USDT"), "never-placed").await;
    assert_eq!(unknown.unwrap_err().kind(), ErrorKind::OrderNotFound);
    sim.shutdown().await;
}
