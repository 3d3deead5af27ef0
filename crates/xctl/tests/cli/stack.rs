//! The live stack of the `xctl order` tests: a private nats-server (testkit), a quiet venue-sim
//! (no background flow) and the order-gateway in-process (the same `OrderGateway` its binary
//! runs), serving Binance spot on venue-sim for account `main` with venue-sim's test key.

use std::process::Output;
use std::time::Duration;

use order_gateway::config::{OrdersConfig, VenueConfig};
use order_gateway::{GatewayConfig, OrderGateway};
use testkit::NatsServer;
use tokio_util::sync::CancellationToken;
use venue_sim::{DEFAULT_API_KEY, DEFAULT_SECRET_KEY, MarketKind, SimConfig, VenueSim};

/// How long the stack may take to come up.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// nats-server, venue-sim and the order-gateway.
pub struct Stack {
    pub nats: NatsServer,
    pub sim: VenueSim,
    gateway: OrderGateway,
    _token: CancellationToken,
}

impl Stack {
    /// Starts everything and waits until the gateway takes commands.
    pub async fn start() -> Stack {
        let nats = NatsServer::start().await.unwrap();
        let sim = VenueSim::start(SimConfig {
            flow_rate: 0,
            ..SimConfig::for_tests()
        })
        .await
        .unwrap();
        let mut config = GatewayConfig::default();
        config.nats.url = nats.url();
        config.health.listen = "127.0.0.1:0".into();
        config.orders = OrdersConfig {
            retry_delay_ms: 100,
            resolve_backoff_ms: 50,
            ..OrdersConfig::default()
        };
        let base_urls = sim.addrs().binance_base_urls();
        config.venues.insert(
            "binance".into(),
            VenueConfig {
                base_urls,
                options: serde_json::json!({"ticker_24h": false}),
                ..VenueConfig::default()
            },
        );
        config.credentials = serde_json::from_value(serde_json::json!({
            "binance": {"main": {"api_key": DEFAULT_API_KEY, "api_secret": DEFAULT_SECRET_KEY}}
        }))
        .unwrap();
        let token = CancellationToken::new();
        let factory = order_gateway::run::default_factory(&config).unwrap();
        let gateway = OrderGateway::start(config, factory, &token).await.unwrap();
        let ready = gateway.readiness().clone();
        testkit::wait_until(DEADLINE, "the order-gateway ready", || {
            let ready = ready.clone();
            async move { ready.is_ready() }
        })
        .await
        .unwrap();
        Stack {
            nats,
            sim,
            gateway,
            _token: token,
        }
    }

    /// venue-sim's best BTC/USDT bid: a buy there rests (the book does not move by itself).
    pub fn best_bid(&self) -> rust_decimal::Decimal {
        let (_, (bids, _)) = self.sim.truth_book(MarketKind::Spot, "BTCUSDT").unwrap();
        bids[0].0
    }

    /// Runs the built `xctl` with `args` and `--nats <this server>`.
    pub async fn xctl(&self, args: &[&str]) -> Output {
        let url = self.nats.url();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--nats", &url]);
        tokio::process::Command::new(env!("CARGO_BIN_EXE_xctl"))
            .args(&all)
            .env_remove("NATS_CREDS")
            .output()
            .await
            .unwrap()
    }

    /// Stops the gateway and venue-sim (nats-server stops on drop).
    pub async fn stop(self) {
        self.gateway.stop().await;
        self.sim.shutdown().await;
    }
}

/// stdout and stderr, for assertion messages.
pub fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
