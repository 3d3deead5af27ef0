//! Public streams of [`CoinbaseExchange`] on the market-data session (§5): `market_trades`,
//! `ticker` and five-minute `candles`; candles of other timeframes are polled over REST.
//!
//! Each stream is a session subscription of one `(channel, product)` mapped onto normalized
//! types. `Resync` passes through, and a `sequence_num` gap on the connection becomes a
//! `Resync` too, so consumers know they may have missed data. A message that does not map is
//! logged and skipped, never a reason to end the stream.

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream;
use tokio::sync::mpsc;

use super::exchange::CoinbaseExchange;
use super::http::CoinbaseHttp;
use super::market_data::fetch_candles;
use super::parse::candles::Granularity;
use super::parse::ws::candles::WS_CANDLE_TIMEFRAME;
use super::parse::ws::{Channel, ChannelBody, ChannelMessage};
use super::protocol::{StreamMessage, SubKey};
use crate::model::{Candle, Symbol, Ticker, Timeframe, Trade, now_ns};
use crate::session::{SessionSubscription, SubscribeOptions};
use crate::{Result, StreamEvent, Subscription};

/// Candles buffered for a slow subscriber of a polled candle stream.
const POLL_BUFFER: usize = 64;

/// Maps each channel message of `sub` to items with `f`; gaps and reconnects are `Resync`.
pub(crate) fn map_messages<T, F>(
    sub: SessionSubscription<StreamMessage>,
    mut f: F,
) -> Subscription<T>
where
    T: Send + 'static,
    F: FnMut(&ChannelMessage) -> Vec<Result<T>> + Send + 'static,
{
    sub.flat_map(move |event| {
        let items: Vec<StreamEvent<T>> = match event {
            StreamEvent::Resync | StreamEvent::Data(StreamMessage::SequenceGap { .. }) => {
                vec![StreamEvent::Resync]
            }
            StreamEvent::Data(StreamMessage::Data(msg)) => f(&msg)
                .into_iter()
                .filter_map(|item| match item {
                    Ok(item) => Some(StreamEvent::Data(item)),
                    Err(e) => {
                        tracing::warn!(error = %e, "coinbase: stream item skipped");
                        None
                    }
                })
                .collect(),
        };
        stream::iter(items)
    })
    .boxed()
}

/// Flattens per-event results into per-item results.
fn flatten<T>(results: impl Iterator<Item = Result<Vec<T>>>) -> Vec<Result<T>> {
    let mut out = Vec::new();
    for result in results {
        match result {
            Ok(items) => out.extend(items.into_iter().map(Ok)),
            Err(e) => out.push(Err(e)),
        }
    }
    out
}

impl CoinbaseExchange {
    /// Subscribes `channel` for `symbol`'s product on the market-data session.
    async fn product_subscription(
        &self,
        channel: Channel,
        symbol: &Symbol,
    ) -> Result<SessionSubscription<StreamMessage>> {
        let market = self.market(symbol).await?;
        let parts = self.market_parts().await?;
        parts
            .handle
            .subscribe(
                SubKey::new(channel, &market.venue_id),
                SubscribeOptions::default(),
            )
            .await
    }

    /// `market_trades`: each new trade once (the snapshot of recent trades a subscribe
    /// answers with is history, not news, and is left out).
    pub(crate) async fn trades_stream(&self, symbol: &Symbol) -> Result<Subscription<Trade>> {
        let sub = self
            .product_subscription(Channel::MarketTrades, symbol)
            .await?;
        Ok(map_messages(sub, |msg| match &msg.body {
            ChannelBody::MarketTrades(events) => flatten(
                events
                    .iter()
                    .filter(|e| e.kind != "snapshot")
                    .map(|e| e.to_trades(now_ns())),
            ),
            _ => Vec::new(),
        }))
    }

    /// `ticker`: best bid/ask with size, last price and 24-hour figures.
    pub(crate) async fn ticker_stream(&self, symbol: &Symbol) -> Result<Subscription<Ticker>> {
        let sub = self.product_subscription(Channel::Ticker, symbol).await?;
        Ok(map_messages(sub, |msg| match &msg.body {
            ChannelBody::Ticker(events) => events
                .iter()
                .flat_map(|e| e.tickers.iter())
                .map(|t| t.to_ticker(msg.timestamp_ns, now_ns()))
                .collect(),
            _ => Vec::new(),
        }))
    }

    /// Candles as they form and close: the `candles` channel for five minutes, REST polling
    /// (every `candle_poll_ms`) for the other timeframes Coinbase has.
    pub(crate) async fn candle_stream(
        &self,
        symbol: &Symbol,
        timeframe: Timeframe,
    ) -> Result<Subscription<Candle>> {
        if timeframe == WS_CANDLE_TIMEFRAME {
            let sub = self.product_subscription(Channel::Candles, symbol).await?;
            return Ok(map_messages(sub, |msg| match &msg.body {
                ChannelBody::Candles(events) => {
                    flatten(events.iter().map(|e| e.to_candles(now_ns())))
                }
                _ => Vec::new(),
            }));
        }
        let granularity = Granularity::from_timeframe(timeframe)?;
        let market = self.market(symbol).await?;
        let parts = self.market_parts().await?;
        let (out, rx) = mpsc::channel(POLL_BUFFER);
        let poller = CandlePoller {
            http: self.http.clone(),
            product_id: market.venue_id,
            granularity,
            every: Duration::from_millis(self.cfg.options.candle_poll_ms.max(100)),
            out,
        };
        let cancel = parts.cancel.child_token();
        parts.tracker.spawn(async move {
            tokio::select! {
                _ = cancel.cancelled() => {}
                _ = poller.run() => {}
            }
        });
        Ok(super::book_driver::receiver_stream(rx))
    }
}

/// Polls the two newest candles of one product and passes on each that changed.
struct CandlePoller {
    http: CoinbaseHttp,
    product_id: String,
    granularity: Granularity,
    every: Duration,
    out: mpsc::Sender<StreamEvent<Candle>>,
}

impl CandlePoller {
    /// Runs until the subscriber drops the stream.
    async fn run(self) {
        let mut last: BTreeMap<i64, Candle> = BTreeMap::new();
        let mut tick = tokio::time::interval(self.every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = self.out.closed() => return,
                _ = tick.tick() => {}
            }
            let polled = fetch_candles(
                &self.http,
                &self.product_id,
                self.granularity,
                None,
                Some(2),
            )
            .await;
            let candles = match polled {
                Ok(candles) => candles,
                Err(e) => {
                    tracing::warn!(product = %self.product_id, error = %e, "coinbase: candle poll failed");
                    continue;
                }
            };
            for candle in candles {
                if last.get(&candle.open_time_ns) == Some(&candle) {
                    continue;
                }
                last.insert(candle.open_time_ns, candle.clone());
                if self.out.send(StreamEvent::Data(candle)).await.is_err() {
                    return;
                }
            }
            while last.len() > 4 {
                last.pop_first();
            }
        }
    }
}
