//! One venue of the shard: connect its adapter (retrying), spawn a task per configured feed, and
//! watch the adapter's connection state (metric, and status `polling` for every symbol while the
//! venue is served by REST polling).

use std::sync::Arc;

use bus::subject::{self, MdChannel};
use bus::{CandleMsg, FeedState, FeedStatus, TickerMsg, TradeMsg};
use exchange_core::model::{Symbol, now_ns};
use exchange_core::{ConnectionState, Exchange};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::stream::{self, StreamFeed};
use super::{FeedContext, backoff, book, sleep_or_cancel};
use crate::config::VenueConfig;

/// Connects `adapter` (retrying until it succeeds or `token` is cancelled), then spawns every
/// feed of `config` on `tracker`.
pub async fn run(
    ctx: FeedContext,
    adapter: Arc<dyn Exchange>,
    config: VenueConfig,
    tracker: TaskTracker,
    token: CancellationToken,
) {
    let venue = adapter.venue().to_owned();
    ctx.metrics
        .venue_frames_undecodable(&venue, &adapter.frame_counters());
    let mut attempt = 0u32;
    loop {
        let connected = tokio::select! {
            () = token.cancelled() => return,
            c = adapter.connect() => c,
        };
        match connected {
            Ok(()) => break,
            Err(e) => {
                tracing::warn!(%venue, error = %e, "venue connect failed; retrying");
                if sleep_or_cancel(backoff(attempt), &token).await {
                    return;
                }
                attempt = attempt.saturating_add(1);
            }
        }
    }
    tracing::info!(%venue, symbols = config.symbols().len(), "venue connected; starting feeds");
    tracker.spawn(watch_connection(
        ctx.clone(),
        adapter.clone(),
        config.symbols(),
        token.clone(),
    ));
    for symbol in &config.books {
        tracker.spawn(book::run(
            ctx.clone(),
            adapter.clone(),
            symbol.clone(),
            token.clone(),
        ));
    }
    for symbol in &config.trades {
        let Some(feed) = feed(&venue, MdChannel::Trade, symbol) else {
            continue;
        };
        let (a, s) = (adapter.clone(), symbol.clone());
        tracker.spawn(stream::run(
            ctx.clone(),
            feed,
            move || {
                let (a, s) = (a.clone(), s.clone());
                async move { a.subscribe_trades(&s).await }
            },
            |venue, trade| TradeMsg::new(venue, trade),
            token.clone(),
        ));
    }
    for symbol in &config.tickers {
        let Some(feed) = feed(&venue, MdChannel::Ticker, symbol) else {
            continue;
        };
        let (a, s) = (adapter.clone(), symbol.clone());
        tracker.spawn(stream::run(
            ctx.clone(),
            feed,
            move || {
                let (a, s) = (a.clone(), s.clone());
                async move { a.subscribe_ticker(&s).await }
            },
            |venue, ticker| TickerMsg::new(venue, ticker),
            token.clone(),
        ));
    }
    for (timeframe, symbols) in &config.candles {
        for symbol in symbols {
            let Some(feed) = feed(&venue, MdChannel::Candle(*timeframe), symbol) else {
                continue;
            };
            let (a, s, tf) = (adapter.clone(), symbol.clone(), *timeframe);
            tracker.spawn(stream::run(
                ctx.clone(),
                feed,
                move || {
                    let (a, s) = (a.clone(), s.clone());
                    async move { a.subscribe_ohlcv(&s, tf).await }
                },
                |venue, candle| CandleMsg::new(venue, candle),
                token.clone(),
            ));
        }
    }
}

fn feed(venue: &str, channel: MdChannel, symbol: &Symbol) -> Option<StreamFeed> {
    match subject::market_data(venue, channel, symbol) {
        Ok(subject) => Some(StreamFeed {
            venue: venue.to_owned(),
            channel: channel.to_string(),
            subject: subject.into(),
            symbol: symbol.to_string(),
        }),
        Err(e) => {
            tracing::error!(venue, %symbol, error = %e, "feed not started");
            None
        }
    }
}

fn code(state: ConnectionState) -> i64 {
    match state {
        ConnectionState::Disconnected => 0,
        ConnectionState::Connected => 1,
        ConnectionState::Reconnecting => 2,
        ConnectionState::Polling => 3,
        ConnectionState::Stale => 4,
    }
}

/// Follows the adapter's connection state until `token` is cancelled or the adapter has no
/// session to watch.
async fn watch_connection(
    ctx: FeedContext,
    adapter: Arc<dyn Exchange>,
    symbols: Vec<Symbol>,
    token: CancellationToken,
) {
    let venue = adapter.venue().to_owned();
    let gauge = ctx.metrics.venue_connection(&venue);
    let published = ctx.metrics.published(&venue, "status");
    let mut states = adapter.connection_state();
    let mut previous = None;
    loop {
        let state = *states.borrow_and_update();
        gauge.set(code(state));
        if previous != Some(state) {
            tracing::info!(%venue, ?state, "venue connection state");
            if state == ConnectionState::Polling {
                for symbol in &symbols {
                    let Ok(subject) = subject::market_data(&venue, MdChannel::Status, symbol)
                    else {
                        continue;
                    };
                    let subject = async_nats::Subject::from(subject);
                    let status = FeedStatus::new(
                        venue.clone(),
                        symbol.clone(),
                        FeedState::Polling,
                        Some("venue stream down; REST polling".into()),
                        now_ns(),
                    );
                    let Some(message) = ctx.encode(&subject, &status, &published) else {
                        continue;
                    };
                    // Status is never dropped: wait for room (rare, and not on the data path).
                    tokio::select! {
                        () = token.cancelled() => return,
                        sent = ctx.outbox.send(message) => if sent.is_err() { return },
                    }
                }
            }
            previous = Some(state);
        }
        tokio::select! {
            () = token.cancelled() => return,
            changed = states.changed() => if changed.is_err() { return },
        }
    }
}
