//! The order-book driver: the `level2` channel of the market-data session and the pure
//! [`L2Book`] (§5), turned into a [`Subscription<BookUpdate>`].
//!
//! One task per book, owned by the connection's [`TaskTracker`](tokio_util::task::TaskTracker)
//! and stopped by its [`CancellationToken`] or when the subscriber drops the stream. The book
//! decides everything; the driver only moves data:
//!
//! - an `l2_data` message goes to [`L2Book::on_event`], event by event;
//! - a `sequence_num` gap on the connection (the protocol sees every message) goes to
//!   [`L2Book::on_gap`], which publishes `Stale` for a live book and asks for a resubscribe:
//!   the driver sends `unsubscribe` then `subscribe` for this product on the same connection,
//!   which brings a fresh snapshot (should sending fail, the connection is replaced);
//! - a `Resync` from the session (dropped or frozen connection, slow consumer) goes to
//!   [`L2Book::on_disconnect`] and is passed on; the session resubscribes on reconnect, so
//!   the next snapshot proves the book again.
//!
//! Coinbase's `level2` carries the whole book, so the stream does too: `depth` does not
//! truncate it.

use std::sync::Arc;

use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::book::{BookAction, L2Book};
use super::connection::CbHandle;
use super::exchange::CoinbaseExchange;
use super::parse::ws::{Channel, ChannelBody};
use super::protocol::{CoinbaseProtocol, StreamMessage, SubKey};
use crate::model::{Symbol, now_ns};
use crate::session::{SessionSubscription, SubscribeOptions};
use crate::{BookUpdate, Result, StreamEvent, Subscription};

/// Updates buffered for a slow subscriber before the driver waits for it.
const OUTPUT_BUFFER: usize = 1024;

struct Driver {
    book: L2Book,
    key: SubKey,
    events: SessionSubscription<StreamMessage>,
    session: CbHandle,
    protocol: Arc<CoinbaseProtocol>,
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
                Some(StreamEvent::Data(StreamMessage::Data(msg))) => match &msg.body {
                    ChannelBody::Level2(events) => {
                        let mut actions = Vec::new();
                        for e in events {
                            match self.book.on_event(
                                e,
                                msg.sequence_num,
                                msg.timestamp_ns,
                                now_ns(),
                            ) {
                                Ok(a) => actions.extend(a),
                                Err(err) => {
                                    tracing::warn!(product = %self.book.product_id(), error = %err, "coinbase: unreadable l2_data event; resubscribing");
                                    actions.extend(self.book.on_gap("unreadable l2_data event"));
                                    break;
                                }
                            }
                        }
                        actions
                    }
                    _ => Vec::new(),
                },
                Some(StreamEvent::Data(StreamMessage::SequenceGap { expected, received })) => {
                    self.book.on_gap(&format!(
                        "sequence_num gap: expected {expected}, received {received}"
                    ))
                }
                Some(StreamEvent::Resync) => {
                    let actions = self.book.on_disconnect("the level2 stream was interrupted");
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
        tracing::debug!(product = %self.book.product_id(), counters = ?self.book.counters(), "coinbase book driver stopped");
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
                BookAction::Resubscribe { .. } => self.resubscribe().await,
            }
        }
        true
    }

    /// Unsubscribes and subscribes this product's `level2` again on the live connection, which
    /// brings a fresh snapshot; should that fail, the connection is replaced.
    async fn resubscribe(&self) {
        match self
            .session
            .resend_subscription(self.protocol.as_ref(), &self.key)
            .await
        {
            Ok(()) => {
                tracing::info!(product = %self.book.product_id(), "coinbase: level2 gap; resubscribed the book")
            }
            Err(e) => {
                tracing::warn!(product = %self.book.product_id(), error = %e, "coinbase: level2 resubscription failed; reconnecting");
                let _ = self.session.reconnect().await;
            }
        }
    }
}

impl CoinbaseExchange {
    /// The order book of `symbol` from the `level2` channel (the whole book; `depth` is not
    /// applied, see the module documentation).
    pub(crate) async fn book_stream(
        &self,
        symbol: &Symbol,
        _depth: usize,
    ) -> Result<Subscription<BookUpdate>> {
        let market = self.market(symbol).await?;
        let parts = self.market_parts().await?;
        let key = SubKey::new(Channel::Level2, &market.venue_id);
        let events = parts
            .handle
            .subscribe(key.clone(), SubscribeOptions::default())
            .await?;
        let (out, rx) = mpsc::channel(OUTPUT_BUFFER);
        let driver = Driver {
            book: L2Book::new(&market.venue_id, symbol.clone()),
            key,
            events,
            session: parts.handle.clone(),
            protocol: parts.protocol.clone(),
            out,
            cancel: parts.cancel.child_token(),
        };
        parts.tracker.spawn(driver.run());
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
