//! Coinbase REST behaviour: pagination and filters, order configurations, batch cancel,
//! Coinbase-shaped errors for malformed requests, the candle limit, the per-second limit, and
//! the control API's faults.

use serde_json::{Value, json};

use crate::coinbase_common::*;
use crate::common::{control_get, control_post};

#[tokio::test]
async fn accounts_paginate_with_cursor() {
    let sim = start_cb().await;
    let (_, all) = get(&sim, "/accounts?limit=250").await;
    let total = all["accounts"].as_array().unwrap().len();
    assert!(total >= 4, "{all}");
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let q = if cursor.is_empty() {
            "/accounts?limit=2".to_string()
        } else {
            format!("/accounts?limit=2&cursor={cursor}")
        };
        let (s, page) = get(&sim, &q).await;
        assert_eq!(s, 200);
        assert_eq!(
            page["size"].as_u64().unwrap() as usize,
            page["accounts"].as_array().unwrap().len()
        );
        seen.extend(
            page["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["currency"].as_str().unwrap().to_string()),
        );
        if page["has_next"] == false {
            break;
        }
        cursor = page["cursor"].as_str().unwrap().to_string();
    }
    assert_eq!(seen.len(), total);
    let usd = all["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["currency"] == "USD")
        .unwrap();
    assert_eq!(
        usd["available_balance"],
        json!({"value": "100000", "currency": "USD"})
    );
    let (s, one) = get(
        &sim,
        &format!("/accounts/{}", usd["uuid"].as_str().unwrap()),
    )
    .await;
    assert_eq!((s, &one["account"]["currency"]), (200, &json!("USD")));
    sim.shutdown().await;
}

#[tokio::test]
async fn order_configurations_life_and_batch_cancel() {
    let sim = start_cb().await;
    let (_, book) = public(&sim, "/market/product_book?product_id=BTC-USD&limit=1").await;
    let bid: f64 = book["pricebook"]["bids"][0]["price"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let far = format!("{:.2}", bid - 500.0);
    let gtc = order(
        &sim,
        "BTC-USD",
        "BUY",
        json!({"limit_limit_gtc": {"base_size": "0.001", "limit_price": far, "post_only": true}}),
    )
    .await;
    assert_eq!(gtc["success"], true, "{gtc}");
    let gtd = order(&sim, "BTC-USD", "BUY", json!({"limit_limit_gtd": {"base_size": "0.001", "limit_price": far, "end_time": "2099-01-01T00:00:00Z"}})).await;
    assert_eq!(gtd["success"], true, "{gtd}");
    let stop = order(&sim, "BTC-USD", "SELL", json!({"stop_limit_stop_limit_gtc": {"base_size": "0.001", "limit_price": far, "stop_price": far, "stop_direction": "STOP_DIRECTION_STOP_DOWN"}})).await;
    assert_eq!(stop["success"], true, "{stop}");
    let fok = order(
        &sim,
        "BTC-USD",
        "BUY",
        json!({"limit_limit_fok": {"base_size": "0.5", "limit_price": far}}),
    )
    .await;
    assert_eq!(fok["success"], true, "{fok}");
    // Same client_order_id: the existing order comes back, nothing new is placed.
    let cid = gtc["success_response"]["client_order_id"].clone();
    let (_, again) = post(&sim, "/orders", json!({"client_order_id": cid, "product_id": "BTC-USD", "side": "BUY", "order_configuration": {"limit_limit_gtc": {"base_size": "0.001", "limit_price": far}}})).await;
    assert_eq!(
        again["success_response"]["order_id"],
        gtc["success_response"]["order_id"]
    );

    let (_, open) = get(
        &sim,
        "/orders/historical/batch?order_status=OPEN&product_ids=BTC-USD",
    )
    .await;
    let open_ids: Vec<&str> = open["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_id"].as_str().unwrap())
        .collect();
    assert_eq!(open_ids.len(), 3, "{open}");
    let (_, fok_state) = get(
        &sim,
        &format!(
            "/orders/historical/{}",
            fok["success_response"]["order_id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(
        (
            fok_state["order"]["status"].as_str(),
            fok_state["order"]["time_in_force"].as_str()
        ),
        (Some("CANCELLED"), Some("FILL_OR_KILL"))
    );
    let (_, stops) = get(&sim, "/orders/historical/batch?order_types=STOP_LIMIT").await;
    assert_eq!(stops["orders"][0]["trigger_status"], "STOP_PENDING");
    let (_, page) = get(&sim, "/orders/historical/batch?limit=2").await;
    assert_eq!(
        (page["orders"].as_array().unwrap().len(), &page["has_next"]),
        (2, &json!(true))
    );
    let (_, rest) = get(
        &sim,
        &format!(
            "/orders/historical/batch?limit=2&cursor={}",
            page["cursor"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(
        (rest["orders"].as_array().unwrap().len(), &rest["has_next"]),
        (2, &json!(false))
    );

    let (_, cancel) = post(
        &sim,
        "/orders/batch_cancel",
        json!({"order_ids": [open_ids[0], open_ids[0], "nope"]}),
    )
    .await;
    let results = cancel["results"].as_array().unwrap();
    assert_eq!(results[0]["success"], true);
    assert_eq!(results[1]["failure_reason"], "DUPLICATE_CANCEL_REQUEST");
    assert_eq!(results[2]["failure_reason"], "UNKNOWN_CANCEL_ORDER");
    let truth = control_get(&sim, "/coinbase/truth/orders").await;
    assert_eq!(
        truth
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["status"] == "CANCELED")
            .count(),
        1
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn order_failures_are_http_200_with_codes() {
    let sim = start_cb().await;
    let cases = [
        (
            json!({"limit_limit_gtc": {"base_size": "0.000000001", "limit_price": "100"}}),
            "new_order_failure_reason",
            "INVALID_SIZE_PRECISION",
        ),
        (
            json!({"limit_limit_gtc": {"base_size": "0.01", "limit_price": "100.001"}}),
            "new_order_failure_reason",
            "INVALID_PRICE_PRECISION",
        ),
        (
            json!({"limit_limit_gtc": {"base_size": "5000", "limit_price": "100"}}),
            "preview_failure_reason",
            "PREVIEW_INVALID_BASE_SIZE_TOO_LARGE",
        ),
        (
            json!({"limit_limit_gtc": {"base_size": "0.00000001", "limit_price": "100"}}),
            "preview_failure_reason",
            "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL",
        ),
        (
            json!({"trigger_bracket_gtc": {"base_size": "0.01", "limit_price": "100", "stop_trigger_price": "90"}}),
            "new_order_failure_reason",
            "UNSUPPORTED_ORDER_CONFIGURATION",
        ),
        (
            json!({"limit_limit_gtc": {"base_size": "2", "limit_price": "100000"}}),
            "error",
            "INSUFFICIENT_FUND",
        ),
        (
            json!({"stop_limit_stop_limit_gtc": {"base_size": "0.01", "limit_price": "1000", "stop_price": "1000", "stop_direction": "STOP_DIRECTION_STOP_UP"}}),
            "preview_failure_reason",
            "PREVIEW_STOP_PRICE_BELOW_LAST_TRADE_PRICE",
        ),
    ];
    for (config, field, code) in cases {
        let r = order(&sim, "BTC-USD", "BUY", config.clone()).await;
        assert_eq!(r["success"], false, "{config}: {r}");
        assert_eq!(r["error_response"][field], code, "{config}: {r}");
    }
    let r = order(
        &sim,
        "DOGE-USD",
        "BUY",
        json!({"limit_limit_gtc": {"base_size": "1", "limit_price": "1"}}),
    )
    .await;
    assert_eq!(
        r["error_response"]["new_order_failure_reason"],
        "INVALID_PRODUCT_ID"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn malformed_requests_get_coinbase_errors() {
    let sim = start_cb().await;
    let is_generic = |v: &Value| {
        v["error"].is_string() && v["message"].is_string() && v["error_details"].is_string()
    };
    let (s, t) = call(&sim, "POST", "/orders", None).await;
    let v: Value = serde_json::from_str(&t).unwrap();
    assert_eq!((s, v["error"].as_str()), (400, Some("INVALID_ARGUMENT")));
    let (s, v) = post(
        &sim,
        "/orders",
        json!({"product_id": "BTC-USD", "side": "HOLD", "order_configuration": {}}),
    )
    .await;
    assert_eq!(s, 400);
    assert!(is_generic(&v));
    let (s, v) = post(&sim, "/orders", json!({"product_id": "BTC-USD", "side": "BUY", "order_configuration": {"limit_limit_gtc": {"base_size": 1, "limit_price": "1"}}})).await;
    assert!(s == 400 && is_generic(&v), "{v}");
    let (s, v) = post(&sim, "/orders/batch_cancel", json!({"ids": []})).await;
    assert!(s == 400 && is_generic(&v));
    for (path, status) in [
        (
            "/market/products/BTC-USD/candles?granularity=ONE_MINUTE&limit=351",
            400,
        ),
        (
            "/market/products/BTC-USD/candles?granularity=TEN_MINUTE",
            400,
        ),
        ("/market/products/BTC-USD/candles", 400),
        ("/market/products/NOPE-USD", 404),
        ("/market/product_book", 400),
        ("/market/products/BTC-USD/ticker?limit=x", 400),
        ("/nope", 404),
    ] {
        let (s, v) = public(&sim, path).await;
        assert_eq!(s, status, "{path}: {v}");
        assert!(is_generic(&v), "{path}: {v}");
    }
    let start = now_s() - 351 * 60;
    let (s, v) = public(
        &sim,
        &format!(
            "/market/products/BTC-USD/candles?granularity=ONE_MINUTE&start={start}&end={}",
            now_s()
        ),
    )
    .await;
    assert_eq!(s, 400);
    assert_eq!(
        v["message"],
        "number of candles requested should be less than 350"
    );
    let (s, v) = public(
        &sim,
        &format!(
            "/market/products/BTC-USD/candles?granularity=ONE_MINUTE&start={}&end={}",
            now_s() - 350 * 60,
            now_s()
        ),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    sim.shutdown().await;
}

#[tokio::test]
async fn faults_and_limits() {
    let sim = start_cb_with(|c| c.coinbase.public_per_second = 3).await;
    control_post(
        &sim,
        "/faults/http",
        json!({"api": "coinbase_rest", "status": 503, "count": 1}),
    )
    .await;
    let (s, v) = get(&sim, "/accounts").await;
    assert_eq!(s, 503);
    assert!(v["error"].is_string());
    assert_eq!(get(&sim, "/accounts").await.0, 200);
    control_post(
        &sim,
        "/faults/http",
        json!({"api": "coinbase_rest", "status": 429, "count": 1}),
    )
    .await;
    assert_eq!(get(&sim, "/accounts").await.0, 429);

    // Accepted, then answered 503: the order exists although the client saw an error.
    control_post(
        &sim,
        "/faults/order-timeout",
        json!({"api": "coinbase_rest", "count": 1}),
    )
    .await;
    let body = json!({"client_order_id": "timeout-1", "product_id": "BTC-USD", "side": "BUY", "order_configuration": {"limit_limit_gtc": {"base_size": "0.001", "limit_price": "1000"}}});
    let (s, _) = post(&sim, "/orders", body).await;
    assert_eq!(s, 503);
    let truth = control_get(&sim, "/coinbase/truth/orders").await;
    assert!(
        truth
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["clientOrderId"] == "timeout-1")
    );

    // The public per-second limit: within one second the 4th request is refused.
    let mut codes = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !codes.contains(&429) && std::time::Instant::now() < deadline {
        codes.push(public(&sim, "/time").await.0);
    }
    assert!(codes.contains(&429), "{codes:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn gtd_orders_expire_at_their_end_time() {
    let sim = start_cb().await;
    let end = venue_sim::coinbase::time::rfc3339_us(crate::common::now_ms() + 1500);
    let placed = order(
        &sim,
        "ETH-USD",
        "BUY",
        json!({"limit_limit_gtd": {"base_size": "0.01", "limit_price": "100", "end_time": end}}),
    )
    .await;
    assert_eq!(placed["success"], true, "{placed}");
    let id = placed["success_response"]["order_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, o) = get(&sim, &format!("/orders/historical/{id}")).await;
    assert_eq!(
        (
            o["order"]["status"].as_str(),
            o["order"]["time_in_force"].as_str()
        ),
        (Some("OPEN"), Some("GOOD_UNTIL_DATE_TIME"))
    );
    let path = format!("/orders/historical/{id}");
    testkit::wait_until(crate::common::DEADLINE, "GTD order expired", || {
        let (sim, path) = (&sim, path.clone());
        async move { get(sim, &path).await.1["order"]["status"] == "EXPIRED" }
    })
    .await
    .unwrap();
    let (_, usd) = get(&sim, "/accounts?limit=250").await;
    let usd = usd["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["currency"] == "USD")
        .unwrap()
        .clone();
    assert_eq!(usd["hold"]["value"], "0", "the hold is released");
    let past = order(
        &sim,
        "ETH-USD",
        "BUY",
        json!({"limit_limit_gtd": {"base_size": "0.01", "limit_price": "100", "end_time": "2020-01-01T00:00:00Z"}}),
    )
    .await;
    assert_eq!(past["success"], false);
    sim.shutdown().await;
}

#[tokio::test]
async fn stop_limit_triggers_on_the_last_trade_price() {
    let sim = start_cb().await;
    let (_, book) = public(&sim, "/market/product_book?product_id=BTC-USD&limit=1").await;
    let bid = book["pricebook"]["bids"][0]["price"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, product) = public(&sim, "/market/products/BTC-USD").await;
    assert!(
        product["price"].as_str().unwrap().parse::<f64>().unwrap() > bid.parse::<f64>().unwrap()
    );
    // Sell when the last trade falls to the best bid.
    let stop = order(
        &sim,
        "BTC-USD",
        "SELL",
        json!({"stop_limit_stop_limit_gtc": {"base_size": "0.001", "limit_price": "50000", "stop_price": bid, "stop_direction": "STOP_DIRECTION_STOP_DOWN"}}),
    )
    .await;
    let id = stop["success_response"]["order_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, o) = get(&sim, &format!("/orders/historical/{id}")).await;
    assert_eq!(
        (
            o["order"]["status"].as_str(),
            o["order"]["trigger_status"].as_str()
        ),
        (Some("OPEN"), Some("STOP_PENDING"))
    );
    let taker = order(
        &sim,
        "BTC-USD",
        "SELL",
        json!({"market_market_ioc": {"base_size": "0.0001"}}),
    )
    .await;
    assert_eq!(taker["success"], true);
    let (_, o) = get(&sim, &format!("/orders/historical/{id}")).await;
    assert_eq!(
        (
            o["order"]["status"].as_str(),
            o["order"]["trigger_status"].as_str()
        ),
        (Some("FILLED"), Some("STOP_TRIGGERED"))
    );
    assert_eq!(o["order"]["order_type"], "STOP_LIMIT");
    sim.shutdown().await;
}
