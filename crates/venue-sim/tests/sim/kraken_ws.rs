//! Kraken WebSocket v2 against the fixtures: the session frames (status, ack, heartbeat), the
//! refused depth, book frames beside the real ETH/USD frames, ping/pong, the public channels,
//! the private `executions` channel through an order's whole life (each fill once, `sequence`
//! +1 per frame) with `add_order`/`cancel_order`, and dropped and frozen connections.

use serde_json::{Value, json};
use venue_sim::SimConfig;

use crate::common::{
    Ws, assert_same_shape, control_get, control_post, fixture_lines, next_where, send,
};
use crate::kraken_common::{connect, private, result, start_quiet, subscribe, until_pong};

#[tokio::test]
async fn session_frames_match_fixture() {
    let mut config = SimConfig {
        flow_rate: 0,
        ..SimConfig::for_tests()
    };
    config.kraken.heartbeat_ms = 50;
    let sim = crate::common::start(config).await;
    let lines = fixture_lines("kraken_ws_v2_session_frames.jsonl");
    let mut ws = crate::common::ws(&sim.addrs().kraken_ws_url()).await;
    let status = next_where(&mut ws, |_| true).await;
    assert_same_shape(&lines[0], &status, &[]);
    assert!(status["data"][0]["connection_id"].as_u64().unwrap() > 1u64 << 53);
    send(&mut ws, json!({"method": "subscribe", "params": {"channel": "book", "symbol": ["BTC/USD"], "depth": 10}})).await;
    let ack = next_where(&mut ws, |v| v["method"] == "subscribe").await;
    assert_same_shape(&lines[1], &ack, &[]);
    assert_eq!(ack["result"], lines[1]["result"]);
    let beat = next_where(&mut ws, |v| v["channel"] == "heartbeat").await;
    assert_eq!(beat, lines[2]);
    sim.shutdown().await;
}

#[tokio::test]
async fn refused_depth_matches_fixture_and_connection_stays() {
    let sim = start_quiet().await;
    let lines = fixture_lines("kraken_ws_v2_subscribe_error_and_update.jsonl");
    let mut ws = connect(&sim.addrs().kraken_ws_url()).await;
    send(&mut ws, lines[0].clone()).await;
    let err = next_where(&mut ws, |v| v["method"] == "subscribe").await;
    assert_same_shape(&lines[1], &err, &[]);
    assert_eq!(err["error"], lines[1]["error"]);
    // Malformed and unknown requests are answered; the connection keeps serving.
    ws_text(&mut ws, "not json").await;
    let v = next_where(&mut ws, |v| v["success"] == false).await;
    assert_eq!(v["error"], "Malformed request");
    send(&mut ws, json!({"method": "subscribe", "params": {"channel": "book", "symbol": ["FOO/BAR"]}, "req_id": 5})).await;
    let v = next_where(&mut ws, |v| v["req_id"] == 5).await;
    assert_eq!(
        (v["success"].as_bool(), v["error"].as_str()),
        (Some(false), Some("Currency pair not supported FOO/BAR"))
    );
    send(&mut ws, json!({"method": "subscribe", "params": {"channel": "executions", "token": "x"}, "req_id": 6})).await;
    let v = next_where(&mut ws, |v| v["req_id"] == 6).await;
    assert_eq!(v["success"], false);
    send(&mut ws, json!({"method": "frobnicate", "req_id": 7})).await;
    assert_eq!(
        next_where(&mut ws, |v| v["req_id"] == 7).await["success"],
        false
    );
    let pong = until_pong(&mut ws, 8).await;
    assert!(pong.is_empty());
    sim.shutdown().await;
}

async fn ws_text(ws: &mut Ws, text: &str) {
    use futures_util::SinkExt;
    ws.send(tokio_tungstenite::tungstenite::Message::Text(text.into()))
        .await
        .unwrap();
}

#[tokio::test]
async fn ping_pong_and_book_frames_match_fixture() {
    let sim = start_quiet().await;
    let lines = fixture_lines("kraken_book_v2_sequence_ETHUSD.jsonl");
    let mut ws = connect(&sim.addrs().kraken_ws_url()).await;
    send(&mut ws, json!({"method": "ping", "req_id": 101})).await;
    let pong = next_where(&mut ws, |v| v["method"] == "pong").await;
    assert_eq!(pong["req_id"], 101);
    assert!(pong["time_in"].is_string() && pong["time_out"].is_string());
    let ack = subscribe(
        &mut ws,
        json!({"channel": "book", "symbol": ["ETH/USD"], "depth": 10}),
        1,
    )
    .await;
    assert_same_shape(&lines[0], &ack, &["req_id"]);
    let snap = next_where(&mut ws, |v| v["channel"] == "book").await;
    assert_same_shape(&lines[1], &snap, &["timestamp"]);
    let mut update = None;
    for round in 0..100 {
        control_post(&sim, "/flow/step", json!({"market": "kraken", "steps": 20})).await;
        let frames = until_pong(&mut ws, 2 + round).await;
        if let Some(f) = frames
            .iter()
            .find(|f| f.starts_with("{\"channel\":\"book\""))
        {
            update = Some(serde_json::from_str::<Value>(f).unwrap());
            break;
        }
    }
    let update = update.expect("the flow changed the ETH/USD book");
    // Update lists may be empty on one side; compare the level shape where present.
    assert_same_shape(&lines[2], &update, &[]);
    sim.shutdown().await;
}

#[tokio::test]
async fn public_channels_stream() {
    let sim = start_quiet().await;
    let mut ws = connect(&sim.addrs().kraken_ws_url()).await;
    for (i, params) in [
        json!({"channel": "trade", "symbol": ["BTC/USD"]}),
        json!({"channel": "ticker", "symbol": ["BTC/USD"]}),
        json!({"channel": "ohlc", "symbol": ["BTC/USD"], "interval": 5}),
        json!({"channel": "instrument"}),
    ]
    .into_iter()
    .enumerate()
    {
        let ack = subscribe(&mut ws, params, i as u64 + 1).await;
        assert_eq!(ack["success"], true, "{ack}");
    }
    let instrument = next_where(&mut ws, |v| v["channel"] == "instrument").await;
    let pair = &instrument["data"]["pairs"][0];
    for k in [
        "price_precision",
        "qty_precision",
        "price_increment",
        "qty_increment",
        "qty_min",
        "cost_min",
        "tick_size",
    ] {
        assert!(pair[k].is_number(), "{k}");
    }
    let (mut trade, mut ticker, mut ohlc) = (false, false, false);
    for round in 0..50 {
        control_post(
            &sim,
            "/flow/step",
            json!({"market": "kraken", "steps": 100}),
        )
        .await;
        for f in until_pong(&mut ws, 100 + round).await {
            let v: Value = serde_json::from_str(&f).unwrap();
            if v["type"] != "update" {
                continue;
            }
            match v["channel"].as_str() {
                Some("trade") => {
                    trade |= v["data"][0]["price"].is_number() && v["data"][0]["side"].is_string()
                }
                Some("ticker") => {
                    ticker |=
                        v["data"][0]["bid"].is_number() && v["data"][0]["change_pct"].is_number()
                }
                Some("ohlc") => {
                    ohlc |= v["data"][0]["interval"] == 5 && v["data"][0]["open"].is_number()
                }
                _ => {}
            }
        }
        if trade && ticker && ohlc {
            break;
        }
    }
    assert!(
        trade && ticker && ohlc,
        "trade {trade} ticker {ticker} ohlc {ohlc}"
    );
    send(&mut ws, json!({"method": "unsubscribe", "params": {"channel": "trade", "symbol": ["BTC/USD"]}, "req_id": 9})).await;
    assert_eq!(
        next_where(&mut ws, |v| v["req_id"] == 9).await["success"],
        true
    );
    sim.shutdown().await;
}

async fn token(sim: &venue_sim::VenueSim) -> String {
    result(&private(sim, "GetWebSocketsToken", "").await)["token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Executions entries in frame order, checking `sequence` rises by one per frame.
fn entries(frames: &[String], seq: &mut u64) -> Vec<Value> {
    let mut out = Vec::new();
    for f in frames {
        let v: Value = serde_json::from_str(f).unwrap();
        if v["channel"] != "executions" {
            continue;
        }
        let s = v["sequence"].as_u64().unwrap();
        assert_eq!(s, *seq + 1, "sequence gap at {v}");
        *seq = s;
        out.extend(v["data"].as_array().unwrap().iter().cloned());
    }
    out
}

#[tokio::test]
async fn executions_follow_an_orders_whole_life() {
    let sim = start_quiet().await;
    let lifecycle = fixture_lines("kraken_ws_v2_executions_lifecycle.jsonl");
    let trades = fixture_lines("kraken_ws_v2_executions_trades_snapshot.jsonl");
    let tok = token(&sim).await;
    let mut ws = connect(&sim.addrs().kraken_ws_auth_url()).await;
    let ack = subscribe(
        &mut ws,
        json!({"channel": "executions", "token": tok, "snap_orders": true}),
        1,
    )
    .await;
    assert_eq!(ack["success"], true, "{ack}");
    let mut seq = 0;
    let snap = next_where(&mut ws, |v| v["channel"] == "executions").await;
    assert_eq!(
        (snap["type"].as_str(), snap["sequence"].as_u64()),
        (Some("snapshot"), Some(1))
    );
    seq = seq.max(1);
    // A buy at the best ask for more than the level holds: part fills, the rest rests.
    let truth = control_get(&sim, "/truth/book?market=kraken&symbol=BTC/USD").await;
    let ask = truth["asks"][0][0].as_str().unwrap().to_string();
    let level: rust_decimal::Decimal = truth["asks"][0][1].as_str().unwrap().parse().unwrap();
    let qty = level + rust_decimal::Decimal::new(5, 4);
    send(&mut ws, json!({"method": "add_order", "req_id": 2, "params": {
        "order_type": "limit", "side": "buy", "symbol": "BTC/USD", "order_qty": qty.to_string().parse::<f64>().unwrap(),
        "limit_price": ask.parse::<f64>().unwrap(), "cl_ord_id": "life-1", "order_userref": 9, "token": tok}})).await;
    let frames = until_pong(&mut ws, 3).await;
    let resp: Value = frames
        .iter()
        .map(|f| serde_json::from_str::<Value>(f).unwrap())
        .find(|v| v["method"] == "add_order")
        .unwrap();
    assert_eq!(resp["success"], true, "{resp}");
    let order_id = resp["result"]["order_id"].as_str().unwrap().to_string();
    assert_eq!(resp["result"]["cl_ord_id"], "life-1");
    let got = entries(&frames, &mut seq);
    let kinds: Vec<&str> = got
        .iter()
        .map(|e| e["exec_type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["pending_new", "new", "trade"], "{got:?}");
    assert_same_shape(&lifecycle[0]["data"][0], &got[0], &["cl_ord_id", "cum_qty"]);
    assert_same_shape(&lifecycle[1]["data"][0], &got[1], &["cl_ord_id"]);
    assert_same_shape(
        &trades[0]["data"][0],
        &got[2],
        &[
            "cl_ord_id",
            "cum_qty",
            "cum_cost",
            "avg_price",
            "sender_sub_id",
        ],
    );
    assert_eq!(got[2]["order_status"], "partially_filled");
    let last_qty: rust_decimal::Decimal = got[2]["last_qty"].to_string().parse().unwrap();
    assert_eq!(last_qty, level);
    // Cancel the rest by order id.
    send(&mut ws, json!({"method": "cancel_order", "req_id": 4, "params": {"order_id": [order_id], "token": tok}})).await;
    let frames = until_pong(&mut ws, 5).await;
    let got = entries(&frames, &mut seq);
    assert_eq!(got.len(), 1);
    assert_same_shape(&lifecycle[2]["data"][0], &got[0], &["cl_ord_id"]);
    assert_eq!(got[0]["order_id"], order_id.as_str());
    // A market order fills completely: trade then a separate filled update; each fill once.
    let r = private(
        &sim,
        "AddOrder",
        "pair=XBTUSD&type=sell&ordertype=market&volume=0.0003",
    )
    .await;
    result(&r);
    let got = entries(&until_pong(&mut ws, 6).await, &mut seq);
    let kinds: Vec<&str> = got
        .iter()
        .map(|e| e["exec_type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"pending_new"));
    assert_eq!(kinds.last(), Some(&"filled"));
    let fills = control_get(&sim, "/truth/fills?market=kraken").await;
    let trade_entries = got.iter().filter(|e| e["exec_type"] == "trade").count();
    assert_eq!(
        trade_entries + 1,
        fills.as_array().unwrap().len(),
        "each fill once"
    );
    // The trades snapshot of a new subscription matches the fixture shape.
    let mut ws2 = connect(&sim.addrs().kraken_ws_auth_url()).await;
    subscribe(
        &mut ws2,
        json!({"channel": "executions", "token": tok, "snap_trades": true, "snap_orders": false}),
        1,
    )
    .await;
    let snap = next_where(&mut ws2, |v| v["channel"] == "executions").await;
    assert_eq!(
        snap["data"].as_array().unwrap().len(),
        fills.as_array().unwrap().len()
    );
    assert_same_shape(
        &trades[0]["data"][0],
        &snap["data"][0],
        &["sender_sub_id", "margin", "margin_borrow", "liquidated"],
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn ws_add_order_failure_and_private_on_public() {
    let sim = start_quiet().await;
    let tok = token(&sim).await;
    let mut ws = connect(&sim.addrs().kraken_ws_auth_url()).await;
    send(&mut ws, json!({"method": "add_order", "req_id": 99, "params": {
        "order_type": "limit", "side": "buy", "symbol": "BTC/USD", "order_qty": 100, "limit_price": 50000, "token": tok}})).await;
    let v = next_where(&mut ws, |v| v["req_id"] == 99).await;
    let f = crate::common::fixture("kraken_error_bodies.json");
    let expected: Value = serde_json::from_str(
        f["bodies"].as_array().unwrap().last().unwrap()["body"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_same_shape(&expected, &v, &[]);
    assert_eq!(v["error"], expected["error"]);
    send(&mut ws, json!({"method": "cancel_order", "req_id": 100, "params": {"order_id": ["OAAAAA-BBBBB-CCCCCC"], "token": tok}})).await;
    assert_eq!(
        next_where(&mut ws, |v| v["req_id"] == 100).await["error"],
        "EOrder:Unknown order"
    );
    // Order timeout after acceptance: the order exists, its answer never comes.
    control_post(
        &sim,
        "/faults/order-timeout",
        json!({"api": "kraken_ws_auth", "count": 1}),
    )
    .await;
    send(
        &mut ws,
        json!({"method": "add_order", "req_id": 101, "params": {
        "order_type": "limit", "side": "buy", "symbol": "BTC/USD", "order_qty": 0.001,
        "limit_price": 30000, "cl_ord_id": "silent", "token": tok}}),
    )
    .await;
    let frames = until_pong(&mut ws, 102).await;
    assert!(
        frames.iter().all(|f| !f.contains("\"req_id\":101")),
        "{frames:?}"
    );
    let truth = control_get(&sim, "/truth/orders?market=kraken").await;
    assert_eq!(truth[0]["clientOrderId"], "silent");
    let mut public = connect(&sim.addrs().kraken_ws_url()).await;
    send(&mut public, json!({"method": "add_order", "req_id": 1, "params": {"order_type": "market", "side": "buy", "symbol": "BTC/USD", "order_qty": 1, "token": tok}})).await;
    assert_eq!(
        next_where(&mut public, |v| v["req_id"] == 1).await["success"],
        false
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn dropped_and_frozen_connections() {
    use futures_util::StreamExt;
    let sim = start_quiet().await;
    let mut ws = connect(&sim.addrs().kraken_ws_url()).await;
    subscribe(
        &mut ws,
        json!({"channel": "book", "symbol": ["BTC/USD"]}),
        1,
    )
    .await;
    let conns = control_get(&sim, "/connections").await;
    assert!(
        conns
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["api"] == "kraken_ws")
    );
    let frozen = control_post(&sim, "/connections/freeze", json!({"api": "kraken_ws"})).await;
    assert_eq!(frozen["affected"], 1);
    let listed = control_get(&sim, "/connections").await;
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["api"] == "kraken_ws" && c["frozen"] == true)
    );
    control_post(
        &sim,
        "/connections/freeze",
        json!({"api": "kraken_ws", "frozen": false}),
    )
    .await;
    until_pong(&mut ws, 2).await;
    let dropped = control_post(&sim, "/connections/drop", json!({"api": "kraken_ws"})).await;
    assert_eq!(dropped["affected"], 1);
    let end = tokio::time::timeout(crate::common::DEADLINE, async {
        loop {
            match ws.next().await {
                Some(Ok(_)) => continue,
                other => return other.map(|r| r.is_err()),
            }
        }
    })
    .await
    .expect("the dropped connection did not end");
    assert!(end.is_none() || end == Some(true));
    sim.shutdown().await;
}
