//! Kraken REST against the fixtures: each recorded response beside venue-sim's answer to the
//! same request (same fields, same JSON types, same envelope), the official signing vector
//! end to end, and the order lifecycle through `/0/private`.
//!
//! The ccxt-recorded order fixtures store Kraken's numeric fields as strings (their
//! `.source.txt` says so); [`wire_numbers`] turns those back into numbers before comparing.

use serde_json::{Value, json};
use venue_sim::kraken::sign;

use crate::common::{assert_same_shape, control_get, control_post, fixture};
use crate::kraken_common::{client_sign, private, private_raw, public, result, start_quiet};

/// Kraken order fields that are JSON numbers on the wire.
const NUMERIC: [&str; 5] = ["userref", "opentm", "starttm", "expiretm", "closetm"];

fn wire_numbers(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if NUMERIC.contains(&k.as_str())
                    && let Some(s) = x.as_str()
                {
                    *x = serde_json::from_str(s).unwrap();
                }
                wire_numbers(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(wire_numbers),
        _ => {}
    }
}

fn only_entry(v: &Value) -> &Value {
    let m = v.as_object().unwrap();
    assert_eq!(m.len(), 1, "{v}");
    m.values().next().unwrap()
}

#[test]
fn official_signing_vector_verifies() {
    let f = fixture("kraken_sign_test_vectors.json");
    let s = &f["spot_rest"];
    let arg = |k: &str| s[k].as_str().unwrap();
    let expected = arg("expected_api_sign");
    assert!(sign::verify(
        arg("private_key"),
        arg("uri_path"),
        arg("nonce"),
        arg("post_data"),
        expected
    ));
    assert_eq!(
        sign::api_sign(
            arg("private_key"),
            arg("uri_path"),
            arg("nonce"),
            arg("post_data")
        )
        .unwrap(),
        expected
    );
    assert_eq!(
        client_sign(
            arg("private_key"),
            arg("uri_path"),
            arg("nonce"),
            arg("post_data")
        ),
        expected
    );
}

#[tokio::test]
async fn official_example_request_is_accepted() {
    // The default key's secret is the documentation's private key, so the documented request
    // (nonce and body verbatim) authenticates and places the documented order.
    let sim = start_quiet().await;
    let f = fixture("kraken_sign_test_vectors.json");
    let s = &f["spot_rest"];
    let r = private_raw(
        &sim,
        "AddOrder",
        s["post_data"].as_str().unwrap(),
        s["nonce"].as_str().unwrap(),
        venue_sim::DEFAULT_KRAKEN_API_KEY,
        s["private_key"].as_str().unwrap(),
    )
    .await;
    let res = result(&r);
    assert_eq!(
        res["descr"]["order"],
        "buy 1.25000000 XBTUSD @ limit 37500.0"
    );
    assert_same_shape(&fixture("kraken_rest_add_order.json"), &r.1, &[]);
    sim.shutdown().await;
}

#[tokio::test]
async fn server_time_matches_fixture() {
    let sim = start_quiet().await;
    let ours = public(&sim, "Time").await;
    assert_eq!(ours.0, 200);
    assert_same_shape(&fixture("kraken_rest_server_time.json"), &ours.1, &[]);
    let text = ours.1["result"]["rfc1123"].as_str().unwrap();
    assert!(text.ends_with(" +0000") && text.len() == 29, "{text}");
    sim.shutdown().await;
}

#[tokio::test]
async fn ohlc_matches_fixture() {
    let sim = start_quiet().await;
    control_post(
        &sim,
        "/flow/step",
        json!({"market": "kraken", "steps": 300}),
    )
    .await;
    let ours = public(&sim, "OHLC?pair=XBTUSD&interval=1").await;
    let res = result(&ours);
    let f = fixture("kraken_rest_ohlc.json");
    assert_same_shape(&f["result"]["XBTUSDT"], &res["XXBTZUSD"], &[]);
    assert!(res["last"].is_u64() && f["result"]["last"].is_u64());
    let rows = res["XXBTZUSD"].as_array().unwrap();
    let now_min = crate::common::now_ms() / 60_000 * 60;
    assert!(rows.last().unwrap()[0].as_u64().unwrap() >= now_min - 60);
    let bad = public(&sim, "OHLC?pair=XBTUSD&interval=7").await;
    assert_eq!(
        bad.1,
        json!({"error": ["EGeneral:Invalid arguments:interval"]})
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn public_market_data_answers() {
    let sim = start_quiet().await;
    control_post(
        &sim,
        "/flow/step",
        json!({"market": "kraken", "steps": 200}),
    )
    .await;
    let pairs = result(&public(&sim, "AssetPairs").await);
    let btc = &pairs["XXBTZUSD"];
    assert_eq!(
        (btc["altname"].as_str(), btc["wsname"].as_str()),
        (Some("XBTUSD"), Some("XBT/USD"))
    );
    assert_eq!(
        (btc["pair_decimals"].as_u64(), btc["lot_decimals"].as_u64()),
        (Some(1), Some(8))
    );
    for k in ["ordermin", "costmin", "tick_size"] {
        assert!(btc[k].is_string(), "{k}");
    }
    let one = result(&public(&sim, "AssetPairs?pair=XBT/USD,ETHUSD").await);
    assert_eq!(one.as_object().unwrap().len(), 2);
    let status = result(&public(&sim, "SystemStatus").await);
    assert_eq!(status["status"], "online");
    let ticker = result(&public(&sim, "Ticker?pair=XBTUSD").await);
    assert_eq!(ticker["XXBTZUSD"]["a"].as_array().unwrap().len(), 3);
    let depth = result(&public(&sim, "Depth?pair=XBTUSD&count=5").await);
    let book = &depth["XXBTZUSD"];
    assert_eq!(book["bids"].as_array().unwrap().len(), 5);
    let truth = control_get(&sim, "/truth/book?market=kraken&symbol=XBTUSD").await;
    let best: rust_decimal::Decimal = book["bids"][0][0].as_str().unwrap().parse().unwrap();
    assert_eq!(
        best.normalize().to_string(),
        truth["bids"][0][0].as_str().unwrap()
    );
    let trades = result(&public(&sim, "Trades?pair=XBTUSD").await);
    assert!(trades["last"].is_string());
    assert!(
        trades["XXBTZUSD"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t[0].is_string() && t[6].is_u64())
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn order_objects_match_fixtures() {
    let sim = start_quiet().await;
    // A resting post-only limit far below the market.
    let add = private(&sim, "AddOrder", "pair=XBTUSD&type=buy&ordertype=limit&price=30000&volume=0.1&oflags=post&userref=7&cl_ord_id=fixture-open").await;
    let txid = result(&add)["txid"][0].as_str().unwrap().to_string();
    let q = private(&sim, "QueryOrders", &format!("txid={txid}")).await;
    let mut f = fixture("kraken_rest_query_orders_open.json");
    wire_numbers(&mut f);
    assert_same_shape(
        only_entry(&f["result"]),
        only_entry(&result(&q)),
        &["cl_ord_id"],
    );
    let ours = only_entry(&result(&q)).clone();
    assert_eq!(
        (ours["status"].as_str(), ours["userref"].as_i64()),
        (Some("open"), Some(7))
    );
    assert_eq!(ours["oflags"], "post,fciq");
    let open = private(&sim, "OpenOrders", "").await;
    let mut f = fixture("kraken_rest_open_orders.json");
    wire_numbers(&mut f);
    assert_same_shape(
        only_entry(&f["result"]["open"]),
        only_entry(&result(&open)["open"]),
        &["cl_ord_id", "reason"],
    );
    // A market buy fills at once and is closed.
    let add = private(
        &sim,
        "AddOrder",
        "pair=XBTUSD&type=buy&ordertype=market&volume=0.001",
    )
    .await;
    let txid = result(&add)["txid"][0].as_str().unwrap().to_string();
    let q = private(&sim, "QueryOrders", &format!("txid={txid}&trades=true")).await;
    let mut f = fixture("kraken_rest_query_orders_closed.json");
    wire_numbers(&mut f);
    let ours = only_entry(&result(&q)).clone();
    assert_same_shape(only_entry(&f["result"]), &ours, &[]);
    assert_eq!(ours["status"], "closed");
    assert_eq!(ours["vol_exec"], "0.00100000");
    let fills = control_get(&sim, "/truth/fills?market=kraken").await;
    assert_eq!(
        ours["trades"].as_array().unwrap().len(),
        fills.as_array().unwrap().len()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn order_lifecycle_over_rest() {
    let sim = start_quiet().await;
    let before = result(&private(&sim, "BalanceEx", "").await);
    assert_eq!(before["ZUSD"]["hold_trade"], "0.0000");
    let add = private(
        &sim,
        "AddOrder",
        "pair=XBTUSD&type=buy&ordertype=limit&price=50000&volume=1&userref=42",
    )
    .await;
    let txid = result(&add)["txid"][0].as_str().unwrap().to_string();
    let held = result(&private(&sim, "BalanceEx", "").await);
    assert_eq!(held["ZUSD"]["hold_trade"], "50000.0000");
    let bal = result(&private(&sim, "Balance", "").await);
    assert_eq!(bal["ZUSD"], "100000.0000");
    assert_eq!(
        result(&private(&sim, "OpenOrders", "userref=42").await)["open"]
            .as_object()
            .unwrap()
            .len(),
        1
    );
    let c = private(&sim, "CancelOrder", "txid=42").await;
    assert_eq!(result(&c)["count"], 1);
    let closed = result(&private(&sim, "ClosedOrders", "").await);
    assert_eq!(closed["closed"][&txid]["status"], "canceled");
    assert!(closed["closed"][&txid]["closetm"].is_number());
    // cl_ord_id cancel and CancelAll.
    private(
        &sim,
        "AddOrder",
        "pair=ETHUSD&type=sell&ordertype=limit&price=9000&volume=1&cl_ord_id=abc",
    )
    .await;
    private(
        &sim,
        "AddOrder",
        "pair=ETHUSD&type=sell&ordertype=limit&price=9001&volume=1",
    )
    .await;
    assert_eq!(
        result(&private(&sim, "CancelOrder", "cl_ord_id=abc").await)["count"],
        1
    );
    assert_eq!(result(&private(&sim, "CancelAll", "").await)["count"], 1);
    // A fill shows in TradesHistory once per execution.
    private(
        &sim,
        "AddOrder",
        "pair=XBTUSD&type=sell&ordertype=market&volume=0.5",
    )
    .await;
    let th = result(&private(&sim, "TradesHistory", "").await);
    let fills = control_get(&sim, "/truth/fills?market=kraken").await;
    assert_eq!(
        th["count"].as_u64().unwrap() as usize,
        fills.as_array().unwrap().len()
    );
    assert!(th["count"].as_u64().unwrap() >= 1);
    for t in th["trades"].as_object().unwrap().values() {
        assert_eq!(
            (t["pair"].as_str(), t["type"].as_str()),
            (Some("XXBTZUSD"), Some("sell"))
        );
    }
    assert_eq!(result(&private(&sim, "OpenPositions", "").await), json!({}));
    // A stop-loss-limit waits for its trigger (`price`) and then works at `price2`.
    let stop = private(
        &sim,
        "AddOrder",
        "pair=XBTUSD&type=sell&ordertype=stop-loss-limit&price=50000&price2=49900&volume=0.01",
    )
    .await;
    let stop_id = result(&stop)["txid"][0].as_str().unwrap().to_string();
    let q = result(&private(&sim, "QueryOrders", &format!("txid={stop_id}")).await);
    let o = &q[&stop_id];
    assert_eq!(
        (o["status"].as_str(), o["descr"]["ordertype"].as_str()),
        (Some("open"), Some("stop-loss-limit"))
    );
    assert_eq!(
        (o["stopprice"].as_str(), o["limitprice"].as_str()),
        (Some("50000.0"), Some("49900.0"))
    );
    let tok = result(&private(&sim, "GetWebSocketsToken", "").await);
    assert!(tok["token"].is_string() && tok["expires"] == 900);
    let validate = result(
        &private(
            &sim,
            "AddOrder",
            "pair=XBTUSD&type=buy&ordertype=limit&price=1000&volume=1&validate=true",
        )
        .await,
    );
    assert!(validate.get("txid").is_none());
    sim.shutdown().await;
}

/// `QueryTrades` answers an order's trades by the txids `QueryOrders` lists under `trades`,
/// each as `TradesHistory` shows it; an unknown txid or more than 20 are invalid arguments.
#[tokio::test]
async fn query_trades_by_the_orders_trade_ids() {
    let sim = start_quiet().await;
    let placed = private(
        &sim,
        "AddOrder",
        "pair=XBTUSD&type=sell&ordertype=market&volume=0.5",
    )
    .await;
    let txid = result(&placed)["txid"][0].as_str().unwrap().to_string();
    let q = result(&private(&sim, "QueryOrders", &format!("txid={txid}&trades=true")).await);
    let trade_ids: Vec<String> = q[&txid]["trades"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    assert!(!trade_ids.is_empty());
    // The market order walks the book: many trades, asked 20 at a time at most.
    let some = &trade_ids[..trade_ids.len().min(20)];
    let qt = result(&private(&sim, "QueryTrades", &format!("txid={}", some.join(","))).await);
    let history = result(&private(&sim, "TradesHistory", "").await);
    assert_eq!(qt.as_object().unwrap().len(), some.len());
    for id in some {
        assert_eq!(qt[id]["ordertxid"].as_str(), Some(txid.as_str()));
        assert_eq!(qt[id], history["trades"][id], "{id}");
    }
    let (_, unknown) = private(&sim, "QueryTrades", "txid=TAAAAA-BBBBB-CCCCCC").await;
    assert_eq!(unknown["error"][0], "EGeneral:Invalid arguments:txid");
    let many = vec![trade_ids[0].as_str(); 21].join(",");
    let (_, too_many) = private(&sim, "QueryTrades", &format!("txid={many}")).await;
    assert_eq!(too_many["error"][0], "EGeneral:Invalid arguments:txid");
    sim.shutdown().await;
}
