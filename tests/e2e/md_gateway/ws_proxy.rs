//! A WebSocket proxy between the gateway's adapter and venue-sim's market streams that can push
//! a garbage frame to every client (venue-sim sends only well-formed frames, and the gateway must
//! survive a venue that does not) and can refuse new connections (a venue whose WebSocket is
//! unreachable while its REST API still answers).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// The running proxy.
pub struct WsProxy {
    addr: SocketAddr,
    inject: broadcast::Sender<String>,
    refusing: Arc<AtomicBool>,
    refused: Arc<AtomicU64>,
    token: CancellationToken,
    tracker: TaskTracker,
}

impl WsProxy {
    /// Proxies `ws://<its addr>/<path>` to `ws://<upstream>/<path>`.
    pub async fn start(upstream: SocketAddr) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (inject, _) = broadcast::channel(16);
        let token = CancellationToken::new();
        let tracker = TaskTracker::new();
        let refusing = Arc::new(AtomicBool::new(false));
        let refused = Arc::new(AtomicU64::new(0));
        let (t, tr, inj) = (token.clone(), tracker.clone(), inject.clone());
        let (no, count) = (refusing.clone(), refused.clone());
        tracker.spawn(async move {
            loop {
                let accepted = tokio::select! {
                    () = t.cancelled() => break,
                    a = listener.accept() => a,
                };
                let Ok((stream, _)) = accepted else { continue };
                if no.load(Ordering::SeqCst) {
                    // Closed before the handshake: the client's connect fails.
                    count.fetch_add(1, Ordering::SeqCst);
                    drop(stream);
                    continue;
                }
                tr.spawn(serve(stream, upstream, inj.subscribe(), t.clone()));
            }
        });
        Ok(WsProxy {
            addr,
            inject,
            refusing,
            refused,
            token,
            tracker,
        })
    }

    /// The `ws://` base URL to give the adapter.
    pub fn url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    /// Sends `text` as a frame to every connected client; returns how many got it.
    pub fn inject(&self, text: &str) -> usize {
        self.inject.send(text.to_owned()).unwrap_or(0)
    }

    /// Refuses (`true`) or accepts again (`false`) new connections; open ones are left alone.
    pub fn refuse(&self, refusing: bool) {
        self.refusing.store(refusing, Ordering::SeqCst);
    }

    /// Connections refused so far.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::SeqCst)
    }

    /// Stops every connection and waits for the tasks.
    pub async fn shutdown(self) {
        self.token.cancel();
        self.tracker.close();
        self.tracker.wait().await;
    }
}

async fn serve(
    stream: TcpStream,
    upstream: SocketAddr,
    mut inject: broadcast::Receiver<String>,
    token: CancellationToken,
) {
    let mut path = String::from("/");
    // The handshake callback's error type is tungstenite's (large); it never errs here.
    #[allow(clippy::result_large_err)]
    let callback = |req: &Request, resp: Response| {
        path = req.uri().to_string();
        Ok(resp)
    };
    let Ok(client) = tokio_tungstenite::accept_hdr_async(stream, callback).await else {
        return;
    };
    let Ok((venue, _)) = tokio_tungstenite::connect_async(format!("ws://{upstream}{path}")).await
    else {
        return;
    };
    let (mut client_tx, mut client_rx) = client.split();
    let (mut venue_tx, mut venue_rx) = venue.split();
    loop {
        tokio::select! {
            () = token.cancelled() => break,
            text = inject.recv() => {
                let Ok(text) = text else { continue };
                if client_tx.send(Message::text(text)).await.is_err() { break }
            }
            m = venue_rx.next() => match m {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(m)) => if client_tx.send(m).await.is_err() { break },
            },
            m = client_rx.next() => match m {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(m)) => if venue_tx.send(m).await.is_err() { break },
            },
        }
    }
    // Dropping both halves closes both TCP connections, as a dropped venue connection would.
}
