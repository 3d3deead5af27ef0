//! Subscription streams: what `subscribe_*` methods return.
//!
//! A subscription is a [`futures_util::Stream`] of [`StreamEvent`]s that outlives reconnects:
//! after the venue connection was lost and re-established (or REST polling took over or handed
//! back), the stream yields [`StreamEvent::Resync`] before further data, so that consumers holding
//! state (an order book, a candle series) rebuild it. Dropping the stream unsubscribes.

use std::pin::Pin;

use futures_util::Stream;
use serde::{Deserialize, Serialize};

use crate::model::{BookDelta, BookSnapshot};

/// The state of a venue connection, as the WebSocket session manager reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionState {
    /// Not connected yet (or disconnected on request).
    Disconnected,
    /// Connected, data flowing.
    Connected,
    /// The connection was lost; reconnecting with backoff.
    Reconnecting,
    /// The WebSocket is unavailable; REST pollers keep data flowing.
    Polling,
    /// Connected but silent past the watchdog window.
    Stale,
}

/// One item of a subscription stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEvent<T> {
    /// A data item.
    Data(T),
    /// Data may have been missed (reconnect, polling hand-over): rebuild any derived state.
    Resync,
}

/// A subscription: a stream of events that survives reconnects; drop it to unsubscribe.
pub type Subscription<T> = Pin<Box<dyn Stream<Item = StreamEvent<T>> + Send>>;

/// What an order-book subscription yields: a proven snapshot, deltas on top of it, or word that
/// the book can no longer be proven correct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookUpdate {
    /// A full book, proven by the venue's sync procedure; replaces anything held before.
    Snapshot(BookSnapshot),
    /// Changes on top of the last snapshot, in order, with no gap.
    Delta(BookDelta),
    /// The book is no longer proven (gap, checksum mismatch, disconnect): discard it until the
    /// next [`BookUpdate::Snapshot`].
    Stale {
        /// Why, for logs and status events.
        reason: String,
    },
}
