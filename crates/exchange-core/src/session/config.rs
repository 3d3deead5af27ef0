//! Session manager settings: where to connect and how patient to be.

use std::time::Duration;

use super::backoff::Backoff;

/// How the session keeps the connection visibly alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PingKind {
    /// WebSocket ping frames (answered by the venue with pongs).
    Protocol,
    /// The adapter's [`app_ping`](super::SessionProtocol::app_ping) text frame (Kraken).
    Application,
}

/// A periodic ping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PingConfig {
    /// Which ping.
    pub kind: PingKind,
    /// How often.
    pub interval: Duration,
}

/// Settings of one WebSocket session.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// A name for logs ("binance-spot-public").
    pub name: String,
    /// The WebSocket URL (`wss://…`, or `ws://…` for local simulators and tests).
    pub url: String,
    /// Limit on TCP + TLS + WebSocket handshake.
    pub connect_timeout: Duration,
    /// Connection watchdog: no frame at all (data, heartbeat, ping, pong) for this long means
    /// the stream is stale; the session reconnects.
    pub stale_after: Duration,
    /// How often the watchdogs look (connection and per-subscription).
    pub watchdog_period: Duration,
    /// A periodic ping, when the venue wants one (Binance answers server pings instead).
    pub ping: Option<PingConfig>,
    /// Reconnect pacing.
    pub backoff: Backoff,
    /// At most this many connection attempts …
    pub max_attempts: usize,
    /// … in any window this long (Binance: 300 per 5 minutes).
    pub attempt_window: Duration,
    /// Reconnect on our own after this long, before the venue cuts (Binance cuts at 24 h).
    pub max_connection_age: Option<Duration>,
    /// Outgoing frames held while disconnected; beyond this, [`send`](super::SessionHandle::send)
    /// fails.
    pub outgoing_queue: usize,
    /// Minimum gap between outgoing frames (Binance: 5 incoming messages per second).
    pub min_send_interval: Option<Duration>,
    /// Events buffered per subscription for a slow consumer; on overflow the consumer gets
    /// `Resync` instead of the lost data.
    pub subscription_buffer: usize,
    /// Commands buffered from handles to the session task.
    pub command_buffer: usize,
    /// After this many failed connection attempts in a row, REST pollers take over.
    pub poll_after_failures: u32,
    /// How often pollers run while polling.
    pub poll_interval: Duration,
    /// Where undecodable frames are counted; adapters share one across their sessions.
    pub counters: super::FrameCounters,
}

impl SessionConfig {
    /// Defaults suited to a real venue, for `url`.
    pub fn new(name: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            url: url.into(),
            connect_timeout: Duration::from_secs(10),
            stale_after: Duration::from_secs(30),
            watchdog_period: Duration::from_secs(1),
            ping: None,
            backoff: Backoff::default(),
            max_attempts: 300,
            attempt_window: Duration::from_secs(300),
            max_connection_age: None,
            outgoing_queue: 256,
            min_send_interval: None,
            subscription_buffer: 1024,
            command_buffer: 64,
            poll_after_failures: 3,
            poll_interval: Duration::from_secs(2),
            counters: super::FrameCounters::new(),
        }
    }
}
