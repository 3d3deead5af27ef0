//! Every Coinbase fixture beside venue-sim's answer to the same request: same fields, same
//! JSON types, same envelope.

use serde_json::{Value, json};

use crate::coinbase_common::*;
use crate::common::{assert_same_shape, control_post, fixture, fixture_lines, ws};

#[tokio::test]
async fn market_data_rest_matches_fixtures() {
    let sim = start_cb().await;
    step(&sim, "spot", 400).await;
    let (s, product) = public(&sim, "/market/products/BTC-USD").await;
    assert_eq!(s, 200);
    assert_same_shape(&fixture("coinbase_rest_product.json"), &product, &[]);
    assert_eq!(product["product_id"], "BTC-USD");
    let (_, authed) = get(&sim, "/products/BTC-USD").await;
    assert_same_shape(&product, &authed, &[]);

    let (_, book) = public(&sim, "/market/product_book?product_id=BTC-USD&limit=5").await;
    assert_same_shape(&fixture("coinbase_rest_product_book.json"), &book, &[]);
    assert_eq!(book["pricebook"]["bids"].as_array().unwrap().len(), 5);

    let (_, trades) = public(&sim, "/market/products/BTC-USD/ticker?limit=3").await;
    assert_same_shape(&fixture("coinbase_rest_market_trades.json"), &trades, &[]);
    assert_same_shape(
        &fixture("coinbase_rest_ticker_btc_usdc.json"),
        &trades,
        &["exchange"],
    );
    let list = trades["trades"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert!(
        list[0]["time"].as_str() >= list[2]["time"].as_str(),
        "newest first"
    );

    let end = now_s() + 60;
    let q = format!(
        "/market/products/BTC-USD/candles?start={}&end={end}&granularity=ONE_MINUTE",
        end - 3600
    );
    let (s, candles) = public(&sim, &q).await;
    assert_eq!(s, 200, "{candles}");
    assert_same_shape(&fixture("coinbase_rest_candles.json"), &candles, &[]);
    let starts: Vec<u64> = candles["candles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["start"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(!starts.is_empty());
    assert!(
        starts.windows(2).all(|w| w[0] > w[1]),
        "newest first: {starts:?}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn trading_rest_matches_fixtures() {
    let sim = start_cb().await;
    // A filled market IOC order, as in the recorded historical batch.
    let placed = order(
        &sim,
        "BTC-USD",
        "SELL",
        json!({"market_market_ioc": {"base_size": "0.01"}}),
    )
    .await;
    assert_eq!(placed["success"], true, "{placed}");
    let (_, batch) = get(&sim, "/orders/historical/batch?order_status=FILLED").await;
    assert_same_shape(
        &fixture("coinbase_rest_orders_historical_batch.json"),
        &batch,
        &[],
    );
    let o = &batch["orders"][0];
    assert_eq!(
        (
            o["status"].as_str(),
            o["time_in_force"].as_str(),
            o["order_type"].as_str()
        ),
        (Some("FILLED"), Some("IMMEDIATE_OR_CANCEL"), Some("MARKET"))
    );
    assert_eq!(o["order_id"], placed["success_response"]["order_id"]);

    let (_, fills) = get(&sim, "/orders/historical/fills?product_ids=BTC-USD").await;
    assert_same_shape(&fixture("coinbase_rest_fills_spot.json"), &fills, &[]);
    assert_eq!(fills["fills"][0]["order_id"], o["order_id"]);

    // A perpetual position on INTX.
    let perp = order(
        &sim,
        "BTC-PERP-INTX",
        "BUY",
        json!({"market_market_ioc": {"base_size": "0.01"}}),
    )
    .await;
    assert_eq!(perp["success"], true, "{perp}");
    let (_, fills) = get(&sim, "/orders/historical/fills?product_ids=BTC-PERP-INTX").await;
    assert_same_shape(&fixture("coinbase_rest_fills_perp.json"), &fills, &[]);
    let (_, portfolios) = get(&sim, "/portfolios").await;
    let intx = portfolios["portfolios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["type"] == "INTX")
        .unwrap()["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, pos) = get(&sim, &format!("/intx/positions/{intx}")).await;
    assert_eq!(s, 200, "{pos}");
    let f = fixture("coinbase_rest_intx_positions.json");
    assert_same_shape(&f["positions"][0], &pos["positions"][0], &[]);
    // The recorded top-level summary is the empty variant (nulls); ours has the populated
    // shape the recording shows inside the position.
    assert_same_shape(
        &f["positions"][0]["portfolio_summary"],
        &pos["portfolio_summary"],
        &[],
    );
    assert_eq!(pos["positions"][0]["net_size"], "0.01");
    assert_eq!(pos["positions"][0]["position_side"], "POSITION_SIDE_LONG");
    let (_, cfm) = get(&sim, "/cfm/positions").await;
    assert_eq!(cfm, json!({"positions": []}));
    sim.shutdown().await;
}

#[tokio::test]
async fn order_errors_match_fixtures() {
    let sim = start_cb().await;
    control_post(
        &sim,
        "/coinbase/balances/adjust",
        json!({"asset": "USD", "delta": "-99990"}),
    )
    .await;
    let r = order(
        &sim,
        "BTC-USD",
        "BUY",
        json!({"market_market_ioc": {"quote_size": "50.0"}}),
    )
    .await;
    let f = fixture("coinbase_create_order_error_insufficient_fund.json");
    assert_same_shape(
        &f,
        &r,
        &["failure_reason", "order_id", "new_order_failure_reason"],
    );
    assert_eq!(r["error_response"]["error"], f["error_response"]["error"]);
    assert_eq!(
        r["error_response"]["message"],
        f["error_response"]["message"]
    );
    assert_eq!(
        r["error_response"]["preview_failure_reason"],
        f["error_response"]["preview_failure_reason"]
    );
    assert_eq!(r["order_configuration"], f["order_configuration"]);

    let catalogue = fixture("coinbase_error_bodies.json");
    let bodies = catalogue["bodies"].as_array().unwrap();
    let (s, body) = call(
        &sim,
        "GET",
        "/orders/historical/00000000-0000-0000-0000-000000000000",
        None,
    )
    .await;
    assert_eq!(s, 404);
    assert_eq!(body, bodies[0]["body"].as_str().unwrap());

    let (_, book) = public(&sim, "/market/product_book?product_id=ETH-USD&limit=1").await;
    let ask = book["pricebook"]["asks"][0]["price"]
        .as_str()
        .unwrap()
        .to_string();
    let r = order(
        &sim,
        "ETH-USD",
        "BUY",
        json!({"limit_limit_gtc": {"base_size": "0.01", "limit_price": ask, "post_only": true}}),
    )
    .await;
    let post_only: Value = serde_json::from_str(bodies[3]["body"].as_str().unwrap()).unwrap();
    assert_same_shape(
        &post_only,
        &r,
        &[
            "failure_reason",
            "order_id",
            "order_configuration",
            "error_details",
            "preview_failure_reason",
        ],
    );
    assert_eq!(
        r["error_response"]["new_order_failure_reason"],
        "INVALID_LIMIT_PRICE_POST_ONLY"
    );
    assert_eq!(r["success"], false);
    sim.shutdown().await;
}

#[tokio::test]
async fn websocket_frames_match_live_capture() {
    let sim = start_cb().await;
    let mut c = ws(&sim.addrs().coinbase_ws_url()).await;
    let frames = subscribe(
        &mut c,
        json!({"type": "subscribe", "product_ids": ["BTC-USD"], "channel": "level2"}),
    )
    .await;
    assert_eq!(frames.len(), 2);
    let snap = fixture("coinbase_level2_snapshot.json");
    assert_same_shape(&snap, &frames[0], &[]);
    assert_eq!(
        (
            frames[0]["channel"].as_str(),
            frames[0]["sequence_num"].as_u64()
        ),
        (Some("l2_data"), Some(0))
    );
    let acks = fixture_lines("coinbase_ws_subscriptions_ack.jsonl");
    assert_same_shape(&acks[0], &frames[1], &[]);
    assert_eq!(frames[1]["sequence_num"], 1);
    assert_eq!(
        frames[1]["events"][0]["subscriptions"],
        json!({"level2": ["BTC-USD"]})
    );
    let frames = subscribe(
        &mut c,
        json!({"type": "subscribe", "channel": "heartbeats"}),
    )
    .await;
    assert_same_shape(&acks[1], &frames[0], &[]);
    assert_eq!(frames[0]["sequence_num"], 2);
    assert_eq!(
        frames[0]["events"][0]["subscriptions"],
        json!({"heartbeats": ["heartbeats"], "level2": ["BTC-USD"]})
    );
    let hb = next_frame(&mut c).await.unwrap();
    assert_same_shape(&fixture("coinbase_ws_heartbeats.json"), &hb, &[]);
    assert_eq!(hb["sequence_num"], 3);
    assert!(
        hb["events"][0]["current_time"]
            .as_str()
            .unwrap()
            .contains(" +0000 UTC m=+")
    );
    // An unknown channel is answered as the live venue does.
    let err = subscribe(
        &mut c,
        json!({"type": "subscribe", "product_ids": ["BTC-USD"], "channel": "level3"}),
    )
    .await;
    assert_eq!(err, vec![fixture("coinbase_ws_error.json")]);
    sim.shutdown().await;
}
