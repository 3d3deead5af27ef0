//! The service: start everything in order, stop everything in reverse.
//!
//! Start: the adapters (one per desk, with the account's credentials), NATS (waits for the
//! server), the micro service, the health server, the JetStream definitions (retried until NATS
//! takes them). Then per desk: connect the adapter and load its markets (retried), follow the
//! private stream, reconcile, and only then take commands and answer queries.
//! A NATS reconnect makes every desk reconcile again before its next command.
//!
//! Stop (the token is cancelled, by SIGTERM/SIGINT in the binary): command consumers and lanes end
//! (a command in hand is finished or left unacked, to be redelivered), private streams and
//! reconcilers end, adapters disconnect, the micro service stops, NATS is drained.

use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream;
use bus::jetstream::JetStreamConfig;
use exchange_core::{Exchange, ExchangeFactory};
use service_kit::{HealthServer, Metrics, NatsConnection, Readiness, Shutdown};
use tokio_util::sync::CancellationToken;

use crate::config::GatewayConfig;
use crate::desk::Desk;
use crate::error::{GatewayError, Result};
use crate::journal::Journal;
use crate::metrics::OrderMetrics;
use crate::reconcile::{self, Trigger};
use crate::{account, commands, queries};

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
        OrderGateway::start(config, factory, &token),
        OrderGateway::stop,
        &token,
    )
    .await
}

/// A running order-gateway.
pub struct OrderGateway {
    desks_shutdown: Shutdown,
    frame: Shutdown,
    nats: NatsConnection,
    service: Option<async_nats::service::Service>,
    health: HealthServer,
    metrics: OrderMetrics,
    readiness: Readiness,
    adapters: Vec<Arc<dyn Exchange>>,
    timeout: Duration,
}

impl OrderGateway {
    /// Starts the gateway with the adapters of `factory` (configured here with each venue's
    /// settings). Stops when [`OrderGateway::stop`] is called; `parent` cancels its desks too.
    pub async fn start(
        config: GatewayConfig,
        mut factory: ExchangeFactory,
        parent: &CancellationToken,
    ) -> Result<OrderGateway> {
        config.validate()?;
        let mut desks_wanted = Vec::new();
        for (name, venue) in &config.venues {
            factory.configure(name, venue.settings())?;
            for account in &venue.accounts {
                desks_wanted.push((
                    name.clone(),
                    account.clone(),
                    factory.get_authenticated(name, account)?,
                ));
            }
        }
        let service_name = config.service.name.clone();
        let registry = Metrics::new();
        let metrics = OrderMetrics::new(registry.clone());
        let readiness = Readiness::new();
        readiness.set("nats", Err("not connected yet".into()));
        readiness.set("jetstream", Err("definitions not ensured yet".into()));
        for (venue, account, _) in &desks_wanted {
            readiness.set(
                &desk_check(venue, account),
                Err("not reconciled yet".into()),
            );
        }
        let desks_shutdown = Shutdown::child_of(parent);
        let frame = Shutdown::new();

        let nats = NatsConnection::connect(&config.nats, &service_name).await?;
        let service = service_kit::micro::start(
            &nats.client,
            &service_name,
            env!("CARGO_PKG_VERSION"),
            "Order commands from JetStream to the venues, exactly once; order events and fills",
        )
        .await?;
        let health =
            HealthServer::start(&config.health, registry, readiness.clone(), &frame).await?;
        let js = jetstream::new(nats.client.clone());
        let definitions = config.jetstream.definitions();
        let stores =
            ensure_definitions(&js, &definitions, &readiness, desks_shutdown.token()).await?;

        let mut triggers = Vec::new();
        let mut adapters = Vec::new();
        for (venue, account, exchange) in desks_wanted {
            adapters.push(exchange.clone());
            let journal = Journal::new(
                &venue,
                &account,
                js.clone(),
                stores.orders.clone(),
                config.orders.encoding,
                metrics.clone(),
            );
            let desk = Desk::new(exchange, journal, config.orders.clone(), metrics.clone());
            let (trigger, reconciler) =
                reconcile::reconciler(desk.clone(), desks_shutdown.token().clone());
            desks_shutdown.spawn(reconciler);
            desks_shutdown.spawn(start_desk(
                desk,
                trigger.clone(),
                js.clone(),
                nats.client.clone(),
                readiness.clone(),
                desks_shutdown.clone(),
            ));
            triggers.push(trigger);
        }
        // A NATS reconnect makes every desk reconcile before its next command.
        frame.spawn(service_kit::nats::watch_link(
            nats.clone(),
            metrics.nats_connected(),
            metrics.nats_reconnects(),
            readiness.clone(),
            move || {
                for trigger in &triggers {
                    trigger.fire("NATS reconnected");
                }
            },
            frame.token().clone(),
        ));
        tracing::info!(
            service = %service_name,
            desks = ?config.desks(),
            health = %health.addr(),
            "order-gateway started"
        );
        Ok(OrderGateway {
            desks_shutdown,
            frame,
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
    pub fn metrics(&self) -> &OrderMetrics {
        &self.metrics
    }

    /// The readiness checks (ready once every desk is reconciled and taking commands).
    pub fn readiness(&self) -> &Readiness {
        &self.readiness
    }

    /// Stops everything, in order (see the module documentation).
    pub async fn stop(mut self) {
        tracing::info!("order-gateway stopping");
        self.desks_shutdown.cancel();
        if !self.desks_shutdown.wait(self.timeout).await {
            tracing::warn!("desks did not stop in time");
        }
        service_kit::shutdown::disconnect_all(&self.adapters).await;
        self.frame.cancel();
        if !self.frame.wait(self.timeout).await {
            tracing::warn!("health server or link watch did not stop in time");
        }
        service_kit::micro::stop_and_drain(self.service.take(), &self.nats, self.timeout).await;
        tracing::info!("order-gateway stopped");
    }
}

fn desk_check(venue: &str, account: &str) -> String {
    format!("desk {venue}/{account}")
}

/// Creates or updates the order streams and buckets, retrying while NATS refuses.
async fn ensure_definitions(
    js: &jetstream::Context,
    definitions: &JetStreamConfig,
    readiness: &Readiness,
    token: &CancellationToken,
) -> Result<bus::jetstream::BusStores> {
    let mut backoff = Duration::from_millis(200);
    loop {
        match bus::jetstream::ensure(js, definitions).await {
            Ok(stores) => {
                readiness.set("jetstream", Ok(()));
                return Ok(stores);
            }
            Err(e) => {
                tracing::warn!(error = %e, "JetStream definitions not ensured; retrying");
                readiness.set("jetstream", Err(e.to_string()));
            }
        }
        tokio::select! {
            () = token.cancelled() => return Err(GatewayError::Stopping),
            () = tokio::time::sleep(backoff) => {}
        }
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}

/// Brings one desk up: adapter, markets, private stream, first reconciliation, then commands and
/// queries.
async fn start_desk(
    desk: Desk,
    trigger: Trigger,
    js: jetstream::Context,
    client: async_nats::Client,
    readiness: Readiness,
    shutdown: Shutdown,
) {
    let token = shutdown.token().clone();
    let mut backoff = Duration::from_millis(200);
    loop {
        let up = async {
            desk.exchange.connect().await?;
            desk.load_markets().await
        };
        match up.await {
            Ok(markets) => {
                tracing::info!(
                    venue = desk.venue(),
                    account = desk.account(),
                    markets,
                    "venue connected"
                );
                break;
            }
            Err(e) => {
                tracing::warn!(venue = desk.venue(), account = desk.account(), error = %e, "venue not reachable; retrying");
                tokio::select! {
                    () = token.cancelled() => return,
                    () = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(10));
            }
        }
    }
    shutdown.spawn(account::run(
        desk.clone(),
        trigger.clone(),
        shutdown.tracker().clone(),
        token.clone(),
    ));
    shutdown.spawn(watch_desk(desk.clone(), readiness, token.clone()));
    trigger.fire("start");
    if let Err(e) = queries::serve(
        desk.clone(),
        client,
        shutdown.tracker().clone(),
        token.clone(),
    )
    .await
    {
        tracing::warn!(venue = desk.venue(), error = %e, "account queries not served");
    }
    commands::run(desk, js, shutdown.tracker().clone(), token).await;
}

/// Mirrors a desk's readiness and venue connection state into readiness and metrics.
async fn watch_desk(desk: Desk, readiness: Readiness, token: CancellationToken) {
    let check = desk_check(desk.venue(), desk.account());
    let gauge = desk.metrics.connection_state(desk.venue(), desk.account());
    let mut ready = desk.ready();
    let mut state = desk.exchange.connection_state();
    let mut state_open = true;
    loop {
        let is_ready = *ready.borrow_and_update();
        readiness.set(
            &check,
            if is_ready {
                Ok(())
            } else {
                Err("reconciling".into())
            },
        );
        gauge.set(connection_code(*state.borrow_and_update()));
        let state_changed = async {
            if state_open {
                state.changed().await
            } else {
                std::future::pending().await
            }
        };
        tokio::select! {
            () = token.cancelled() => return,
            r = ready.changed() => if r.is_err() { return },
            // An adapter without a session has no state to follow.
            s = state_changed => if s.is_err() { state_open = false },
        }
    }
}

fn connection_code(state: exchange_core::ConnectionState) -> i64 {
    use exchange_core::ConnectionState as S;
    match state {
        S::Disconnected => 0,
        S::Connected => 1,
        S::Reconnecting => 2,
        S::Polling => 3,
        S::Stale => 4,
    }
}
