//! Our own trades over REST: spot `myTrades` and USD-M `userTrades` filtered by `orderId` and
//! paged by `fromId` (trades with id ≥ it, oldest first, at most `limit`), as the docs describe.

use reqwest::Method;
use serde_json::Value;

use crate::common::*;

async fn market_buy(base: &str, path: &str, qty: &str) -> u64 {
    let (status, order) = signed_json(
        Method::POST,
        base,
        path,
        &format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity={qty}"),
    )
    .await;
    assert_eq!(status, 200, "{order}");
    order["orderId"].as_u64().unwrap()
}

async fn trades(base: &str, path: &str, query: &str) -> Vec<Value> {
    let (status, body) = signed_json(Method::GET, base, path, query).await;
    assert_eq!(status, 200, "{body}");
    body.as_array().unwrap().clone()
}

fn ids(rows: &[Value]) -> Vec<u64> {
    rows.iter().map(|r| r["id"].as_u64().unwrap()).collect()
}

async fn filters_and_pages(base: &str, order_path: &str, trades_path: &str, qty: &str) {
    let a = market_buy(base, order_path, qty).await;
    let b = market_buy(base, order_path, qty).await;
    let all = trades(base, trades_path, "symbol=BTCUSDT").await;
    assert!(all.len() >= 2, "{all:?}");
    let of_a = trades(base, trades_path, &format!("symbol=BTCUSDT&orderId={a}")).await;
    assert!(!of_a.is_empty());
    assert!(of_a.iter().all(|r| r["orderId"].as_u64() == Some(a)));
    let of_b = trades(base, trades_path, &format!("symbol=BTCUSDT&orderId={b}")).await;
    assert!(of_b.iter().all(|r| r["orderId"].as_u64() == Some(b)));
    assert_eq!(of_a.len() + of_b.len(), all.len());

    // fromId pages from the oldest: limit 1 from the first id, then from the next.
    let first = ids(&all)[0];
    let page = trades(
        base,
        trades_path,
        &format!("symbol=BTCUSDT&fromId={first}&limit=1"),
    )
    .await;
    assert_eq!(ids(&page), [first]);
    let rest = trades(
        base,
        trades_path,
        &format!("symbol=BTCUSDT&fromId={}", first + 1),
    )
    .await;
    assert_eq!(ids(&rest), ids(&all)[1..]);
    let one = ids(&of_b)[0];
    let paged = trades(
        base,
        trades_path,
        &format!("symbol=BTCUSDT&orderId={b}&fromId={one}&limit=1000"),
    )
    .await;
    assert_eq!(ids(&paged), ids(&of_b));
    // Without fromId, limit keeps the most recent trades.
    let recent = trades(base, trades_path, "symbol=BTCUSDT&limit=1").await;
    assert_eq!(ids(&recent), [*ids(&all).last().unwrap()]);
}

#[tokio::test]
async fn spot_my_trades_by_order_and_from_id() {
    let sim = start_quiet().await;
    let base = sim.addrs().spot_rest_url();
    filters_and_pages(&base, "/api/v3/order", "/api/v3/myTrades", "0.01").await;
    sim.shutdown().await;
}

#[tokio::test]
async fn futures_user_trades_by_order_and_from_id() {
    let sim = start_quiet().await;
    let base = sim.addrs().futures_rest_url();
    filters_and_pages(&base, "/fapi/v1/order", "/fapi/v1/userTrades", "0.01").await;
    let rows = trades(&base, "/fapi/v1/userTrades", "symbol=BTCUSDT").await;
    for field in [
        "buyer",
        "commission",
        "commissionAsset",
        "id",
        "maker",
        "orderId",
        "price",
        "qty",
        "quoteQty",
        "realizedPnl",
        "side",
        "positionSide",
        "symbol",
        "time",
    ] {
        assert!(rows[0].get(field).is_some(), "no {field} in {}", rows[0]);
    }
    sim.shutdown().await;
}
