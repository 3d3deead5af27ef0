//! Control API faults (forced statuses, 429 → 418, order timeouts, latency, dropped and frozen
//! connections) and the server's heartbeat and shutdown.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::Method;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;
use venue_sim::SimConfig;

use crate::common::*;

#[tokio::test]
async fn weight_limit_gives_429_then_418() {
    let mut config = SimConfig {
        flow_rate: 0,
        ..SimConfig::for_tests()
    };
    config.limits.weight_per_minute = 10;
    config.limits.violations_before_ban = 2;
    let sim = start(config).await;
    let url = format!(
        "{}/api/v3/depth?symbol=BTCUSDT",
        sim.addrs().spot_rest_url()
    );
    let r = http().get(&url).send().await.unwrap();
    assert_eq!(r.headers()["X-MBX-USED-WEIGHT-1M"], "5");
    let r = http().get(&url).send().await.unwrap();
    assert_eq!(r.headers()["X-MBX-USED-WEIGHT-1M"], "10");
    let r = http().get(&url).send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("Retry-After"));
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["code"], -1003);
    assert_eq!(http().get(&url).send().await.unwrap().status(), 429);
    let r = http().get(&url).send().await.unwrap();
    assert_eq!(r.status(), 418);
    assert!(
        r.json::<serde_json::Value>().await.unwrap()["msg"]
            .as_str()
            .unwrap()
            .contains("IP banned until")
    );
    control_post(&sim, "/limits/reset", json!({})).await;
    assert_eq!(http().get(&url).send().await.unwrap().status(), 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn forced_statuses_latency_and_order_timeout() {
    let sim = start_quiet().await;
    let b = sim.addrs().spot_rest_url();
    control_post(
        &sim,
        "/faults/http",
        json!({"api":"spot_rest","status":503,"count":2}),
    )
    .await;
    for _ in 0..2 {
        let (status, body) = get_json(&format!("{b}/api/v3/time")).await;
        assert_eq!((status, body["code"].as_i64()), (503, Some(-1001)));
    }
    assert_eq!(get_json(&format!("{b}/api/v3/time")).await.0, 200);
    control_post(
        &sim,
        "/faults/http",
        json!({"api":"spot_rest","status":418,"count":1}),
    )
    .await;
    assert_eq!(get_json(&format!("{b}/api/v3/time")).await.0, 418);

    control_post(&sim, "/faults/latency", json!({"api":"spot_rest","ms":150})).await;
    let t0 = Instant::now();
    assert_eq!(get_json(&format!("{b}/api/v3/time")).await.0, 200);
    assert!(t0.elapsed() >= Duration::from_millis(150));
    control_post(&sim, "/faults/latency", json!({"api":"spot_rest","ms":0})).await;

    control_post(
        &sim,
        "/faults/order-timeout",
        json!({"api":"spot_rest","count":1}),
    )
    .await;
    let (status, body) = signed_json(Method::POST, &b, "/api/v3/order",
        "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=50000&newClientOrderId=lost1").await;
    assert_eq!((status, body["code"].as_i64()), (503, Some(-1007)));
    // The order was accepted even though the answer said "unknown": the truth and a query show it.
    let orders = control_get(&sim, "/truth/orders?market=spot&symbol=BTCUSDT").await;
    assert!(
        orders
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["clientOrderId"] == "lost1" && o["status"] == "NEW")
    );
    let (status, q) = signed_json(
        Method::GET,
        &b,
        "/api/v3/order",
        "symbol=BTCUSDT&origClientOrderId=lost1",
    )
    .await;
    assert_eq!((status, q["status"].as_str()), (200, Some("NEW")));
    let balances = control_get(&sim, "/truth/balances?market=spot").await;
    assert_eq!(
        balances["USDT"]["locked"]
            .as_str()
            .map(|s| s.parse::<f64>().unwrap()),
        Some(50.0)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_slow_order_reply_arrives_after_the_order_took_effect() {
    let sim = start_quiet().await;
    let b = sim.addrs().spot_rest_url();
    control_post(
        &sim,
        "/faults/order-slow-reply",
        json!({"api":"spot_rest","ms":60_000,"count":1}),
    )
    .await;
    let placing = tokio::spawn(async move {
        signed_json(Method::POST, &b, "/api/v3/order",
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=50000&newClientOrderId=slow1").await
    });
    // The order is in the truth while its answer is still held.
    testkit::wait_until(
        Duration::from_secs(10),
        "the order to take effect",
        || async {
            let orders = control_get(&sim, "/truth/orders?market=spot&symbol=BTCUSDT").await;
            orders
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o["clientOrderId"] == "slow1" && o["status"] == "NEW")
        },
    )
    .await
    .unwrap();
    assert!(!placing.is_finished(), "the answer was not held");
    placing.abort();
    // Only one reply was slowed: the next order answers at once.
    let (status, body) = signed_json(Method::POST, &sim.addrs().spot_rest_url(), "/api/v3/order",
        "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=50000&newClientOrderId=fast1").await;
    assert_eq!(
        (status, body["clientOrderId"].as_str()),
        (200, Some("fast1"))
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn drop_and_freeze_connections() {
    let sim = start_quiet().await;
    let url = format!("{}/ws", sim.addrs().spot_ws_url());
    let mut a = ws(&url).await;
    let mut b = ws(&url).await;
    send(&mut a, json!({"method":"LIST_SUBSCRIPTIONS","id":0})).await;
    next_where(&mut a, |v| v["id"] == 0).await;
    send(&mut b, json!({"method":"LIST_SUBSCRIPTIONS","id":0})).await;
    next_where(&mut b, |v| v["id"] == 0).await;
    let conns = control_get(&sim, "/connections").await;
    let ids: Vec<u64> = conns
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    // Freeze the first: a request sent while frozen is never answered.
    control_post(
        &sim,
        "/connections/freeze",
        json!({"id": ids[0], "frozen": true}),
    )
    .await;
    send(&mut a, json!({"method":"LIST_SUBSCRIPTIONS","id":1})).await;
    send(&mut b, json!({"method":"LIST_SUBSCRIPTIONS","id":1})).await;
    next_where(&mut b, |v| v["id"] == 1).await;
    control_post(
        &sim,
        "/connections/freeze",
        json!({"id": ids[0], "frozen": false}),
    )
    .await;
    send(&mut a, json!({"method":"LIST_SUBSCRIPTIONS","id":2})).await;
    let first = next_where(&mut a, |_| true).await;
    assert_eq!(
        first["id"], 2,
        "the request sent while frozen must have been swallowed"
    );
    // Drop the second: its stream ends.
    let r = control_post(&sim, "/connections/drop", json!({"id": ids[1]})).await;
    assert_eq!(r["affected"], 1);
    let end = tokio::time::timeout(DEADLINE, async {
        loop {
            match b.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => {}
            }
        }
    });
    end.await.expect("dropped connection must end");
    sim.shutdown().await;
}

#[tokio::test]
async fn server_pings_and_shutdown_closes_everything() {
    let sim = start(SimConfig {
        flow_rate: 0,
        ping_interval_ms: 50,
        ..SimConfig::for_tests()
    })
    .await;
    let mut s = ws_ready(&format!("{}/ws/btcusdt@trade", sim.addrs().spot_ws_url())).await;
    let ping = tokio::time::timeout(DEADLINE, async {
        loop {
            if let Some(Ok(Message::Ping(p))) = s.next().await {
                return p;
            }
        }
    })
    .await
    .unwrap();
    assert!(!ping.is_empty());
    let rest = sim.addrs().spot_rest_url();
    let shutdown = tokio::time::timeout(DEADLINE, sim.shutdown());
    shutdown
        .await
        .expect("shutdown must finish while a client is connected");
    let ended = tokio::time::timeout(DEADLINE, async {
        let mut announced = false;
        loop {
            match s.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return announced,
                Some(Ok(Message::Text(t))) => {
                    announced |= t.as_str().contains("\"e\":\"serverShutdown\"")
                }
                Some(Ok(_)) => {}
            }
        }
    });
    assert!(
        ended.await.expect("client stream must end on shutdown"),
        "serverShutdown event before the close"
    );
    assert!(
        http()
            .get(format!("{rest}/api/v3/ping"))
            .send()
            .await
            .is_err()
    );
}

#[tokio::test]
async fn client_that_never_pongs_is_disconnected() {
    let sim = start(SimConfig {
        flow_rate: 0,
        ping_interval_ms: 20,
        // Long enough to observe the connection open on a loaded machine, short enough to wait for.
        pong_timeout_ms: 1_000,
        ..SimConfig::for_tests()
    })
    .await;
    // This client never reads, so it never answers the server's pings.
    let _silent = ws(&format!("{}/ws/btcusdt@trade", sim.addrs().spot_ws_url())).await;
    let open_connections = || async {
        control_get(&sim, "/connections")
            .await
            .as_array()
            .map_or(usize::MAX, Vec::len)
    };
    testkit::wait_until(DEADLINE, "the silent client to be connected", || async {
        open_connections().await == 1
    })
    .await
    .unwrap();
    testkit::wait_until(DEADLINE, "the silent client to be disconnected", || async {
        open_connections().await == 0
    })
    .await
    .unwrap();
    sim.shutdown().await;
}

#[tokio::test]
async fn in_process_handle_matches_control_api() {
    use venue_sim::{ApiKind, MarketKind};
    let sim = start_quiet().await;
    sim.step_flow(MarketKind::Spot, 500);
    let (id, (bids, asks)) = sim.truth_book(MarketKind::Spot, "BTCUSDT").unwrap();
    let t = control_get(&sim, "/truth/book?symbol=BTCUSDT").await;
    assert_eq!(t["lastUpdateId"].as_u64(), Some(id));
    assert_eq!(
        (
            t["bids"].as_array().unwrap().len(),
            t["asks"].as_array().unwrap().len()
        ),
        (bids.len(), asks.len())
    );
    assert!(sim.truth_book(MarketKind::Futures, "NOPE").is_none());
    sim.with_faults(|f| f.set_http(ApiKind::FuturesRest, 502, 1));
    assert_eq!(
        get_json(&format!("{}/fapi/v1/time", sim.addrs().futures_rest_url()))
            .await
            .0,
        502
    );
    let mut s = ws_ready(&format!("{}/ws", sim.addrs().futures_ws_url())).await;
    send(&mut s, json!({"method":"LIST_SUBSCRIPTIONS","id":1})).await;
    next_where(&mut s, |v| v["id"] == 1).await;
    assert_eq!(sim.drop_connections(Some(ApiKind::SpotWs)), 0);
    assert_eq!(sim.drop_connections(Some(ApiKind::FuturesWs)), 1);
    sim.shutdown().await;
}
