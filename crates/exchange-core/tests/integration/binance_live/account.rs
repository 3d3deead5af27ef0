//! The private stream against venue-sim: an order placed, partially filled, filled and
//! canceled, with every fill reported exactly once (spot over the WebSocket API, USD-M over a
//! listenKey), fills produced deterministically by our own market orders.

use std::collections::{BTreeMap, BTreeSet};

use exchange_core::adapters::binance::Product;
use exchange_core::model::{AccountEvent, OrderStatus, OrderType, Side, TimeInForce};
use exchange_core::{Exchange, StreamEvent, Subscription};
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

/// A bid one tick above the best bid, inside the spread: it becomes the best bid.
fn inside_bid(sim: &venue_sim::VenueSim, market: MarketKind, tick: Decimal) -> Decimal {
    let (_, (bids, asks)) = sim.truth_book(market, "BTCUSDT").unwrap();
    let price = bids[0].0 + tick;
    assert!(price < asks[0].0, "no room inside the spread");
    price
}

#[derive(Default)]
struct Seen {
    fills: BTreeMap<String, Vec<(String, Decimal)>>,
    last_status: BTreeMap<String, OrderStatus>,
    statuses: BTreeMap<String, Vec<OrderStatus>>,
}

impl Seen {
    fn add(&mut self, event: StreamEvent<AccountEvent>) {
        match event {
            StreamEvent::Data(AccountEvent::Fill(f)) => self
                .fills
                .entry(f.client_order_id)
                .or_default()
                .push((f.trade_id, f.quantity)),
            StreamEvent::Data(AccountEvent::Order(o)) => {
                self.last_status.insert(o.client_order_id.clone(), o.status);
                self.statuses
                    .entry(o.client_order_id)
                    .or_default()
                    .push(o.status);
            }
            _ => {}
        }
    }

    async fn until(&mut self, sub: &mut Subscription<AccountEvent>, id: &str, status: OrderStatus) {
        while self.last_status.get(id) != Some(&status) {
            let event = next(sub).await;
            self.add(event);
        }
    }
}

async fn lifecycle(
    product: Product,
    symbol: &str,
    market: MarketKind,
    tick: Decimal,
    qty: Decimal,
) {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, product);
    let mut sub = ex.subscribe_account().await.unwrap();
    let mut seen = Seen::default();

    let price = inside_bid(&sim, market, tick);
    ex.place_order(&limit("maker-1", symbol, Side::Buy, qty * dec!(3), price))
        .await
        .unwrap();
    seen.until(&mut sub, "maker-1", OrderStatus::Open).await;
    ex.place_order(&market_sell("taker-1", symbol, qty))
        .await
        .unwrap();
    seen.until(&mut sub, "maker-1", OrderStatus::PartiallyFilled)
        .await;
    ex.place_order(&market_sell("taker-2", symbol, qty))
        .await
        .unwrap();
    seen.until(&mut sub, "taker-2", OrderStatus::Filled).await;
    ex.cancel_order(&sym(symbol), "maker-1").await.unwrap();
    seen.until(&mut sub, "maker-1", OrderStatus::Canceled).await;

    let price = inside_bid(&sim, market, tick);
    ex.place_order(&limit("maker-2", symbol, Side::Buy, qty, price))
        .await
        .unwrap();
    seen.until(&mut sub, "maker-2", OrderStatus::Open).await;
    ex.place_order(&market_sell("taker-3", symbol, qty))
        .await
        .unwrap();
    seen.until(&mut sub, "maker-2", OrderStatus::Filled).await;
    seen.until(&mut sub, "taker-3", OrderStatus::Filled).await;

    let maker1 = &seen.fills["maker-1"];
    assert_eq!(maker1.len(), 2, "two partial fills, each once: {maker1:?}");
    let ids: BTreeSet<_> = maker1.iter().map(|(t, _)| t.clone()).collect();
    assert_eq!(ids.len(), 2, "distinct trades");
    assert_eq!(
        maker1.iter().map(|(_, q)| *q).sum::<Decimal>(),
        qty * dec!(2)
    );
    assert_eq!(seen.fills["maker-2"].len(), 1);
    assert_eq!(seen.fills["taker-3"].len(), 1);
    assert!(seen.statuses["maker-1"].contains(&OrderStatus::PartiallyFilled));
    let status = ex
        .fetch_order_status(&sym(symbol), "maker-1")
        .await
        .unwrap();
    assert_eq!(status.status, OrderStatus::Canceled);
    assert_eq!(status.filled_quantity, qty * dec!(2));
    ex.disconnect().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test]
async fn spot_fills_are_reported_exactly_once() {
    lifecycle(
        Product::Spot,
        "BTC/USDT",
        MarketKind::Spot,
        dec!(0.01),
        dec!(0.001),
    )
    .await;
}

#[tokio::test]
async fn usdm_fills_are_reported_exactly_once() {
    lifecycle(
        Product::UsdM,
        "BTC/USDT:USDT",
        MarketKind::Futures,
        dec!(0.1),
        dec!(0.01),
    )
    .await;
}

#[tokio::test]
async fn the_spot_user_stream_survives_a_dropped_connection() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, Product::Spot);
    let mut sub = ex.subscribe_account().await.unwrap();
    assert!(sim.drop_connections(Some(venue_sim::ApiKind::WsApi)) >= 1);
    assert_eq!(next(&mut sub).await, StreamEvent::Resync);
    // Resubscribed with a fresh signature: events flow again. The order may be placed before
    // the venue has the new subscription, so keep placing until one shows up.
    let price = super::support::resting_bid(&sim, MarketKind::Spot, "BTCUSDT");
    let mut seen = Seen::default();
    for i in 0..20 {
        let id = format!("after-drop-{i}");
        ex.place_order(&limit(&id, "BTC/USDT", Side::Buy, dec!(0.001), price))
            .await
            .unwrap();
        let got = tokio::time::timeout(std::time::Duration::from_millis(500), async {
            seen.until(&mut sub, &id, OrderStatus::Open).await
        })
        .await;
        if got.is_ok() {
            ex.disconnect().await.unwrap();
            sim.shutdown().await;
            return;
        }
    }
    panic!("no user event after the reconnect");
}
