//! What an adapter tells the session manager about its venue's WebSocket protocol.
//!
//! The adapter implements [`SessionProtocol`]: how to subscribe and unsubscribe, how to read an
//! inbound frame ([`Inbound`]), and how to ping at the application level. Everything else
//! (connecting, heartbeats, watchdogs, reconnects, resubscribing, queueing, polling fallback) is
//! the session manager's. Implementations are pure: they build and classify text, no I/O.

use std::fmt::Debug;
use std::hash::Hash;

use crate::error::Result;

/// An inbound WebSocket data frame, as the adapter sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame<'a> {
    /// A text frame (every venue here speaks JSON text).
    Text(&'a str),
    /// A binary frame.
    Binary(&'a [u8]),
}

/// What an inbound frame is.
#[derive(Debug, Clone, PartialEq)]
pub enum Inbound<K, M> {
    /// Data for one or more subscriptions, each item routed by its key.
    Data(Vec<(K, M)>),
    /// The venue confirmed these subscriptions.
    Ack(Vec<K>),
    /// The venue refused or ended subscriptions (their streams end), or, with no keys, reported
    /// a connection-level error (logged).
    Error {
        /// The subscriptions concerned; empty for a connection-level error.
        keys: Vec<K>,
        /// The venue's message.
        message: String,
    },
    /// A venue heartbeat (Coinbase `heartbeats`, Kraken `{"channel":"heartbeat"}`).
    Heartbeat,
    /// The answer to an application-level ping (Kraken `{"method":"pong"}`).
    Pong,
    /// The venue announced a planned shutdown of this connection (Binance `serverShutdown`):
    /// reconnect now, before the cut.
    ShutdownNotice,
    /// Anything else (status and info frames): counts as liveness, otherwise ignored.
    Ignore,
    /// A frame the adapter could not decode (not JSON, or not the shape the venue documents):
    /// logged and counted in [`FrameCounters`](super::FrameCounters), never fatal; it counts
    /// as liveness. A data frame lost this way shows as a sequence gap where the venue numbers
    /// its data.
    Undecodable {
        /// What was wrong, for the log (never the frame itself, which may be large).
        reason: String,
    },
}

/// A venue's WebSocket protocol, as the session manager needs it.
pub trait SessionProtocol: Send + Sync + 'static {
    /// Identifies one subscription (e.g. channel + symbol).
    type Key: Clone + Eq + Hash + Debug + Send + Sync + 'static;
    /// What a subscription stream carries (the adapter's parsed venue message).
    type Message: Send + 'static;

    /// The frames that subscribe to `keys` (batched as the venue allows).
    fn subscribe_frames(&self, keys: &[Self::Key]) -> Result<Vec<String>>;

    /// The frames that unsubscribe from `keys`.
    fn unsubscribe_frames(&self, keys: &[Self::Key]) -> Result<Vec<String>>;

    /// Reads one inbound frame.
    fn classify(&self, frame: Frame<'_>) -> Inbound<Self::Key, Self::Message>;

    /// An application-level ping frame (Kraken `{"method":"ping"}`), when the venue wants one
    /// and the session is configured to send it.
    fn app_ping(&self) -> Option<String> {
        None
    }
}
