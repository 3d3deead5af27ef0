//! The order-book driver: the depth stream of the market session, REST depth snapshots and the
//! pure [`BookSync`] sequencer (§5.1), turned into a [`Subscription<BookUpdate>`].
//!
//! The driver has no task of its own: it runs inside the subscriber's polling of the stream
//! (like [`super::trade_feed`]), so a depth event crosses one channel (the session's socket task
//! to the subscriber) instead of two with a driver task between them. The stream ends when the
//! connection's [`CancellationToken`] is cancelled or the session subscription ends; dropping it
//! unsubscribes. The sequencer decides everything (buffering, which snapshot proves the book,
//! gaps); the driver only moves data:
//!
//! - a depth event goes to [`BookSync::on_update`];
//! - [`SyncAction::FetchSnapshot`] starts one REST snapshot (retried with a growing delay),
//!   polled together with the depth stream, so events keep being sequenced meanwhile;
//! - a `Resync` from the session (dropped or frozen connection, slow consumer) calls
//!   [`BookSync::invalidate`], which publishes `Stale` for a live book, and is passed on;
//! - while the WebSocket is down and REST polling stands in ([`super::market_poll`]), each
//!   polled depth snapshot is a whole book as of its `lastUpdateId`, published as a snapshot;
//!   the sequencer stays unproven, and the `Resync` that comes when the WebSocket is back
//!   starts the documented procedure again;
//! - published updates go to the subscriber in order: what one input produced is queued and
//!   handed out before the next input is read, so the queue holds at most one step's output.
//!   A book is never published as good unless the sequencer proved it.

use std::collections::VecDeque;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::exchange::BinanceExchange;
use super::http::BinanceHttp;
use super::parse::depth::DepthSnapshot;
use super::parse::frame::MarketEvent;
use super::requests::depth_params;
use super::streams::{StreamKind, stream_name};
use super::{BookSync, SyncAction, endpoints};
use crate::model::{Symbol, now_ns};
use crate::ratelimit::binance::{CLASS_MARKET, request_cost};
use crate::rest::RestRequest;
use crate::session::{SessionSubscription, SubscribeOptions};
use crate::{BookUpdate, Result, StreamEvent, Subscription};

/// First delay before retrying a failed snapshot; doubles up to [`MAX_RETRY`].
const FIRST_RETRY: Duration = Duration::from_millis(250);
const MAX_RETRY: Duration = Duration::from_secs(5);

/// How to fetch this book's REST snapshot.
#[derive(Clone)]
struct SnapshotSource {
    http: BinanceHttp,
    request: RestRequest,
}

impl SnapshotSource {
    fn fetch(&self, delay: Duration) -> BoxFuture<'static, Result<DepthSnapshot>> {
        let http = self.http.clone();
        let request = self.request.clone();
        Box::pin(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            http.json(&request).await
        })
    }
}

/// What woke the driver.
enum Step {
    Stop,
    Snapshot(Result<DepthSnapshot>),
    Event(Option<StreamEvent<MarketEvent>>),
}

struct Driver {
    sync: BookSync,
    source: SnapshotSource,
    events: SessionSubscription<MarketEvent>,
    cancel: CancellationToken,
    fetch: Option<BoxFuture<'static, Result<DepthSnapshot>>>,
    retry: Duration,
    /// What the last input produced, not yet handed to the subscriber.
    queue: VecDeque<StreamEvent<BookUpdate>>,
}

impl Driver {
    /// The driver as a subscription stream.
    fn boxed(self) -> Subscription<BookUpdate> {
        futures_util::stream::unfold(self, |mut driver| async move {
            driver.next_item().await.map(|item| (item, driver))
        })
        .boxed()
    }

    /// The next update for the subscriber; `None` once stopped.
    async fn next_item(&mut self) -> Option<StreamEvent<BookUpdate>> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            let step = {
                let fetch = &mut self.fetch;
                let fetching = async move {
                    match fetch {
                        Some(fetch) => fetch.await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    _ = self.cancel.cancelled() => Step::Stop,
                    result = fetching => Step::Snapshot(result),
                    event = self.events.recv() => Step::Event(event),
                }
            };
            let actions = match step {
                Step::Stop | Step::Event(None) => {
                    tracing::debug!(symbol = %self.sync.symbol(), counters = ?self.sync.counters(), "binance book driver stopped");
                    return None;
                }
                Step::Snapshot(result) => {
                    self.fetch = None;
                    match result {
                        Ok(snapshot) => {
                            self.retry = Duration::ZERO;
                            self.sync.on_snapshot(snapshot, now_ns())
                        }
                        Err(e) => {
                            self.retry = (self.retry * 2).clamp(FIRST_RETRY, MAX_RETRY);
                            tracing::warn!(symbol = %self.sync.symbol(), error = %e, retry = ?self.retry, "binance: depth snapshot failed");
                            self.fetch = Some(self.source.fetch(self.retry));
                            Vec::new()
                        }
                    }
                }
                Step::Event(Some(StreamEvent::Data(MarketEvent::Depth(update)))) => {
                    self.sync.on_update(update, now_ns())
                }
                Step::Event(Some(StreamEvent::Data(MarketEvent::PartialDepth(snapshot)))) => {
                    let snapshot = snapshot.to_snapshot(self.sync.symbol().clone(), now_ns());
                    self.queue
                        .push_back(StreamEvent::Data(BookUpdate::Snapshot(snapshot)));
                    Vec::new()
                }
                Step::Event(Some(StreamEvent::Data(_))) => Vec::new(),
                Step::Event(Some(StreamEvent::Resync)) => {
                    let actions = self.sync.invalidate("the depth stream was interrupted");
                    self.apply(actions);
                    self.queue.push_back(StreamEvent::Resync);
                    Vec::new()
                }
            };
            self.apply(actions);
        }
    }

    /// Carries out the sequencer's actions: starts a fetch, queues what to publish.
    fn apply(&mut self, actions: Vec<SyncAction>) {
        for action in actions {
            match action {
                SyncAction::FetchSnapshot => {
                    if self.fetch.is_none() {
                        self.fetch = Some(self.source.fetch(self.retry));
                    }
                }
                SyncAction::Publish { update, .. } => {
                    self.queue.push_back(StreamEvent::Data(update));
                }
            }
        }
    }
}

impl BinanceExchange {
    /// The order book of `symbol`, synchronised by the documented procedure; `depth` picks the
    /// REST snapshot size (the smallest documented limit covering it). Levels beyond the
    /// snapshot are known only once they change (§5.1 step 6).
    pub(crate) async fn book_stream(
        &self,
        symbol: &Symbol,
        depth: usize,
    ) -> Result<Subscription<BookUpdate>> {
        let (session, cancel, _tracker) = self.market_session().await?;
        let cache = self.cache().await?;
        let product = self.cfg.product;
        let venue_id = cache.venue_id(symbol)?.to_owned();
        let limit = endpoints::depth_limit(product, depth);
        let mut request = RestRequest::get(self.paths.depth).cost(request_cost(
            CLASS_MARKET,
            endpoints::depth_weight(product, limit),
        ));
        for (k, v) in depth_params(&venue_id, limit) {
            request = request.query(k, v);
        }
        let options = SubscribeOptions {
            stale_after: self.cfg.options.book_stale_after(),
        };
        let key = stream_name(&venue_id, StreamKind::Depth { fast: true });
        self.poller.register_depth(&key, request.clone());
        let events = session.subscribe(key, options).await?;
        let driver = Driver {
            sync: BookSync::new(symbol.clone(), product),
            source: SnapshotSource {
                http: self.http.clone(),
                request,
            },
            events,
            cancel: cancel.child_token(),
            fetch: None,
            retry: Duration::ZERO,
            queue: VecDeque::new(),
        };
        Ok(driver.boxed())
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
