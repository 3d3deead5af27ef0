//! The Coinbase WebSocket servers (market data and user data, one port each). One task owns
//! each socket: it answers subscribe/unsubscribe with snapshots and the `subscriptions` ack,
//! forwards the broadcast channel events the session wants with its own `sequence_num`, sends
//! `heartbeats` every `heartbeat_ms` when subscribed, and closes a connection that has been
//! sent nothing for `idle_close_ms` (so a quiet subscription without `heartbeats` is closed,
//! as Coinbase does after 60–90 s). While the control API freezes a connection nothing is sent
//! and what would have been sent burns its `sequence_num`, so a thawed client sees the gap.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

use super::feed::{l2_snapshot, status_products, ticker, ws_candle};
use super::jwt::{self, Expect};
use super::render;
use super::state::CoinbaseShared;
use super::time::go_time_string;
use super::ws_session::{
    AUTH_FAILURE, Endpoint, SUBSCRIBE_FAILURE, Session, error_frame, needs_products, parse,
    published_as, served,
};
use crate::server::faults::ApiKind;
use crate::server::state::Shared;

#[derive(Clone)]
struct WsState {
    shared: Arc<Shared>,
    endpoint: Endpoint,
}

/// The router of one endpoint (any path upgrades).
pub fn router(shared: Arc<Shared>, endpoint: Endpoint) -> Router {
    Router::new()
        .route("/", get(upgrade))
        .route("/{*rest}", get(upgrade))
        .with_state(WsState { shared, endpoint })
}

async fn upgrade(
    State(st): State<WsState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ws: WebSocketUpgrade,
) -> Response {
    let tracker = st.shared.tracker.clone();
    ws.on_upgrade(move |socket| tracker.track_future(serve(st, peer, socket)))
}

fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

async fn serve(st: WsState, peer: SocketAddr, mut socket: WebSocket) {
    let shared = st.shared.clone();
    let cb = &shared.coinbase;
    let api = match st.endpoint {
        Endpoint::Market => ApiKind::CoinbaseWs,
        Endpoint::User => ApiKind::CoinbaseUserWs,
    };
    let guard = shared.conns.register(api, peer.to_string(), &shared.cancel);
    let mut rx = cb.hub.tx.subscribe();
    let mut session = Session::default();
    let hb_every = Duration::from_millis(cb.config.heartbeat_ms.max(1));
    let mut hb = tokio::time::interval_at(Instant::now() + hb_every, hb_every);
    let idle = Duration::from_millis(cb.config.idle_close_ms.max(1));
    let check_every = (idle / 4).clamp(Duration::from_millis(5), Duration::from_secs(1));
    let mut idle_check = tokio::time::interval_at(Instant::now() + check_every, check_every);
    let mut last_sent = Instant::now();
    let frozen = || guard.frozen.load(Ordering::Relaxed);
    loop {
        tokio::select! {
            _ = guard.token.cancelled() => {
                if shared.cancel.is_cancelled() {
                    let _ = socket.send(Message::Close(None)).await;
                }
                break;
            }
            _ = hb.tick() => {
                if !session.heartbeats() {
                    continue;
                }
                if frozen() {
                    session.skip();
                    continue;
                }
                let ns = now_ns();
                let start_ns = u128::from(cb.started_ms) * 1_000_000;
                let up = ns.saturating_sub(start_ns);
                let events = json!([{"current_time": go_time_string(ns, up), "heartbeat_counter": (up / 1_000_000_000) as u64}]);
                let frame = session.envelope("heartbeats", &events, ns);
                if socket.send(Message::Text(frame.into())).await.is_err() {
                    break;
                }
                last_sent = Instant::now();
            }
            _ = idle_check.tick() => {
                if !frozen() && last_sent.elapsed() >= idle {
                    let _ = socket.send(Message::Close(None)).await;
                    break;
                }
            }
            msg = socket.recv() => {
                let Some(Ok(msg)) = msg else { break };
                match msg {
                    Message::Close(_) => break,
                    Message::Text(t) if !frozen() => {
                        let frames = handle(cb, st.endpoint, &mut session, t.as_str(), shared.now());
                        let mut failed = false;
                        for f in frames {
                            if socket.send(Message::Text(f.into())).await.is_err() {
                                failed = true;
                                break;
                            }
                        }
                        if failed {
                            break;
                        }
                        last_sent = Instant::now();
                    }
                    _ => {}
                }
            }
            m = rx.recv() => {
                let m = match m {
                    Ok(m) => m,
                    Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => break,
                };
                if !session.wants(&m) {
                    continue;
                }
                // A frozen link loses what it would have carried: the sequence shows the gap.
                if frozen() || m.skipped {
                    session.skip();
                    continue;
                }
                let frame = session.envelope(m.channel, &m.events, now_ns());
                if socket.send(Message::Text(frame.into())).await.is_err() {
                    break;
                }
                last_sent = Instant::now();
            }
        }
    }
}

/// Answers one client frame: error, or snapshots of what is new followed by the ack.
fn handle(
    cb: &CoinbaseShared,
    endpoint: Endpoint,
    s: &mut Session,
    text: &str,
    now: u64,
) -> Vec<String> {
    let req = match parse(text) {
        Ok(r) => r,
        Err(e) => return vec![error_frame(e)],
    };
    let channel = req.channel.as_str();
    if published_as(channel).is_none() {
        return vec![error_frame(AUTH_FAILURE)];
    }
    if !served(endpoint, channel) {
        return vec![error_frame(SUBSCRIBE_FAILURE)];
    }
    if channel == "user" || req.jwt.is_some() {
        let expect = Expect {
            now_s: now / 1000,
            skew_s: cb.config.jwt_skew_s,
            uris: None,
        };
        match jwt::verify(req.jwt.as_deref().unwrap_or(""), &cb.keys, expect) {
            Ok((idx, _)) if channel == "user" => s.user = Some(idx),
            Ok(_) => {}
            Err(e) => {
                tracing::debug!(reason = %e, "coinbase WS JWT rejected");
                return vec![error_frame(AUTH_FAILURE)];
            }
        }
    }
    if needs_products(channel) && req.product_ids.is_empty() {
        return vec![error_frame(SUBSCRIBE_FAILURE)];
    }
    if req.product_ids.iter().any(|p| cb.is_perp(p).is_none()) {
        return vec![error_frame(SUBSCRIBE_FAILURE)];
    }
    let ns = now_ns();
    if req.kind == "unsubscribe" {
        s.remove(channel, &req.product_ids);
        return vec![s.ack(ns)];
    }
    let first_user = channel == "user" && !s.subs.contains_key("user");
    let new = s.add(channel, &req.product_ids);
    let mut frames = Vec::new();
    let mut venue = cb.venue();
    if first_user && let Some(u) = s.user {
        let user = &cb.users[u];
        let mut orders = Vec::new();
        for meta in venue.orders.values().filter(|m| m.user == u) {
            let ex = venue.market(meta.perp);
            let o = ex
                .open_orders(user.spot_or_perp(meta.perp), None)
                .into_iter()
                .find(|o| o.id == meta.engine_id);
            if let Some(o) = o
                && (req.product_ids.is_empty() || req.product_ids.contains(&o.symbol))
            {
                orders.push(render::user_order(&o, meta, ex));
            }
        }
        let events = json!([{"type": "snapshot", "orders": orders,
            "positions": {"perpetual_futures_positions": [], "expiring_futures_positions": []}}]);
        frames.push(s.envelope("user", &events, ns));
    }
    for p in &new {
        let Some(perp) = cb.is_perp(p) else { continue };
        let ex = venue.market_mut(perp);
        let event: Value = match channel {
            "level2" => {
                let Some((snap, id)) = l2_snapshot(ex, p, now) else {
                    continue;
                };
                s.l2_floor.insert(p.clone(), id);
                snap
            }
            "market_trades" => {
                let trades: Vec<Value> = ex
                    .symbol(p)
                    .map(|st| {
                        st.tape
                            .recent(50)
                            .iter()
                            .rev()
                            .map(|t| render::trade(p, t))
                            .collect()
                    })
                    .unwrap_or_default();
                json!({"type": "snapshot", "trades": trades})
            }
            "ticker" => json!({"type": "snapshot", "tickers": [ticker(ex, p, now, true)]}),
            "ticker_batch" => json!({"type": "snapshot", "tickers": [ticker(ex, p, now, false)]}),
            "candles" => json!({"type": "snapshot", "candles": [ws_candle(ex, p, now)]}),
            "status" => {
                json!({"type": "snapshot", "products": status_products(cb, std::slice::from_ref(p))})
            }
            _ => continue,
        };
        let published = published_as(channel).unwrap_or("");
        frames.push(s.envelope(published, &json!([event]), ns));
    }
    drop(venue);
    frames.push(s.ack(ns));
    frames
}
