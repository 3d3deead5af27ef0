//! Coinbase routes of the control API, in the control API's shapes: the true book, orders,
//! fills, balances and positions of a key's accounts, flow stepping, a level2 message drop
//! (a skipped `sequence_num`), and balance adjustments. Generic faults (`/faults/http`,
//! `/faults/latency`, `/faults/order-timeout`, `/connections/...`) take the API names
//! `coinbase_rest`, `coinbase_ws`, `coinbase_user_ws`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Value, json};

use super::feed::{publish_events, step_flow};
use super::render::num;
use super::state::CoinbaseShared;
use crate::server::state::Shared;

/// The Coinbase control routes, merged into the control router (which adds the state).
pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/coinbase/truth/book", get(book))
        .route("/coinbase/truth/orders", get(orders))
        .route("/coinbase/truth/fills", get(fills))
        .route("/coinbase/truth/balances", get(balances))
        .route("/coinbase/truth/positions", get(positions))
        .route("/coinbase/flow/step", post(flow_step))
        .route("/coinbase/faults/skip-sequence", post(skip))
        .route("/coinbase/balances/adjust", post(adjust))
}

fn bad(msg: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": msg}))).into_response()
}

fn perp_of(market: Option<&str>) -> Result<bool, &'static str> {
    match market.unwrap_or("spot") {
        "spot" => Ok(false),
        "intx" | "perp" => Ok(true),
        _ => Err("market must be spot or intx"),
    }
}

fn user_of(cb: &CoinbaseShared, key: Option<&str>) -> Result<usize, &'static str> {
    match key {
        None => (!cb.users.is_empty()).then_some(0),
        Some(k) => cb.users.iter().position(|u| u.key_name == k),
    }
    .ok_or("unknown key")
}

#[derive(Deserialize)]
struct BookQ {
    product_id: String,
}

fn levels(l: &[(Decimal, Decimal)]) -> Vec<[String; 2]> {
    l.iter().map(|(p, q)| [num(*p), num(*q)]).collect()
}

async fn book(State(s): State<Arc<Shared>>, Query(q): Query<BookQ>) -> Response {
    let cb = &s.coinbase;
    let Some(perp) = cb.is_perp(&q.product_id) else {
        return bad("unknown product");
    };
    let v = cb.venue();
    let Some(st) = v.market(perp).symbol(&q.product_id) else {
        return bad("unknown product");
    };
    let (bids, asks) = st.book.levels(usize::MAX);
    Json(json!({"symbol": q.product_id, "lastUpdateId": st.book.update_id(), "bids": levels(&bids), "asks": levels(&asks)}))
        .into_response()
}

#[derive(Deserialize)]
struct AccountQ {
    key: Option<String>,
    market: Option<String>,
    product_id: Option<String>,
}

async fn orders(State(s): State<Arc<Shared>>, Query(q): Query<AccountQ>) -> Response {
    let cb = &s.coinbase;
    let u = match user_of(cb, q.key.as_deref()) {
        Ok(u) => u,
        Err(r) => return bad(r),
    };
    let v = cb.venue();
    let mut out = Vec::new();
    for perp in [false, true] {
        let acc = cb.users[u].spot_or_perp(perp);
        for o in v.market(perp).all_orders(acc, q.product_id.as_deref()) {
            let id = v.by_engine.get(&(perp, o.id)).cloned().unwrap_or_default();
            out.push(
                json!({"orderId": id, "symbol": o.symbol, "clientOrderId": o.client_id,
                "side": o.side.as_str(), "type": o.kind.as_str(), "timeInForce": o.tif.as_str(),
                "price": num(o.price), "origQty": num(o.qty), "executedQty": num(o.executed),
                "cumQuote": num(o.cum_quote), "status": o.status.as_str(), "time": o.time,
                "updateTime": o.update_time}),
            );
        }
    }
    Json(Value::Array(out)).into_response()
}

async fn fills(State(s): State<Arc<Shared>>, Query(q): Query<AccountQ>) -> Response {
    let cb = &s.coinbase;
    let (u, perp) = match (user_of(cb, q.key.as_deref()), perp_of(q.market.as_deref())) {
        (Ok(u), Ok(p)) => (u, p),
        (Err(r), _) | (_, Err(r)) => return bad(r),
    };
    let v = cb.venue();
    let acc = v.market(perp).account(cb.users[u].spot_or_perp(perp));
    Json(json!(acc.map(|a| a.fills.clone()).unwrap_or_default())).into_response()
}

async fn balances(State(s): State<Arc<Shared>>, Query(q): Query<AccountQ>) -> Response {
    let cb = &s.coinbase;
    let (u, perp) = match (user_of(cb, q.key.as_deref()), perp_of(q.market.as_deref())) {
        (Ok(u), Ok(p)) => (u, p),
        (Err(r), _) | (_, Err(r)) => return bad(r),
    };
    let v = cb.venue();
    let acc = v.market(perp).account(cb.users[u].spot_or_perp(perp));
    Json(json!(acc.map(|a| a.balances.clone()).unwrap_or_default())).into_response()
}

async fn positions(State(s): State<Arc<Shared>>, Query(q): Query<AccountQ>) -> Response {
    let cb = &s.coinbase;
    let u = match user_of(cb, q.key.as_deref()) {
        Ok(u) => u,
        Err(r) => return bad(r),
    };
    let v = cb.venue();
    let acc = v.perp.account(cb.users[u].perp);
    Json(json!(acc.map(|a| a.positions.clone()).unwrap_or_default())).into_response()
}

#[derive(Deserialize)]
struct StepReq {
    market: Option<String>,
    steps: u64,
}

async fn flow_step(State(s): State<Arc<Shared>>, Json(r): Json<StepReq>) -> Response {
    let perp = match perp_of(r.market.as_deref()) {
        Ok(p) => p,
        Err(e) => return bad(e),
    };
    let cb = &s.coinbase;
    let now = s.now();
    let mut v = cb.venue();
    step_flow(cb, &mut v, perp, r.steps.min(1_000_000), now);
    let ids: BTreeMap<String, u64> = v
        .market(perp)
        .symbols()
        .map(|x| (x.spec.symbol.clone(), x.book.update_id()))
        .collect();
    Json(json!({"updateIds": ids})).into_response()
}

#[derive(Deserialize)]
struct SkipReq {
    product_id: String,
}

async fn skip(State(s): State<Arc<Shared>>, Json(r): Json<SkipReq>) -> Response {
    if s.coinbase.is_perp(&r.product_id).is_none() {
        return bad("unknown product");
    }
    s.faults().skip_depth("coinbase", &r.product_id);
    Json(json!({"ok": true})).into_response()
}

#[derive(Deserialize)]
struct Adjust {
    key: Option<String>,
    market: Option<String>,
    asset: String,
    delta: Decimal,
}

async fn adjust(State(s): State<Arc<Shared>>, Json(r): Json<Adjust>) -> Response {
    let cb = &s.coinbase;
    let (u, perp) = match (user_of(cb, r.key.as_deref()), perp_of(r.market.as_deref())) {
        (Ok(u), Ok(p)) => (u, p),
        (Err(e), _) | (_, Err(e)) => return bad(e),
    };
    let now = s.now();
    let mut v = cb.venue();
    let acc = cb.users[u].spot_or_perp(perp);
    if v.market_mut(perp)
        .adjust_balance(acc, &r.asset, r.delta, now)
        .is_err()
    {
        return bad("balance would go negative");
    }
    publish_events(cb, &mut v);
    Json(json!({"ok": true})).into_response()
}
