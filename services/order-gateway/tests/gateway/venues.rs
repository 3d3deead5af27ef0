//! The gateway on the other adapters: Coinbase spot, Kraken spot and Binance USD-M, each with a
//! desk `main` against venue-sim (see [`crate::venue_desks`]).
//!
//! Per venue: an order accepted, filled in two parts by our own market orders (each fill once,
//! named as the venue's truth names it), canceled; one order at the venue; an off-tick price
//! rejected before the venue. For Kraken and Coinbase: a place whose answer is lost is resolved
//! into one order and one `accepted`.

use bus::OrderEventKind;
use exchange_core::model::{Liquidity, OrderType, Side};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::json;

use crate::harness::*;
use crate::venue_desks::*;

/// The whole life of one order on `kind`, and a rejection by validation.
async fn an_order_lives_and_each_fill_is_published_once_on(kind: VenueKind) {
    let stack = Stack::start().await;
    let (gateway, _token) = stack.gateway(config_for(&stack, kind)).await;
    let desk = DeskOn {
        stack: &stack,
        kind,
    };
    let qty = kind.quantity();
    let price = desk.inside_bid();

    // Off tick: rejected by the gateway with the rule's code, never sent.
    let off_tick = price + kind.tick() / dec!(10);
    desk.send(&place_on(
        kind,
        "bad-tick",
        Side::Buy,
        OrderType::Limit,
        qty,
        Some(off_tick),
    ))
    .await;
    assert_eq!(desk.wait_event("bad-tick", "rejected").await, ["rejected"]);
    let rejected = desk.events_of("bad-tick").await;
    match &rejected[0].kind {
        OrderEventKind::Rejected { reason, .. } => assert_eq!(reason.code, "tick_size"),
        other => panic!("not a rejection: {other:?}"),
    }
    assert!(desk.venue_orders("bad-tick").await.is_empty());

    // A resting buy, then two market sells of ours into it.
    desk.send(&place_on(
        kind,
        "maker-1",
        Side::Buy,
        OrderType::Limit,
        qty * dec!(3),
        Some(price),
    ))
    .await;
    desk.wait_event("maker-1", "accepted").await;
    desk.send(&place_on(
        kind,
        "taker-1",
        Side::Sell,
        OrderType::Market,
        qty,
        None,
    ))
    .await;
    desk.wait_events("maker-1", "partially_filled", 1).await;
    desk.send(&place_on(
        kind,
        "taker-2",
        Side::Sell,
        OrderType::Market,
        qty,
        None,
    ))
    .await;
    desk.wait_events("maker-1", "partially_filled", 2).await;
    for taker in ["taker-1", "taker-2"] {
        assert_eq!(
            desk.wait_event(taker, "filled").await,
            ["accepted", "filled"]
        );
    }
    desk.send(&cancel_on(kind, "maker-1")).await;
    let kinds = desk.wait_event("maker-1", "canceled").await;
    assert_eq!(
        kinds,
        [
            "accepted",
            "partially_filled",
            "partially_filled",
            "canceled"
        ],
        "{}",
        kind.name()
    );

    // One order at the venue, canceled after two fills.
    let orders = desk.venue_orders("maker-1").await;
    assert_eq!(orders.len(), 1, "{orders:?}");
    let executed: Decimal = orders[0]["executedQty"].as_str().unwrap().parse().unwrap();
    assert_eq!(executed, qty * dec!(2), "{orders:?}");
    assert!(
        orders[0]["status"]
            .as_str()
            .unwrap()
            .to_ascii_uppercase()
            .starts_with("CANCEL"),
        "{orders:?}"
    );

    // Each fill once, with the trade ids the venue's own executions give.
    let events = desk.events_of("maker-1").await;
    let fills: Vec<_> = events.iter().filter_map(|e| fill_of(&e.kind)).collect();
    assert_eq!(fills.len(), 2);
    let mut ids: Vec<String> = fills.iter().map(|f| f.trade_id.clone()).collect();
    ids.sort();
    let mut expected = desk.venue_trade_ids(&orders[0]).await;
    expected.sort();
    assert_eq!(
        ids,
        expected,
        "{}: trade ids against the venue's",
        kind.name()
    );
    for fill in &fills {
        assert!(!fill.trade_id.is_empty());
        assert_eq!(fill.quantity, qty);
        assert_eq!(fill.price.normalize(), price.normalize());
        assert_eq!(fill.side, Side::Buy);
        assert_eq!(fill.symbol, kind.symbol());
        // Coinbase's `user` channel does not say; the others say maker.
        assert_ne!(fill.liquidity, Some(Liquidity::Taker));
    }
    // The KV record agrees.
    let kv = bus::jetstream::orders(&stack.js).await.unwrap();
    let entry = kv
        .get(format!("{}.main.maker-1", kind.name()))
        .await
        .unwrap()
        .unwrap();
    let record: bus::OrderRecord =
        bus::codec::decode(&entry, bus::Encoding::sniff(&entry)).unwrap();
    assert_eq!(record.fill_ids.len(), 2);
    assert_eq!(record.fills_quantity, qty * dec!(2));

    gateway.stop().await;
    stack.stop().await;
}

/// A place whose answer the venue loses (the order is accepted, the answer is a 5xx) on `kind`.
async fn a_lost_place_answer_is_one_order_on(kind: VenueKind) {
    let stack = Stack::start().await;
    let (gateway, _token) = stack.gateway(config_for(&stack, kind)).await;
    let desk = DeskOn {
        stack: &stack,
        kind,
    };
    let price = desk.inside_bid();
    let (api, api_kind) = kind.order_api();
    control_post(
        &stack.sim,
        "/faults/order-timeout",
        json!({"api": api, "count": 1}),
    )
    .await;
    desk.send(&place_on(
        kind,
        "lost-1",
        Side::Buy,
        OrderType::Limit,
        kind.quantity(),
        Some(price),
    ))
    .await;
    desk.wait_event("lost-1", "accepted").await;
    // The fault was spent on this order (else the test proved nothing).
    assert!(
        !stack.sim.with_faults(|f| f.take_order_timeout(api_kind)),
        "the order-timeout fault was not used"
    );
    let orders = desk.venue_orders("lost-1").await;
    assert_eq!(orders.len(), 1, "{orders:?}");
    let kinds = desk.kinds_of("lost-1").await;
    assert_eq!(
        kinds.iter().filter(|k| **k == "accepted").count(),
        1,
        "{kinds:?}"
    );
    assert!(
        kinds.iter().all(|k| *k == "accepted" || *k == "unknown"),
        "{kinds:?}"
    );
    // The order is working: a cancel goes through.
    desk.send(&cancel_on(kind, "lost-1")).await;
    desk.wait_event("lost-1", "canceled").await;
    assert_eq!(desk.venue_orders("lost-1").await.len(), 1);
    gateway.stop().await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coinbase_an_order_lives_and_each_fill_is_published_once() {
    an_order_lives_and_each_fill_is_published_once_on(VenueKind::Coinbase).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kraken_an_order_lives_and_each_fill_is_published_once() {
    an_order_lives_and_each_fill_is_published_once_on(VenueKind::Kraken).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binance_usdm_an_order_lives_and_each_fill_is_published_once() {
    an_order_lives_and_each_fill_is_published_once_on(VenueKind::BinanceUsdm).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kraken_a_lost_place_answer_is_one_order() {
    a_lost_place_answer_is_one_order_on(VenueKind::Kraken).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coinbase_a_lost_place_answer_is_one_order() {
    a_lost_place_answer_is_one_order_on(VenueKind::Coinbase).await;
}
