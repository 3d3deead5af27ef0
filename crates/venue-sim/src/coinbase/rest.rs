//! The Coinbase REST front (`/api/v3/brokerage`): route matching with path parameters,
//! injected faults and latency, the per-second limits (public per IP, private per user), JWT
//! authentication of private routes, and running the endpoint with the markets locked.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::error::CbError;
use super::feed::publish_events;
use super::jwt::{self, Expect};
use super::state::{CbVenue, CoinbaseShared};
use super::{rest_market, rest_private};
use crate::server::faults::ApiKind;
use crate::server::state::Shared;

/// The path prefix of every route.
pub const PREFIX: &str = "/api/v3/brokerage";
/// The host of the real API, always accepted in the JWT `uri` claim.
pub const REAL_HOST: &str = "api.coinbase.com";

/// A request as endpoints see it.
pub struct Req {
    /// Path parameters, in order.
    pub params: Vec<String>,
    /// Query pairs, decoded, in order (names may repeat: `product_ids=a&product_ids=b`).
    pub query: Vec<(String, String)>,
    /// Body.
    pub body: Bytes,
}

impl Req {
    /// First value of a query parameter.
    pub fn q(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
    /// Every value of a repeated query parameter (comma-separated values are split too).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }
    /// A numeric query parameter.
    pub fn num(&self, name: &str) -> Result<Option<u64>, CbError> {
        self.q(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| CbError::invalid(&format!("invalid {name}")))
            })
            .transpose()
    }
    /// The JSON body.
    pub fn json(&self) -> Result<Value, CbError> {
        serde_json::from_slice(&self.body).map_err(|_| CbError::invalid("invalid request body"))
    }
    /// The n-th path parameter.
    pub fn param(&self, n: usize) -> &str {
        self.params.get(n).map(String::as_str).unwrap_or("")
    }
}

/// What an endpoint works with.
pub struct Ctx<'a> {
    /// Coinbase state.
    pub cb: &'a CoinbaseShared,
    /// Locked markets.
    pub venue: &'a mut CbVenue,
    /// The authenticated user (private routes).
    pub user: Option<usize>,
    /// Server time, ms.
    pub now: u64,
}

impl Ctx<'_> {
    /// The user of a private route.
    pub fn user(&self) -> Result<usize, CbError> {
        self.user.ok_or_else(CbError::unauthorized)
    }
}

/// An endpoint.
pub type Handler = fn(&mut Ctx<'_>, &Req) -> Result<Value, CbError>;

/// A route: method, pattern (`{}` = one path segment), whether it needs a JWT, whether it
/// places orders, and its handler.
pub struct Route {
    method: Method,
    pattern: &'static str,
    private: bool,
    places_order: bool,
    run: Handler,
}

const fn get(pattern: &'static str, private: bool, run: Handler) -> Route {
    Route {
        method: Method::GET,
        pattern,
        private,
        places_order: false,
        run,
    }
}

fn post(pattern: &'static str, places_order: bool, run: Handler) -> Route {
    Route {
        method: Method::POST,
        pattern,
        private: true,
        places_order,
        run,
    }
}

/// The route table (specific patterns before `{}` ones).
pub fn routes() -> Vec<Route> {
    use rest_market as m;
    use rest_private as p;
    vec![
        get("/time", false, m::time),
        get("/products", true, m::products),
        get("/market/products", false, m::products),
        get("/products/{}", true, m::product),
        get("/market/products/{}", false, m::product),
        get("/products/{}/candles", true, m::candles),
        get("/market/products/{}/candles", false, m::candles),
        get("/products/{}/ticker", true, m::market_trades),
        get("/market/products/{}/ticker", false, m::market_trades),
        get("/product_book", true, m::product_book),
        get("/market/product_book", false, m::product_book),
        get("/best_bid_ask", true, m::best_bid_ask),
        get("/accounts", true, p::accounts),
        get("/accounts/{}", true, p::account),
        post("/orders", true, p::create_order),
        post("/orders/batch_cancel", false, p::batch_cancel),
        get("/orders/historical/batch", true, p::orders_batch),
        get("/orders/historical/fills", true, p::fills),
        get("/orders/historical/{}", true, p::order),
        get("/portfolios", true, p::portfolios),
        get("/cfm/positions", true, p::cfm_positions),
        get("/cfm/positions/{}", true, p::cfm_position),
        get("/intx/positions/{}", true, p::intx_positions),
        get("/intx/positions/{}/{}", true, p::intx_position),
    ]
}

fn matches(pattern: &str, path: &str) -> Option<Vec<String>> {
    let mut params = Vec::new();
    let mut ps = pattern.split('/');
    let mut xs = path.split('/');
    loop {
        match (ps.next(), xs.next()) {
            (None, None) => return Some(params),
            (Some("{}"), Some(x)) if !x.is_empty() => params.push(decode(x)),
            (Some(p), Some(x)) if p == x => {}
            _ => return None,
        }
    }
}

/// Percent-decoding (`+` is a space in queries).
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

#[derive(Clone)]
struct RestState {
    shared: Arc<Shared>,
    routes: Arc<Vec<Route>>,
}

/// The REST router.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(RestState {
        shared,
        routes: Arc::new(routes()),
    })
}

fn respond(r: Result<Value, CbError>) -> Response {
    match r {
        Ok(v) => (
            StatusCode::OK,
            [("content-type", "application/json")],
            v.to_string(),
        )
            .into_response(),
        Err(e) => {
            let status = StatusCode::from_u16(e.http).unwrap_or(StatusCode::BAD_REQUEST);
            let ct = if e.json {
                "application/json"
            } else {
                "text/plain; charset=utf-8"
            };
            (status, [("content-type", ct)], e.body).into_response()
        }
    }
}

fn authenticate(
    cb: &CoinbaseShared,
    headers: &HeaderMap,
    method: &Method,
    path: &str,
    now_ms: u64,
) -> Result<usize, CbError> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(CbError::unauthorized)?;
    let host = headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .map(|h| h.rsplit_once(':').map_or(h, |(h, _)| h))
        .unwrap_or(REAL_HOST);
    let uris = vec![
        format!("{method} {host}{path}"),
        format!("{method} {REAL_HOST}{path}"),
    ];
    let expect = Expect {
        now_s: now_ms / 1000,
        skew_s: cb.config.jwt_skew_s,
        uris: Some(&uris),
    };
    match jwt::verify(token.trim(), &cb.keys, expect) {
        Ok((idx, _)) => Ok(idx),
        Err(e) => {
            tracing::debug!(reason = %e, "coinbase JWT rejected");
            Err(CbError::unauthorized())
        }
    }
}

async fn handle(
    State(st): State<RestState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let shared = &st.shared;
    let cb = &shared.coinbase;
    let latency = shared.faults().latency(ApiKind::CoinbaseRest);
    if latency > 0 {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(latency)) => {}
            _ = shared.cancel.cancelled() => {}
        }
    }
    if let Some(status) = shared.faults().take_http(ApiKind::CoinbaseRest) {
        return respond(Err(CbError::forced(status)));
    }
    let now = shared.now();
    let path = uri.path();
    let Some(rest) = path.strip_prefix(PREFIX) else {
        return respond(Err(CbError::not_found("Not Found")));
    };
    let found = st
        .routes
        .iter()
        .filter(|r| r.method == method)
        .find_map(|r| matches(r.pattern, rest).map(|p| (r, p)));
    let Some((route, params)) = found else {
        return respond(Err(CbError::not_found("Not Found")));
    };
    let user = if route.private {
        match authenticate(cb, &headers, &method, path, now) {
            Ok(u) => Some(u),
            Err(e) => return respond(Err(e)),
        }
    } else {
        None
    };
    let (caller, per_second) = match user {
        Some(u) => (format!("user:{u}"), cb.config.private_per_second),
        None => (format!("ip:{}", peer.ip()), cb.config.public_per_second),
    };
    if !cb.allow(&caller, per_second, now) {
        return respond(Err(CbError::rate_limited()));
    }
    let req = Req {
        params,
        query: query_pairs(uri.query().unwrap_or("")),
        body,
    };
    let result = {
        let mut venue = cb.venue();
        let mut ctx = Ctx {
            cb,
            venue: &mut venue,
            user,
            now,
        };
        let r = (route.run)(&mut ctx, &req);
        publish_events(cb, &mut venue);
        r
    };
    let accepted = result
        .as_ref()
        .is_ok_and(|v| v.get("success") == Some(&Value::Bool(true)));
    if route.places_order && accepted && shared.faults().take_order_timeout(ApiKind::CoinbaseRest) {
        return respond(Err(CbError::timeout()));
    }
    respond(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_and_decoding() {
        assert_eq!(
            matches("/products/{}/candles", "/products/BTC-USD/candles"),
            Some(vec!["BTC-USD".into()])
        );
        assert_eq!(matches("/products/{}", "/products/BTC-USD/candles"), None);
        assert_eq!(matches("/products/{}", "/products/"), None);
        assert_eq!(decode("a%2Cb+c%zz"), "a,b c%zz");
        assert_eq!(query_pairs("x=1&y=&x=2").len(), 3);
    }
}
