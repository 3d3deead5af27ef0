//! Two instances sharing one desk, and a desk whose private stream went silent and dropped:
//! each command handled once, each fact published once, and what the silent stream hid is
//! published after the reconnect.

use async_nats::HeaderMap;
use exchange_core::model::Side;
use rust_decimal_macros::dec;
use serde_json::json;

use crate::harness::*;
use crate::lifecycle::inside_bid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_a_desk_and_publish_each_fact_once() {
    let stack = Stack::start().await;
    let mut a_config = stack.config();
    a_config.service.name = "og-a".into();
    let mut b_config = stack.config();
    b_config.service.name = "og-b".into();
    let (a, _ta) = stack.gateway(a_config).await;
    let (b, _tb) = stack.gateway(b_config).await;
    let price = inside_bid(&stack);
    let makers: Vec<String> = (0..12).map(|i| format!("two-{i}")).collect();
    for id in &makers {
        stack
            .send(&limit(id, Side::Buy, dec!(0.001), price), HeaderMap::new())
            .await;
    }
    for id in &makers {
        stack.wait_event(id, "accepted").await;
    }
    // Fill the makers in price-time order with one market sell: both instances see every fill
    // on their private streams.
    stack
        .send(
            &market("two-taker", Side::Sell, dec!(0.012)),
            HeaderMap::new(),
        )
        .await;
    for id in &makers {
        stack.wait_event(id, "filled").await;
    }
    for id in &makers {
        assert_eq!(stack.kinds_of(id).await, vec!["accepted", "filled"], "{id}");
        assert_eq!(stack.venue_orders(id).await.len(), 1, "{id}");
    }
    // Both took commands.
    let done =
        |g: &order_gateway::OrderGateway| g.metrics().commands("binance", "place", "done").get();
    assert!(
        done(&a) > 0 && done(&b) > 0,
        "a {} b {}",
        done(&a),
        done(&b)
    );
    assert_eq!(done(&a) + done(&b), 13);
    a.stop().await;
    b.stop().await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fill_the_private_stream_missed_is_published_after_it_reconnects() {
    let stack = Stack::start().await;
    let mut config = stack.config();
    // No periodic safety net here: the fill must come from the reconnect's reconciliation. The
    // adapter calls its user stream stale after 1.5 s of silence and reconnects.
    config.orders.reconcile_interval_ms = 0;
    if let Some(venue) = config.venues.get_mut("binance") {
        venue.options = json!({"ticker_24h": false, "stale_after_ms": 1500});
    }
    let (gateway, _token) = stack.gateway(config).await;
    let price = inside_bid(&stack);
    stack
        .send(
            &limit("quiet-1", Side::Buy, dec!(0.002), price),
            HeaderMap::new(),
        )
        .await;
    stack.wait_event("quiet-1", "accepted").await;
    // The private stream (over the WebSocket API) goes silent: the fill happens unseen.
    control_post(
        &stack.sim,
        "/connections/freeze",
        json!({"api":"ws_api","frozen":true}),
    )
    .await;
    stack
        .send(
            &market("quiet-t", Side::Sell, dec!(0.001)),
            HeaderMap::new(),
        )
        .await;
    // The adapter notices the silence, reconnects and says it may have missed data; the gateway
    // reconciles and publishes both sides' fills, once each, with their trade ids.
    stack.wait_event("quiet-t", "filled").await;
    let kinds = stack.wait_event("quiet-1", "partially_filled").await;
    assert_eq!(kinds, vec!["accepted", "partially_filled"]);
    assert!(gateway.metrics().account_resyncs("binance").get() >= 1);
    let events = stack.events().await;
    let fill = events
        .iter()
        .filter(|(e, _)| e.client_order_id.as_deref() == Some("quiet-1"))
        .find_map(|(e, _)| fill_of(&e.kind).cloned())
        .unwrap();
    assert_eq!(fill.quantity, dec!(0.001));
    assert!(
        stack
            .venue_fills()
            .await
            .iter()
            .any(|v| v.to_string().contains(&fill.trade_id)),
        "{fill:?}"
    );
    gateway.stop().await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_consumer_is_bound_again_and_commands_keep_flowing() {
    let stack = Stack::start().await;
    let (gateway, _token) = stack.gateway(stack.config()).await;
    let price = inside_bid(&stack);
    stack
        .send(
            &limit("del-1", Side::Buy, dec!(0.001), price),
            HeaderMap::new(),
        )
        .await;
    stack.wait_event("del-1", "accepted").await;
    let stream = stack.js.get_stream("ORDERS_CMD").await.unwrap();
    stream
        .delete_consumer("order-gateway_binance_main")
        .await
        .unwrap();
    stack
        .send(
            &limit("del-2", Side::Buy, dec!(0.001), price),
            HeaderMap::new(),
        )
        .await;
    assert_eq!(
        stack.wait_event("del-2", "accepted").await,
        vec!["accepted"]
    );
    gateway.stop().await;
    stack.stop().await;
}
