//! The order path under test: venue-sim (in-process, real sockets, no background flow, rate
//! limits and balances raised so that they do not shape the run) and the order-gateway
//! in-process (the same `OrderGateway` its binary runs), serving Binance spot, account `main`.

use std::time::Duration;

use order_gateway::config::{OrdersConfig, VenueConfig};
use order_gateway::{GatewayConfig, OrderGateway};
use rust_decimal::Decimal;
use tokio_util::sync::CancellationToken;
use venue_sim::binance::limits::LimitConfig;
use venue_sim::config::Balances;
use venue_sim::{DEFAULT_API_KEY, DEFAULT_SECRET_KEY, MarketKind, SimConfig, VenueSim};

/// The venue the bench trades on.
pub const VENUE: &str = "binance";
/// The account the bench trades with.
pub const ACCOUNT: &str = "main";
/// The symbol, unified and as venue-sim names it.
pub const SYMBOL: (&str, &str) = ("BTC/USDT", "BTCUSDT");

/// venue-sim and the gateway.
pub struct OrdersStack {
    sim: VenueSim,
    gateway: OrderGateway,
    token: CancellationToken,
    /// The symbol's tick size.
    pub tick: Decimal,
    /// The symbol's minimum notional.
    pub min_notional: Decimal,
    /// The symbol's lot size.
    pub lot: Decimal,
}

impl OrdersStack {
    /// Starts venue-sim and the gateway (on NATS at `url`) and waits until the gateway takes
    /// commands.
    pub async fn start(url: &str) -> anyhow::Result<Self> {
        let mut sim_config = SimConfig {
            flow_rate: 0,
            limits: LimitConfig {
                weight_per_minute: 100_000_000,
                orders_per_10s: 100_000_000,
                orders_per_day: 1_000_000_000,
                ..LimitConfig::default()
            },
            ..SimConfig::for_tests()
        };
        let rich: Balances = Balances {
            spot: [("USDT", 1_000_000_000i64), ("BTC", 100_000)]
                .into_iter()
                .map(|(a, q)| (a.to_owned(), Decimal::from(q)))
                .collect(),
            ..Balances::default()
        };
        sim_config.balances = rich;
        let spec = sim_config
            .spot_symbols
            .iter()
            .find(|s| s.symbol == SYMBOL.1)
            .ok_or_else(|| anyhow::anyhow!("venue-sim has no {}", SYMBOL.1))?;
        let (tick, min_notional, lot) = (spec.tick_size, spec.min_notional, spec.step_size);
        let sim = VenueSim::start(sim_config).await?;

        let mut config = GatewayConfig::default();
        config.nats.url = url.to_owned();
        config.health.listen = "127.0.0.1:0".into();
        config.orders = OrdersConfig {
            // The periodic safety-net reconciliation would land inside a phase: off here.
            reconcile_interval_ms: 0,
            ..OrdersConfig::default()
        };
        let base_urls = sim.addrs().binance_base_urls();
        config.venues.insert(
            VENUE.into(),
            VenueConfig {
                accounts: vec![ACCOUNT.to_owned()],
                base_urls,
                options: serde_json::json!({"ticker_24h": false}),
            },
        );
        config.credentials = serde_json::from_value(serde_json::json!({
            VENUE: {ACCOUNT: {"api_key": DEFAULT_API_KEY, "api_secret": DEFAULT_SECRET_KEY}}
        }))?;
        let token = CancellationToken::new();
        let factory = order_gateway::run::default_factory(&config)?;
        let gateway = OrderGateway::start(config, factory, &token).await?;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while !gateway.readiness().is_ready() {
            if tokio::time::Instant::now() > deadline {
                gateway.stop().await;
                sim.shutdown().await;
                anyhow::bail!("the order-gateway did not become ready within 60 s");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(OrdersStack {
            sim,
            gateway,
            token,
            tick,
            min_notional,
            lot,
        })
    }

    /// The best bid and ask of the symbol now (venue-sim's true book).
    pub fn best_bid_ask(&self) -> anyhow::Result<(Decimal, Decimal)> {
        let (_, (bids, asks)) = self
            .sim
            .truth_book(MarketKind::Spot, SYMBOL.1)
            .ok_or_else(|| anyhow::anyhow!("venue-sim has no {} book", SYMBOL.1))?;
        match (bids.first(), asks.first()) {
            (Some(bid), Some(ask)) => Ok((bid.0, ask.0)),
            _ => anyhow::bail!("the {} book is empty on one side", SYMBOL.1),
        }
    }

    /// Stops the gateway, then venue-sim.
    pub async fn stop(self) {
        self.token.cancel();
        self.gateway.stop().await;
        self.sim.shutdown().await;
    }
}
