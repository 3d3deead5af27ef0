//! Control API (HTTP JSON on its own port): fault injection and the truth endpoints that tests
//! compare against. Routes are listed in docs/venue-sim.md.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Value, json};

use super::driver::step_flow;
use super::faults::ApiKind;
use super::state::{KeyAccounts, Shared};
use crate::engine::{Exchange, MarketKind, Order};

/// The control router.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/health", get(|| async { Json(json!({"ok": true})) }))
        .route("/truth/book", get(book))
        .route("/truth/orders", get(orders))
        .route("/truth/fills", get(fills))
        .route("/truth/balances", get(balances))
        .route("/truth/positions", get(positions))
        .route("/flow/step", post(flow_step))
        .route("/faults/http", post(fault_http))
        .route("/faults/latency", post(fault_latency))
        .route("/faults/order-timeout", post(fault_order_timeout))
        .route("/faults/order-slow-reply", post(fault_order_slow_reply))
        .route("/faults/skip-depth", post(fault_skip))
        .route("/faults/corrupt-checksum", post(fault_corrupt))
        .route("/faults/clear", post(fault_clear))
        .route("/connections", get(connections))
        .route("/connections/drop", post(conn_drop))
        .route("/connections/freeze", post(conn_freeze))
        .route("/balances/adjust", post(adjust))
        .route("/limits/reset", post(limits_reset))
        .merge(crate::coinbase::truth::router())
        .with_state(shared)
}

fn bad(msg: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": msg.into()}))).into_response()
}

fn market(s: Option<&str>) -> Result<MarketKind, String> {
    match s.unwrap_or("spot") {
        "spot" | "margin" => Ok(MarketKind::Spot),
        "futures" => Ok(MarketKind::Futures),
        other => Err(format!("unknown market {other}")),
    }
}

#[derive(Deserialize)]
struct BookQ {
    market: Option<String>,
    symbol: String,
}

fn levels(l: &[(Decimal, Decimal)]) -> Vec<[String; 2]> {
    l.iter()
        .map(|(p, q)| [p.normalize().to_string(), q.normalize().to_string()])
        .collect()
}

async fn book(State(s): State<Arc<Shared>>, Query(q): Query<BookQ>) -> Response {
    if q.market.as_deref() == Some("kraken") {
        return kraken_answer(crate::kraken::truth::book(&s, &q.symbol));
    }
    let kind = match market(q.market.as_deref()) {
        Ok(k) => k,
        Err(e) => return bad(e),
    };
    let v = s.venue();
    let ex = if kind == MarketKind::Spot {
        &v.spot
    } else {
        &v.futures
    };
    let Some(state) = ex.symbol(&q.symbol) else {
        return bad("unknown symbol");
    };
    let (bids, asks) = state.book.levels(usize::MAX);
    Json(json!({"symbol": q.symbol, "lastUpdateId": state.book.update_id(), "bids": levels(&bids), "asks": levels(&asks)})).into_response()
}

#[derive(Deserialize)]
struct AccountQ {
    market: Option<String>,
    key: Option<String>,
    symbol: Option<String>,
}

fn kraken_answer(v: Option<Value>) -> Response {
    match v {
        Some(v) => Json(v).into_response(),
        None => bad("unknown kraken pair or key"),
    }
}

/// The Kraken answer of an account route (`market=kraken`), if it is one.
fn kraken_account(
    s: &Shared,
    q: &AccountQ,
    f: fn(&Shared, Option<&str>) -> Option<Value>,
) -> Option<Response> {
    (q.market.as_deref() == Some("kraken")).then(|| kraken_answer(f(s, q.key.as_deref())))
}

fn account_of(s: &Shared, q: &AccountQ) -> Result<(MarketKind, usize), String> {
    let kind = market(q.market.as_deref())?;
    let key: Option<&KeyAccounts> = match &q.key {
        Some(k) => s.key(k),
        None => s.keys.first(),
    };
    let Some(key) = key else {
        return Err("unknown key".into());
    };
    let idx = match q.market.as_deref().unwrap_or("spot") {
        "margin" => key.margin,
        "futures" => key.futures,
        _ => key.spot,
    };
    Ok((kind, idx))
}

fn order_json(o: &Order) -> Value {
    json!({"orderId": o.id, "symbol": o.symbol, "clientOrderId": o.client_id, "side": o.side.as_str(), "type": o.kind.as_str(),
        "timeInForce": o.tif.as_str(), "price": o.price.normalize().to_string(), "origQty": o.qty.normalize().to_string(),
        "executedQty": o.executed.normalize().to_string(), "cumQuote": o.cum_quote.normalize().to_string(),
        "status": o.status.as_str(), "time": o.time, "updateTime": o.update_time})
}

fn with_account(s: &Shared, q: &AccountQ, f: impl FnOnce(&Exchange, usize) -> Value) -> Response {
    match account_of(s, q) {
        Ok((kind, idx)) => {
            let v = s.venue();
            let ex = if kind == MarketKind::Spot {
                &v.spot
            } else {
                &v.futures
            };
            Json(f(ex, idx)).into_response()
        }
        Err(e) => bad(e),
    }
}

async fn orders(State(s): State<Arc<Shared>>, Query(q): Query<AccountQ>) -> Response {
    if let Some(r) = kraken_account(&s, &q, crate::kraken::truth::orders) {
        return r;
    }
    let sym = q.symbol.clone();
    with_account(&s, &q, |ex, idx| {
        Value::Array(
            ex.all_orders(idx, sym.as_deref())
                .iter()
                .map(order_json)
                .collect(),
        )
    })
}

async fn fills(State(s): State<Arc<Shared>>, Query(q): Query<AccountQ>) -> Response {
    if let Some(r) = kraken_account(&s, &q, crate::kraken::truth::fills) {
        return r;
    }
    with_account(&s, &q, |ex, idx| {
        json!(ex.account(idx).map(|a| a.fills.clone()).unwrap_or_default())
    })
}

async fn balances(State(s): State<Arc<Shared>>, Query(q): Query<AccountQ>) -> Response {
    if let Some(r) = kraken_account(&s, &q, crate::kraken::truth::balances) {
        return r;
    }
    with_account(&s, &q, |ex, idx| {
        json!(
            ex.account(idx)
                .map(|a| a.balances.clone())
                .unwrap_or_default()
        )
    })
}

async fn positions(State(s): State<Arc<Shared>>, Query(q): Query<AccountQ>) -> Response {
    with_account(&s, &q, |ex, idx| {
        json!(
            ex.account(idx)
                .map(|a| a.positions.clone())
                .unwrap_or_default()
        )
    })
}

#[derive(Deserialize)]
struct StepReq {
    market: Option<String>,
    steps: u64,
}

async fn flow_step(State(s): State<Arc<Shared>>, Json(r): Json<StepReq>) -> Response {
    if r.market.as_deref() == Some("kraken") {
        let mut v = s.kraken.venue();
        crate::kraken::publish::step_flow(&s, &mut v, r.steps.min(1_000_000));
        let ids: std::collections::BTreeMap<_, _> =
            v.ex.symbols()
                .map(|x| (x.spec.symbol.clone(), x.book.update_id()))
                .collect();
        return Json(json!({"updateIds": ids})).into_response();
    }
    let kind = match market(r.market.as_deref()) {
        Ok(k) => k,
        Err(e) => return bad(e),
    };
    let mut v = s.venue();
    step_flow(&s, &mut v, kind, r.steps.min(1_000_000));
    let ids: Value = match kind {
        MarketKind::Spot => json!(
            v.spot
                .symbols()
                .map(|x| (x.spec.symbol.clone(), x.book.update_id()))
                .collect::<std::collections::BTreeMap<_, _>>()
        ),
        MarketKind::Futures => json!(
            v.futures
                .symbols()
                .map(|x| (x.spec.symbol.clone(), x.book.update_id()))
                .collect::<std::collections::BTreeMap<_, _>>()
        ),
    };
    Json(json!({"updateIds": ids})).into_response()
}

#[derive(Deserialize)]
struct HttpFault {
    api: ApiKind,
    status: u16,
    count: u32,
}

async fn fault_http(State(s): State<Arc<Shared>>, Json(r): Json<HttpFault>) -> Response {
    s.faults().set_http(r.api, r.status, r.count);
    Json(json!({"ok": true})).into_response()
}

#[derive(Deserialize)]
struct LatencyFault {
    api: ApiKind,
    ms: u64,
}

async fn fault_latency(State(s): State<Arc<Shared>>, Json(r): Json<LatencyFault>) -> Response {
    s.faults().set_latency(r.api, r.ms);
    Json(json!({"ok": true})).into_response()
}

#[derive(Deserialize)]
struct TimeoutFault {
    api: ApiKind,
    count: u32,
}

async fn fault_order_timeout(
    State(s): State<Arc<Shared>>,
    Json(r): Json<TimeoutFault>,
) -> Response {
    s.faults().set_order_timeouts(r.api, r.count);
    Json(json!({"ok": true})).into_response()
}

#[derive(Deserialize)]
struct SlowReplyFault {
    api: ApiKind,
    ms: u64,
    count: u32,
}

async fn fault_order_slow_reply(
    State(s): State<Arc<Shared>>,
    Json(r): Json<SlowReplyFault>,
) -> Response {
    s.faults().set_order_slow_replies(r.api, r.ms, r.count);
    Json(json!({"ok": true})).into_response()
}

#[derive(Deserialize)]
struct SkipFault {
    market: Option<String>,
    symbol: String,
}

async fn fault_skip(State(s): State<Arc<Shared>>, Json(r): Json<SkipFault>) -> Response {
    let m = r.market.unwrap_or_else(|| "spot".into());
    if m != "spot" && m != "futures" {
        return bad("market must be spot or futures");
    }
    s.faults().skip_depth(&m, &r.symbol);
    Json(json!({"ok": true})).into_response()
}

#[derive(Deserialize)]
struct CorruptFault {
    symbol: String,
}

async fn fault_corrupt(State(s): State<Arc<Shared>>, Json(r): Json<CorruptFault>) -> Response {
    let Some(p) = s.kraken.pair(&r.symbol) else {
        return bad("unknown kraken pair");
    };
    s.faults().corrupt_checksum(&p.symbol);
    Json(json!({"ok": true})).into_response()
}

async fn fault_clear(State(s): State<Arc<Shared>>) -> Response {
    s.faults().clear();
    s.conns.freeze(None, None, false);
    Json(json!({"ok": true})).into_response()
}

async fn connections(State(s): State<Arc<Shared>>) -> Response {
    Json(json!(s.conns.list())).into_response()
}

#[derive(Deserialize)]
struct ConnSel {
    id: Option<u64>,
    api: Option<ApiKind>,
    frozen: Option<bool>,
}

async fn conn_drop(State(s): State<Arc<Shared>>, Json(r): Json<ConnSel>) -> Response {
    Json(json!({"affected": s.conns.drop_conns(r.id, r.api)})).into_response()
}

async fn conn_freeze(State(s): State<Arc<Shared>>, Json(r): Json<ConnSel>) -> Response {
    Json(json!({"affected": s.conns.freeze(r.id, r.api, r.frozen.unwrap_or(true))})).into_response()
}

#[derive(Deserialize)]
struct Adjust {
    market: Option<String>,
    key: Option<String>,
    asset: String,
    delta: Decimal,
}

async fn adjust(State(s): State<Arc<Shared>>, Json(r): Json<Adjust>) -> Response {
    let q = AccountQ {
        market: r.market.clone(),
        key: r.key.clone(),
        symbol: None,
    };
    let (kind, idx) = match account_of(&s, &q) {
        Ok(x) => x,
        Err(e) => return bad(e),
    };
    let now = s.now();
    let mut v = s.venue();
    let ex = if kind == MarketKind::Spot {
        &mut v.spot
    } else {
        &mut v.futures
    };
    if ex.adjust_balance(idx, &r.asset, r.delta, now).is_err() {
        return bad("balance would go negative");
    }
    s.publish_all(&mut v, now);
    Json(json!({"ok": true})).into_response()
}

async fn limits_reset(State(s): State<Arc<Shared>>) -> Response {
    for l in [&s.spot_limiter, &s.futures_limiter] {
        l.lock().unwrap_or_else(|p| p.into_inner()).reset();
    }
    Json(json!({"ok": true})).into_response()
}
