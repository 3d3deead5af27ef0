//! Market stream server (`/ws/<stream>[/<stream>...]`, `/stream?streams=a/b`, live SUBSCRIBE),
//! also serving futures user data on `/ws/<listenKey>`. One task owns each socket; it sends a
//! ping every `ping_interval_ms` and drops clients silent for `pong_timeout_ms`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

use super::faults::ApiKind;
use super::state::Shared;
use crate::binance::streams::{Session, is_valid};
use crate::engine::MarketKind;

#[derive(Clone)]
struct WsState {
    shared: Arc<Shared>,
    kind: MarketKind,
}

/// The stream router of a market.
pub fn router(shared: Arc<Shared>, kind: MarketKind) -> Router {
    Router::new()
        .route("/ws", get(raw_root))
        .route("/ws/{*streams}", get(raw))
        .route("/stream", get(combined))
        .with_state(WsState { shared, kind })
}

fn api_of(kind: MarketKind) -> ApiKind {
    match kind {
        MarketKind::Spot => ApiKind::SpotWs,
        MarketKind::Futures => ApiKind::FuturesWs,
    }
}

fn symbols(st: &WsState) -> Vec<String> {
    let v = st.shared.venue();
    match st.kind {
        MarketKind::Spot => v.spot.symbol_names(),
        MarketKind::Futures => v.futures.symbol_names(),
    }
}

/// Where a connection's messages come from.
enum Feed {
    Market(Session),
    User(usize),
}

async fn raw_root(
    State(st): State<WsState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ws: WebSocketUpgrade,
) -> Response {
    upgrade(st, peer, ws, Feed::Market(Session::default()))
}

async fn raw(
    State(st): State<WsState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(streams): Path<String>,
    ws: WebSocketUpgrade,
) -> Response {
    let listen_key = if st.kind == MarketKind::Futures {
        st.shared.venue().listen_keys.get(&streams).copied()
    } else {
        None
    };
    if let Some(account) = listen_key {
        return upgrade(st, peer, ws, Feed::User(account));
    }
    match session_for(&st, streams.split('/'), false) {
        Some(s) => upgrade(st, peer, ws, Feed::Market(s)),
        None => bad_stream(),
    }
}

async fn combined(
    State(st): State<WsState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(q): Query<HashMap<String, String>>,
    ws: WebSocketUpgrade,
) -> Response {
    let streams = q.get("streams").cloned().unwrap_or_default();
    match session_for(&st, streams.split('/').filter(|s| !s.is_empty()), true) {
        Some(s) => upgrade(st, peer, ws, Feed::Market(s)),
        None => bad_stream(),
    }
}

fn bad_stream() -> Response {
    (
        StatusCode::BAD_REQUEST,
        "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}",
    )
        .into_response()
}

fn session_for<'a>(
    st: &WsState,
    names: impl Iterator<Item = &'a str>,
    combined: bool,
) -> Option<Session> {
    let syms = symbols(st);
    let mut s = Session {
        combined,
        ..Session::default()
    };
    for n in names {
        if !is_valid(st.kind, n, &syms) {
            return None;
        }
        s.streams.insert(n.to_string());
    }
    Some(s)
}

fn upgrade(st: WsState, peer: SocketAddr, ws: WebSocketUpgrade, feed: Feed) -> Response {
    let tracker = st.shared.tracker.clone();
    ws.on_upgrade(move |socket| tracker.track_future(serve(st, peer, socket, feed)))
}

async fn serve(st: WsState, peer: SocketAddr, mut socket: WebSocket, mut feed: Feed) {
    let shared = st.shared.clone();
    let hub = shared.hub(st.kind);
    let guard = shared
        .conns
        .register(api_of(st.kind), peer.to_string(), &shared.cancel);
    let mut market_rx = hub.market.subscribe();
    let mut user_rx = hub.user.subscribe();
    if let Feed::Market(s) = &feed {
        for n in &s.streams {
            hub.track(n, 1);
        }
    }
    let syms = symbols(&st);
    let ping_every = Duration::from_millis(shared.config.ping_interval_ms.clamp(1, 86_400_000));
    let pong_timeout = Duration::from_millis(shared.config.pong_timeout_ms);
    let mut ping = tokio::time::interval_at(Instant::now() + ping_every, ping_every);
    let mut last_pong = Instant::now();
    loop {
        tokio::select! {
            _ = guard.token.cancelled() => {
                // A planned shutdown is announced (web-socket-streams.md); a control-API drop is not.
                if shared.cancel.is_cancelled() {
                    let event = format!("{{\"e\":\"serverShutdown\",\"E\":{}}}", shared.now());
                    let _ = socket.send(Message::Text(event.into())).await;
                    let _ = socket.send(Message::Close(None)).await;
                }
                break;
            }
            _ = ping.tick() => {
                if guard.frozen.load(Ordering::Relaxed) {
                    continue;
                }
                if last_pong.elapsed() > pong_timeout {
                    let _ = socket.send(Message::Close(None)).await;
                    break;
                }
                if socket.send(Message::Ping(shared.now().to_string().into())).await.is_err() {
                    break;
                }
            }
            msg = socket.recv() => {
                let Some(Ok(msg)) = msg else { break };
                match msg {
                    Message::Pong(_) => last_pong = Instant::now(),
                    Message::Close(_) => break,
                    Message::Text(t) if !guard.frozen.load(Ordering::Relaxed) => {
                        if let Feed::Market(session) = &mut feed {
                            let (reply, change) = session.handle(st.kind, t.as_str(), &syms);
                            for n in &change.added {
                                hub.track(n, 1);
                            }
                            for n in &change.removed {
                                hub.track(n, -1);
                            }
                            if socket.send(Message::Text(reply.to_string().into())).await.is_err() {
                                break;
                            }
                        }
                    }
                    _ => {}
                }
            }
            m = market_rx.recv(), if matches!(feed, Feed::Market(_)) => {
                let m = match m {
                    Ok(m) => m,
                    Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => break,
                };
                let Feed::Market(session) = &feed else { continue };
                if guard.frozen.load(Ordering::Relaxed) || !session.streams.contains(&m.stream) {
                    continue;
                }
                if socket.send(Message::Text(session.frame(&m.stream, &m.data).into())).await.is_err() {
                    break;
                }
            }
            u = user_rx.recv(), if matches!(feed, Feed::User(_)) => {
                let u = match u {
                    Ok(u) => u,
                    Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => break,
                };
                let Feed::User(account) = feed else { continue };
                if guard.frozen.load(Ordering::Relaxed) || u.account != account {
                    continue;
                }
                if socket.send(Message::Text(u.data.clone().into())).await.is_err() {
                    break;
                }
            }
        }
    }
    if let Feed::Market(s) = &feed {
        for n in &s.streams {
            hub.track(n, -1);
        }
    }
}
