//! Coinbase WebSocket behaviour: a book rebuilt from `l2_data` (snapshot + updates, checking
//! `sequence_num`) equals the truth through more than 10,000 updates; a dropped message shows
//! as a `sequence_num` gap; an order's life on the `user` channel, once per fill; idle
//! subscriptions close without `heartbeats`; malformed messages get error frames; dropped
//! connections end.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::coinbase_common::*;
use crate::common::{Ws, control_get, control_post, send, ws};

#[derive(Default, PartialEq, Debug)]
struct Book {
    bids: BTreeMap<Decimal, Decimal>,
    asks: BTreeMap<Decimal, Decimal>,
}

impl Book {
    /// Applies one `l2_data` event; returns how many level updates it carried.
    fn apply(&mut self, event: &Value) -> usize {
        let updates = event["updates"].as_array().unwrap();
        for u in updates {
            let side = match u["side"].as_str().unwrap() {
                "bid" => &mut self.bids,
                "offer" => &mut self.asks,
                other => panic!("side {other}"),
            };
            let price: Decimal = u["price_level"].as_str().unwrap().parse().unwrap();
            let qty: Decimal = u["new_quantity"].as_str().unwrap().parse().unwrap();
            if qty.is_zero() {
                side.remove(&price);
            } else {
                side.insert(price, qty);
            }
        }
        updates.len()
    }

    fn from_truth(v: &Value) -> Self {
        let side = |k: &str| {
            v[k].as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    (
                        l[0].as_str().unwrap().parse().unwrap(),
                        l[1].as_str().unwrap().parse().unwrap(),
                    )
                })
                .collect()
        };
        Book {
            bids: side("bids"),
            asks: side("asks"),
        }
    }
}

/// Reads frames, checking `sequence_num` continuity, until `done` holds.
async fn read_until(c: &mut Ws, last_seq: &mut u64, mut on: impl FnMut(&Value) -> bool) {
    loop {
        let f = next_frame(c).await.expect("connection ended");
        let seq = f["sequence_num"].as_u64().unwrap();
        assert_eq!(seq, *last_seq + 1, "sequence gap");
        *last_seq = seq;
        if on(&f) {
            return;
        }
    }
}

#[tokio::test]
async fn level2_book_equals_truth_through_10k_updates() {
    let sim = start_cb().await;
    let mut c = ws(&sim.addrs().coinbase_ws_url()).await;
    let frames = subscribe(
        &mut c,
        json!({"type": "subscribe", "product_ids": ["BTC-USD"], "channel": "level2"}),
    )
    .await;
    let mut book = Book::default();
    assert_eq!(frames[0]["events"][0]["type"], "snapshot");
    book.apply(&frames[0]["events"][0]);
    let mut last_seq = frames[1]["sequence_num"].as_u64().unwrap();
    // Counted as the engine's level changes (update ids) of BTC-USD, as the Binance test does;
    // the rebuilt book is compared with the truth after every round, not only at the end.
    let id = |v: &Value| v["updateIds"]["BTC-USD"].as_u64().unwrap();
    let start = id(&step(&sim, "spot", 0).await);
    let (mut changes, mut wire_updates, mut rounds) = (0, 0, 0);
    while changes < 10_000 {
        changes = id(&step(&sim, "spot", 1_000).await) - start;
        let truth =
            Book::from_truth(&control_get(&sim, "/coinbase/truth/book?product_id=BTC-USD").await);
        if book != truth {
            read_until(&mut c, &mut last_seq, |f| {
                assert_eq!(f["channel"], "l2_data");
                for e in f["events"].as_array().unwrap() {
                    assert_eq!(
                        (e["type"].as_str(), e["product_id"].as_str()),
                        (Some("update"), Some("BTC-USD"))
                    );
                    wire_updates += book.apply(e);
                }
                book == truth
            })
            .await;
        }
        rounds += 1;
    }
    assert!(wire_updates > 1_000, "{wire_updates}");
    assert!(rounds > 5, "{rounds}");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_dropped_level2_message_is_a_sequence_gap() {
    let sim = start_cb().await;
    let mut c = ws(&sim.addrs().coinbase_ws_url()).await;
    let frames = subscribe(&mut c, json!({"type": "subscribe", "product_ids": ["BTC-USD", "ETH-USD", "ETH-BTC"], "channel": "level2"})).await;
    let mut last = frames.last().unwrap()["sequence_num"].as_u64().unwrap();
    control_post(
        &sim,
        "/coinbase/faults/skip-sequence",
        json!({"product_id": "BTC-USD"}),
    )
    .await;
    let gap = loop {
        step(&sim, "spot", 50).await;
        let f = next_frame(&mut c).await.unwrap();
        let seq = f["sequence_num"].as_u64().unwrap();
        if seq != last + 1 {
            break (last, seq);
        }
        last = seq;
    };
    assert_eq!(gap.1, gap.0 + 2, "exactly one message lost");
    sim.shutdown().await;
}

#[tokio::test]
async fn user_channel_reports_an_order_life_once_per_fill() {
    let sim = start_cb().await;
    let mut u = ws(&sim.addrs().coinbase_user_ws_url()).await;
    let jwt = jwt_at(Alg::Es, None, now_s());
    let frames = subscribe(
        &mut u,
        json!({"type": "subscribe", "channel": "user", "jwt": jwt}),
    )
    .await;
    assert_eq!(frames[0]["channel"], "user");
    assert_eq!(frames[0]["events"][0]["type"], "snapshot");
    assert_eq!(frames[1]["events"][0]["subscriptions"], json!({"user": []}));
    let mut last_seq = frames[1]["sequence_num"].as_u64().unwrap();

    let (_, book) = public(&sim, "/market/product_book?product_id=ETH-USD&limit=1").await;
    let ask = &book["pricebook"]["asks"][0];
    let price = ask["price"].as_str().unwrap().to_string();
    let level: Decimal = ask["size"].as_str().unwrap().parse().unwrap();
    let size = (level + Decimal::new(1, 2)).to_string();
    let a = order(
        &sim,
        "ETH-USD",
        "BUY",
        json!({"limit_limit_gtc": {"base_size": size, "limit_price": price}}),
    )
    .await;
    let a_id = a["success_response"]["order_id"]
        .as_str()
        .unwrap()
        .to_string();
    let b = order(
        &sim,
        "ETH-USD",
        "SELL",
        json!({"limit_limit_gtc": {"base_size": "0.01", "limit_price": price}}),
    )
    .await;
    assert_eq!(b["success"], true);
    let c = order(
        &sim,
        "ETH-USD",
        "BUY",
        json!({"limit_limit_gtc": {"base_size": "0.01", "limit_price": "100"}}),
    )
    .await;
    let c_id = c["success_response"]["order_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, r) = post(&sim, "/orders/batch_cancel", json!({"order_ids": [c_id]})).await;
    assert_eq!(r["results"][0]["success"], true);

    let mut a_updates: Vec<Value> = Vec::new();
    let mut c_statuses: Vec<String> = Vec::new();
    read_until(&mut u, &mut last_seq, |f| {
        assert_eq!(f["channel"], "user");
        for o in f["events"][0]["orders"].as_array().unwrap() {
            if o["order_id"] == a_id.as_str() {
                a_updates.push(o.clone());
            }
            if o["order_id"] == c_id.as_str() {
                c_statuses.push(o["status"].as_str().unwrap().to_string());
            }
        }
        c_statuses.last().is_some_and(|s| s == "CANCELLED")
    })
    .await;
    let (_, fills) = get(&sim, &format!("/orders/historical/fills?order_ids={a_id}")).await;
    let n = fills["fills"].as_array().unwrap().len();
    assert!(n >= 2, "{fills}");
    let counts: Vec<u64> = a_updates
        .iter()
        .map(|o| o["number_of_fills"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(
        counts,
        (0..=n as u64).collect::<Vec<_>>(),
        "one update when opened, then one per fill"
    );
    assert_eq!(a_updates[0]["status"], "OPEN");
    assert_eq!(
        a_updates[n - 1]["status"],
        "OPEN",
        "partially filled, still open"
    );
    assert_ne!(a_updates[n - 1]["cumulative_quantity"], "0");
    assert_eq!(a_updates[n]["status"], "FILLED");
    assert_eq!(a_updates[n]["leaves_quantity"], "0");
    assert_eq!(c_statuses, vec!["OPEN", "CANCELLED"]);
    sim.shutdown().await;
}

#[tokio::test]
async fn idle_subscriptions_close_unless_heartbeats_flow() {
    let sim = start_cb_with(|c| {
        c.coinbase.idle_close_ms = 300;
        c.coinbase.heartbeat_ms = 50;
    })
    .await;
    let mut quiet = ws(&sim.addrs().coinbase_ws_url()).await;
    subscribe(
        &mut quiet,
        json!({"type": "subscribe", "product_ids": ["ETH-BTC"], "channel": "level2"}),
    )
    .await;
    let mut alive = ws(&sim.addrs().coinbase_ws_url()).await;
    subscribe(
        &mut alive,
        json!({"type": "subscribe", "product_ids": ["ETH-BTC"], "channel": "level2"}),
    )
    .await;
    subscribe(
        &mut alive,
        json!({"type": "subscribe", "channel": "heartbeats"}),
    )
    .await;
    assert_eq!(next_frame(&mut quiet).await, None, "closed for inactivity");
    let first = next_frame(&mut alive).await.unwrap()["events"][0]["heartbeat_counter"]
        .as_u64()
        .unwrap();
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_millis(900) {
        let f = next_frame(&mut alive)
            .await
            .expect("heartbeats keep the connection open");
        assert_eq!(f["channel"], "heartbeats");
        assert!(f["events"][0]["heartbeat_counter"].as_u64().unwrap() >= first);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn malformed_messages_get_error_frames_and_drops_end_connections() {
    let sim = start_cb().await;
    let mut c = ws(&sim.addrs().coinbase_ws_url()).await;
    let err = |m: &str| vec![json!({"type": "error", "message": m})];
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    c.send(Message::Text("not json".into())).await.unwrap();
    assert_eq!(
        vec![next_frame(&mut c).await.unwrap()],
        err("failure to subscribe")
    );
    for (msg, expect) in [
        (
            json!({"type": "subscribe", "channel": "level2"}),
            "failure to subscribe",
        ),
        (
            json!({"type": "subscribe", "channel": "level2", "product_ids": ["NOPE-USD"]}),
            "failure to subscribe",
        ),
        (
            json!({"type": "dance", "channel": "level2", "product_ids": ["BTC-USD"]}),
            "failure to subscribe",
        ),
        (
            json!({"type": "subscribe", "channel": "user"}),
            "authentication failure",
        ),
        (
            json!({"type": "subscribe", "channel": "user", "jwt": jwt_at(Alg::Ed, None, now_s() - 600)}),
            "authentication failure",
        ),
        (
            json!({"type": "subscribe", "channel": "no_such_channel", "product_ids": ["BTC-USD"]}),
            "authentication failure",
        ),
    ] {
        assert_eq!(subscribe(&mut c, msg.clone()).await, err(expect), "{msg}");
    }
    let mut user_ep = ws(&sim.addrs().coinbase_user_ws_url()).await;
    let e = subscribe(
        &mut user_ep,
        json!({"type": "subscribe", "channel": "level2", "product_ids": ["BTC-USD"]}),
    )
    .await;
    assert_eq!(e, err("failure to subscribe"));
    // Still serving after errors; unsubscribe acks an empty set.
    let ok = subscribe(
        &mut c,
        json!({"type": "subscribe", "channel": "ticker", "product_ids": ["BTC-USD"]}),
    )
    .await;
    assert_eq!(ok[0]["events"][0]["tickers"][0]["product_id"], "BTC-USD");
    let ack = subscribe(
        &mut c,
        json!({"type": "unsubscribe", "channel": "ticker", "product_ids": ["BTC-USD"]}),
    )
    .await;
    assert_eq!(ack[0]["events"][0]["subscriptions"], json!({}));
    send(
        &mut c,
        json!({"type": "subscribe", "channel": "heartbeats"}),
    )
    .await;
    let dropped = control_post(&sim, "/connections/drop", json!({"api": "coinbase_ws"})).await;
    assert_eq!(dropped["affected"], 1);
    testkit::wait_until(
        crate::common::DEADLINE,
        "coinbase_ws connection gone",
        || {
            let s = &sim;
            async move {
                control_get(s, "/connections")
                    .await
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|c| c["api"] != "coinbase_ws")
            }
        },
    )
    .await
    .unwrap();
    while next_frame(&mut c).await.is_some() {}
    sim.shutdown().await;
}

#[tokio::test]
async fn every_market_channel_sends_snapshot_then_updates_in_one_sequence() {
    let sim = start_cb_with(|c| {
        c.coinbase.ticker_batch_ms = 100;
        c.coinbase.status_ms = 100;
    })
    .await;
    let mut c = ws(&sim.addrs().coinbase_ws_url()).await;
    let mut last_seq = None::<u64>;
    for channel in [
        "market_trades",
        "ticker",
        "ticker_batch",
        "candles",
        "status",
    ] {
        let frames = subscribe(
            &mut c,
            json!({"type": "subscribe", "channel": channel, "product_ids": ["BTC-USD"]}),
        )
        .await;
        // Updates of earlier subscriptions may interleave; the snapshot precedes the ack.
        let snapshot = frames
            .iter()
            .position(|f| f["channel"] == channel && f["events"][0]["type"] == "snapshot");
        assert!(
            snapshot.is_some_and(|i| i + 1 < frames.len()),
            "{channel}: {frames:?}"
        );
        for f in &frames {
            let seq = f["sequence_num"].as_u64().unwrap();
            assert_eq!(seq, last_seq.map_or(0, |s| s + 1));
            last_seq = Some(seq);
        }
    }
    let snap = |f: &Value, key: &str| f["events"][0][key][0].clone();
    let mut seen = std::collections::BTreeSet::new();
    let mut last = last_seq.unwrap();
    step(&sim, "spot", 400).await;
    read_until(&mut c, &mut last, |f| {
        let ch = f["channel"].as_str().unwrap().to_string();
        assert_eq!(f["events"][0]["type"], "update", "{f}");
        match ch.as_str() {
            "market_trades" => assert_eq!(snap(f, "trades")["product_id"], "BTC-USD"),
            "ticker" => assert!(snap(f, "tickers")["best_bid"].is_string()),
            "ticker_batch" => assert!(snap(f, "tickers").get("best_bid").is_none()),
            "candles" => assert_eq!(snap(f, "candles")["product_id"], "BTC-USD"),
            "status" => assert_eq!(snap(f, "products")["id"], "BTC-USD"),
            other => panic!("unexpected channel {other}"),
        }
        seen.insert(ch);
        seen.len() == 5
    })
    .await;
    sim.shutdown().await;
}
