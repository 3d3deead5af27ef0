//! The stack of the gateway tests: nats-server, venue-sim (quiet flow, driven by the test), a
//! WebSocket proxy in front of its spot streams, the gateway in-process, and observers.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bus::codec::decode_message;
use bus::payload::Payload;
use bus::{BookConsumer, BookConsumerConfig, FeedStatus, TradeMsg};
use exchange_core::model::{Level, Symbol};
use futures_util::StreamExt;
use market_data_gateway::config::{BookConfig, VenueConfig};
use market_data_gateway::{Gateway, GatewayConfig};
use testkit::NatsServer;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use venue_sim::{MarketKind, SimConfig, VenueSim};

use super::ws_proxy::WsProxy;
use crate::consumer_task::ConsumerTask;

/// How long any one condition may take.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Messages an observer collected.
pub type Collected<T> = Arc<Mutex<Vec<T>>>;

/// The running stack.
pub struct Stack {
    pub nats: NatsServer,
    pub sim: VenueSim,
    pub proxy: WsProxy,
    pub gateway: Gateway,
    pub observer: async_nats::Client,
    pub statuses: Collected<FeedStatus>,
    pub trades: Collected<TradeMsg>,
    pub undecodable: Arc<Mutex<u64>>,
    token: CancellationToken,
    tasks: TaskTracker,
}

/// `BTC/USDT` and friends.
pub fn sym(s: &str) -> Symbol {
    s.parse().unwrap()
}

impl Stack {
    /// Starts everything; the gateway publishes books of `books` and trades of `trades`.
    pub async fn start(books: &[&str], trade_symbols: &[&str]) -> anyhow::Result<Stack> {
        // RUST_LOG=info shows the gateway's and the adapter's logs when a test fails.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
        let nats = NatsServer::start().await?;
        let sim = VenueSim::start(SimConfig {
            flow_rate: 0,
            tick_ms: 50,
            ..SimConfig::for_tests()
        })
        .await?;
        let proxy = WsProxy::start(sim.addrs().spot_ws).await?;

        let observer = async_nats::connect(nats.url()).await?;
        let tasks = TaskTracker::new();
        let token = CancellationToken::new();
        let undecodable = Arc::new(Mutex::new(0));
        let statuses = collect(
            &observer,
            "md.binance.status.>",
            &tasks,
            &token,
            &undecodable,
        )
        .await?;
        let trades = collect(
            &observer,
            "md.binance.trade.>",
            &tasks,
            &token,
            &undecodable,
        )
        .await?;

        let mut config = GatewayConfig::default();
        config.nats.url = nats.url();
        config.health.listen = "127.0.0.1:0".into();
        config.book = BookConfig {
            depth: 1000,
            snapshot_every: 25,
            status_refresh_ms: 200,
            ..BookConfig::default()
        };
        let mut base_urls = BTreeMap::new();
        base_urls.insert("spot_rest".to_owned(), sim.addrs().spot_rest_url());
        base_urls.insert("spot_ws".to_owned(), proxy.url());
        base_urls.insert("ws_api".to_owned(), sim.addrs().ws_api_url());
        config.venues.insert(
            "binance".into(),
            VenueConfig {
                base_urls,
                // Quick to fall back to REST polling, and to come back (the polling test).
                options: serde_json::json!({
                    "ticker_24h": false,
                    "poll_after_failures": 2,
                    "poll_interval_ms": 200,
                    "reconnect_cap_ms": 500,
                }),
                books: books.iter().map(|s| sym(s)).collect(),
                trades: trade_symbols.iter().map(|s| sym(s)).collect(),
                ..VenueConfig::default()
            },
        );
        let factory = market_data_gateway::run::default_factory(&config)?;
        let gateway = Gateway::start(config, factory, &token).await?;
        let ready = gateway.readiness().clone();
        testkit::wait_until(DEADLINE, "the gateway ready", || {
            let ready = ready.clone();
            async move { ready.is_ready() }
        })
        .await?;
        Ok(Stack {
            nats,
            sim,
            proxy,
            gateway,
            observer,
            statuses,
            trades,
            undecodable,
            token,
            tasks,
        })
    }

    /// A book consumer of `symbol`, as any NATS client would run it.
    pub async fn consumer(&self, symbol: &str) -> anyhow::Result<ConsumerTask> {
        let consumer = BookConsumer::subscribe(
            &self.observer,
            "binance",
            &sym(symbol),
            BookConsumerConfig::default(),
        )
        .await?;
        Ok(ConsumerTask::spawn(consumer))
    }

    /// Runs `steps` of venue-sim's order flow on spot.
    pub fn step(&self, steps: u64) {
        self.sim.step_flow(MarketKind::Spot, steps);
    }

    /// Venue-sim's true book of a venue id (`BTCUSDT`).
    pub fn truth(&self, venue_id: &str) -> (Vec<Level>, Vec<Level>) {
        let (_, (bids, asks)) = self.sim.truth_book(MarketKind::Spot, venue_id).unwrap();
        let conv = |side: Vec<(rust_decimal::Decimal, rust_decimal::Decimal)>| {
            side.into_iter().map(|(p, q)| Level::new(p, q)).collect()
        };
        (conv(bids), conv(asks))
    }

    /// Waits until `consumer` holds a live book equal to the truth of `venue_id`. Core NATS may
    /// lose the last events while a connection is re-established, and a lost tail shows only at
    /// the next event, so the market moves a little every 200 ms meanwhile.
    pub async fn wait_equal(&self, consumer: &ConsumerTask, venue_id: &str, what: &str) {
        let mut polls = 0u64;
        let result = testkit::wait_until(DEADLINE, what, || {
            let view = consumer.now();
            let truth = self.truth(venue_id);
            let ok = view.live && view.book.levels() == truth;
            polls += 1;
            if !ok && polls.is_multiple_of(20) {
                self.step(1);
            }
            async move { ok }
        })
        .await;
        if let Err(e) = result {
            let view = consumer.now();
            let (tb, ta) = self.truth(venue_id);
            let (b, a) = view.book.levels();
            panic!(
                "{e}: live {} seq {:?}; consumer {} bids {} asks, truth {} bids {} asks; best {:?}/{:?} vs {:?}/{:?}; stats {:?}",
                view.live,
                view.seq,
                b.len(),
                a.len(),
                tb.len(),
                ta.len(),
                b.first(),
                a.first(),
                tb.first(),
                ta.first(),
                view.stats
            );
        }
    }

    /// The status states published for `symbol` so far.
    pub fn states(&self, symbol: &str) -> Vec<bus::FeedState> {
        self.statuses_of(symbol).iter().map(|s| s.state).collect()
    }

    /// The status messages published for `symbol` so far (repeats included).
    pub fn statuses_of(&self, symbol: &str) -> Vec<FeedStatus> {
        let symbol = sym(symbol);
        self.statuses
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.symbol == symbol)
            .cloned()
            .collect()
    }

    /// Stops everything, the gateway first.
    pub async fn stop(self) {
        self.gateway.stop().await;
        self.token.cancel();
        self.tasks.close();
        self.tasks.wait().await;
        self.proxy.shutdown().await;
        self.sim.shutdown().await;
    }
}

/// Whether `wanted` occurs in `seen` as a subsequence.
pub fn contains_in_order<T: PartialEq>(seen: &[T], wanted: &[T]) -> bool {
    let mut it = seen.iter();
    wanted.iter().all(|w| it.any(|s| s == w))
}

async fn collect<T: Payload + Send + 'static>(
    client: &async_nats::Client,
    subject: &str,
    tasks: &TaskTracker,
    token: &CancellationToken,
    undecodable: &Arc<Mutex<u64>>,
) -> anyhow::Result<Collected<T>> {
    let mut sub = client.subscribe(subject.to_owned()).await?;
    client.flush().await?;
    let out: Collected<T> = Arc::default();
    let (sink, token, bad) = (out.clone(), token.clone(), undecodable.clone());
    tasks.spawn(async move {
        loop {
            let message = tokio::select! {
                () = token.cancelled() => break,
                m = sub.next() => match m { Some(m) => m, None => break },
            };
            match decode_message::<T>(&message) {
                Ok(payload) => sink.lock().unwrap().push(payload),
                Err(_) => *bad.lock().unwrap() += 1,
            }
        }
    });
    Ok(out)
}
