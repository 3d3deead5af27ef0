//! `fetch_ohlcv` paging against a local stub of the klines endpoint: venue-sim's candles all
//! fall in the current minute, so paging through history needs rows the stub makes up.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use exchange_core::adapters::binance::{BinanceExchange, Product};
use exchange_core::model::Timeframe;
use exchange_core::{AdapterConfig, Exchange};
use serde_json::{Value, json};

use super::support::sym;

const T0: i64 = 1_700_000_000_000;
const MINUTE: i64 = 60_000;
/// Rows of history the stub holds, from `T0`.
const HISTORY: i64 = 1_500;

fn info() -> Value {
    json!({"serverTime": T0, "rateLimits": [], "symbols": [{"symbol": "BTCUSDT", "status": "TRADING",
        "baseAsset": "BTC", "quoteAsset": "USDT", "isSpotTradingAllowed": true,
        "filters": [{"filterType": "PRICE_FILTER", "minPrice": "0.01", "maxPrice": "1000000", "tickSize": "0.01"},
                    {"filterType": "LOT_SIZE", "minQty": "0.00001", "maxQty": "9000", "stepSize": "0.00001"}]}]})
}

async fn klines(
    State(calls): State<Arc<AtomicUsize>>,
    Query(q): Query<HashMap<String, String>>,
) -> axum::Json<Value> {
    calls.fetch_add(1, Ordering::SeqCst);
    let start: i64 = q["startTime"].parse().unwrap();
    let limit: i64 = q["limit"].parse().unwrap();
    let first = (start - T0 + MINUTE - 1).div_euclid(MINUTE).max(0);
    let rows: Vec<Value> = (first..HISTORY.min(first + limit))
        .map(|i| {
            let open = T0 + i * MINUTE;
            json!([
                open,
                "1.0",
                "2.0",
                "0.5",
                "1.5",
                "10",
                open + MINUTE - 1,
                "15",
                3,
                "0",
                "0",
                "0"
            ])
        })
        .collect();
    axum::Json(Value::Array(rows))
}

#[tokio::test]
async fn candles_are_fetched_page_by_page_until_the_limit_or_the_end() {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = Router::new()
        .route("/api/v3/exchangeInfo", get(|| async { axum::Json(info()) }))
        .route("/api/v3/klines", get(klines))
        .with_state(calls.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let mut config = AdapterConfig::public("binance", "main");
    config.base_urls.insert("spot_rest".into(), url);
    let ex = BinanceExchange::new(Product::Spot, config).unwrap();
    let s = sym("BTC/USDT");
    let all = ex
        .fetch_ohlcv(&s, Timeframe::M1, Some(T0 * 1_000_000), Some(5_000))
        .await
        .unwrap();
    assert_eq!(all.len() as i64, HISTORY, "two pages, the second one short");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert!(
        all.windows(2)
            .all(|w| w[1].open_time_ns - w[0].open_time_ns == MINUTE * 1_000_000)
    );
    calls.store(0, Ordering::SeqCst);
    let some = ex
        .fetch_ohlcv(&s, Timeframe::M1, Some(T0 * 1_000_000), Some(1_200))
        .await
        .unwrap();
    assert_eq!(some.len(), 1_200);
    assert_eq!(calls.load(Ordering::SeqCst), 2, "1000 + 200");
    assert_eq!(some[1_199].open_time_ns, (T0 + 1_199 * MINUTE) * 1_000_000);
    server.abort();
}
