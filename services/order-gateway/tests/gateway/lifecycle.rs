//! An order's life through the gateway: accepted, filled in two parts (each fill once, with the
//! venue's trade id, price, fee and liquidity), canceled; a rejection by validation; account
//! queries; the command's trace context on its events, fills included.

use async_nats::HeaderMap;
use bus::{AccountQuery, Encoding, OrderEventKind};
use exchange_core::model::{Balance, Liquidity, Market, Order, Side};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use venue_sim::MarketKind;

use crate::harness::*;

const TRACEPARENT: &str = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

/// One tick above the best bid: a resting buy that our own market sells will hit.
pub fn inside_bid(stack: &Stack) -> Decimal {
    let (_, (bids, asks)) = stack.sim.truth_book(MarketKind::Spot, "BTCUSDT").unwrap();
    let price = bids[0].0 + dec!(0.01);
    assert!(price < asks[0].0, "no room inside the spread");
    price
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_lives_and_each_fill_is_published_once() {
    let stack = Stack::start().await;
    let (gateway, _token) = stack.gateway(stack.config()).await;
    let qty = dec!(0.001);
    let mut traced = HeaderMap::new();
    traced.insert("traceparent", TRACEPARENT);

    let price = inside_bid(&stack);
    stack
        .send(&limit("maker-1", Side::Buy, qty * dec!(3), price), traced)
        .await;
    stack.wait_event("maker-1", "accepted").await;
    stack
        .send(&market("taker-1", Side::Sell, qty), HeaderMap::new())
        .await;
    stack.wait_event("maker-1", "partially_filled").await;
    stack
        .send(&market("taker-2", Side::Sell, qty), HeaderMap::new())
        .await;
    stack.wait_event("taker-2", "filled").await;
    testkit::wait_until(DEADLINE, "two fills of maker-1", || async {
        stack
            .kinds_of("maker-1")
            .await
            .iter()
            .filter(|k| **k == "partially_filled")
            .count()
            == 2
    })
    .await
    .unwrap();
    stack.send(&cancel("maker-1"), HeaderMap::new()).await;
    let kinds = stack.wait_event("maker-1", "canceled").await;
    assert_eq!(
        kinds,
        vec![
            "accepted",
            "partially_filled",
            "partially_filled",
            "canceled"
        ]
    );

    // Each fill once, matching the venue's own executions.
    let events = stack.events().await;
    let fills: Vec<_> = events
        .iter()
        .filter(|(e, _)| e.client_order_id.as_deref() == Some("maker-1"))
        .filter_map(|(e, _)| fill_of(&e.kind).cloned())
        .collect();
    assert_eq!(fills.len(), 2);
    assert_ne!(fills[0].trade_id, fills[1].trade_id);
    let venue_fills = stack.venue_fills().await;
    for fill in &fills {
        assert_eq!(fill.quantity, qty);
        assert_eq!(fill.price, price);
        assert_eq!(fill.liquidity, Some(Liquidity::Maker));
        assert!(fill.fee_asset.is_some());
        assert!(
            venue_fills
                .iter()
                .any(|v| v.to_string().contains(&fill.trade_id)),
            "trade {} is not one of the venue's executions",
            fill.trade_id
        );
    }
    // The trace context of the place command is on every event of maker-1, fills included.
    for (event, headers) in events
        .iter()
        .filter(|(e, _)| e.client_order_id.as_deref() == Some("maker-1"))
    {
        let tp = headers
            .as_ref()
            .and_then(|h| h.get("traceparent"))
            .map(|v| v.as_str().to_owned());
        match &event.kind {
            OrderEventKind::Canceled { .. } => {} // caused by the cancel command, untraced
            _ => assert_eq!(tp.as_deref(), Some(TRACEPARENT), "{:?}", event.kind),
        }
    }
    // The record in KV orders.
    let kv = bus::jetstream::orders(&stack.js).await.unwrap();
    let entry = kv.get("binance.main.maker-1").await.unwrap().unwrap();
    let record: bus::OrderRecord = bus::codec::decode(&entry, Encoding::sniff(&entry)).unwrap();
    assert_eq!(
        record.order.status,
        exchange_core::model::OrderStatus::Canceled
    );
    assert_eq!(record.fill_ids.len(), 2);
    assert_eq!(record.fills_quantity, qty * dec!(2));

    gateway.stop().await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validation_rejects_before_the_venue_and_cancels_of_closed_orders_are_refused() {
    let stack = Stack::start().await;
    let (gateway, _token) = stack.gateway(stack.config()).await;
    let price = inside_bid(&stack);
    // Off tick: rejected by the gateway, never sent.
    stack
        .send(
            &limit("bad-tick", Side::Buy, dec!(0.001), price + dec!(0.001)),
            HeaderMap::new(),
        )
        .await;
    assert_eq!(
        stack.wait_event("bad-tick", "rejected").await,
        vec!["rejected"]
    );
    assert!(stack.venue_orders("bad-tick").await.is_empty());
    let reason = stack
        .events()
        .await
        .into_iter()
        .find_map(|(e, _)| match e.kind {
            OrderEventKind::Rejected { reason, .. }
                if e.client_order_id.as_deref() == Some("bad-tick") =>
            {
                Some(reason)
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(reason.code, "tick_size");
    // Unknown symbol.
    let mut cmd = limit("bad-sym", Side::Buy, dec!(1), dec!(1));
    if let bus::OrderAction::Place(r) = &mut cmd.action {
        r.symbol = "NOPE/USDT".parse().unwrap();
    }
    stack.send(&cmd, HeaderMap::new()).await;
    stack.wait_event("bad-sym", "rejected").await;
    // A cancel of an order nobody knows, and of one already canceled.
    stack.send(&cancel("ghost"), HeaderMap::new()).await;
    stack.wait_event("ghost", "rejected").await;
    stack
        .send(
            &limit("c-1", Side::Buy, dec!(0.001), price),
            HeaderMap::new(),
        )
        .await;
    stack.wait_event("c-1", "accepted").await;
    stack.send(&cancel("c-1"), HeaderMap::new()).await;
    stack.wait_event("c-1", "canceled").await;
    let mut again = cancel("c-1");
    again.sent_ts_ns = 2; // the same cancel, sent again
    stack
        .send_raw(
            &bus::codec::encode(&again, Encoding::Json).unwrap(),
            Encoding::Json.headers(),
            "cancel:c-1:again",
        )
        .await;
    let kinds = stack.wait_event("c-1", "rejected").await;
    assert_eq!(kinds, vec!["accepted", "canceled", "rejected"]);
    gateway.stop().await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_queries_answer_over_request_reply() {
    let stack = Stack::start().await;
    let (gateway, _token) = stack.gateway(stack.config()).await;
    let balances: Vec<Balance> = bus::publish::request_account(
        &stack.client,
        "binance",
        "main",
        AccountQuery::Balance,
        None,
        Encoding::Json,
    )
    .await
    .unwrap()
    .into_result()
    .unwrap();
    assert!(
        balances
            .iter()
            .any(|b| b.asset == "USDT" && b.free > Decimal::ZERO)
    );
    let markets: Vec<Market> = bus::publish::request_account(
        &stack.client,
        "binance",
        "main",
        AccountQuery::Markets,
        None,
        Encoding::MsgPack,
    )
    .await
    .unwrap()
    .into_result()
    .unwrap();
    assert!(
        markets
            .iter()
            .any(|m| m.symbol == "BTC/USDT".parse().unwrap())
    );
    let price = inside_bid(&stack);
    stack
        .send(
            &limit("q-1", Side::Buy, dec!(0.001), price),
            HeaderMap::new(),
        )
        .await;
    stack.wait_event("q-1", "accepted").await;
    let open: Vec<Order> = bus::publish::request_account(
        &stack.client,
        "binance",
        "main",
        AccountQuery::OpenOrders,
        Some("BTC/USDT".parse().unwrap()),
        Encoding::Json,
    )
    .await
    .unwrap()
    .into_result()
    .unwrap();
    assert_eq!(
        open.iter().filter(|o| o.client_order_id == "q-1").count(),
        1
    );
    // Spot has no positions: an error reply with a code, not silence.
    let positions = bus::publish::request_account::<Vec<exchange_core::model::Position>>(
        &stack.client,
        "binance",
        "main",
        AccountQuery::Positions,
        None,
        Encoding::Json,
    )
    .await
    .unwrap()
    .into_result();
    assert_eq!(positions.unwrap_err().code, "not_supported");
    // An unknown query.
    let reply = stack
        .client
        .request("acct.binance.main.secrets", "".into())
        .await
        .unwrap();
    let reply: bus::AccountReply<serde_json::Value> = bus::codec::decode_message(&reply).unwrap();
    assert_eq!(reply.into_result().unwrap_err().code, "bad_request");
    gateway.stop().await;
    stack.stop().await;
}
