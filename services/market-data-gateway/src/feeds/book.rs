//! An order book feed: drives a [`BookState`] with the adapter's book stream and publishes what
//! it emits.
//!
//! Room in the outbox is reserved before the state numbers anything
//! ([`MAX_CHANNEL_EMITS`] slots); without room the update is kept locally
//! ([`BookState::suspend`]) and the feed retries every [`RESUME_EVERY`] (and at each update),
//! publishing a fresh snapshot once there is room. KV records go to the [`crate::kv_writer`].
//! After a NATS reconnect the book is republished ([`BookState::republish`]). The last status
//! is repeated every `book.status_refresh_ms`, unchanged (same `ts_ns`), so consumers that
//! missed a transition learn the current state: core NATS loses what is published while a
//! consumer is away, for example a `resynced` published before it reconnected after a NATS
//! restart.

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

use async_nats::Subject;
use bus::subject::{self, MdChannel};
use bus::{FeedState, FeedStatus};
use exchange_core::model::{Symbol, now_ns};
use exchange_core::{BookUpdate, ConnectionState, Exchange, StreamEvent};
use futures_util::StreamExt;
use service_kit::{Counter, Gauge};
use tokio::sync::mpsc::error::TrySendError;
use tokio_util::sync::CancellationToken;

use super::{FeedContext, backoff, sleep_or_cancel};
use crate::book_state::{BookState, Emit, MAX_CHANNEL_EMITS};
use crate::error::Result;

/// How often a suspended book retries to publish when its stream is quiet.
pub const RESUME_EVERY: Duration = Duration::from_millis(20);

/// One book feed's publishing side.
struct Publisher {
    ctx: FeedContext,
    venue: String,
    symbol: Symbol,
    book_subject: Subject,
    status_subject: Subject,
    published: Counter,
    status_published: Counter,
    dropped: Counter,
    snapshots: Counter,
    state_gauge: Gauge,
    /// The last status published, for the periodic repeat.
    last_status: RefCell<Option<FeedStatus>>,
}

enum Room {
    Sent,
    Full,
    Closed,
}

impl Publisher {
    fn new(ctx: FeedContext, venue: &str, symbol: &Symbol) -> Result<Self> {
        let token = symbol.token();
        let m = &ctx.metrics;
        Ok(Publisher {
            book_subject: subject::market_data(venue, MdChannel::Book, symbol)?.into(),
            status_subject: subject::market_data(venue, MdChannel::Status, symbol)?.into(),
            published: m.published(venue, "book"),
            status_published: m.published(venue, "status"),
            dropped: m.dropped(venue, "book"),
            snapshots: m.snapshots(venue, &token),
            state_gauge: m.feed_state(venue, &token),
            last_status: RefCell::new(None),
            venue: venue.to_owned(),
            symbol: symbol.clone(),
            ctx,
        })
    }

    /// Reserves room, lets `step` produce the emits, and sends them.
    fn with_room(&self, step: impl FnOnce() -> Vec<Emit>) -> Room {
        match self.ctx.outbox.try_reserve_many(MAX_CHANNEL_EMITS) {
            Ok(mut permits) => {
                for emit in step() {
                    let message = match emit {
                        Emit::Event(event) => {
                            if event.kind == bus::BookEventKind::Snapshot {
                                self.snapshots.inc();
                            }
                            self.ctx.encode(&self.book_subject, &event, &self.published)
                        }
                        Emit::Status(state, reason) => {
                            self.note_state(state);
                            let status = FeedStatus::new(
                                self.venue.clone(),
                                self.symbol.clone(),
                                state,
                                reason,
                                now_ns(),
                            );
                            let message = self.ctx.encode(
                                &self.status_subject,
                                &status,
                                &self.status_published,
                            );
                            *self.last_status.borrow_mut() = Some(status);
                            message
                        }
                        Emit::Record(record) => {
                            self.ctx.kv.offer(record);
                            None
                        }
                    };
                    if let (Some(message), Some(permit)) = (message, permits.next()) {
                        permit.send(message);
                    }
                }
                Room::Sent
            }
            Err(TrySendError::Full(())) => Room::Full,
            Err(TrySendError::Closed(())) => Room::Closed,
        }
    }

    fn note_state(&self, state: FeedState) {
        let name = match state {
            FeedState::Live => "live",
            FeedState::Stale => "stale",
            FeedState::Resynced => "resynced",
            FeedState::Polling => "polling",
        };
        tracing::info!(venue = %self.venue, symbol = %self.symbol, state = name, "book feed status");
        self.ctx
            .metrics
            .transitions(&self.venue, &self.symbol.token(), name)
            .inc();
        self.state_gauge
            .set(if state == FeedState::Stale { 2 } else { 1 });
    }

    /// Handles one input; false when the publisher is gone.
    fn handle(&self, state: &mut BookState, event: StreamEvent<BookUpdate>) -> bool {
        if state.suspended() > 0 && !self.resume(state) {
            return false;
        }
        if state.suspended() > 0 {
            self.skip(state, event);
            return true;
        }
        let mut event = Some(event);
        match self.with_room(|| {
            event
                .take()
                .map(|e| state.on_event(e, now_ns()))
                .unwrap_or_default()
        }) {
            Room::Sent => true,
            Room::Full => {
                if let Some(event) = event {
                    self.skip(state, event);
                }
                true
            }
            Room::Closed => false,
        }
    }

    fn skip(&self, state: &mut BookState, event: StreamEvent<BookUpdate>) {
        if matches!(event, StreamEvent::Data(_)) {
            self.dropped.inc();
        }
        if state.suspended() == 0 {
            tracing::debug!(venue = %self.venue, symbol = %self.symbol,
                "buffer to NATS full: book updates held back; a snapshot follows");
        }
        state.suspend(event);
    }

    /// Publishes the last status again, unchanged, if there is room (the next refresh tries
    /// again if not); false when the publisher is gone.
    fn repeat_status(&self) -> bool {
        let Some(status) = self.last_status.borrow().clone() else {
            return true;
        };
        let Some(message) = self
            .ctx
            .encode(&self.status_subject, &status, &self.status_published)
        else {
            return true;
        };
        !matches!(
            self.ctx.outbox.try_send(message),
            Err(TrySendError::Closed(_))
        )
    }

    /// Tries to publish what a suspended book owes; false when the publisher is gone.
    fn resume(&self, state: &mut BookState) -> bool {
        !matches!(self.with_room(|| state.resume(now_ns())), Room::Closed)
    }
}

/// Runs the book feed of `symbol` until `token` is cancelled.
pub async fn run(
    ctx: FeedContext,
    adapter: Arc<dyn Exchange>,
    symbol: Symbol,
    token: CancellationToken,
) {
    let venue = adapter.venue().to_owned();
    let publisher = match Publisher::new(ctx.clone(), &venue, &symbol) {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(%venue, %symbol, error = %e, "book feed not started");
            return;
        }
    };
    let restarts = ctx.metrics.feed_restarts(&venue, "book");
    // The rule of bus::BookSequence::starting_now: start at the time in microseconds.
    let first_seq = u64::try_from(now_ns() / 1_000).unwrap_or(1).max(1);
    let mut state = BookState::new(&venue, symbol.clone(), first_seq, ctx.book.snapshot_every);
    let connection = adapter.connection_state();
    let mut link = ctx.link.clone();
    let mut seen_connects = link.borrow_and_update().connects;
    let mut resume_tick = tokio::time::interval(RESUME_EVERY);
    resume_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let record_every = Duration::from_millis(ctx.book.snapshot_interval_ms.max(1));
    let mut record_tick = tokio::time::interval(record_every);
    record_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let periodic = ctx.book.snapshot_interval_ms > 0;
    let refresh_every = Duration::from_millis(ctx.book.status_refresh_ms.max(1));
    let mut refresh_tick =
        tokio::time::interval_at(tokio::time::Instant::now() + refresh_every, refresh_every);
    refresh_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let refresh = ctx.book.status_refresh_ms > 0;
    let mut attempt = 0u32;
    loop {
        let subscribed = tokio::select! {
            () = token.cancelled() => return,
            s = adapter.subscribe_order_book(&symbol, ctx.book.depth) => s,
        };
        let mut stream = match subscribed {
            Ok(stream) => stream,
            Err(e) => {
                tracing::warn!(%venue, %symbol, error = %e, "book subscribe failed; retrying");
                restarts.inc();
                if sleep_or_cancel(backoff(attempt), &token).await {
                    return;
                }
                attempt = attempt.saturating_add(1);
                continue;
            }
        };
        tracing::info!(%venue, %symbol, depth = ctx.book.depth, "book feed subscribed");
        attempt = 0;
        loop {
            tokio::select! {
                biased;
                () = token.cancelled() => return,
                changed = link.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    let connects = link.borrow_and_update().connects;
                    if connects != seen_connects {
                        seen_connects = connects;
                        tracing::info!(%venue, %symbol, "NATS reconnected: republishing the book");
                        match publisher.with_room(|| state.republish()) {
                            Room::Sent => {}
                            Room::Full => state.owe_snapshot(),
                            Room::Closed => return,
                        }
                    }
                }
                _ = record_tick.tick(), if periodic => {
                    if let Some(Emit::Record(record)) = state.periodic_record() {
                        ctx.kv.offer(record);
                    }
                }
                _ = refresh_tick.tick(), if refresh => {
                    if !publisher.repeat_status() {
                        return;
                    }
                }
                _ = resume_tick.tick(), if state.suspended() > 0 => {
                    if !publisher.resume(&mut state) {
                        return;
                    }
                }
                item = stream.next() => match item {
                    Some(event) => {
                        state.set_polling(*connection.borrow() == ConnectionState::Polling);
                        if !publisher.handle(&mut state, event) {
                            return;
                        }
                    }
                    None => {
                        tracing::warn!(%venue, %symbol, "book stream ended; resubscribing");
                        restarts.inc();
                        match publisher.with_room(|| state.on_stream_end(now_ns())) {
                            Room::Sent => {}
                            Room::Full => state.suspend(StreamEvent::Resync),
                            Room::Closed => return,
                        }
                        break;
                    }
                },
            }
        }
        if sleep_or_cancel(backoff(0), &token).await {
            return;
        }
    }
}
