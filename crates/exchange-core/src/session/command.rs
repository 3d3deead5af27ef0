//! Requests from handles to the session task.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use crate::error::Result;
use crate::stream::StreamEvent;

/// One request to the session task.
pub(crate) enum Command<K, M> {
    /// Add a subscription and deliver its events into `events`.
    Subscribe {
        key: K,
        stale_after: Option<Duration>,
        events: mpsc::Sender<StreamEvent<M>>,
        /// Resolves (with an error) when the subscription stream is dropped.
        dropped: oneshot::Receiver<()>,
        reply: oneshot::Sender<Result<()>>,
    },
    /// Send a text frame now, or queue it while disconnected.
    Send {
        frame: String,
        reply: oneshot::Sender<Result<()>>,
    },
    /// Drop the connection and reconnect (e.g. after the adapter saw a sequence gap).
    Reconnect,
}
