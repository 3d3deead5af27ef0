//! The bench's replay venue: a thin local Binance spot that streams synthetic frames in the
//! real wire format ([`frames`]) at a controlled rate ([`ws`]) and serves the REST calls the
//! adapter makes ([`rest`]), so that the source is not what limits `xctl bench md`.
//!
//! venue-sim runs beside it, idle, only to answer `exchangeInfo` once (the adapter's markets, in
//! venue-sim's real format).

mod frames;
mod rest;
mod ws;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use frames::Generator;

/// The running replay venue.
pub struct ReplayVenue {
    rest: SocketAddr,
    ws: SocketAddr,
    sent: Arc<AtomicU64>,
    token: CancellationToken,
    tracker: TaskTracker,
}

impl ReplayVenue {
    /// Starts it for `venue_ids` (`BTCUSDT`), sending `frames_per_sec` (0: as fast as the
    /// socket takes them), with `exchange_info` as the markets.
    pub async fn start(
        venue_ids: &[String],
        exchange_info: String,
        frames_per_sec: u64,
    ) -> anyhow::Result<Self> {
        let generator = Arc::new(Mutex::new(Generator::new(venue_ids)));
        let rest_listener = TcpListener::bind("127.0.0.1:0").await?;
        let ws_listener = TcpListener::bind("127.0.0.1:0").await?;
        let (rest, ws) = (rest_listener.local_addr()?, ws_listener.local_addr()?);
        let sent = Arc::new(AtomicU64::new(0));
        let token = CancellationToken::new();
        let tracker = TaskTracker::new();
        let rest_state = rest::RestState {
            generator: generator.clone(),
            exchange_info: Arc::new(exchange_info),
        };
        tracker.spawn(rest::serve(
            rest_listener,
            rest_state,
            tracker.clone(),
            token.clone(),
        ));
        let ws_state = ws::WsState {
            generator,
            frames_per_sec,
            sent: sent.clone(),
        };
        tracker.spawn(ws::serve(
            ws_listener,
            ws_state,
            tracker.clone(),
            token.clone(),
        ));
        Ok(ReplayVenue {
            rest,
            ws,
            sent,
            token,
            tracker,
        })
    }

    /// `http://` base URL of the REST side.
    pub fn rest_url(&self) -> String {
        format!("http://{}", self.rest)
    }

    /// `ws://` base URL of the streams.
    pub fn ws_url(&self) -> String {
        format!("ws://{}", self.ws)
    }

    /// Frames sent so far.
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// Stops every connection and waits for the tasks.
    pub async fn stop(self) {
        self.token.cancel();
        self.tracker.close();
        self.tracker.wait().await;
    }
}

/// The body of `GET <path>` from `addr` (one plain HTTP/1.1 request, `Connection: close`).
pub async fn http_get(addr: SocketAddr, path: &str) -> anyhow::Result<String> {
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    let req = format!("GET {path} HTTP/1.1\r\nHost: venue\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await?;
    let text = String::from_utf8(raw)?;
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| anyhow::anyhow!("GET {path}: no HTTP body"))?;
    if !head.starts_with("HTTP/1.1 200") {
        anyhow::bail!("GET {path}: {}", head.lines().next().unwrap_or(head));
    }
    Ok(body.to_owned())
}
