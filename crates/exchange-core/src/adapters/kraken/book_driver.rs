//! The order-book driver: the v2 `book` channel of the public session and the pure
//! [`KrakenBook`] (§5.3), turned into a [`Subscription<BookUpdate>`].
//!
//! One task per book, owned by the connection's [`TaskTracker`](tokio_util::task::TaskTracker)
//! and stopped by its [`CancellationToken`] or when the subscriber drops the stream. The book
//! decides everything (truncation, checksum, staleness); the driver only moves data:
//!
//! - a `book` message goes to [`KrakenBook::on_message`];
//! - [`BookAction::Resubscribe`] (checksum mismatch) sends `unsubscribe` then `subscribe` for
//!   this book on the same connection, which brings a fresh snapshot;
//! - a `Resync` from the session (dropped or frozen connection, slow consumer) calls
//!   [`KrakenBook::on_disconnect`], which publishes `Stale` for a live book, and is passed on;
//!   the session resubscribes on reconnect, so the next snapshot proves the book again.

use std::sync::Arc;

use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::book::{BookAction, DEPTHS, KrakenBook};
use super::exchange::{KrakenExchange, PublicSession};
use super::ws::{KrakenWsProtocol, WsChannel, WsKey, WsMessage};
use crate::model::{Symbol, now_ns};
use crate::session::{SessionSubscription, SubscribeOptions};
use crate::{BookUpdate, Result, StreamEvent, Subscription};

/// Updates buffered for a slow subscriber before the driver waits for it.
const OUTPUT_BUFFER: usize = 1024;

/// The depth to subscribe for a requested `depth`: the smallest Kraken offers that covers it
/// (10, 25, 100, 500, 1000), or 1000 beyond that.
pub fn subscribed_depth(depth: usize) -> usize {
    DEPTHS
        .into_iter()
        .find(|d| *d >= depth)
        .unwrap_or(DEPTHS[DEPTHS.len() - 1])
}

struct Driver {
    book: KrakenBook,
    key: WsKey,
    events: SessionSubscription<WsMessage>,
    session: PublicSession,
    protocol: Arc<KrakenWsProtocol>,
    out: mpsc::Sender<StreamEvent<BookUpdate>>,
    cancel: CancellationToken,
}

impl Driver {
    async fn run(mut self) {
        loop {
            let event = tokio::select! {
                _ = self.cancel.cancelled() => break,
                _ = self.out.closed() => break,
                event = self.events.recv() => event,
            };
            let actions = match event {
                None => break,
                Some(StreamEvent::Data(WsMessage::Book(message))) => {
                    self.book.on_message(&message, now_ns())
                }
                Some(StreamEvent::Data(_)) => Vec::new(),
                Some(StreamEvent::Resync) => {
                    let actions = self.book.on_disconnect("the book stream was interrupted");
                    if !self.emit(actions).await
                        || self.out.send(StreamEvent::Resync).await.is_err()
                    {
                        break;
                    }
                    Vec::new()
                }
            };
            if !self.emit(actions).await {
                break;
            }
        }
        tracing::debug!(symbol = %self.book.symbol(), counters = ?self.book.counters(), "kraken book driver stopped");
    }

    /// Carries out the book's actions; false once the subscriber is gone.
    async fn emit(&mut self, actions: Vec<BookAction>) -> bool {
        for action in actions {
            match action {
                BookAction::Publish { update, .. } => {
                    if self.out.send(StreamEvent::Data(update)).await.is_err() {
                        return false;
                    }
                }
                BookAction::Resubscribe => self.resubscribe().await,
            }
        }
        true
    }

    /// Unsubscribes and subscribes this book again on the live connection (§5.3 step 4).
    /// Should that fail, the book stays stale until the connection is replaced.
    async fn resubscribe(&self) {
        match self
            .session
            .resend_subscription(self.protocol.as_ref(), &self.key)
            .await
        {
            Ok(()) => {
                tracing::info!(symbol = %self.book.symbol(), "kraken: checksum mismatch; resubscribed the book")
            }
            Err(e) => {
                tracing::warn!(symbol = %self.book.symbol(), error = %e, "kraken: book resubscription failed; reconnecting");
                let _ = self.session.reconnect().await;
            }
        }
    }
}

impl KrakenExchange {
    /// The order book of `symbol`, kept by the v2 checksum procedure at the smallest Kraken
    /// depth covering `depth` ([`subscribed_depth`]).
    pub(crate) async fn book_stream(
        &self,
        symbol: &Symbol,
        depth: usize,
    ) -> Result<Subscription<BookUpdate>> {
        let ws_symbol = self.ws_symbol(symbol).await?;
        let depth = subscribed_depth(depth);
        let book = KrakenBook::new(symbol.clone(), depth)?;
        let public = self.public().await?;
        let channel = WsChannel::Book {
            depth: u32::try_from(depth).unwrap_or(1000),
        };
        let key = WsKey::new(channel, ws_symbol);
        let events = public
            .session
            .subscribe(key.clone(), SubscribeOptions::default())
            .await?;
        let (out, rx) = mpsc::channel(OUTPUT_BUFFER);
        let driver = Driver {
            book,
            key,
            events,
            session: public.session,
            protocol: public.protocol,
            out,
            cancel: public.cancel.child_token(),
        };
        public.tracker.spawn(driver.run());
        Ok(receiver_stream(rx))
    }
}

/// A bounded receiver as a subscription stream.
pub(crate) fn receiver_stream<T: Send + 'static>(
    rx: mpsc::Receiver<StreamEvent<T>>,
) -> Subscription<T> {
    futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depths_round_up_to_what_kraken_offers() {
        for (asked, got) in [
            (0, 10),
            (1, 10),
            (10, 10),
            (11, 25),
            (100, 100),
            (600, 1000),
        ] {
            assert_eq!(subscribed_depth(asked), got, "{asked}");
        }
        assert_eq!(subscribed_depth(5000), 1000);
    }
}
