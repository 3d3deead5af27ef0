//! The REST client against a real local HTTP server: retries only for idempotent requests,
//! unknown order status on 5xx and timeouts, the venue's error-body and signing hooks, gzip,
//! and rate-limit feedback into the limiter.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use exchange_core::ratelimit::{Cost, RateLimiter, binance};
use exchange_core::rest::{
    Body, RequestKind, RestClient, RestConfig, RestRequest, RestVenue, SignRequest, encode_pairs,
};
use exchange_core::session::Backoff;
use exchange_core::{ErrorKind, ExchangeError};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// A local HTTP server, stopped when dropped.
struct HttpServer {
    url: String,
    hits: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

type Hits = State<Arc<AtomicUsize>>;

fn hit(hits: &Hits) -> usize {
    hits.fetch_add(1, Ordering::SeqCst)
}

async fn flaky(hits: Hits) -> Response {
    if hit(&hits) < 2 {
        StatusCode::SERVICE_UNAVAILABLE.into_response()
    } else {
        r#"{"ok":true}"#.into_response()
    }
}

async fn always_500(hits: Hits) -> Response {
    hit(&hits);
    (StatusCode::INTERNAL_SERVER_ERROR, "Internal error").into_response()
}

async fn slow_once(hits: Hits) -> Response {
    if hit(&hits) == 0 {
        std::future::pending::<()>().await;
    }
    r#"{"ok":true}"#.into_response()
}

async fn never(hits: Hits) -> Response {
    hit(&hits);
    std::future::pending::<Response>().await
}

async fn binance_error(hits: Hits) -> Response {
    hit(&hits);
    (
        StatusCode::BAD_REQUEST,
        r#"{"code":-2010,"msg":"Account has insufficient balance for requested action."}"#,
    )
        .into_response()
}

async fn kraken_error(hits: Hits) -> Response {
    hit(&hits);
    r#"{"error":["EOrder:Insufficient funds"],"result":{}}"#.into_response()
}

async fn gzipped(hits: Hits, headers: HeaderMap) -> Response {
    hit(&hits);
    let accepts = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    if !accepts {
        return (StatusCode::BAD_REQUEST, "gzip expected").into_response();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(br#"{"symbol":"BTCUSDT","price":"4.00000200"}"#)
        .unwrap();
    let body = gz.finish().unwrap();
    ([(header::CONTENT_ENCODING, "gzip")], body).into_response()
}

async fn echo(hits: Hits, RawQuery(query): RawQuery, headers: HeaderMap, body: String) -> Response {
    hit(&hits);
    let key = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    serde_json::json!({ "query": query.unwrap_or_default(), "key": key, "body": body })
        .to_string()
        .into_response()
}

async fn limited(hits: Hits) -> Response {
    hit(&hits);
    (
        StatusCode::TOO_MANY_REQUESTS,
        [("retry-after", "7"), ("x-mbx-used-weight-1m", "6000")],
        r#"{"code":-1003,"msg":"Too much request weight used."}"#,
    )
        .into_response()
}

async fn weighed(hits: Hits) -> Response {
    hit(&hits);
    ([("x-mbx-used-weight-1m", "5990")], r#"{"ok":true}"#).into_response()
}

async fn start() -> HttpServer {
    let hits = Arc::new(AtomicUsize::new(0));
    let router = Router::new()
        .route("/flaky", get(flaky))
        .route("/order", post(always_500))
        .route("/slow", get(slow_once))
        .route("/slow-order", post(never))
        .route("/binance-error", post(binance_error))
        .route("/kraken-error", post(kraken_error))
        .route("/gzip", get(gzipped))
        .route("/echo", post(echo))
        .route("/limited", get(limited))
        .route("/weighed", get(weighed))
        .with_state(hits.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    HttpServer { url, hits, task }
}

/// A venue that signs with a visible fake signature and reads Binance- and Kraken-style errors.
struct TestVenue;

impl RestVenue for TestVenue {
    fn sign(&self, request: &mut SignRequest<'_>) -> exchange_core::Result<()> {
        let payload = format!(
            "{}{}",
            encode_pairs(request.query),
            request.body.as_ref().map(Body::encoded).unwrap_or_default()
        );
        request
            .headers
            .insert("x-api-key", "key-id".parse().unwrap());
        request
            .query
            .push(("signature".into(), format!("len{}", payload.len())));
        Ok(())
    }

    fn map_error(
        &self,
        _status: reqwest::StatusCode,
        _headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Option<ExchangeError> {
        let v: serde_json::Value = serde_json::from_slice(body).ok()?;
        if let Some(code) = v.get("code").and_then(|c| c.as_i64()) {
            let msg = v["msg"].as_str().unwrap_or_default().to_owned();
            return Some(match code {
                -2010 => ExchangeError::InsufficientFunds(msg),
                -1003 => ExchangeError::RateLimited {
                    message: msg,
                    retry_after: None,
                },
                _ => ExchangeError::InvalidResponse(msg),
            });
        }
        let first = v.get("error")?.as_array()?.first()?.as_str()?.to_owned();
        Some(match first.as_str() {
            "EOrder:Insufficient funds" => ExchangeError::InsufficientFunds(first),
            _ => ExchangeError::InvalidResponse(first),
        })
    }

    fn sync_limits(
        &self,
        limiter: &RateLimiter,
        _request: &RestRequest,
        headers: &reqwest::header::HeaderMap,
    ) {
        binance::sync_from_headers(limiter, headers);
    }
}

fn client(url: &str, limiter: RateLimiter) -> RestClient {
    let mut cfg = RestConfig::new(url);
    cfg.request_timeout = Duration::from_millis(300);
    cfg.max_retries = 3;
    cfg.retry_backoff = Backoff {
        base: Duration::from_millis(5),
        cap: Duration::from_millis(20),
    };
    cfg.max_retry_wait = Duration::from_secs(1);
    cfg.max_limiter_wait = Duration::from_secs(1);
    RestClient::new(cfg, Arc::new(TestVenue), limiter).unwrap()
}

#[tokio::test]
async fn idempotent_queries_are_retried_after_5xx() {
    let server = start().await;
    let c = client(&server.url, RateLimiter::new());
    let v: serde_json::Value = c.json(&RestRequest::get("/flaky")).await.unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(server.hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn an_order_5xx_is_unknown_status_and_never_retried() {
    let server = start().await;
    let c = client(&server.url, RateLimiter::new());
    let order = RestRequest::post("/order")
        .query("symbol", "BTCUSDT")
        .kind(RequestKind::Order)
        .signed();
    let err = c.execute(&order).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownOrderStatus);
    assert_eq!(server.hits.load(Ordering::SeqCst), 1);
    // Error messages name the request, never its signed query.
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("POST /order"), "{shown}");
    assert!(!shown.contains("signature"), "{shown}");

    // The same 5xx on a non-order write is not retried either, and not "unknown".
    let write = RestRequest::post("/order").kind(RequestKind::Write);
    let err = c.execute(&write).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ExchangeUnavailable);
    assert_eq!(server.hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_order_timeout_is_unknown_status_a_query_timeout_is_retried() {
    let server = start().await;
    let c = client(&server.url, RateLimiter::new());
    // The first /slow hangs past the timeout; the retry succeeds.
    let v: serde_json::Value = c.json(&RestRequest::get("/slow")).await.unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(server.hits.load(Ordering::SeqCst), 2);

    let order = RestRequest::post("/slow-order").kind(RequestKind::Order);
    let err = c.execute(&order).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownOrderStatus);
    assert_eq!(server.hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_refused_connection_is_a_connection_error_even_for_orders() {
    let free = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", free.local_addr().unwrap());
    drop(free);
    let c = client(&url, RateLimiter::new());
    let err = c
        .execute(&RestRequest::post("/order").kind(RequestKind::Order))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
}

#[tokio::test]
async fn venue_error_bodies_are_mapped_by_the_adapter() {
    let server = start().await;
    let c = client(&server.url, RateLimiter::new());
    for path in ["/binance-error", "/kraken-error"] {
        let err = c
            .execute(&RestRequest::post(path).kind(RequestKind::Order))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InsufficientFunds, "{path}: {err}");
    }
    // A terminal error on a query is not retried.
    let err = c
        .execute(&RestRequest::post("/kraken-error"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InsufficientFunds);
    assert_eq!(server.hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn gzip_bodies_are_decoded() {
    let server = start().await;
    let c = client(&server.url, RateLimiter::new());
    let v: serde_json::Value = c.json(&RestRequest::get("/gzip")).await.unwrap();
    assert_eq!(v["price"], "4.00000200");
}

#[tokio::test]
async fn the_signing_hook_shapes_what_is_sent() {
    let server = start().await;
    let c = client(&server.url, RateLimiter::new());
    let request = RestRequest::post("/echo")
        .query("symbol", "LTCBTC")
        .body(Body::Form(vec![("quantity".into(), "1".into())]))
        .signed();
    let v: serde_json::Value = c.json(&request).await.unwrap();
    // "symbol=LTCBTC" + "quantity=1" is 23 bytes.
    assert_eq!(v["query"], "symbol=LTCBTC&signature=len23");
    assert_eq!(v["body"], "quantity=1");
    assert_eq!(v["key"], "key-id");
}

#[tokio::test]
async fn a_429_pauses_the_class_for_retry_after_and_resyncs_weight() {
    let server = start().await;
    let limiter = binance::limiter();
    let c = client(&server.url, limiter.clone());
    let cost = binance::request_cost(binance::CLASS_MARKET, 1);
    let err = c
        .execute(&RestRequest::get("/limited").cost(cost.clone()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    // Not retried: the wait exceeds what this client may wait.
    assert_eq!(server.hits.load(Ordering::SeqCst), 1);
    assert_eq!(limiter.used(binance::WEIGHT_1M), Some(6000.0));
    let left = limiter
        .paused_until(binance::CLASS_MARKET)
        .expect("class paused")
        .saturating_duration_since(Instant::now());
    assert!(
        left > Duration::from_secs(6) && left <= Duration::from_secs(7),
        "{left:?}"
    );
    // While paused, requests of the class fail locally without reaching the venue.
    let err = c
        .execute(&RestRequest::get("/flaky").cost(cost))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(server.hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn usage_headers_resync_the_limiter() {
    let server = start().await;
    let limiter = binance::limiter();
    let c = client(&server.url, limiter.clone());
    c.execute(&RestRequest::get("/weighed").cost(binance::request_cost("market", 2)))
        .await
        .unwrap();
    assert_eq!(limiter.used(binance::WEIGHT_1M), Some(5990.0));
    // 10 units remain: a weight-20 request would wait for the next minute, beyond 1 s.
    let err = c
        .execute(
            &RestRequest::get("/weighed").cost(Cost::new("market").charge(binance::WEIGHT_1M, 20)),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(server.hits.load(Ordering::SeqCst), 1);
}
