//! The service: start everything in order, stop everything in reverse.
//!
//! Start: NATS (waits for the server), the micro service, the health server, the KV writer (which
//! ensures the JetStream definitions), the publisher, then every venue of the shard.
//! Stop (the token is cancelled, by SIGTERM/SIGINT in the binary): feeds end and their venue
//! subscriptions are dropped, adapters disconnect, the publisher sends what is buffered and
//! flushes, the KV writer writes what is pending, the micro service stops, NATS is drained.

use std::sync::Arc;
use std::time::Duration;

use bus::jetstream::JetStreamConfig;
use exchange_core::{Exchange, ExchangeFactory};
use service_kit::{HealthServer, Metrics, NatsConnection, Readiness, Shutdown};
use tokio_util::sync::CancellationToken;

use crate::config::GatewayConfig;
use crate::error::Result;
use crate::feeds::{self, FeedContext};
use crate::kv_writer::{KvWriter, WriterTask};
use crate::metrics::GatewayMetrics;
use crate::{outbox, publisher};

/// The factory of the shipped adapters, with the configured credentials (environment first, see
/// docs/credentials.md).
pub fn default_factory(config: &GatewayConfig) -> Result<ExchangeFactory> {
    Ok(exchange_core::adapters::shipped_factory(
        config.credentials.clone(),
    )?)
}

/// Runs the gateway with the shipped adapters until `token` is cancelled.
pub async fn run(config: GatewayConfig, token: CancellationToken) -> Result<()> {
    let factory = default_factory(&config)?;
    service_kit::shutdown::run_until_cancelled(
        Gateway::start(config, factory, &token),
        Gateway::stop,
        &token,
    )
    .await
}

/// A running gateway.
pub struct Gateway {
    feeds: Shutdown,
    sinks: Shutdown,
    nats: NatsConnection,
    service: Option<async_nats::service::Service>,
    health: HealthServer,
    metrics: GatewayMetrics,
    readiness: Readiness,
    adapters: Vec<Arc<dyn Exchange>>,
    timeout: Duration,
}

impl Gateway {
    /// Starts the gateway with the adapters of `factory` (configured here with each venue's
    /// settings). Stops when [`Gateway::stop`] is called; `parent` cancels its feeds too.
    pub async fn start(
        config: GatewayConfig,
        mut factory: ExchangeFactory,
        parent: &CancellationToken,
    ) -> Result<Gateway> {
        config.validate()?;
        let mut adapters = Vec::new();
        for (name, venue) in &config.venues {
            factory.configure(name, venue.settings())?;
            adapters.push(factory.get(name, &venue.account)?);
        }
        let service_name = config.service.name.clone();
        let registry = Metrics::new();
        let metrics = GatewayMetrics::new(registry.clone());
        let readiness = Readiness::new();
        readiness.set("nats", Err("not connected yet".into()));
        readiness.set(
            crate::kv_writer::READINESS_CHECK,
            Err("definitions not ensured yet".into()),
        );
        let feeds_shutdown = Shutdown::child_of(parent);
        let sinks = Shutdown::new();

        let nats = NatsConnection::connect(&config.nats, &service_name).await?;
        let service = service_kit::micro::start(
            &nats.client,
            &service_name,
            env!("CARGO_PKG_VERSION"),
            "Venue market data on NATS: trades, tickers, candles, order books",
        )
        .await?;
        let health =
            HealthServer::start(&config.health, registry, readiness.clone(), &sinks).await?;
        sinks.spawn(service_kit::nats::watch_link(
            nats.clone(),
            metrics.nats_connected(),
            metrics.nats_reconnects(),
            readiness.clone(),
            || {},
            sinks.token().clone(),
        ));

        let kv = KvWriter::new();
        let writer = WriterTask {
            writer: kv.clone(),
            js: async_nats::jetstream::new(nats.client.clone()),
            link: nats.link(),
            jetstream: JetStreamConfig::default(),
            encoding: config.publish.encoding,
            metrics: metrics.clone(),
            readiness: readiness.clone(),
        };
        sinks.spawn(writer.run(sinks.token().clone()));
        let (tx, rx) = outbox::outbox(config.publish.buffer);
        sinks.spawn(publisher::run(
            nats.client.clone(),
            rx,
            config.publish.encoding,
            metrics.clone(),
            sinks.token().clone(),
        ));

        let ctx = FeedContext {
            outbox: tx,
            kv,
            encoding: config.publish.encoding,
            metrics: metrics.clone(),
            link: nats.link(),
            book: config.book.clone(),
        };
        for adapter in &adapters {
            let Some(venue) = config.venues.get(adapter.venue()) else {
                continue;
            };
            feeds_shutdown.spawn(feeds::venue::run(
                ctx.clone(),
                adapter.clone(),
                venue.clone(),
                feeds_shutdown.tracker().clone(),
                feeds_shutdown.token().clone(),
            ));
        }
        tracing::info!(
            service = %service_name,
            venues = ?config.venues.keys().collect::<Vec<_>>(),
            health = %health.addr(),
            "market-data-gateway started"
        );
        Ok(Gateway {
            feeds: feeds_shutdown,
            sinks,
            nats,
            service: Some(service),
            health,
            metrics,
            readiness,
            adapters,
            timeout: Duration::from_millis(config.service.shutdown_timeout_ms),
        })
    }

    /// The health server's address.
    pub fn health_addr(&self) -> std::net::SocketAddr {
        self.health.addr()
    }

    /// The metrics.
    pub fn metrics(&self) -> &GatewayMetrics {
        &self.metrics
    }

    /// The readiness checks.
    pub fn readiness(&self) -> &Readiness {
        &self.readiness
    }

    /// Stops everything, in order (see the module documentation).
    pub async fn stop(mut self) {
        tracing::info!("market-data-gateway stopping");
        self.feeds.cancel();
        if !self.feeds.wait(self.timeout).await {
            tracing::warn!("feeds did not stop in time");
        }
        service_kit::shutdown::disconnect_all(&self.adapters).await;
        self.sinks.cancel();
        if !self.sinks.wait(self.timeout).await {
            tracing::warn!("publisher or KV writer did not stop in time");
        }
        service_kit::micro::stop_and_drain(self.service.take(), &self.nats, self.timeout).await;
        tracing::info!("market-data-gateway stopped");
    }
}
