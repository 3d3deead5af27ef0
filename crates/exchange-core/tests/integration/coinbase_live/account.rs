//! The `user` channel against venue-sim's Coinbase: an order's whole life (open, partial
//! fill, fill, cancel) with each fill reported once, and a fully filled order.

use exchange_core::model::{AccountEvent, Fill, Order, OrderStatus, Side, TimeInForce};
use exchange_core::{Exchange, StreamEvent, Subscription};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::support::*;

/// A second venue-sim user (same key pair, another key name): the counterparty.
/// Reads account events until `done` accepts an order event; returns every event read.
async fn until_order(
    sub: &mut Subscription<AccountEvent>,
    done: impl Fn(&Order) -> bool,
) -> Vec<AccountEvent> {
    let mut seen = Vec::new();
    loop {
        match next(sub).await {
            StreamEvent::Data(AccountEvent::Order(order)) if done(&order) => {
                seen.push(AccountEvent::Order(order));
                return seen;
            }
            StreamEvent::Data(event) => seen.push(event),
            StreamEvent::Resync => panic!("the user stream was interrupted"),
        }
    }
}

fn fills_of<'a>(events: &'a [AccountEvent], cid: &str) -> Vec<&'a Fill> {
    events
        .iter()
        .filter_map(|e| match e {
            AccountEvent::Fill(f) if f.client_order_id == cid => Some(f),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn an_order_life_is_reported_with_each_fill_once() {
    let (sim, ex, other) = with_counterparty().await;

    // Our bid improves the best bid, so the counterparty's sells meet it first.
    let (_, (bids, asks)) = sim.coinbase_truth_book("BTC-USD").unwrap();
    let (best_bid, best_ask) = (bids[0].0, asks[0].0);
    let price = best_bid + dec!(0.01);
    assert!(price < best_ask, "no room inside the spread");
    let ours = limit("cb-life-1", "BTC/USD", Side::Buy, dec!(0.03), price);
    ex.place_order(&ours).await.unwrap();

    // Subscribed after the place: the snapshot (or the update) shows the order open.
    let mut sub = ex.subscribe_account().await.unwrap();
    let opened = until_order(&mut sub, |o| {
        o.client_order_id == "cb-life-1" && o.status == OrderStatus::Open
    })
    .await;
    assert!(fills_of(&opened, "cb-life-1").is_empty());

    let hit = |cid: &'static str| {
        let mut req = limit(cid, "BTC/USD", Side::Sell, dec!(0.01), price);
        req.time_in_force = TimeInForce::Ioc;
        req
    };
    other.place_order(&hit("cb-hit-1")).await.unwrap();
    let partial = until_order(&mut sub, |o| {
        o.client_order_id == "cb-life-1" && o.status == OrderStatus::PartiallyFilled
    })
    .await;
    other.place_order(&hit("cb-hit-2")).await.unwrap();
    let second = until_order(&mut sub, |o| {
        o.client_order_id == "cb-life-1" && o.filled_quantity == dec!(0.02)
    })
    .await;
    let canceled = ex.cancel_order(&sym("BTC/USD"), "cb-life-1").await.unwrap();
    assert_eq!(canceled.status, OrderStatus::Canceled);
    let end = until_order(&mut sub, |o| {
        o.client_order_id == "cb-life-1" && o.status == OrderStatus::Canceled
    })
    .await;

    let all: Vec<AccountEvent> = [partial, second, end].concat();
    let fills = fills_of(&all, "cb-life-1");
    assert_eq!(fills.len(), 2, "{fills:?}");
    assert!(
        fills
            .iter()
            .all(|f| f.quantity == dec!(0.01) && f.price == price)
    );
    assert_ne!(fills[0].trade_id, fills[1].trade_id);
    let total: Decimal = fills.iter().map(|f| f.quantity).sum();
    assert_eq!(total, canceled.filled_quantity);

    // A second order fills completely in one go.
    let full = limit("cb-life-2", "BTC/USD", Side::Buy, dec!(0.01), price);
    ex.place_order(&full).await.unwrap();
    until_order(&mut sub, |o| {
        o.client_order_id == "cb-life-2" && o.status == OrderStatus::Open
    })
    .await;
    other.place_order(&hit("cb-hit-3")).await.unwrap();
    let filled = until_order(&mut sub, |o| {
        o.client_order_id == "cb-life-2" && o.status == OrderStatus::Filled
    })
    .await;
    let fills = fills_of(&filled, "cb-life-2");
    assert_eq!(fills.len(), 1, "{fills:?}");
    assert_eq!(fills[0].quantity, dec!(0.01));
    ex.disconnect().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test]
async fn the_account_stream_needs_credentials() {
    let sim = start(quiet()).await;
    let ex = exchange_core::adapters::coinbase::CoinbaseExchange::new(config(&sim, None)).unwrap();
    let e = match ex.subscribe_account().await {
        Err(e) => e,
        Ok(_) => panic!("subscribed without credentials"),
    };
    assert_eq!(e.kind(), exchange_core::ErrorKind::Config);
    sim.shutdown().await;
}
