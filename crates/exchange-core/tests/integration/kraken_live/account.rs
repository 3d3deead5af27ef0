//! The private `executions` channel: an order's whole life (placed, canceled) and a crossing
//! order filled against several makers, each fill reported exactly once.

use std::collections::HashSet;

use exchange_core::model::{AccountEvent, Fill, Order, OrderStatus, Side};
use exchange_core::{Exchange, StreamEvent, Subscription};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::support::*;

/// Reads account events until an order of `client_order_id` with `status` arrives; returns
/// every event read.
async fn until_order(
    sub: &mut Subscription<AccountEvent>,
    client_order_id: &str,
    status: OrderStatus,
) -> Vec<AccountEvent> {
    let mut seen = Vec::new();
    loop {
        match next(sub).await {
            StreamEvent::Data(event) => {
                let done = matches!(&event, AccountEvent::Order(o)
                    if o.client_order_id == client_order_id && o.status == status);
                seen.push(event);
                if done {
                    return seen;
                }
            }
            StreamEvent::Resync => panic!("the executions stream resynced"),
        }
    }
}

fn orders_of<'a>(events: &'a [AccountEvent], id: &str) -> Vec<&'a Order> {
    events
        .iter()
        .filter_map(|e| match e {
            AccountEvent::Order(o) if o.client_order_id == id => Some(o),
            _ => None,
        })
        .collect()
}

fn fills_of<'a>(events: &'a [AccountEvent], id: &str) -> Vec<&'a Fill> {
    events
        .iter()
        .filter_map(|e| match e {
            AccountEvent::Fill(f) if f.client_order_id == id => Some(f),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn an_orders_whole_life_with_each_fill_once() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let btc = sym("BTC/USD");
    let mut sub = ex.subscribe_account().await.unwrap();

    // A resting order: seen on the stream (which proves the subscription is live), canceled.
    let price = resting_bid(&sim);
    ex.place_order(&limit("exec-rest", "BTC/USD", Side::Buy, dec!(0.01), price))
        .await
        .unwrap();
    until_order(&mut sub, "exec-rest", OrderStatus::Open).await;
    ex.cancel_order(&btc, "exec-rest").await.unwrap();
    let events = until_order(&mut sub, "exec-rest", OrderStatus::Canceled).await;
    let canceled = orders_of(&events, "exec-rest");
    assert_eq!(canceled.last().unwrap().quantity, dec!(0.01));

    // A buy crossing the three best asks: one fill per maker, then filled.
    let (_, asks) = sim.kraken_truth_book("BTC/USD").unwrap();
    let qty: Decimal = asks[..3].iter().map(|(_, q)| *q).sum();
    let limit_price = asks[2].0;
    let placed = ex
        .place_order(&limit("exec-fill", "BTC/USD", Side::Buy, qty, limit_price))
        .await
        .unwrap();
    let mut events = until_order(&mut sub, "exec-fill", OrderStatus::Filled).await;
    // A later order's whole life: everything about the first one was delivered before it.
    ex.place_order(&limit("exec-last", "BTC/USD", Side::Buy, dec!(0.01), price))
        .await
        .unwrap();
    ex.cancel_order(&btc, "exec-last").await.unwrap();
    events.extend(until_order(&mut sub, "exec-last", OrderStatus::Canceled).await);

    let fills = fills_of(&events, "exec-fill");
    assert_eq!(fills.len(), 3, "one fill per maker level: {fills:?}");
    let ids: HashSet<&str> = fills.iter().map(|f| f.trade_id.as_str()).collect();
    assert_eq!(ids.len(), fills.len(), "no fill reported twice");
    assert_eq!(fills.iter().map(|f| f.quantity).sum::<Decimal>(), qty);
    for fill in &fills {
        assert_eq!(fill.symbol, btc);
        assert_eq!(fill.side, Side::Buy);
        assert!(fill.price <= limit_price);
        assert_eq!(
            fill.venue_order_id.as_str(),
            placed.venue_order_id.as_deref().unwrap()
        );
    }
    assert_eq!(
        truth_fills(&sim).await.len(),
        3,
        "the venue's own record agrees"
    );
    let last = orders_of(&events, "exec-fill");
    let last = last
        .iter()
        .rev()
        .find(|o| o.status == OrderStatus::Filled)
        .unwrap();
    assert_eq!(last.filled_quantity, qty);
    ex.disconnect().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test]
async fn the_executions_stream_survives_a_dropped_connection() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let btc = sym("BTC/USD");
    let mut sub = ex.subscribe_account().await.unwrap();
    let price = resting_bid(&sim);
    ex.place_order(&limit("exec-drop", "BTC/USD", Side::Buy, dec!(0.01), price))
        .await
        .unwrap();
    until_order(&mut sub, "exec-drop", OrderStatus::Open).await;
    assert!(sim.drop_connections(Some(venue_sim::ApiKind::KrakenWsAuth)) >= 1);
    // The consumer is told to reconcile, then the resubscription's snapshot brings the open
    // order again, with the same token.
    loop {
        match next(&mut sub).await {
            StreamEvent::Resync => break,
            StreamEvent::Data(_) => {}
        }
    }
    until_order(&mut sub, "exec-drop", OrderStatus::Open).await;
    ex.cancel_order(&btc, "exec-drop").await.unwrap();
    until_order(&mut sub, "exec-drop", OrderStatus::Canceled).await;
    sim.shutdown().await;
}
