//! The REST front: one fallback handler per API that applies faults and latency, parses
//! parameters, charges weight, authenticates signed endpoints, runs the endpoint under the venue
//! lock, publishes the resulting events and adds Binance's usage headers.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::faults::ApiKind;
use super::state::{KeyAccounts, Shared, Venue};
use crate::binance::auth;
use crate::binance::error::ApiError;
use crate::binance::params::Params;

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Anyone.
    None,
    /// API key header only (USER_STREAM).
    ApiKey,
    /// API key plus signature, timestamp and recvWindow (TRADE, USER_DATA).
    Signed,
}

/// What an endpoint gets to work with.
pub struct Ctx<'a> {
    /// Shared state.
    pub shared: &'a Shared,
    /// Locked venue.
    pub venue: &'a mut Venue,
    /// The caller's key, for keyed endpoints.
    pub key: Option<&'a KeyAccounts>,
    /// Server time.
    pub now: u64,
}

impl Ctx<'_> {
    /// The caller's key (keyed endpoints always have one).
    pub fn key(&self) -> Result<&KeyAccounts, ApiError> {
        self.key.ok_or_else(ApiError::bad_key)
    }
}

/// An endpoint: runs with the venue locked and returns a JSON body.
pub type Handler = fn(&mut Ctx<'_>, &Params) -> Result<String, ApiError>;

/// One row of an API's route table.
pub struct Endpoint {
    /// HTTP method.
    pub method: Method,
    /// Path.
    pub path: &'static str,
    /// Request weight.
    pub weight: fn(&Params) -> u64,
    /// Security type.
    pub security: Security,
    /// Whether it places an order (order-count limits, timeout fault).
    pub places_order: bool,
    /// Implementation.
    pub run: Handler,
}

/// Weight 1.
pub fn w1(_: &Params) -> u64 {
    1
}

#[derive(Clone)]
struct RestApi {
    shared: Arc<Shared>,
    api: ApiKind,
    table: Arc<Vec<Endpoint>>,
}

/// A router serving `table` for `api`.
pub fn router(shared: Arc<Shared>, api: ApiKind, table: Vec<Endpoint>) -> Router {
    Router::new().fallback(handle).with_state(RestApi {
        shared,
        api,
        table: Arc::new(table),
    })
}

fn error_response(e: &ApiError, weight: Option<u64>) -> Response {
    let status = StatusCode::from_u16(e.http).unwrap_or(StatusCode::BAD_REQUEST);
    let mut resp = (
        status,
        [("content-type", "application/json;charset=UTF-8")],
        e.body(),
    )
        .into_response();
    if let Some(s) = e.retry_after {
        resp.headers_mut()
            .insert("Retry-After", HeaderValue::from(s));
    }
    if let Some(w) = weight {
        resp.headers_mut()
            .insert("X-MBX-USED-WEIGHT-1M", HeaderValue::from(w));
    }
    resp
}

fn forced(status: u16, now: u64) -> ApiError {
    match status {
        429 => ApiError::too_much_weight(6000, 60 - (now % 60_000) / 1000),
        418 => ApiError::banned(now + 120_000, 120),
        s if s >= 500 => ApiError {
            http: s,
            ..ApiError::bad(
                -1001,
                "Internal error; unable to process your request. Please try again.",
            )
        },
        s => ApiError {
            http: s,
            ..ApiError::bad(
                -1000,
                "An unknown error occurred while processing the request.",
            )
        },
    }
}

async fn handle(
    State(rest): State<RestApi>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let shared = &rest.shared;
    let latency = shared.faults().latency(rest.api);
    if latency > 0 {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(latency)) => {}
            _ = shared.cancel.cancelled() => {}
        }
    }
    let now = shared.now();
    if let Some(status) = shared.faults().take_http(rest.api) {
        return error_response(&forced(status, now), None);
    }
    let Some(ep) = rest
        .table
        .iter()
        .find(|e| e.method == method && e.path == uri.path())
    else {
        return (StatusCode::NOT_FOUND, "").into_response();
    };
    let raw_query = uri.query().unwrap_or("");
    let raw_body = std::str::from_utf8(&body).unwrap_or("");
    let ip = peer.ip().to_string();
    let limiter = match rest.api {
        ApiKind::FuturesRest => &shared.futures_limiter,
        _ => &shared.spot_limiter,
    };
    let params = match Params::from_request(raw_query, raw_body) {
        Ok(p) => p,
        Err(e) => return error_response(&e, None),
    };
    let weight = {
        let mut l = limiter.lock().unwrap_or_else(|p| p.into_inner());
        match l.charge(&ip, (ep.weight)(&params), now) {
            Ok(w) => w,
            Err(e) => return error_response(&e, Some(l.used(&ip, now))),
        }
    };
    let key = match authenticate(
        shared,
        ep.security,
        &headers,
        &params,
        raw_query,
        raw_body,
        now,
    ) {
        Ok(k) => k,
        Err(e) => return error_response(&e, Some(weight)),
    };
    let mut order_counts = None;
    if ep.places_order
        && let Some(k) = key
    {
        let mut l = limiter.lock().unwrap_or_else(|p| p.into_inner());
        match l.count_order(k.spot, now) {
            Ok(c) => order_counts = Some(c),
            Err(e) => return error_response(&e, Some(weight)),
        }
    }
    let result = {
        let mut venue = shared.venue();
        let mut ctx = Ctx {
            shared,
            venue: &mut venue,
            key,
            now,
        };
        let r = (ep.run)(&mut ctx, &params);
        shared.publish_all(&mut venue, now);
        r
    };
    let result = match result {
        Ok(_) if ep.places_order && shared.faults().take_order_timeout(rest.api) => {
            Err(ApiError::timeout())
        }
        other => other,
    };
    let slow = match &result {
        Ok(_) if ep.places_order => shared.faults().take_order_slow_reply(rest.api),
        _ => None,
    };
    if let Some(ms) = slow {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(ms)) => {}
            _ = shared.cancel.cancelled() => {}
        }
    }
    match result {
        Ok(body) => {
            let mut resp = (
                StatusCode::OK,
                [("content-type", "application/json;charset=UTF-8")],
                body,
            )
                .into_response();
            let h = resp.headers_mut();
            h.insert("X-MBX-USED-WEIGHT-1M", HeaderValue::from(weight));
            if let Some((c10, c1d)) = order_counts {
                h.insert("X-MBX-ORDER-COUNT-10S", HeaderValue::from(c10));
                h.insert("X-MBX-ORDER-COUNT-1D", HeaderValue::from(c1d));
            }
            resp
        }
        Err(e) => error_response(&e, Some(weight)),
    }
}

fn authenticate<'a>(
    shared: &'a Shared,
    security: Security,
    headers: &HeaderMap,
    params: &Params,
    raw_query: &str,
    raw_body: &str,
    now: u64,
) -> Result<Option<&'a KeyAccounts>, ApiError> {
    if security == Security::None {
        return Ok(None);
    }
    let api_key = headers
        .get("X-MBX-APIKEY")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if api_key.is_empty() {
        return Err(ApiError::key_format());
    }
    let key = shared.key(api_key).ok_or_else(ApiError::bad_key)?;
    if security == Security::ApiKey {
        return Ok(Some(key));
    }
    let timestamp = params
        .uint("timestamp")?
        .ok_or_else(|| ApiError::mandatory("timestamp"))?;
    let signature = params.req("signature")?;
    if !auth::verify(
        &key.secret,
        &auth::rest_payload(raw_query, raw_body),
        signature,
    ) {
        return Err(ApiError::bad_signature());
    }
    let recv_window = params
        .decimal("recvWindow")?
        .map(|d| d.trunc().try_into().unwrap_or(u64::MAX));
    auth::check_timing(timestamp, recv_window, now)?;
    Ok(Some(key))
}
