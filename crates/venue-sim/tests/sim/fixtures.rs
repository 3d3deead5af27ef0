//! Every recorded Binance fixture beside venue-sim's answer to the same request or stream: same
//! fields, same JSON types, same enums, same envelope.

use reqwest::Method;
use serde_json::{Value, json};
use venue_sim::binance::auth::sign;
use venue_sim::{DEFAULT_API_KEY, DEFAULT_SECRET_KEY};

use crate::common::*;

async fn market_buy(base: &str, path: &str, symbol: &str, qty: &str) -> Value {
    let (status, body) = signed_json(
        Method::POST,
        base,
        path,
        &format!("symbol={symbol}&side=BUY&type=MARKET&quantity={qty}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn rest_public_fixtures() {
    let sim = start_quiet().await;
    let base = sim.addrs().spot_rest_url();
    let (_, time) = get_json(&format!("{base}/api/v3/time")).await;
    assert_same_shape(
        &fixture("binance_rest_server_time_doc_example.json"),
        &time,
        &[],
    );
    let (_, depth) = get_json(&format!("{base}/api/v3/depth?symbol=BTCUSDT&limit=1000")).await;
    assert_same_shape(&fixture("binance_rest_depth_doc_example.json"), &depth, &[]);
    assert_same_shape(&fixture("binance_depth_snapshot_LRCBTC.json"), &depth, &[]);
    market_buy(&base, "/api/v3/order", "BTCUSDT", "0.001").await;
    let (_, klines) = get_json(&format!("{base}/api/v3/klines?symbol=BTCUSDT&interval=1m")).await;
    assert_same_shape(
        &fixture("binance_rest_klines_doc_example.json"),
        &klines,
        &[],
    );
    let (_, info) = get_json(&format!("{base}/api/v3/exchangeInfo")).await;
    // 2021 capture: since then Binance added fields and replaced MIN_NOTIONAL by NOTIONAL
    // (rest-api.md, CHANGELOG); filter objects differ by type, so they are compared by name below.
    let newer = [
        "otoAllowed",
        "allowTrailingStop",
        "cancelReplaceAllowed",
        "amendAllowed",
        "pegInstructionsAllowed",
        "permissionSets",
        "defaultSelfTradePreventionMode",
        "allowedSelfTradePreventionModes",
        "filters",
    ];
    let strip = |v: &Value| {
        let mut v = v.clone();
        v["symbols"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .for_each(|s| {
                s.as_object_mut().unwrap().remove("filters");
            });
        v
    };
    assert_same_shape(
        &strip(&fixture("binance_exchange_info_excerpt_2021.json")),
        &strip(&info),
        &newer,
    );
    let filters: Vec<&str> = info["symbols"][0]["filters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["filterType"].as_str().unwrap())
        .collect();
    assert_eq!(filters, ["PRICE_FILTER", "LOT_SIZE", "NOTIONAL"]);
    let fx = fixture("binance_exchange_info_excerpt_2021.json");
    for name in ["PRICE_FILTER", "LOT_SIZE"] {
        let find = |v: &Value| {
            v["symbols"][0]["filters"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["filterType"] == name)
                .cloned()
                .unwrap()
        };
        assert_same_shape(&find(&fx), &find(&info), &[]);
    }
    assert_enums(&info);
    sim.shutdown().await;
}

#[tokio::test]
async fn rest_order_fixtures() {
    let sim = start_quiet().await;
    let base = sim.addrs().spot_rest_url();
    let full = market_buy(&base, "/api/v3/order", "BTCUSDT", "0.01").await;
    assert_same_shape(
        &fixture("binance_rest_new_order_full_doc_example.json"),
        &full,
        &[],
    );
    assert_enums(&full);
    let (_, ack) = signed_json(Method::POST, &base, "/api/v3/order",
        "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=50000&newOrderRespType=ACK&newClientOrderId=myOrder1").await;
    assert_same_shape(
        &fixture("binance_rest_new_order_ack_doc_example.json"),
        &ack,
        &[],
    );
    let (_, q) = signed_json(
        Method::GET,
        &base,
        "/api/v3/order",
        "symbol=BTCUSDT&origClientOrderId=myOrder1",
    )
    .await;
    assert_same_shape(
        &fixture("binance_rest_query_order_doc_example.json"),
        &q,
        &[],
    );
    assert_eq!(
        (q["status"].as_str(), q["price"].as_str()),
        (Some("NEW"), Some("50000.00000000"))
    );
    let (_, open) = signed_json(Method::GET, &base, "/api/v3/openOrders", "symbol=BTCUSDT").await;
    assert_same_shape(
        &fixture("binance_rest_open_orders_doc_example.json"),
        &open,
        &[],
    );
    assert_eq!(open.as_array().unwrap().len(), 1);
    let (_, cancel) = signed_json(
        Method::DELETE,
        &base,
        "/api/v3/order",
        "symbol=BTCUSDT&origClientOrderId=myOrder1&newClientOrderId=cancelMyOrder1",
    )
    .await;
    assert_same_shape(
        &fixture("binance_rest_cancel_order_doc_example.json"),
        &cancel,
        &[],
    );
    assert_eq!(
        (cancel["status"].as_str(), cancel["clientOrderId"].as_str()),
        (Some("CANCELED"), Some("cancelMyOrder1"))
    );
    let (_, account) = signed_json(Method::GET, &base, "/api/v3/account", "").await;
    assert_same_shape(
        &fixture("binance_rest_account_doc_example.json"),
        &account,
        &[],
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn hmac_vectors_and_mixed_query_body_request() {
    let v = fixture("binance_sign_hmac_test_vectors.json");
    let secret = v["secretKey"].as_str().unwrap();
    assert_eq!(v["apiKey"], DEFAULT_API_KEY);
    assert_eq!(secret, DEFAULT_SECRET_KEY);
    for vec in v["vectors"].as_array().unwrap() {
        assert_eq!(
            sign(secret, vec["payload"].as_str().unwrap()),
            vec["signature"].as_str().unwrap(),
            "{}",
            vec["id"]
        );
    }
    // A real request split between query and body, signed as the docs' example 3 does.
    let sim = start_quiet().await;
    let query = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC";
    let body = format!(
        "quantity=0.001&price=50000&recvWindow=5000&timestamp={}",
        now_ms()
    );
    let sig = sign(secret, &format!("{query}{body}"));
    let r = http()
        .post(format!(
            "{}/api/v3/order?{query}",
            sim.addrs().spot_rest_url()
        ))
        .header("X-MBX-APIKEY", DEFAULT_API_KEY)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("{body}&signature={sig}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    sim.shutdown().await;
}

#[tokio::test]
async fn spot_stream_fixtures() {
    let sim = start_quiet().await;
    let base = sim.addrs().spot_rest_url();
    let wsb = sim.addrs().spot_ws_url();
    let mut combined = ws_ready(&format!("{wsb}/stream?streams=btcusdt@aggTrade/btcusdt@bookTicker/btcusdt@kline_1m/btcusdt@depth@100ms")).await;
    let mut trade = ws_ready(&format!("{wsb}/ws/btcusdt@trade")).await;
    let mut depth = ws_ready(&format!("{wsb}/ws/btcusdt@depth")).await;
    market_buy(&base, "/api/v3/order", "BTCUSDT", "0.01").await;
    let agg = next_where(&mut combined, |v| v["stream"] == "btcusdt@aggTrade").await;
    assert_same_shape(&fixture("binance_aggtrade_stream.json"), &agg, &[]);
    let bt = next_where(&mut combined, |v| v["stream"] == "btcusdt@bookTicker").await;
    assert_same_shape(&fixture("binance_bookticker_stream.json"), &bt, &[]);
    let dd = next_where(&mut combined, |v| v["stream"] == "btcusdt@depth@100ms").await;
    assert_same_shape(
        &fixture_lines("binance_depth_updates_LRCBTC.jsonl")[0],
        &dd,
        &[],
    );
    let kl = next_where(&mut combined, |v| {
        v["stream"] == "btcusdt@kline_1m" && v["data"]["k"]["n"].as_u64() > Some(0)
    })
    .await;
    assert_same_shape(&fixture("binance_kline_1m_stream.json"), &kl, &[]);
    let t = next_where(&mut trade, |_| true).await;
    assert_same_shape(&fixture("binance_trade_stream_doc_example.json"), &t, &[]);
    let d = next_where(&mut depth, |_| true).await;
    assert_same_shape(&fixture("binance_depth_update_doc_example.json"), &d, &[]);
    // Partial book depth has the REST depth shape (web-socket-streams.md "Partial Book Depth Streams").
    let mut partial = ws_ready(&format!("{wsb}/ws/btcusdt@depth5@100ms")).await;
    let p = next_where(&mut partial, |_| true).await;
    assert_same_shape(&fixture("binance_rest_depth_doc_example.json"), &p, &[]);
    assert_eq!(
        (
            p["bids"].as_array().unwrap().len(),
            p["asks"].as_array().unwrap().len()
        ),
        (5, 5)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn futures_stream_fixtures() {
    let sim = start_quiet().await;
    let base = sim.addrs().futures_rest_url();
    let mut s = ws_ready(&format!(
        "{}/stream?streams=btcusdt@aggTrade/btcusdt@bookTicker/btcusdt@kline_1m",
        sim.addrs().futures_ws_url()
    ))
    .await;
    let order = market_buy(&base, "/fapi/v1/order", "BTCUSDT", "0.01").await;
    assert_enums(&order);
    let agg = next_where(&mut s, |v| v["stream"] == "btcusdt@aggTrade").await;
    assert_same_shape(&fixture("binance_futures_aggtrade_stream.json"), &agg, &[]);
    let bt = next_where(&mut s, |v| v["stream"] == "btcusdt@bookTicker").await;
    assert_same_shape(&fixture("binance_futures_bookticker_stream.json"), &bt, &[]);
    let kl = next_where(&mut s, |v| {
        v["stream"] == "btcusdt@kline_1m" && v["data"]["k"]["n"].as_u64() > Some(0)
    })
    .await;
    assert_same_shape(&fixture("binance_futures_kline_1m_stream.json"), &kl, &[]);
    sim.shutdown().await;
}

/// Conditional executionReport fields (user-data-stream.md): present only in some events.
const CONDITIONAL: &[&str] = &[
    "v", "d", "D", "j", "J", "A", "B", "u", "U", "Cs", "pl", "pL", "pY", "b", "a", "k", "uS", "gP",
    "gOT", "gOV", "gp", "eR",
];

#[tokio::test]
async fn user_data_fixtures() {
    let sim = start_quiet().await;
    let mut api = ws(&sim.addrs().ws_api_url()).await;
    let ts = now_ms();
    let payload = format!("apiKey={DEFAULT_API_KEY}&timestamp={ts}");
    let sig = sign(DEFAULT_SECRET_KEY, &payload);
    send(&mut api, json!({"id":"sub1","method":"userDataStream.subscribe.signature","params":{"apiKey":DEFAULT_API_KEY,"timestamp":ts,"signature":sig}})).await;
    let r = next_where(&mut api, |v| v["id"] == "sub1").await;
    assert_eq!(
        (r["status"].as_u64(), r["result"]["subscriptionId"].as_u64()),
        (Some(200), Some(0)),
        "{r}"
    );
    let (status, _) = signed_json(
        Method::POST,
        &sim.addrs().spot_rest_url(),
        "/api/v3/order",
        "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=50000",
    )
    .await;
    assert_eq!(status, 200);
    let er = next_where(&mut api, |v| v["event"]["e"] == "executionReport").await;
    assert_same_shape(
        &fixture("binance_execution_report_doc_example.json"),
        &er,
        CONDITIONAL,
    );
    assert_enums(&er);
    let pos = next_where(&mut api, |v| v["event"]["e"] == "outboundAccountPosition").await;
    assert_same_shape(
        &fixture("binance_outbound_account_position_doc_example.json"),
        &pos,
        &[],
    );

    // WS-API error envelope: an order the account cannot pay for.
    let ts = now_ms();
    let mut params = vec![
        ("apiKey", DEFAULT_API_KEY.to_string()),
        ("price", "50000".into()),
        ("quantity", "100".into()),
        ("side", "BUY".into()),
        ("symbol", "BTCUSDT".into()),
        ("timeInForce", "GTC".into()),
        ("timestamp", ts.to_string()),
        ("type", "LIMIT".into()),
    ];
    let payload = params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    params.push(("signature", sign(DEFAULT_SECRET_KEY, &payload)));
    let obj: serde_json::Map<String, Value> = params
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::String(v)))
        .collect();
    send(
        &mut api,
        json!({"id":"e2a85d9f-07a5-4f94-8d5f-789dc3deb097","method":"order.place","params":obj}),
    )
    .await;
    let err = next_where(&mut api, |v| {
        v["id"] == "e2a85d9f-07a5-4f94-8d5f-789dc3deb097"
    })
    .await;
    let fx = fixture("binance_wsapi_error_insufficient_balance_doc_example.json");
    assert_same_shape(&fx, &err, &[]);
    assert_eq!(err["error"], fx["error"]);
    assert_eq!(err["status"], 400);
    sim.shutdown().await;
}

#[tokio::test]
async fn wsapi_ban_fixture() {
    let mut config = venue_sim::SimConfig {
        flow_rate: 0,
        ..venue_sim::SimConfig::for_tests()
    };
    config.limits.weight_per_minute = 3;
    config.limits.violations_before_ban = 1;
    let sim = start(config).await;
    // The weight window is the wall-clock minute: start well inside one.
    testkit::wait_until(
        std::time::Duration::from_secs(10),
        "the first 55 s of a wall-clock minute",
        || async { now_ms() % 60_000 <= 55_000 },
    )
    .await
    .unwrap();
    let mut api = ws(&sim.addrs().ws_api_url()).await;
    let mut last = Value::Null;
    for i in 0..6 {
        send(&mut api, json!({"id": format!("r{i}"), "method": "time"})).await;
        last = next_where(&mut api, |v| v["id"] == format!("r{i}")).await;
    }
    let fx = fixture("binance_wsapi_error_ip_banned_418_doc_example.json");
    assert_same_shape(&fx, &last, &[]);
    assert_eq!(
        (last["status"].as_u64(), last["error"]["code"].as_i64()),
        (Some(418), Some(-1003))
    );
    assert!(
        last["error"]["msg"]
            .as_str()
            .unwrap()
            .starts_with("Way too much request weight used; IP banned until ")
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn error_body_catalogue() {
    let sim = start_quiet().await;
    let spot = sim.addrs().spot_rest_url();
    let fut = sim.addrs().futures_rest_url();
    let catalogue = fixture("binance_error_bodies.json");
    let expect = |meaning: &str| -> (u16, Value) {
        let e = catalogue["bodies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["meaning"] == meaning)
            .unwrap();
        (
            e["http"].as_u64().unwrap() as u16,
            serde_json::from_str(e["body"].as_str().unwrap()).unwrap(),
        )
    };
    let check = |meaning: &str, got: (u16, Value)| {
        let (http, body) = expect(meaning);
        assert_eq!(got.0, http, "{meaning}: {}", got.1);
        if body["msg"].as_str().unwrap().contains("%s") {
            assert_eq!(got.1["code"], body["code"], "{meaning}");
        } else {
            assert_eq!(got.1, body, "{meaning}");
        }
    };
    // -1021 outside recvWindow and ahead of server time
    let old = format!("symbol=BTCUSDT&timestamp={}", now_ms() - 10_000);
    let r = http()
        .get(format!(
            "{spot}/api/v3/openOrders?{old}&signature={}",
            sign(DEFAULT_SECRET_KEY, &old)
        ))
        .header("X-MBX-APIKEY", DEFAULT_API_KEY)
        .send()
        .await
        .unwrap();
    check(
        "timestamp outside recvWindow",
        (r.status().as_u16(), r.json().await.unwrap()),
    );
    let ahead = format!("symbol=BTCUSDT&timestamp={}", now_ms() + 5_000);
    let r = http()
        .get(format!(
            "{spot}/api/v3/openOrders?{ahead}&signature={}",
            sign(DEFAULT_SECRET_KEY, &ahead)
        ))
        .header("X-MBX-APIKEY", DEFAULT_API_KEY)
        .send()
        .await
        .unwrap();
    check(
        "client clock ahead of server by >1s",
        (r.status().as_u16(), r.json().await.unwrap()),
    );
    let q = format!("symbol=BTCUSDT&timestamp={}", now_ms());
    let r = http()
        .get(format!(
            "{spot}/api/v3/openOrders?{q}&signature={}",
            sign("wrong", &q)
        ))
        .header("X-MBX-APIKEY", DEFAULT_API_KEY)
        .send()
        .await
        .unwrap();
    check(
        "bad signature",
        (r.status().as_u16(), r.json().await.unwrap()),
    );
    check(
        "order not found (query/cancel by id)",
        signed_json(
            Method::GET,
            &spot,
            "/api/v3/order",
            "symbol=BTCUSDT&orderId=999999",
        )
        .await,
    );
    check(
        "insufficient balance on new order",
        signed_json(
            Method::POST,
            &spot,
            "/api/v3/order",
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=100&price=50000",
        )
        .await,
    );
    check(
        "cancel of unknown/filled order",
        signed_json(
            Method::DELETE,
            &spot,
            "/api/v3/order",
            "symbol=BTCUSDT&orderId=999999",
        )
        .await,
    );
    let (_, placed) = signed_json(
        Method::POST,
        &spot,
        "/api/v3/order",
        "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=50000",
    )
    .await;
    let id = placed["orderId"].as_u64().unwrap();
    check(
        "cancel restriction not met",
        signed_json(
            Method::DELETE,
            &spot,
            "/api/v3/order",
            &format!("symbol=BTCUSDT&orderId={id}&cancelRestrictions=ONLY_PARTIALLY_FILLED"),
        )
        .await,
    );
    check(
        "invalid symbol",
        get_json(&format!("{spot}/api/v3/depth?symbol=NOPE")).await,
    );
    let r = http()
        .get(format!("{spot}/api/v3/account?{q}&signature=x"))
        .header("X-MBX-APIKEY", "unknown-key")
        .send()
        .await
        .unwrap();
    check(
        "API key invalid / IP / permissions",
        (r.status().as_u16(), r.json().await.unwrap()),
    );
    check(
        "filter failure (price/qty/notional)",
        signed_json(
            Method::POST,
            &spot,
            "/api/v3/order",
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.00001&price=50000",
        )
        .await,
    );
    check(
        "USD-M futures insufficient margin",
        signed_json(
            Method::POST,
            &fut,
            "/fapi/v1/order",
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=100&price=50000",
        )
        .await,
    );
    check(
        "USD-M futures notional too small",
        signed_json(
            Method::POST,
            &fut,
            "/fapi/v1/order",
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=50000",
        )
        .await,
    );
    control_post(
        &sim,
        "/faults/http",
        json!({"api":"spot_rest","status":429,"count":1}),
    )
    .await;
    let r = http()
        .get(format!("{spot}/api/v3/time"))
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("Retry-After").is_some());
    check(
        "rate limit / weight exceeded",
        (r.status().as_u16(), r.json().await.unwrap()),
    );
    sim.shutdown().await;
}
