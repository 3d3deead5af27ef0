//! Futures (orders, positions, leverage, listenKey user stream) and margin (borrowing) end to end.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

#[tokio::test]
async fn futures_position_and_user_stream() {
    let sim = start_quiet().await;
    let b = sim.addrs().futures_rest_url();
    let r = http()
        .post(format!("{b}/fapi/v1/listenKey"))
        .header("X-MBX-APIKEY", venue_sim::DEFAULT_API_KEY)
        .send()
        .await
        .unwrap();
    let key = r.json::<Value>().await.unwrap()["listenKey"]
        .as_str()
        .unwrap()
        .to_string();
    let mut user = ws(&format!("{}/ws/{key}", sim.addrs().futures_ws_url())).await;
    // The server registers a connection and joins the user hub in one step: once it is listed,
    // nothing published to this account can be missed.
    testkit::wait_until(DEADLINE, "the user stream to be registered", || async {
        control_get(&sim, "/connections")
            .await
            .as_array()
            .is_some_and(|c| c.len() == 1)
    })
    .await
    .unwrap();
    let (status, lev) = signed_json(
        Method::POST,
        &b,
        "/fapi/v1/leverage",
        "symbol=BTCUSDT&leverage=10",
    )
    .await;
    assert_eq!((status, lev["leverage"].as_u64()), (200, Some(10)));
    let (status, order) = signed_json(
        Method::POST,
        &b,
        "/fapi/v1/order",
        "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01",
    )
    .await;
    assert_eq!(
        (status, order["status"].as_str()),
        (200, Some("FILLED")),
        "{order}"
    );
    let otu = next_where(&mut user, |v| {
        v["e"] == "ORDER_TRADE_UPDATE" && v["o"]["x"] == "TRADE"
    })
    .await;
    for f in [
        "s", "c", "S", "o", "f", "q", "p", "ap", "sp", "x", "X", "i", "l", "z", "L", "N", "n", "T",
        "t", "m", "R", "ps", "rp",
    ] {
        assert!(
            otu["o"].get(f).is_some(),
            "ORDER_TRADE_UPDATE.o.{f} missing: {otu}"
        );
    }
    assert!(otu["o"]["i"].is_u64() && otu["o"]["q"].is_string() && otu["o"]["m"].is_boolean());
    let au = next_where(&mut user, |v| v["e"] == "ACCOUNT_UPDATE").await;
    assert_eq!(au["a"]["m"], "ORDER");
    assert_eq!(au["a"]["P"][0]["s"], "BTCUSDT");
    assert_eq!(au["a"]["P"][0]["pa"], "0.01");
    let (_, risk) = signed_json(Method::GET, &b, "/fapi/v2/positionRisk", "symbol=BTCUSDT").await;
    assert_eq!(
        (
            risk[0]["positionAmt"].as_str(),
            risk[0]["leverage"].as_str()
        ),
        (Some("0.010"), Some("10"))
    );
    let (_, bal) = signed_json(Method::GET, &b, "/fapi/v2/balance", "").await;
    assert_eq!(bal[0]["asset"], "USDT");
    let truth = control_get(&sim, "/truth/positions?market=futures").await;
    assert_eq!(
        truth["BTCUSDT"]["amount"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap(),
        0.01
    );
    let (status, close) = signed_json(
        Method::POST,
        &b,
        "/fapi/v1/order",
        "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.01&reduceOnly=true",
    )
    .await;
    assert_eq!(
        (status, close["status"].as_str()),
        (200, Some("FILLED")),
        "{close}"
    );
    let (status, e) = signed_json(
        Method::POST,
        &b,
        "/fapi/v1/order",
        "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.01&reduceOnly=true",
    )
    .await;
    assert_eq!((status, e["code"].as_i64()), (400, Some(-2022)));
    let (_, resting) = signed_json(
        Method::POST,
        &b,
        "/fapi/v1/order",
        "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000",
    )
    .await;
    let (_, open) = signed_json(Method::GET, &b, "/fapi/v1/openOrders", "symbol=BTCUSDT").await;
    assert_eq!(open[0]["orderId"], resting["orderId"]);
    let (_, canceled) = signed_json(
        Method::DELETE,
        &b,
        "/fapi/v1/order",
        &format!("symbol=BTCUSDT&orderId={}", resting["orderId"]),
    )
    .await;
    assert_eq!(canceled["status"], "CANCELED");
    sim.shutdown().await;
}

#[tokio::test]
async fn margin_borrow_on_order() {
    let sim = start_quiet().await;
    let b = sim.addrs().spot_rest_url();
    // Margin wallet: 10000 USDT; buying 0.5 BTC at 50000 needs 25000.
    let q = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.5&price=50000";
    let (status, e) = signed_json(Method::POST, &b, "/sapi/v1/margin/order", q).await;
    assert_eq!((status, e["code"].as_i64()), (400, Some(-2010)));
    let (status, o) = signed_json(
        Method::POST,
        &b,
        "/sapi/v1/margin/order",
        &format!("{q}&sideEffectType=MARGIN_BUY"),
    )
    .await;
    assert_eq!(status, 200, "{o}");
    let (_, acct) = signed_json(Method::GET, &b, "/sapi/v1/margin/account", "").await;
    let usdt = acct["userAssets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["asset"] == "USDT")
        .unwrap()
        .clone();
    assert_eq!(
        (usdt["borrowed"].as_str(), usdt["locked"].as_str()),
        (Some("15000.00000000"), Some("25000.00000000"))
    );
    let (_, open) = signed_json(
        Method::GET,
        &b,
        "/sapi/v1/margin/openOrders",
        "symbol=BTCUSDT",
    )
    .await;
    assert_eq!(open.as_array().unwrap().len(), 1);
    // The spot wallet is untouched.
    let (_, spot_open) = signed_json(Method::GET, &b, "/api/v3/openOrders", "symbol=BTCUSDT").await;
    assert_eq!(spot_open, json!([]));
    let r = signed_json(
        Method::POST,
        &b,
        "/sapi/v1/margin/borrow-repay",
        "asset=BTC&amount=0.1&type=BORROW",
    )
    .await;
    assert_eq!(r.0, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn futures_public_endpoints() {
    let sim = start_quiet().await;
    let b = sim.addrs().futures_rest_url();
    let (_, info) = get_json(&format!("{b}/fapi/v1/exchangeInfo")).await;
    let btc = info["symbols"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["symbol"] == "BTCUSDT")
        .unwrap();
    assert_eq!(
        (btc["contractType"].as_str(), btc["pricePrecision"].as_u64()),
        (Some("PERPETUAL"), Some(1))
    );
    assert!(info["rateLimits"].is_array() && info["assets"].is_array());
    let (_, depth) = get_json(&format!("{b}/fapi/v1/depth?symbol=BTCUSDT&limit=5")).await;
    for f in ["lastUpdateId", "E", "T"] {
        assert!(depth[f].is_u64(), "{f}: {depth}");
    }
    assert_eq!(depth["bids"].as_array().unwrap().len(), 5);
    assert!(depth["bids"][0][0].is_string() && depth["bids"][0][1].is_string());
    signed_json(
        Method::POST,
        &b,
        "/fapi/v1/order",
        "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.005",
    )
    .await;
    let (_, klines) = get_json(&format!(
        "{b}/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=3"
    ))
    .await;
    let row = klines
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(row.len(), 12);
    assert!(row[0].is_u64() && row[1].is_string() && row[8].is_u64());
    let (_, bt) = get_json(&format!("{b}/fapi/v1/ticker/bookTicker?symbol=BTCUSDT")).await;
    assert!(bt["bidPrice"].is_string() && bt["time"].is_u64());
    assert_eq!(
        get_json(&format!("{b}/fapi/v1/depth?symbol=NOPE")).await.1["code"],
        -1121
    );
    let mut s = ws_ready(&format!(
        "{}/ws/btcusdt@depth5@100ms",
        sim.addrs().futures_ws_url()
    ))
    .await;
    let p = next_where(&mut s, |_| true).await;
    assert_eq!(p["e"], "depthUpdate");
    assert!(p["pu"].is_u64() && p["u"].is_u64());
    sim.shutdown().await;
}
