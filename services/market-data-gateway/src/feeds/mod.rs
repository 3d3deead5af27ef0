//! The venue side: per venue, one task that connects the adapter and then one task per feed.
//!
//! - [`book`]: an order book feed (snapshot, deltas, stale markers, status, KV records).
//! - [`stream`]: trades, tickers and candles: each item becomes one message.
//! - [`venue`]: connecting a venue's adapter, spawning its feeds, watching its connection state.
//!
//! Every task is on the gateway's feed tracker and ends when its token is cancelled; dropping a
//! subscription unsubscribes from the venue.

pub mod book;
pub mod stream;
pub mod venue;

use std::time::Duration;

use async_nats::Subject;
use bus::Encoding;
use bus::codec::encode;
use bus::payload::Payload;
use service_kit::Counter;
use service_kit::nats::LinkState;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::config::BookConfig;
use crate::kv_writer::KvWriter;
use crate::metrics::GatewayMetrics;
use crate::outbox::{OutboxSender, Outgoing};

/// What every feed task shares.
#[derive(Debug, Clone)]
pub struct FeedContext {
    /// The buffer to the NATS side.
    pub outbox: OutboxSender,
    /// The KV `md_books` writer.
    pub kv: KvWriter,
    /// Payload encoding.
    pub encoding: Encoding,
    /// Metrics.
    pub metrics: GatewayMetrics,
    /// The NATS link (books republish after a reconnect).
    pub link: watch::Receiver<LinkState>,
    /// Book settings.
    pub book: BookConfig,
}

impl FeedContext {
    /// Encodes `payload` for `subject`; an encoding failure is logged and counted.
    pub fn encode<T: Payload>(
        &self,
        subject: &Subject,
        payload: &T,
        published: &Counter,
    ) -> Option<Outgoing> {
        match encode(payload, self.encoding) {
            Ok(body) => Some(Outgoing {
                subject: subject.clone(),
                body,
                published: published.clone(),
            }),
            Err(e) => {
                self.metrics.encode_errors().inc();
                tracing::error!(error = %e, %subject, "cannot encode a payload");
                None
            }
        }
    }
}

/// Backoff between attempts to (re)subscribe or connect: 250 ms doubling up to 5 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(250u64 << attempt.min(5)).min(Duration::from_secs(5))
}

/// Sleeps `d`; true when cancelled first.
pub async fn sleep_or_cancel(d: Duration, token: &CancellationToken) -> bool {
    tokio::select! {
        () = token.cancelled() => true,
        () = tokio::time::sleep(d) => false,
    }
}
