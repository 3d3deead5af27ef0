//! A real local WebSocket server for testing clients against faults.
//!
//! [`WsServer`] listens on `127.0.0.1` port 0 and is steered by the test: push frames, send a
//! server ping, announce a shutdown, drop every connection abruptly, freeze them (stop reading
//! and writing but keep the socket open), refuse new connections, and read back everything the
//! clients sent (subscribe frames, pongs). An optional responder answers client frames (acks).
//! Every connection task is owned by the server and ends when it is shut down or dropped.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::TestkitError;

/// Answers a client's text frame with zero or more text frames (e.g. subscription acks).
pub type Responder = Arc<dyn Fn(&str) -> Vec<String> + Send + Sync>;

/// What a client sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceivedKind {
    /// A text frame.
    Text(String),
    /// A binary frame.
    Binary(Vec<u8>),
    /// A ping, with its payload.
    Ping(Vec<u8>),
    /// A pong, with its payload.
    Pong(Vec<u8>),
    /// A close frame.
    Close,
}

/// One frame a client sent, with the connection it came on (numbered from 0 in accept order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The connection's number.
    pub conn: usize,
    /// The frame.
    pub kind: ReceivedKind,
}

enum Control {
    Send(Message),
    Drop,
    Freeze,
}

#[derive(Default)]
struct Shared {
    refuse: AtomicBool,
    accepted: AtomicUsize,
    refused: AtomicUsize,
    conns: Mutex<Vec<(usize, mpsc::Sender<Control>)>>,
    received: Mutex<Vec<Received>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A local WebSocket server steered by the test.
pub struct WsServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    cancel: CancellationToken,
    tracker: TaskTracker,
}

impl WsServer {
    /// Starts a server that answers nothing on its own.
    pub async fn start() -> Result<Self, TestkitError> {
        Self::start_with(Arc::new(|_: &str| Vec::new())).await
    }

    /// Starts a server that answers each client text frame with `responder`'s frames.
    pub async fn start_with(responder: Responder) -> Result<Self, TestkitError> {
        let listener =
            TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(|source| TestkitError::Io {
                    what: "bind the WebSocket test server".into(),
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| TestkitError::Io {
            what: "read the WebSocket test server's address".into(),
            source,
        })?;
        let shared = Arc::new(Shared::default());
        let cancel = CancellationToken::new();
        let tracker = TaskTracker::new();
        tracker.spawn(accept_loop(
            listener,
            shared.clone(),
            responder,
            cancel.clone(),
            tracker.clone(),
        ));
        Ok(Self {
            addr,
            shared,
            cancel,
            tracker,
        })
    }

    /// The `ws://` URL to connect to.
    pub fn url(&self) -> String {
        format!("ws://{}/", self.addr)
    }

    /// Connections that completed the WebSocket handshake so far.
    pub fn accepted(&self) -> usize {
        self.shared.accepted.load(Ordering::SeqCst)
    }

    /// Connection attempts refused so far.
    pub fn refused(&self) -> usize {
        self.shared.refused.load(Ordering::SeqCst)
    }

    /// Connections currently open (frozen ones included).
    pub fn live(&self) -> usize {
        lock(&self.shared.conns).len()
    }

    /// Refuses (`true`) or accepts (`false`) new connections. Refused TCP connections are
    /// closed before the WebSocket handshake.
    pub fn refuse_connections(&self, refuse: bool) {
        self.shared.refuse.store(refuse, Ordering::SeqCst);
    }

    async fn broadcast(&self, make: impl Fn() -> Control) -> usize {
        let conns: Vec<_> = lock(&self.shared.conns)
            .iter()
            .map(|(_, tx)| tx.clone())
            .collect();
        let mut sent = 0;
        for tx in conns {
            if tx.send(make()).await.is_ok() {
                sent += 1;
            }
        }
        sent
    }

    /// Sends a text frame on every open connection; returns on how many.
    pub async fn send_text(&self, text: &str) -> usize {
        self.broadcast(|| Control::Send(Message::text(text))).await
    }

    /// Sends a ping with `payload` on every open connection.
    pub async fn ping(&self, payload: &[u8]) -> usize {
        self.broadcast(|| Control::Send(Message::Ping(payload.to_vec().into())))
            .await
    }

    /// Sends the venue's shutdown notice (e.g. Binance `{"e":"serverShutdown",…}`) on every open
    /// connection, keeping the connections open as a venue does until its cut.
    pub async fn announce_shutdown(&self, notice: &str) -> usize {
        self.send_text(notice).await
    }

    /// Drops every open connection abruptly (no close frame).
    pub async fn drop_connections(&self) -> usize {
        self.broadcast(|| Control::Drop).await
    }

    /// Freezes every open connection: nothing more is read or written, the socket stays open.
    pub async fn freeze(&self) -> usize {
        self.broadcast(|| Control::Freeze).await
    }

    /// Everything clients sent so far.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.shared.received).clone()
    }

    /// The text frames clients sent on connection `conn`.
    pub fn texts_on(&self, conn: usize) -> Vec<String> {
        lock(&self.shared.received)
            .iter()
            .filter(|r| r.conn == conn)
            .filter_map(|r| match &r.kind {
                ReceivedKind::Text(t) => Some(t.clone()),
                _ => None,
            })
            .collect()
    }

    /// Stops accepting, closes every connection and waits for the tasks.
    pub async fn shutdown(&self) {
        self.cancel.cancel();
        self.tracker.close();
        self.tracker.wait().await;
    }
}

impl Drop for WsServer {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    responder: Responder,
    cancel: CancellationToken,
    tracker: TaskTracker,
) {
    loop {
        let stream = tokio::select! {
            _ = cancel.cancelled() => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    tracing::warn!(error = %e, "test server accept failed");
                    continue;
                }
            },
        };
        if shared.refuse.load(Ordering::SeqCst) {
            shared.refused.fetch_add(1, Ordering::SeqCst);
            drop(stream);
            continue;
        }
        tracker.spawn(serve(
            stream,
            shared.clone(),
            responder.clone(),
            cancel.clone(),
        ));
    }
}

async fn serve(
    stream: TcpStream,
    shared: Arc<Shared>,
    responder: Responder,
    cancel: CancellationToken,
) {
    let mut ws = match tokio_tungstenite::accept_async(stream).await {
        Ok(ws) => ws,
        Err(e) => {
            tracing::debug!(error = %e, "test server handshake failed");
            return;
        }
    };
    let id = shared.accepted.fetch_add(1, Ordering::SeqCst);
    let (tx, mut rx) = mpsc::channel(64);
    lock(&shared.conns).push((id, tx));
    let record = |kind| lock(&shared.received).push(Received { conn: id, kind });
    let mut frozen = false;
    loop {
        if frozen {
            tokio::select! {
                _ = cancel.cancelled() => break,
                control = rx.recv() => match control {
                    Some(Control::Drop) | None => break,
                    Some(_) => {}
                },
            }
            continue;
        }
        tokio::select! {
            _ = cancel.cancelled() => {
                let _ = ws.close(None).await;
                break;
            }
            control = rx.recv() => match control {
                Some(Control::Send(message)) => {
                    if ws.send(message).await.is_err() {
                        break;
                    }
                }
                Some(Control::Freeze) => frozen = true,
                Some(Control::Drop) | None => break,
            },
            frame = ws.next() => {
                let Some(Ok(message)) = frame else { break };
                match message {
                    Message::Text(text) => {
                        let replies = responder(text.as_str());
                        record(ReceivedKind::Text(text.as_str().to_owned()));
                        for reply in replies {
                            if ws.send(Message::text(reply)).await.is_err() {
                                break;
                            }
                        }
                    }
                    Message::Binary(b) => record(ReceivedKind::Binary(b.to_vec())),
                    Message::Ping(p) => record(ReceivedKind::Ping(p.to_vec())),
                    Message::Pong(p) => record(ReceivedKind::Pong(p.to_vec())),
                    Message::Close(_) => {
                        record(ReceivedKind::Close);
                        break;
                    }
                    Message::Frame(_) => {}
                }
            }
        }
    }
    lock(&shared.conns).retain(|(conn, _)| *conn != id);
}
