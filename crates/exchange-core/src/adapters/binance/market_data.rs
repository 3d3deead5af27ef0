//! Public market data of [`BinanceExchange`]: candles over REST with pagination, and the
//! trade, ticker and candle streams on the market session (§5).
//!
//! Each stream is a session subscription mapped onto normalized types; `Resync` passes through
//! so consumers know they may have missed data (trades fill what they can over REST). A frame that does not map (unknown symbol) is
//! logged and skipped, never a reason to end the stream.

use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::stream;

use super::exchange::BinanceExchange;
use super::markets_cache::MarketCache;
use super::parse::frame::MarketEvent;
use super::parse::kline::{KlineRow, next_page_start};
use super::requests::klines_params;
use super::streams::{StreamKind, stream_name};
use super::trade_feed::TradeFeed;
use crate::model::{Candle, Symbol, Ticker, Timeframe, Trade, now_ns};
use crate::ratelimit::binance::{CLASS_MARKET, request_cost};
use crate::rest::RestRequest;
use crate::session::SubscribeOptions;
use crate::{Result, StreamEvent, Subscription};

/// Rows per klines page, the documented maximum.
const KLINES_PAGE: u32 = 1000;
/// Rows fetched when the caller gives no limit (the documented default).
const KLINES_DEFAULT: u32 = 500;

fn map_events<T, F>(sub: crate::session::SessionSubscription<MarketEvent>, f: F) -> Subscription<T>
where
    T: Send + 'static,
    F: Fn(MarketEvent) -> Option<Result<T>> + Send + 'static,
{
    sub.filter_map(move |event| {
        let out = match event {
            StreamEvent::Resync => Some(StreamEvent::Resync),
            StreamEvent::Data(event) => match f(event) {
                Some(Ok(item)) => Some(StreamEvent::Data(item)),
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "binance: stream item skipped");
                    None
                }
                None => None,
            },
        };
        std::future::ready(out)
    })
    .boxed()
}

/// Merges a `bookTicker` into the last 24 h statistics (or the reverse): the newest of each.
fn merge(base: Option<&Ticker>, update: Ticker, from_book: bool) -> Ticker {
    let Some(base) = base else { return update };
    if from_book {
        Ticker {
            last: base.last,
            open_24h: base.open_24h,
            high_24h: base.high_24h,
            low_24h: base.low_24h,
            volume_24h: base.volume_24h,
            quote_volume_24h: base.quote_volume_24h,
            ..update
        }
    } else {
        Ticker {
            bid: base.bid.or(update.bid),
            bid_qty: base.bid_qty.or(update.bid_qty),
            ask: base.ask.or(update.ask),
            ask_qty: base.ask_qty.or(update.ask_qty),
            ..update
        }
    }
}

impl BinanceExchange {
    /// Candles, oldest first: from `since_ns` page by page until `limit` or the present, else
    /// the latest `limit`.
    pub(crate) async fn candles(
        &self,
        symbol: &Symbol,
        timeframe: Timeframe,
        since_ns: Option<i64>,
        limit: Option<u32>,
    ) -> Result<Vec<Candle>> {
        let cache = self.cache().await?;
        let venue_id = cache.venue_id(symbol)?.to_owned();
        let wanted = limit.unwrap_or(KLINES_DEFAULT).max(1);
        let mut start = since_ns.map(|ns| ns.div_euclid(1_000_000));
        let mut out: Vec<Candle> = Vec::new();
        loop {
            let remaining = wanted.saturating_sub(u32::try_from(out.len()).unwrap_or(u32::MAX));
            if remaining == 0 {
                break;
            }
            let page = remaining.min(KLINES_PAGE);
            let mut request =
                RestRequest::get(self.paths.klines).cost(request_cost(CLASS_MARKET, 2));
            for (k, v) in klines_params(&venue_id, timeframe, start, None, page) {
                request = request.query(k, v);
            }
            let rows: Vec<KlineRow> = self.http.json(&request).await?;
            let now_ms = self.http.clock().now_ms();
            out.extend(
                rows.iter()
                    .map(|row| row.to_candle(symbol.clone(), timeframe, now_ms)),
            );
            let short = rows.len() < usize::try_from(page).unwrap_or(usize::MAX);
            match next_page_start(&rows) {
                Some(next) if start.is_some() && !short => start = Some(next),
                _ => break,
            }
        }
        Ok(out)
    }

    async fn stream_of(
        &self,
        symbol: &Symbol,
        kind: StreamKind,
        options: SubscribeOptions,
    ) -> Result<(
        crate::session::SessionSubscription<MarketEvent>,
        Arc<MarketCache>,
    )> {
        let (session, _, _) = self.market_session().await?;
        let cache = self.cache().await?;
        let key = stream_name(cache.venue_id(symbol)?, kind);
        Ok((session.subscribe(key, options).await?, cache))
    }

    /// `<s>@trade` (or `<s>@aggTrade` with the `agg_trades` option): once each, in order,
    /// with missed `@trade`s fetched over REST after a resync ([`super::trade_feed`]).
    pub(crate) async fn trades_stream(&self, symbol: &Symbol) -> Result<Subscription<Trade>> {
        let kind = if self.cfg.options.agg_trades {
            StreamKind::AggTrade
        } else {
            StreamKind::Trade
        };
        let cache = self.cache().await?;
        let venue_id = cache.venue_id(symbol)?.to_owned();
        let key = stream_name(&venue_id, kind);
        let backfill = (kind == StreamKind::Trade).then(|| {
            self.poller.register_trades(&key, &venue_id);
            (self.poller.clone(), key)
        });
        let (sub, cache) = self
            .stream_of(symbol, kind, SubscribeOptions::default())
            .await?;
        Ok(TradeFeed::new(sub, cache, backfill).boxed())
    }

    /// `<s>@kline_<tf>`: candles as they form and, with `closed`, as they close.
    pub(crate) async fn candle_stream(
        &self,
        symbol: &Symbol,
        timeframe: Timeframe,
    ) -> Result<Subscription<Candle>> {
        let (sub, _) = self
            .stream_of(
                symbol,
                StreamKind::Kline(timeframe),
                SubscribeOptions::default(),
            )
            .await?;
        let symbol = symbol.clone();
        Ok(map_events(sub, move |event| match event {
            MarketEvent::Kline(k) => Some(k.to_candle(symbol.clone())),
            _ => None,
        }))
    }

    /// `<s>@bookTicker`, with the `<s>@ticker` 24 h statistics merged in (option
    /// `ticker_24h`).
    pub(crate) async fn ticker_stream(&self, symbol: &Symbol) -> Result<Subscription<Ticker>> {
        let (book, cache) = self
            .stream_of(symbol, StreamKind::BookTicker, SubscribeOptions::default())
            .await?;
        let book = book.map(|e| (true, e)).boxed();
        let merged = if self.cfg.options.ticker_24h {
            let (session, _, _) = self.market_session().await?;
            let key = format!(
                "{}@ticker",
                super::symbols::stream_symbol(cache.venue_id(symbol)?)
            );
            let stats = session.subscribe(key, SubscribeOptions::default()).await?;
            stream::select(book, stats.map(|e| (false, e))).boxed()
        } else {
            book
        };
        let out = merged.scan(None::<Ticker>, move |last, (from_book, event)| {
            let ticker = match event {
                StreamEvent::Resync => return std::future::ready(Some(Some(StreamEvent::Resync))),
                StreamEvent::Data(MarketEvent::BookTicker(t)) => {
                    t.to_ticker(cache.symbols(), now_ns())
                }
                StreamEvent::Data(MarketEvent::Ticker24h(t)) => {
                    t.to_ticker(cache.symbols(), now_ns())
                }
                StreamEvent::Data(_) => return std::future::ready(Some(None)),
            };
            let item = match ticker {
                Ok(ticker) => {
                    let merged = merge(last.as_ref(), ticker, from_book);
                    *last = Some(merged.clone());
                    Some(StreamEvent::Data(merged))
                }
                Err(e) => {
                    tracing::warn!(error = %e, "binance: ticker skipped");
                    None
                }
            };
            std::future::ready(Some(item))
        });
        Ok(out.filter_map(std::future::ready).boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn ticker(bid: Option<rust_decimal::Decimal>, last: Option<rust_decimal::Decimal>) -> Ticker {
        Ticker {
            symbol: "BTC/USDT".parse().unwrap(),
            bid,
            bid_qty: None,
            ask: None,
            ask_qty: None,
            last,
            open_24h: last,
            high_24h: None,
            low_24h: None,
            volume_24h: None,
            quote_volume_24h: None,
            exchange_ts_ns: 0,
            local_ts_ns: 0,
        }
    }

    #[test]
    fn book_and_stats_merge_newest_of_each() {
        let stats = ticker(Some(dec!(1)), Some(dec!(5)));
        let book = merge(Some(&stats), ticker(Some(dec!(2)), None), true);
        assert_eq!((book.bid, book.last), (Some(dec!(2)), Some(dec!(5))));
        let next = merge(Some(&book), ticker(Some(dec!(1)), Some(dec!(6))), false);
        assert_eq!((next.bid, next.last), (Some(dec!(2)), Some(dec!(6))));
    }
}
