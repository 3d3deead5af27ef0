//! Crashes and restarts: NATS restarted while commands flow (no command and no event lost), and
//! the gateway binary SIGKILLed after the venue accepted an order but before the gateway acked
//! its command (one order, its events once, its later fills once).

use async_nats::HeaderMap;
use exchange_core::model::Side;
use rust_decimal_macros::dec;
use serde_json::json;

use crate::binary::{self, free_health_addr};
use crate::harness::*;
use crate::lifecycle::inside_bid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nats_restart_mid_stream_loses_no_command_and_no_event() {
    let mut stack = Stack::start().await;
    let (gateway, _token) = stack.gateway(stack.config()).await;
    let price = inside_bid(&stack);
    let ids: Vec<String> = (0..16).map(|i| format!("nr-{i}")).collect();
    for id in &ids[..8] {
        stack
            .send(&limit(id, Side::Buy, dec!(0.001), price), HeaderMap::new())
            .await;
    }
    stack.nats.restart().await.unwrap();
    for id in &ids[8..] {
        stack
            .send(&limit(id, Side::Buy, dec!(0.001), price), HeaderMap::new())
            .await;
    }
    testkit::wait_until(DEADLINE, "every order accepted", || async {
        let events = stack.events().await;
        ids.iter().all(|id| {
            events
                .iter()
                .any(|(e, _)| e.client_order_id.as_deref() == Some(id.as_str()))
        })
    })
    .await
    .unwrap();
    let events = stack.events().await;
    for id in &ids {
        let msg_ids: Vec<String> = events
            .iter()
            .filter(|(e, _)| e.client_order_id.as_deref() == Some(id.as_str()))
            .map(|(_, h)| {
                h.as_ref()
                    .and_then(|h| h.get("Nats-Msg-Id"))
                    .map(|v| v.as_str().to_owned())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            stack.kinds_of(id).await,
            vec!["accepted"],
            "{id}: {msg_ids:?}"
        );
        assert_eq!(stack.venue_orders(id).await.len(), 1, "{id}");
    }
    gateway.stop().await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_killed_between_venue_accept_and_ack_places_once_and_publishes_once() {
    let stack = Stack::start().await;
    let health = free_health_addr();
    let env = [
        ("EXGW_ORDERS__ACK_WAIT_MS", "2000".to_owned()),
        ("EXGW_ORDERS__RETRY_DELAY_MS", "100".to_owned()),
    ];
    let mut first = binary::spawn(&stack, &health, &env).await;
    let price = inside_bid(&stack);

    // The venue takes the next order at once but holds its answer: the gateway waits for it.
    control_post(
        &stack.sim,
        "/faults/order-slow-reply",
        json!({"api":"spot_rest","ms":60_000,"count":1}),
    )
    .await;
    stack
        .send(
            &limit("crash-1", Side::Buy, dec!(0.002), price),
            HeaderMap::new(),
        )
        .await;
    testkit::wait_until(DEADLINE, "the venue to have crash-1", || async {
        stack.venue_orders("crash-1").await.len() == 1
    })
    .await
    .unwrap();
    // SIGKILL: no chance to ack the command or write anything more. (The private stream may
    // already have shown the order and its `accepted` been published: it must not repeat.)
    first.kill().await.unwrap();
    control_post(&stack.sim, "/faults/clear", json!({})).await;

    let second = binary::spawn(&stack, &health, &env).await;
    assert_eq!(
        stack.wait_event("crash-1", "accepted").await,
        vec!["accepted"]
    );
    // Later fills, each once.
    for taker in ["crash-t1", "crash-t2"] {
        stack
            .send(&market(taker, Side::Sell, dec!(0.001)), HeaderMap::new())
            .await;
        stack.wait_event(taker, "filled").await;
    }
    stack.wait_event("crash-1", "filled").await;
    // The redelivered place command must have been settled as a repeat by now (ack_wait 2 s).
    wait_queue_drained(&stack.js, "order-gateway_binance_main").await;
    assert_eq!(
        stack.kinds_of("crash-1").await,
        vec!["accepted", "partially_filled", "filled"]
    );
    assert_eq!(stack.venue_orders("crash-1").await.len(), 1);

    // SIGTERM: a clean stop.
    let exit = binary::terminate(second).await;
    assert!(exit.success(), "{exit:?}");
    stack.stop().await;
}
