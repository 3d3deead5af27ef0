//! Crashes and restarts: NATS restarted while commands flow (no command and no event lost), and
//! the gateway binary SIGKILLed after the venue accepted an order but before the gateway acked
//! its command (one order, its events once, its later fills once).

use std::process::Stdio;
use std::time::Duration;

use async_nats::HeaderMap;
use exchange_core::model::Side;
use rust_decimal_macros::dec;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};

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

async fn http_status(addr: &str, path: &str) -> Option<u16> {
    let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
    let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).await.ok()?;
    out.split(' ').nth(1)?.parse().ok()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the binary with the demo configuration pointed at `stack`, and waits until ready.
async fn spawn_binary(stack: &Stack, health: &str) -> Child {
    let config =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/orders-demo.toml");
    let a = stack.sim.addrs();
    let child = Command::new(env!("CARGO_BIN_EXE_order-gateway"))
        .arg("--config")
        .arg(&config)
        .env("EXGW_NATS__URL", stack.nats.url())
        .env("EXGW_HEALTH__LISTEN", health)
        .env("EXGW_ORDERS__ACK_WAIT_MS", "2000")
        .env("EXGW_ORDERS__RETRY_DELAY_MS", "100")
        .env(
            "EXGW_VENUES__BINANCE__BASE_URLS__SPOT_REST",
            a.spot_rest_url(),
        )
        .env("EXGW_VENUES__BINANCE__BASE_URLS__SPOT_WS", a.spot_ws_url())
        .env("EXGW_VENUES__BINANCE__BASE_URLS__WS_API", a.ws_api_url())
        .env(
            "EXGW_VENUES__BINANCE__BASE_URLS__FUTURES_REST",
            a.futures_rest_url(),
        )
        .env(
            "EXGW_VENUES__BINANCE__BASE_URLS__FUTURES_WS",
            a.futures_ws_url(),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    testkit::wait_until(DEADLINE, "the order-gateway binary ready", || async {
        http_status(health, "/readyz").await == Some(200)
    })
    .await
    .unwrap();
    child
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_killed_between_venue_accept_and_ack_places_once_and_publishes_once() {
    let stack = Stack::start().await;
    let health = format!("127.0.0.1:{}", free_port());
    let mut first = spawn_binary(&stack, &health).await;
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

    let mut second = spawn_binary(&stack, &health).await;
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
    let pid = second.id().unwrap();
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .await
        .unwrap();
    assert!(status.success());
    let exit = tokio::time::timeout(Duration::from_secs(20), second.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "{exit:?}");
    stack.stop().await;
}
