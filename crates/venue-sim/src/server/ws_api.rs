//! Spot WebSocket API (`/ws-api/v3`): request/response with `{id,status,result|error,rateLimits}`,
//! user data via `userDataStream.subscribe.signature` (events wrapped as
//! `{"subscriptionId":n,"event":{...}}`), and the common trading requests, which share the REST
//! implementations.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

use super::faults::ApiKind;
use super::http::{Ctx, Handler};
use super::state::{KeyAccounts, Shared};
use crate::binance::auth;
use crate::binance::error::ApiError;
use crate::binance::params::Params;
use crate::binance::spot_rest;

/// The WebSocket API router.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/ws-api/v3", get(upgrade))
        .with_state(shared)
}

async fn upgrade(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ws: WebSocketUpgrade,
) -> Response {
    let tracker = shared.tracker.clone();
    ws.on_upgrade(move |socket| tracker.track_future(serve(shared, peer, socket)))
}

struct Conn {
    subs: Vec<(u64, usize)>,
    next_sub: u64,
}

async fn serve(shared: Arc<Shared>, peer: SocketAddr, mut socket: WebSocket) {
    let guard = shared
        .conns
        .register(ApiKind::WsApi, peer.to_string(), &shared.cancel);
    let mut user_rx = shared.spot_hub.user.subscribe();
    let mut conn = Conn {
        subs: Vec::new(),
        next_sub: 0,
    };
    let ping_every = Duration::from_millis(shared.config.ping_interval_ms.clamp(1, 86_400_000));
    let mut ping = tokio::time::interval_at(Instant::now() + ping_every, ping_every);
    let mut last_pong = Instant::now();
    let ip = peer.ip().to_string();
    loop {
        tokio::select! {
            _ = guard.token.cancelled() => break,
            _ = ping.tick() => {
                if guard.frozen.load(Ordering::Relaxed) {
                    continue;
                }
                if last_pong.elapsed() > Duration::from_millis(shared.config.pong_timeout_ms) {
                    let _ = socket.send(Message::Close(None)).await;
                    break;
                }
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                    break;
                }
            }
            msg = socket.recv() => {
                let Some(Ok(msg)) = msg else { break };
                match msg {
                    Message::Pong(_) => last_pong = Instant::now(),
                    Message::Close(_) => break,
                    Message::Text(t) if !guard.frozen.load(Ordering::Relaxed) => {
                        let latency = shared.faults().latency(ApiKind::WsApi);
                        if latency > 0 {
                            tokio::select! {
                                _ = tokio::time::sleep(Duration::from_millis(latency)) => {}
                                _ = guard.token.cancelled() => break,
                            }
                        }
                        let reply = request(&shared, &mut conn, &ip, t.as_str());
                        if socket.send(Message::Text(reply.into())).await.is_err() {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            u = user_rx.recv(), if !conn.subs.is_empty() => {
                let u = match u {
                    Ok(u) => u,
                    Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => break,
                };
                if guard.frozen.load(Ordering::Relaxed) {
                    continue;
                }
                for (sub, account) in &conn.subs {
                    if *account == u.account {
                        let frame = format!("{{\"subscriptionId\":{sub},\"event\":{}}}", u.data);
                        if socket.send(Message::Text(frame.into())).await.is_err() {
                            return;
                        }
                    }
                }
            }
        }
    }
}

fn rate_limits(shared: &Shared, ip: &str) -> Value {
    let used = shared
        .spot_limiter
        .lock()
        .map(|l| l.used(ip, shared.now()))
        .unwrap_or(0);
    json!([{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":shared.config.limits.weight_per_minute,"count":used}])
}

fn reply(id: &Value, result: Result<String, ApiError>, limits: &Value, now: u64) -> String {
    match result {
        Ok(body) => {
            format!("{{\"id\":{id},\"status\":200,\"result\":{body},\"rateLimits\":{limits}}}")
        }
        Err(e) => {
            let mut error = json!({"code": e.code, "msg": e.msg});
            if let Some(s) = e.retry_after {
                error["data"] = json!({"serverTime": now, "retryAfter": now + s * 1000});
            }
            json!({"id": id, "status": e.http, "error": error, "rateLimits": limits}).to_string()
        }
    }
}

/// Params as strings (numbers and booleans by their JSON text).
fn pairs(params: &Value) -> Result<Vec<(String, String)>, ApiError> {
    let Some(obj) = params.as_object() else {
        return Ok(Vec::new());
    };
    obj.iter()
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k.clone(), s.clone())),
            Value::Number(n) => Ok((k.clone(), n.to_string())),
            Value::Bool(b) => Ok((k.clone(), b.to_string())),
            _ => Err(ApiError::illegal_chars(k)),
        })
        .collect()
}

fn signed<'a>(
    shared: &'a Shared,
    pairs: &[(String, String)],
    p: &Params,
) -> Result<&'a KeyAccounts, ApiError> {
    let api_key = p.req("apiKey")?;
    let key = shared.key(api_key).ok_or_else(ApiError::bad_key)?;
    let timestamp = p
        .uint("timestamp")?
        .ok_or_else(|| ApiError::mandatory("timestamp"))?;
    let signature = p.req("signature")?;
    if !auth::verify(&key.secret, &auth::ws_payload(pairs), signature) {
        return Err(ApiError::bad_signature());
    }
    auth::check_timing(timestamp, p.uint("recvWindow")?, shared.now())?;
    Ok(key)
}

fn request(shared: &Shared, conn: &mut Conn, ip: &str, text: &str) -> String {
    let limits = rate_limits(shared, ip);
    let msg: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) => {
            return reply(
                &Value::Null,
                Err(ApiError::bad(-1000, "Malformed request: not valid JSON.")),
                &limits,
                shared.now(),
            );
        }
    };
    let id = msg.get("id").cloned().unwrap_or(Value::Null);
    let Some(method) = msg.get("method").and_then(Value::as_str) else {
        return reply(
            &id,
            Err(ApiError::mandatory("method")),
            &limits,
            shared.now(),
        );
    };
    let result = pairs(msg.get("params").unwrap_or(&Value::Null)).and_then(|pairs| {
        let weight = match method {
            "account.status" => 20,
            "openOrders.status" => 6,
            "order.status" => 4,
            _ => 1,
        };
        shared
            .spot_limiter
            .lock()
            .map_err(|_| ApiError::internal(500))
            .and_then(|mut l| l.charge(ip, weight, shared.now()))?;
        dispatch(shared, conn, method, &pairs)
    });
    reply(&id, result, &rate_limits(shared, ip), shared.now())
}

fn dispatch(
    shared: &Shared,
    conn: &mut Conn,
    method: &str,
    pairs: &[(String, String)],
) -> Result<String, ApiError> {
    let p = Params::from_pairs(pairs.to_vec());
    let run: Handler = match method {
        "ping" => return Ok("{}".into()),
        "time" => return Ok(json!({"serverTime": shared.now()}).to_string()),
        "userDataStream.subscribe.signature" => {
            let key = signed(shared, pairs, &p)?;
            let sub = conn.next_sub;
            conn.next_sub += 1;
            conn.subs.push((sub, key.spot));
            return Ok(json!({"subscriptionId": sub}).to_string());
        }
        "userDataStream.unsubscribe" => {
            match p.uint("subscriptionId")? {
                Some(s) => conn.subs.retain(|(x, _)| *x != s),
                None => conn.subs.clear(),
            }
            return Ok("{}".into());
        }
        "session.subscriptions" => {
            let subs: BTreeSet<u64> = conn.subs.iter().map(|(s, _)| *s).collect();
            let list: Vec<Value> = subs
                .into_iter()
                .map(|s| json!({"subscriptionId": s}))
                .collect();
            return Ok(Value::Array(list).to_string());
        }
        "order.place" => |c, p| {
            let a = c.key()?.spot;
            spot_rest::place_spot(c, p, a)
        },
        "order.cancel" => |c, p| {
            let a = c.key()?.spot;
            spot_rest::cancel_spot(c, p, a)
        },
        "order.status" => |c, p| {
            let a = c.key()?.spot;
            spot_rest::query_spot(c, p, a)
        },
        "openOrders.status" => |c, p| {
            let a = c.key()?.spot;
            spot_rest::open_spot(c, p, a)
        },
        _ => return Err(ApiError::bad(-1020, "This operation is not supported.")),
    };
    let key = signed(shared, pairs, &p)?;
    let now = shared.now();
    let mut venue = shared.venue();
    let mut ctx = Ctx {
        shared,
        venue: &mut venue,
        key: Some(key),
        now,
    };
    let r = run(&mut ctx, &p);
    shared.publish_all(&mut venue, now);
    r
}
