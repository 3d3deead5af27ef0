//! The trade stream of one symbol: each trade once, in order, and, after the session said
//! `Resync` (a reconnect, or REST polling taking over or handing back), the trades missed in
//! between fetched over REST.
//!
//! Binance numbers the trades of a symbol consecutively, so a trade id above the next expected
//! one right after a `Resync` shows what was missed: the driver asks the
//! [`MarketPoller`](super::market_poll::MarketPoller) for the latest page and passes on the ones
//! in between, then the trade that showed the gap. More than a page missed, or a failed fetch,
//! leaves a gap (logged; the `Resync` already told the consumer). Ids at or below the last one
//! given are dropped: REST polling returns the latest page every time, and its first page
//! overlaps what the WebSocket gave.

use std::collections::VecDeque;
use std::sync::Arc;

use futures_util::StreamExt;

use super::market_poll::MarketPoller;
use super::markets_cache::MarketCache;
use super::parse::frame::MarketEvent;
use crate::model::{Trade, now_ns};
use crate::session::{Poller, SessionSubscription};
use crate::{StreamEvent, Subscription};

/// One trade stream's state.
pub(crate) struct TradeFeed {
    sub: SessionSubscription<MarketEvent>,
    cache: Arc<MarketCache>,
    /// One more than the last id given (0: none yet).
    next: u64,
    after_resync: bool,
    /// The poller and the stream key it serves, for `@trade` (not `@aggTrade`).
    backfill: Option<(Arc<MarketPoller>, String)>,
    queue: VecDeque<StreamEvent<Trade>>,
}

impl TradeFeed {
    /// A feed over `sub`; `backfill` fills gaps after a resync.
    pub(crate) fn new(
        sub: SessionSubscription<MarketEvent>,
        cache: Arc<MarketCache>,
        backfill: Option<(Arc<MarketPoller>, String)>,
    ) -> Self {
        TradeFeed {
            sub,
            cache,
            next: 0,
            after_resync: false,
            backfill,
            queue: VecDeque::new(),
        }
    }

    /// The feed as a subscription stream.
    pub(crate) fn boxed(self) -> Subscription<Trade> {
        futures_util::stream::unfold(self, |mut feed| async move {
            feed.next_item().await.map(|item| (item, feed))
        })
        .boxed()
    }

    async fn next_item(&mut self) -> Option<StreamEvent<Trade>> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            let event = match self.sub.recv().await? {
                StreamEvent::Resync => {
                    self.after_resync = true;
                    return Some(StreamEvent::Resync);
                }
                StreamEvent::Data(event) => event,
            };
            let Some(id) = trade_id(&event) else { continue };
            if id < self.next {
                continue;
            }
            if std::mem::take(&mut self.after_resync) && self.next > 0 && id > self.next {
                self.fill(id).await;
            }
            self.push(event, id);
        }
    }

    /// Queues the trades with ids from `self.next` up to (not including) `upto`.
    async fn fill(&mut self, upto: u64) {
        let Some((poller, key)) = self.backfill.clone() else {
            return;
        };
        let from = self.next;
        match poller.poll(&key).await {
            Ok(page) => {
                for event in page {
                    if let Some(id) = trade_id(&event)
                        && id >= self.next
                        && id < upto
                    {
                        self.push(event, id);
                    }
                }
                if self.next < upto {
                    tracing::warn!(stream = %key, missed_from = self.next, upto, "binance: trades missed during the resync are older than the REST page");
                } else {
                    tracing::info!(stream = %key, from, upto, "binance: trades missed during the resync fetched over REST");
                }
            }
            Err(e) => {
                tracing::warn!(stream = %key, from, upto, error = %e, "binance: trades missed during the resync could not be fetched");
            }
        }
    }

    fn push(&mut self, event: MarketEvent, id: u64) {
        self.next = id.saturating_add(1);
        let trade = match &event {
            MarketEvent::Trade(t) => t.to_trade(self.cache.symbols(), now_ns()),
            MarketEvent::AggTrade(t) => t.to_trade(self.cache.symbols(), now_ns()),
            _ => return,
        };
        match trade {
            Ok(trade) => self.queue.push_back(StreamEvent::Data(trade)),
            Err(e) => tracing::warn!(error = %e, "binance: stream item skipped"),
        }
    }
}

/// The id of a trade or aggregate trade event.
fn trade_id(event: &MarketEvent) -> Option<u64> {
    match event {
        MarketEvent::Trade(t) => Some(t.trade_id),
        MarketEvent::AggTrade(t) => Some(t.agg_trade_id),
        _ => None,
    }
}
