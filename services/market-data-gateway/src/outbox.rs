//! The bounded buffer between the venue side (feed tasks) and the NATS side (the publisher).
//!
//! Feeds never wait on it: market data is offered with `try_send` and dropped (and counted) when
//! the buffer is full, so a slow or absent NATS never stalls the venue connections. Books reserve
//! room before numbering anything (`try_reserve_many`), so a full buffer suspends a book instead
//! of punching a hole in its `seq` (see [`crate::book_state`]). Status messages of books travel
//! on reserved room too; status messages of the venue watcher wait for room (they are rare and
//! never dropped).

use async_nats::Subject;
use bytes::Bytes;
use service_kit::Counter;
use tokio::sync::mpsc;

/// One encoded message for NATS.
#[derive(Debug)]
pub struct Outgoing {
    /// The subject (built once per feed; a clone shares it).
    pub subject: Subject,
    /// The encoded payload.
    pub body: Bytes,
    /// Counted once NATS took it.
    pub published: Counter,
}

/// The sending side, one clone per feed.
pub type OutboxSender = mpsc::Sender<Outgoing>;

/// The receiving side, owned by the publisher.
pub type OutboxReceiver = mpsc::Receiver<Outgoing>;

/// A buffer of `capacity` messages.
pub fn outbox(capacity: usize) -> (OutboxSender, OutboxReceiver) {
    mpsc::channel(capacity)
}

/// Offers a market-data message; a full buffer drops it and counts the drop. Returns false
/// when the publisher is gone (shutting down).
pub fn offer(tx: &OutboxSender, message: Outgoing, dropped: &Counter) -> bool {
    match tx.try_send(message) {
        Ok(()) => true,
        Err(mpsc::error::TrySendError::Full(_)) => {
            dropped.inc();
            true
        }
        Err(mpsc::error::TrySendError::Closed(_)) => false,
    }
}
