//! The book consumer: a thin async driver that runs a [`BookSequencer`] over a NATS subscription
//! and a KV watch, and maintains an [`OrderBook`].
//!
//! It spawns nothing: the caller owns it and drives it by awaiting [`BookConsumer::next`], which is
//! cancel-safe (select it against a shutdown signal). The KV watch on `md_books` is open only while
//! the sequencer wants a snapshot: `watch_with_history` yields the current record first (the
//! "read the snapshot" step) and then every update, so a consumer whose snapshot is too old waits
//! for the next one instead of re-reading in a loop.

use async_nats::jetstream::kv::{self, Operation};
use exchange_core::model::Symbol;
use exchange_core::orderbook::OrderBook;
use futures_util::StreamExt;

use super::sequencer::{
    BookAction, BookSequencer, DEFAULT_MAX_BUFFER, InvalidReason, SequencerStats,
};
use crate::codec::{decode_message, decode_sniffed};
use crate::error::{BusError, Result};
use crate::payload::{BookEvent, BookSnapshotRecord};
use crate::{jetstream, kv_key, subject};

/// Settings of a [`BookConsumer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookConsumerConfig {
    /// Events buffered while syncing, at most (default 10 000).
    pub max_buffer: usize,
}

impl Default for BookConsumerConfig {
    fn default() -> Self {
        BookConsumerConfig {
            max_buffer: DEFAULT_MAX_BUFFER,
        }
    }
}

/// What [`BookConsumer::next`] did to the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookChange {
    /// The book was rebuilt from a snapshot (and buffered events); it is live at `seq`.
    Synced {
        /// The book's `seq` now.
        seq: u64,
    },
    /// A delta was applied; the book is live at `seq`.
    Updated {
        /// The book's `seq` now.
        seq: u64,
    },
    /// The book was lost and cleared; a resync is under way.
    Invalidated(InvalidReason),
    /// While resyncing, the KV snapshot offered was too old (or stale); the consumer waits for
    /// a newer KV record or a snapshot event rather than re-reading.
    AwaitingSnapshot {
        /// The `seq` of the snapshot refused.
        offered: u64,
        /// The smallest snapshot `seq` that would do.
        wanted: u64,
    },
}

/// Maintains one venue's book of one symbol from the bus.
pub struct BookConsumer {
    venue: String,
    symbol: Symbol,
    subject: String,
    key: String,
    subscriber: async_nats::Subscriber,
    kv: kv::Store,
    watch: Option<kv::Watch>,
    sequencer: BookSequencer,
    book: OrderBook,
    exchange_ts_ns: i64,
    bad_messages: u64,
}

impl BookConsumer {
    /// Subscribes to `md.<venue>.book.<symbol>` (and waits until the server has the
    /// subscription), then opens the `md_books` bucket. The book syncs on the first
    /// [`BookConsumer::next`] calls.
    pub async fn subscribe(
        client: &async_nats::Client,
        venue: &str,
        symbol: &Symbol,
        config: BookConsumerConfig,
    ) -> Result<Self> {
        let subject = subject::market_data(venue, subject::MdChannel::Book, symbol)?;
        let key = kv_key::book_key(venue, symbol)?;
        // Step 1: subscribe before anything is read, so that no event falls between.
        let subscriber = client
            .subscribe(subject.clone())
            .await
            .map_err(|e| BusError::nats(format!("subscribe to {subject}"), e))?;
        client
            .flush()
            .await
            .map_err(|e| BusError::nats(format!("flush subscription to {subject}"), e))?;
        let kv = jetstream::md_books(&async_nats::jetstream::new(client.clone())).await?;
        Ok(BookConsumer {
            venue: venue.to_owned(),
            symbol: symbol.clone(),
            subject,
            key,
            subscriber,
            kv,
            watch: None,
            sequencer: BookSequencer::new(config.max_buffer),
            book: OrderBook::new(),
            exchange_ts_ns: 0,
            bad_messages: 0,
        })
    }

    /// The maintained book (empty while not live).
    pub fn book(&self) -> &OrderBook {
        &self.book
    }

    /// Whether the book is live (proven).
    pub fn is_live(&self) -> bool {
        self.sequencer.is_live()
    }

    /// The book's `seq`, while live.
    pub fn seq(&self) -> Option<u64> {
        self.sequencer.last_seq()
    }

    /// Venue time of the last change applied, ns since the epoch (0 when unknown).
    pub fn exchange_ts_ns(&self) -> i64 {
        self.exchange_ts_ns
    }

    /// What the sequencer saw.
    pub fn stats(&self) -> SequencerStats {
        self.sequencer.stats()
    }

    /// Messages skipped because they did not decode or named another book.
    pub fn bad_messages(&self) -> u64 {
        self.bad_messages
    }

    /// Waits until the book changes (or a resync must wait for a newer snapshot), and says how.
    /// Cancel-safe.
    ///
    /// Errors only when the subscription or the KV watch fails or ends; undecodable messages
    /// are logged, counted ([`BookConsumer::bad_messages`]) and skipped (a lost delta shows as a
    /// gap at the next one).
    pub async fn next(&mut self) -> Result<BookChange> {
        loop {
            self.sync_watch().await?;
            let actions = tokio::select! {
                message = self.subscriber.next() => {
                    let Some(message) = message else {
                        return Err(BusError::Closed(format!("subscription to {}", self.subject)));
                    };
                    match self.event(&message) {
                        Some(event) => self.sequencer.on_event(event),
                        None => continue,
                    }
                }
                entry = next_entry(&mut self.watch) => {
                    let entry = match entry {
                        Some(Ok(entry)) => entry,
                        Some(Err(e)) => {
                            self.watch = None;
                            return Err(BusError::nats(format!("watch KV {}", self.key), e));
                        }
                        None => {
                            self.watch = None;
                            return Err(BusError::Closed(format!("KV watch of {}", self.key)));
                        }
                    };
                    let Some(record) = self.record(&entry) else { continue };
                    let offered = record.seq;
                    let refused_before = self.sequencer.stats().snapshots_refused;
                    let actions = self.sequencer.on_snapshot(record);
                    if self.sequencer.stats().snapshots_refused > refused_before
                        && let Some(wanted) = self.sequencer.wants_snapshot()
                    {
                        return Ok(BookChange::AwaitingSnapshot { offered, wanted });
                    }
                    actions
                }
            };
            if let Some(change) = self.apply(actions) {
                return Ok(change);
            }
        }
    }

    /// Unsubscribes and drops the KV watch.
    pub async fn close(mut self) -> Result<()> {
        self.watch = None;
        self.subscriber
            .unsubscribe()
            .await
            .map_err(|e| BusError::nats(format!("unsubscribe from {}", self.subject), e))
    }

    /// Opens the KV watch while a snapshot is wanted; drops it once live.
    async fn sync_watch(&mut self) -> Result<()> {
        match (self.sequencer.wants_snapshot(), self.watch.is_some()) {
            (Some(_), false) => {
                // Step 2: the current record first, then updates (step 7).
                let watch = self
                    .kv
                    .watch_with_history(&self.key)
                    .await
                    .map_err(|e| BusError::nats(format!("watch KV {}", self.key), e))?;
                self.watch = Some(watch);
            }
            (None, true) => self.watch = None,
            _ => {}
        }
        Ok(())
    }

    fn event(&mut self, message: &async_nats::Message) -> Option<BookEvent> {
        match decode_message::<BookEvent>(message) {
            Ok(event) if event.venue == self.venue && event.symbol == self.symbol => Some(event),
            Ok(event) => {
                self.bad_messages += 1;
                tracing::warn!(subject = %self.subject, venue = %event.venue,
                    symbol = %event.symbol, "book event names another book; skipped");
                None
            }
            Err(error) => {
                self.bad_messages += 1;
                tracing::warn!(subject = %self.subject, %error, "undecodable book event; skipped");
                None
            }
        }
    }

    fn record(&mut self, entry: &kv::Entry) -> Option<BookSnapshotRecord> {
        if entry.operation != Operation::Put {
            return None;
        }
        match decode_sniffed::<BookSnapshotRecord>(&entry.value) {
            Ok(record) if record.venue == self.venue && record.snapshot.symbol == self.symbol => {
                Some(record)
            }
            Ok(_) => {
                self.bad_messages += 1;
                tracing::warn!(key = %self.key, "KV book record names another book; skipped");
                None
            }
            Err(error) => {
                self.bad_messages += 1;
                tracing::warn!(key = %self.key, %error, "undecodable KV book record; skipped");
                None
            }
        }
    }

    fn apply(&mut self, actions: Vec<BookAction>) -> Option<BookChange> {
        let mut change = None;
        for action in actions {
            change = Some(match (action, change) {
                (BookAction::Reset(levels), _) => {
                    self.book.apply_snapshot(&levels.bids, &levels.asks);
                    self.exchange_ts_ns = levels.exchange_ts_ns;
                    BookChange::Synced { seq: levels.seq }
                }
                (BookAction::Apply(levels), previous) => {
                    self.book.apply_delta(&levels.bids, &levels.asks);
                    self.exchange_ts_ns = levels.exchange_ts_ns;
                    match previous {
                        Some(BookChange::Synced { .. }) => BookChange::Synced { seq: levels.seq },
                        _ => BookChange::Updated { seq: levels.seq },
                    }
                }
                (BookAction::Invalidate(reason), _) => {
                    tracing::info!(subject = %self.subject, %reason, "book invalidated; resyncing");
                    self.book.clear();
                    BookChange::Invalidated(reason)
                }
            });
        }
        change
    }
}

impl std::fmt::Debug for BookConsumer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BookConsumer")
            .field("subject", &self.subject)
            .field("key", &self.key)
            .field("live", &self.is_live())
            .field("seq", &self.seq())
            .field("watching", &self.watch.is_some())
            .finish_non_exhaustive()
    }
}

async fn next_entry(
    watch: &mut Option<kv::Watch>,
) -> Option<std::result::Result<kv::Entry, kv::WatcherError>> {
    match watch {
        Some(watch) => watch.next().await,
        None => std::future::pending().await,
    }
}
