//! The gateway's Prometheus metrics, over `service_kit::Metrics`.
//!
//! | metric | type | labels | |
//! |---|---|---|---|
//! | `og_commands_total` | counter | venue, action, outcome | commands settled: `done`, `rejected`, `duplicate`, `retry` (left to redelivery), `terminated` (poison) |
//! | `og_events_published_total` | counter | venue, type | events JetStream stored |
//! | `og_events_duplicate_total` | counter | venue | events JetStream dropped as repeats (a fact decided twice) |
//! | `og_revision_races_total` | counter | venue | KV `orders` writes that lost a revision race and were decided again |
//! | `og_unknown_outcomes_total` | counter | venue | place/cancel answers that left the outcome unknown |
//! | `og_reconciliations_total` | counter | venue, outcome | reconciliation runs: `ok`, `failed` |
//! | `og_account_stream_resyncs_total` | counter | venue | private-stream gaps (each triggers reconciliation) |
//! | `og_venue_connection_state` | gauge | venue, account | 0 disconnected, 1 connected, 2 reconnecting, 3 polling, 4 stale |
//! | `og_desk_ready` | gauge | venue, account | 1 once reconciled and taking commands |
//! | `og_nats_connected` | gauge | | 1 while connected to NATS |
//! | `og_nats_reconnects_total` | counter | | reconnects after the first connection |

use service_kit::{Counter, Gauge, Metrics};

/// Handles to the gateway's metrics. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct OrderMetrics {
    registry: Metrics,
}

impl OrderMetrics {
    /// Metrics in `registry`.
    pub fn new(registry: Metrics) -> Self {
        OrderMetrics { registry }
    }

    /// The registry (for `/metrics`).
    pub fn registry(&self) -> &Metrics {
        &self.registry
    }

    /// Commands of `action` settled with `outcome`.
    pub fn commands(&self, venue: &str, action: &str, outcome: &str) -> Counter {
        self.registry.counter(
            "og_commands_total",
            "Order commands settled, by outcome",
            &[("venue", venue), ("action", action), ("outcome", outcome)],
        )
    }

    /// Events of `event_type` JetStream stored.
    pub fn events(&self, venue: &str, event_type: &str) -> Counter {
        self.registry.counter(
            "og_events_published_total",
            "Order events JetStream stored",
            &[("venue", venue), ("type", event_type)],
        )
    }

    /// Events JetStream dropped as repeats.
    pub fn duplicate_events(&self, venue: &str) -> Counter {
        self.registry.counter(
            "og_events_duplicate_total",
            "Order events JetStream dropped as repeats",
            &[("venue", venue)],
        )
    }

    /// KV writes that lost a revision race.
    pub fn revision_races(&self, venue: &str) -> Counter {
        self.registry.counter(
            "og_revision_races_total",
            "KV orders writes that lost a revision race",
            &[("venue", venue)],
        )
    }

    /// Place/cancel answers that left the outcome unknown.
    pub fn unknown_outcomes(&self, venue: &str) -> Counter {
        self.registry.counter(
            "og_unknown_outcomes_total",
            "Place or cancel answers that left the outcome unknown",
            &[("venue", venue)],
        )
    }

    /// Reconciliation runs by outcome.
    pub fn reconciliations(&self, venue: &str, outcome: &str) -> Counter {
        self.registry.counter(
            "og_reconciliations_total",
            "Reconciliation runs",
            &[("venue", venue), ("outcome", outcome)],
        )
    }

    /// Private-stream gaps.
    pub fn account_resyncs(&self, venue: &str) -> Counter {
        self.registry.counter(
            "og_account_stream_resyncs_total",
            "Private stream gaps, each followed by reconciliation",
            &[("venue", venue)],
        )
    }

    /// The venue connection state of a desk.
    pub fn connection_state(&self, venue: &str, account: &str) -> Gauge {
        self.registry.gauge(
            "og_venue_connection_state",
            "0 disconnected, 1 connected, 2 reconnecting, 3 polling, 4 stale",
            &[("venue", venue), ("account", account)],
        )
    }

    /// Whether a desk is reconciled and taking commands.
    pub fn desk_ready(&self, venue: &str, account: &str) -> Gauge {
        self.registry.gauge(
            "og_desk_ready",
            "1 once the desk is reconciled and taking commands",
            &[("venue", venue), ("account", account)],
        )
    }

    /// 1 while connected to NATS.
    pub fn nats_connected(&self) -> Gauge {
        self.registry
            .gauge("og_nats_connected", "1 while connected to NATS", &[])
    }

    /// Reconnects after the first connection.
    pub fn nats_reconnects(&self) -> Counter {
        self.registry.counter(
            "og_nats_reconnects_total",
            "NATS reconnects after the first connection",
            &[],
        )
    }
}
