//! The WebSocket v2 servers: `/v2` on the public port and on the auth port. One task owns each
//! socket: it sends `status` first, answers requests through its [`Session`], forwards the
//! messages of its subscriptions, and sends `{"channel":"heartbeat"}` every `heartbeat_ms` while
//! anything is subscribed. Drops, freezes and latency come from the control API.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::response::Response;
use axum::routing::get;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

use super::ids::kraken_id;
use super::ws_render;
use super::ws_session::Session;
use crate::server::faults::ApiKind;
use crate::server::state::Shared;

#[derive(Clone)]
struct WsState {
    shared: Arc<Shared>,
    auth: bool,
}

/// The v2 router; `auth` selects the auth endpoint (private channels and trading methods).
pub fn router(shared: Arc<Shared>, auth: bool) -> Router {
    Router::new()
        .route("/v2", get(upgrade))
        .with_state(WsState { shared, auth })
}

async fn upgrade(
    State(st): State<WsState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ws: WebSocketUpgrade,
) -> Response {
    let tracker = st.shared.tracker.clone();
    ws.on_upgrade(move |socket| tracker.track_future(serve(st, peer, socket)))
}

/// A connection id above 2^53, as Kraken's are.
fn connection_id(n: u64) -> u64 {
    let seed = kraken_id('C', n);
    let h = seed.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    h | (1 << 62)
}

async fn serve(st: WsState, peer: SocketAddr, mut socket: WebSocket) {
    let shared = st.shared.clone();
    let api = if st.auth {
        ApiKind::KrakenWsAuth
    } else {
        ApiKind::KrakenWs
    };
    let guard = shared.conns.register(api, peer.to_string(), &shared.cancel);
    let hub = &shared.kraken.hub;
    let mut public_rx = hub.public.subscribe();
    let mut exec_rx = hub.exec.subscribe();
    let mut session = Session::new(st.auth);
    let beat = Duration::from_millis(shared.kraken.config.heartbeat_ms.max(1));
    let mut heartbeat = tokio::time::interval_at(Instant::now() + beat, beat);
    let status = ws_render::status(connection_id(guard.id));
    if socket.send(Message::Text(status.into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            biased;
            _ = guard.token.cancelled() => break,
            m = public_rx.recv() => {
                let m = match m {
                    Ok(m) => m,
                    Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => break,
                };
                if guard.frozen.load(Ordering::Relaxed) || !session.accept(&m) {
                    continue;
                }
                if socket.send(Message::Text(m.data.clone().into())).await.is_err() {
                    break;
                }
            }
            m = exec_rx.recv() => {
                let m = match m {
                    Ok(m) => m,
                    Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => break,
                };
                if guard.frozen.load(Ordering::Relaxed) {
                    continue;
                }
                let mut failed = false;
                for frame in session.exec_frames(&m) {
                    if socket.send(Message::Text(frame.into())).await.is_err() {
                        failed = true;
                        break;
                    }
                }
                if failed {
                    break;
                }
            }
            _ = heartbeat.tick() => {
                if guard.frozen.load(Ordering::Relaxed) || !session.subscribed() {
                    continue;
                }
                if socket.send(Message::Text("{\"channel\":\"heartbeat\"}".into())).await.is_err() {
                    break;
                }
            }
            msg = socket.recv() => {
                let Some(Ok(msg)) = msg else { break };
                match msg {
                    Message::Close(_) => break,
                    Message::Text(t) if !guard.frozen.load(Ordering::Relaxed) => {
                        let latency = shared.faults().latency(api);
                        if latency > 0 {
                            tokio::select! {
                                _ = tokio::time::sleep(Duration::from_millis(latency)) => {}
                                _ = guard.token.cancelled() => break,
                            }
                        }
                        let outcome = session.handle(&shared, t.as_str());
                        for (topic, delta) in &outcome.track {
                            hub.track(topic, *delta);
                        }
                        let mut failed = false;
                        for f in outcome.frames {
                            if socket.send(Message::Text(f.into())).await.is_err() {
                                failed = true;
                                break;
                            }
                        }
                        if failed {
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    for t in session.all_topics() {
        hub.track(&t, -1);
    }
}
