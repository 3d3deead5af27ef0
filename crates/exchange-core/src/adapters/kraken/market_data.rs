//! Public market data of [`KrakenExchange`]: candles over REST (`OHLC`, §2) and the `trade`,
//! `ticker` and `ohlc` channels of the public v2 session (§5.2).
//!
//! Each stream is a session subscription mapped onto normalized types; `Resync` passes through
//! so consumers know they may have missed data. A message that does not map is logged and
//! skipped, never a reason to end the stream.

use futures_util::StreamExt;

use super::exchange::KrakenExchange;
use super::parse::ohlc::{interval_minutes, parse_ohlc};
use super::requests::ohlc_query;
use super::symbols::v2_symbol;
use super::ws::{WsChannel, WsKey, WsMessage};
use crate::model::{Candle, Symbol, Ticker, Timeframe, Trade, now_ns};
use crate::session::{SessionSubscription, SubscribeOptions};
use crate::{Exchange, ExchangeError, Result, StreamEvent, Subscription};

const NS: i64 = 1_000_000_000;

/// Kraken's interval in minutes for `timeframe`, or `NotSupported`.
fn interval(timeframe: Timeframe) -> Result<u32> {
    interval_minutes(timeframe).ok_or_else(|| {
        ExchangeError::NotSupported(format!(
            "kraken has no {timeframe:?} candles (1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w)"
        ))
    })
}

/// Maps a session subscription's messages; `f` answers `None` for messages of another kind.
fn map_messages<T, F>(sub: SessionSubscription<WsMessage>, f: F) -> Subscription<T>
where
    T: Send + 'static,
    F: Fn(WsMessage) -> Option<Result<T>> + Send + 'static,
{
    sub.filter_map(move |event| {
        let out = match event {
            StreamEvent::Resync => Some(StreamEvent::Resync),
            StreamEvent::Data(message) => match f(message) {
                Some(Ok(item)) => Some(StreamEvent::Data(item)),
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "kraken: stream item skipped");
                    None
                }
                None => None,
            },
        };
        std::future::ready(out)
    })
    .boxed()
}

impl KrakenExchange {
    /// Candles, oldest first: from `since_ns` (the first `limit`), else the latest `limit`.
    /// Kraken serves the 720 most recent rows at most; the last row is the forming candle.
    pub(crate) async fn candles(
        &self,
        symbol: &Symbol,
        timeframe: Timeframe,
        since_ns: Option<i64>,
        limit: Option<u32>,
    ) -> Result<Vec<Candle>> {
        let minutes = interval(timeframe)?;
        let cache = self.cache().await?;
        let pair = cache.symbols().rest_pair(symbol)?.to_owned();
        // `since` is exclusive: ask from one second earlier and keep rows from `since_ns` on.
        let since = since_ns.map(|ns| ns.div_euclid(NS).saturating_sub(1));
        let body = self
            .http
            .public_text("OHLC", ohlc_query(&pair, minutes, since))
            .await?;
        let page = parse_ohlc(&body, cache.symbols(), timeframe)?;
        let mut candles: Vec<Candle> = page
            .candles
            .into_iter()
            .filter(|c| since_ns.is_none_or(|s| c.open_time_ns >= s))
            .collect();
        if let Some(limit) = limit {
            let limit = usize::try_from(limit).unwrap_or(usize::MAX);
            if since_ns.is_some() {
                candles.truncate(limit);
            } else if candles.len() > limit {
                candles.drain(..candles.len() - limit);
            }
        }
        Ok(candles)
    }

    async fn subscribe_key(&self, key: WsKey) -> Result<SessionSubscription<WsMessage>> {
        let public = self.public().await?;
        public
            .session
            .subscribe(key, SubscribeOptions::default())
            .await
    }

    /// The v2 symbol of a listed market, connecting first (which loads the markets).
    pub(crate) async fn ws_symbol(&self, symbol: &Symbol) -> Result<String> {
        self.connect().await?;
        self.cache().await?.market(symbol)?;
        Ok(v2_symbol(symbol))
    }

    /// The `trade` channel.
    pub(crate) async fn trades_stream(&self, symbol: &Symbol) -> Result<Subscription<Trade>> {
        let key = WsKey::new(WsChannel::Trade, self.ws_symbol(symbol).await?);
        let sub = self.subscribe_key(key).await?;
        Ok(map_messages(sub, |message| match message {
            WsMessage::Trade(t) => Some(t.to_trade(now_ns())),
            _ => None,
        }))
    }

    /// The `ticker` channel (best bid/ask and 24 h statistics).
    pub(crate) async fn ticker_stream(&self, symbol: &Symbol) -> Result<Subscription<Ticker>> {
        let key = WsKey::new(WsChannel::Ticker, self.ws_symbol(symbol).await?);
        let sub = self.subscribe_key(key).await?;
        Ok(map_messages(sub, |message| match message {
            WsMessage::Ticker(t) => Some(t.to_ticker(now_ns())),
            _ => None,
        }))
    }

    /// The `ohlc` channel: the forming candle of each interval as it changes.
    pub(crate) async fn candle_stream(
        &self,
        symbol: &Symbol,
        timeframe: Timeframe,
    ) -> Result<Subscription<Candle>> {
        let channel = WsChannel::Ohlc {
            interval: interval(timeframe)?,
        };
        let key = WsKey::new(channel, self.ws_symbol(symbol).await?);
        let sub = self.subscribe_key(key).await?;
        Ok(map_messages(sub, |message| match message {
            WsMessage::Ohlc(c) => Some(c.to_candle()),
            _ => None,
        }))
    }
}
