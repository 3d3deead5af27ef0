//! One order however often it is asked for: the same command three times (twice inside the
//! duplicate window, once after it) places one order; a place whose answer was lost is
//! reconciled with the venue, not placed again.

use async_nats::HeaderMap;
use exchange_core::model::Side;
use rust_decimal_macros::dec;
use serde_json::json;

use crate::harness::*;
use crate::lifecycle::inside_bid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_command_three_times_places_one_order() {
    let stack = Stack::start().await;
    let mut config = stack.config();
    config.jetstream.duplicate_window_ms = 1_000;
    let (gateway, _token) = stack.gateway(config).await;
    let price = inside_bid(&stack);
    let command = limit("once-1", Side::Buy, dec!(0.001), price);

    assert!(
        !stack.send(&command, HeaderMap::new()).await,
        "first is new"
    );
    assert!(
        stack.send(&command, HeaderMap::new()).await,
        "second is a JetStream duplicate"
    );
    assert_eq!(
        stack.wait_event("once-1", "accepted").await,
        vec!["accepted"]
    );
    // After the duplicate window, JetStream takes the same Nats-Msg-Id again: the gateway must
    // recognise the client order id by itself.
    testkit::wait_until(DEADLINE, "the duplicate window to pass", || async {
        !stack.send(&command, HeaderMap::new()).await
    })
    .await
    .unwrap();
    // It answers with the current state and places nothing.
    testkit::wait_until(DEADLINE, "the answer to the repeat", || async {
        stack.kinds_of("once-1").await == vec!["accepted", "accepted"]
    })
    .await
    .unwrap();
    assert_eq!(stack.venue_orders("once-1").await.len(), 1);
    assert_eq!(
        gateway
            .metrics()
            .commands("binance", "place", "duplicate")
            .get(),
        1
    );
    gateway.stop().await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_place_answer_is_reconciled_not_placed_again() {
    let stack = Stack::start().await;
    let (gateway, _token) = stack.gateway(stack.config()).await;
    let price = inside_bid(&stack);
    // The venue accepts the next order but answers 503 -1007 (status unknown).
    control_post(
        &stack.sim,
        "/faults/order-timeout",
        json!({"api":"spot_rest","count":1}),
    )
    .await;
    stack
        .send(
            &limit("lost-1", Side::Buy, dec!(0.001), price),
            HeaderMap::new(),
        )
        .await;
    stack.wait_event("lost-1", "accepted").await;
    let orders = stack.venue_orders("lost-1").await;
    assert_eq!(orders.len(), 1, "{orders:?}");
    assert_eq!(orders[0]["status"], "NEW");
    let kinds = stack.kinds_of("lost-1").await;
    assert_eq!(
        kinds.iter().filter(|k| **k == "accepted").count(),
        1,
        "{kinds:?}"
    );
    gateway.stop().await;
    stack.stop().await;
}
