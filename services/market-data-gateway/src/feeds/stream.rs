//! Trade, ticker and candle feeds: every item from the adapter becomes one message on
//! `md.<venue>.<channel>.<symbol>`, offered to the outbox (dropped and counted when it is full).
//!
//! A [`StreamEvent::Resync`] is logged: these channels have no state to rebuild (a consumer of
//! candles sees the next update of the open candle). A stream that fails or ends is
//! resubscribed with backoff.

use std::future::Future;

use async_nats::Subject;
use bus::payload::Payload;
use exchange_core::{Result as ExResult, StreamEvent, Subscription};
use futures_util::StreamExt;
use tokio_util::sync::CancellationToken;

use super::{FeedContext, backoff, sleep_or_cancel};
use crate::outbox::offer;

/// One stream feed: where it publishes and what it is called in logs and metrics.
#[derive(Debug, Clone)]
pub struct StreamFeed {
    /// Venue token.
    pub venue: String,
    /// Channel token (`trade`, `ticker`, `candle_1m`).
    pub channel: String,
    /// The subject.
    pub subject: Subject,
    /// The unified symbol, for logs.
    pub symbol: String,
}

/// Runs one feed until `token` is cancelled: subscribes with `subscribe`, wraps each item with
/// `wrap` and offers it.
pub async fn run<T, P, S, Fut>(
    ctx: FeedContext,
    feed: StreamFeed,
    mut subscribe: S,
    wrap: impl Fn(&str, T) -> P,
    token: CancellationToken,
) where
    P: Payload,
    S: FnMut() -> Fut,
    Fut: Future<Output = ExResult<Subscription<T>>>,
{
    let published = ctx.metrics.published(&feed.venue, &feed.channel);
    let dropped = ctx.metrics.dropped(&feed.venue, &feed.channel);
    let restarts = ctx.metrics.feed_restarts(&feed.venue, &feed.channel);
    let mut attempt = 0u32;
    loop {
        let subscribed = tokio::select! {
            () = token.cancelled() => return,
            s = subscribe() => s,
        };
        let mut stream = match subscribed {
            Ok(stream) => stream,
            Err(e) => {
                tracing::warn!(venue = %feed.venue, channel = %feed.channel, symbol = %feed.symbol,
                    error = %e, "subscribe failed; retrying");
                restarts.inc();
                if sleep_or_cancel(backoff(attempt), &token).await {
                    return;
                }
                attempt = attempt.saturating_add(1);
                continue;
            }
        };
        tracing::info!(venue = %feed.venue, channel = %feed.channel, symbol = %feed.symbol, "feed subscribed");
        attempt = 0;
        loop {
            let item = tokio::select! {
                () = token.cancelled() => return,
                item = stream.next() => item,
            };
            match item {
                Some(StreamEvent::Data(data)) => {
                    let payload = wrap(&feed.venue, data);
                    if let Some(message) = ctx.encode(&feed.subject, &payload, &published)
                        && !offer(&ctx.outbox, message, &dropped)
                    {
                        return; // the publisher is gone: shutting down
                    }
                }
                Some(StreamEvent::Resync) => {
                    tracing::info!(venue = %feed.venue, channel = %feed.channel, symbol = %feed.symbol,
                        "venue stream resynced; items may have been missed");
                }
                None => {
                    tracing::warn!(venue = %feed.venue, channel = %feed.channel, symbol = %feed.symbol,
                        "venue stream ended; resubscribing");
                    restarts.inc();
                    break;
                }
            }
        }
        if sleep_or_cancel(backoff(0), &token).await {
            return;
        }
    }
}
