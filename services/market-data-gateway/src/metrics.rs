//! The gateway's Prometheus metrics, over `service_kit::Metrics`.
//!
//! | metric | type | labels | |
//! |---|---|---|---|
//! | `md_messages_published_total` | counter | venue, channel | messages handed to NATS |
//! | `md_messages_dropped_total` | counter | venue, channel | market data dropped because the buffer to NATS was full |
//! | `md_publish_errors_total` | counter | | publishes NATS refused |
//! | `md_encode_errors_total` | counter | | payloads that could not be encoded |
//! | `md_outbox_depth` | gauge | | messages waiting for the NATS side |
//! | `md_feed_state` | gauge | venue, symbol | book feed: 0 waiting for the first snapshot, 1 live, 2 stale |
//! | `md_feed_transitions_total` | counter | venue, symbol, state | status changes published |
//! | `md_book_snapshots_total` | counter | venue, symbol | snapshot events published |
//! | `md_feed_restarts_total` | counter | venue, channel | subscriptions (re)started after an error or end |
//! | `md_venue_connection_state` | gauge | venue | 0 disconnected, 1 connected, 2 reconnecting, 3 polling, 4 stale |
//! | `md_venue_frames_undecodable_total` | counter | venue | venue frames the adapter could not decode (skipped, logged) |
//! | `md_kv_writes_total` / `md_kv_errors_total` | counter | | KV `md_books` writes done / failed |
//! | `md_nats_connected` | gauge | | 1 while connected to NATS |
//! | `md_nats_reconnects_total` | counter | | reconnects after the first connection |

use service_kit::{Counter, Gauge, Metrics};

/// Handles to the gateway's metrics. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct GatewayMetrics {
    registry: Metrics,
}

impl GatewayMetrics {
    /// Metrics in `registry`.
    pub fn new(registry: Metrics) -> Self {
        GatewayMetrics { registry }
    }

    /// The registry (for `/metrics`).
    pub fn registry(&self) -> &Metrics {
        &self.registry
    }

    /// Messages published on `venue`'s `channel`.
    pub fn published(&self, venue: &str, channel: &str) -> Counter {
        self.registry.counter(
            "md_messages_published_total",
            "Messages handed to NATS",
            &[("venue", venue), ("channel", channel)],
        )
    }

    /// Market-data messages dropped because the buffer to NATS was full.
    pub fn dropped(&self, venue: &str, channel: &str) -> Counter {
        self.registry.counter(
            "md_messages_dropped_total",
            "Market data dropped because the buffer to NATS was full",
            &[("venue", venue), ("channel", channel)],
        )
    }

    /// Publishes NATS refused.
    pub fn publish_errors(&self) -> Counter {
        self.registry
            .counter("md_publish_errors_total", "Publishes NATS refused", &[])
    }

    /// Payloads that could not be encoded.
    pub fn encode_errors(&self) -> Counter {
        self.registry.counter(
            "md_encode_errors_total",
            "Payloads that could not be encoded",
            &[],
        )
    }

    /// Messages waiting for the NATS side.
    pub fn outbox_depth(&self) -> Gauge {
        self.registry
            .gauge("md_outbox_depth", "Messages waiting for the NATS side", &[])
    }

    /// The book feed state of `venue`/`symbol`.
    pub fn feed_state(&self, venue: &str, symbol: &str) -> Gauge {
        self.registry.gauge(
            "md_feed_state",
            "Book feed state: 0 waiting for the first snapshot, 1 live, 2 stale",
            &[("venue", venue), ("symbol", symbol)],
        )
    }

    /// Status changes published for `venue`/`symbol` into `state`.
    pub fn transitions(&self, venue: &str, symbol: &str, state: &str) -> Counter {
        self.registry.counter(
            "md_feed_transitions_total",
            "Feed status changes published",
            &[("venue", venue), ("symbol", symbol), ("state", state)],
        )
    }

    /// Snapshot events published for `venue`/`symbol`.
    pub fn snapshots(&self, venue: &str, symbol: &str) -> Counter {
        self.registry.counter(
            "md_book_snapshots_total",
            "Book snapshot events published",
            &[("venue", venue), ("symbol", symbol)],
        )
    }

    /// Subscriptions (re)started on `venue`'s `channel` after an error or the end of a stream.
    pub fn feed_restarts(&self, venue: &str, channel: &str) -> Counter {
        self.registry.counter(
            "md_feed_restarts_total",
            "Venue subscriptions restarted after an error or end",
            &[("venue", venue), ("channel", channel)],
        )
    }

    /// The adapter's connection state of `venue`.
    pub fn venue_connection(&self, venue: &str) -> Gauge {
        self.registry.gauge(
            "md_venue_connection_state",
            "Venue connection: 0 disconnected, 1 connected, 2 reconnecting, 3 polling, 4 stale",
            &[("venue", venue)],
        )
    }

    /// Exports `venue`'s count of undecodable frames, kept by its adapter's sessions.
    pub fn venue_frames_undecodable(
        &self,
        venue: &str,
        counters: &exchange_core::session::FrameCounters,
    ) {
        self.registry.register_counter(
            "md_venue_frames_undecodable_total",
            "Venue frames the adapter could not decode (skipped and logged)",
            &[("venue", venue)],
            Counter::shared(counters.undecodable_shared()),
        );
    }

    /// KV `md_books` writes done.
    pub fn kv_writes(&self) -> Counter {
        self.registry
            .counter("md_kv_writes_total", "KV md_books records written", &[])
    }

    /// KV `md_books` writes that failed (retried).
    pub fn kv_errors(&self) -> Counter {
        self.registry.counter(
            "md_kv_errors_total",
            "KV md_books writes that failed (retried)",
            &[],
        )
    }

    /// 1 while connected to NATS.
    pub fn nats_connected(&self) -> Gauge {
        self.registry
            .gauge("md_nats_connected", "1 while connected to NATS", &[])
    }

    /// Reconnects to NATS after the first connection.
    pub fn nats_reconnects(&self) -> Counter {
        self.registry.counter(
            "md_nats_reconnects_total",
            "Reconnects to NATS after the first connection",
            &[],
        )
    }
}
