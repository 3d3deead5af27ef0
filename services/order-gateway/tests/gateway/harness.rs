//! The stack of the tests: nats-server, a quiet venue-sim, the order-gateway (in-process or as
//! its binary), and a plain NATS client that sends commands and reads the event stream.

use std::sync::Mutex;
use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::jetstream::{self, consumer};
use bus::{Encoding, OrderAction, OrderCommand, OrderEvent, OrderEventKind};
use exchange_core::model::{OrderRequest, OrderType, Side, Symbol};
use futures_util::StreamExt;
use order_gateway::config::{OrdersConfig, VenueConfig};
use order_gateway::{GatewayConfig, OrderGateway};
use rust_decimal::Decimal;
use serde_json::Value;
use testkit::NatsServer;
use tokio_util::sync::CancellationToken;
use venue_sim::{DEFAULT_API_KEY, DEFAULT_SECRET_KEY, SimConfig, VenueSim};

/// How long any one condition may take.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// The test stack.
pub struct Stack {
    pub nats: NatsServer,
    pub sim: VenueSim,
    pub client: async_nats::Client,
    pub js: jetstream::Context,
}

impl Stack {
    /// nats-server and a quiet venue-sim (no background flow: every fill comes from the test).
    pub async fn start() -> Stack {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
        let nats = NatsServer::start().await.unwrap();
        let sim = VenueSim::start(SimConfig {
            flow_rate: 0,
            tick_ms: 20,
            ..SimConfig::for_tests()
        })
        .await
        .unwrap();
        let client = async_nats::ConnectOptions::new()
            .retry_on_initial_connect()
            .connect(nats.url())
            .await
            .unwrap();
        let js = jetstream::new(client.clone());
        Stack {
            nats,
            sim,
            client,
            js,
        }
    }

    /// The gateway's configuration for this stack: Binance spot on venue-sim, account `main`.
    pub fn config(&self) -> GatewayConfig {
        let mut config = GatewayConfig::default();
        config.nats.url = self.nats.url();
        config.health.listen = "127.0.0.1:0".into();
        config.orders = OrdersConfig {
            retry_delay_ms: 100,
            resolve_backoff_ms: 50,
            ack_wait_ms: 5_000,
            ..OrdersConfig::default()
        };
        let base_urls = self.sim.addrs().binance_base_urls();
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
        config
    }

    /// Starts the gateway in-process with `config` and waits until it takes commands.
    pub async fn gateway(&self, config: GatewayConfig) -> (OrderGateway, CancellationToken) {
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
        (gateway, token)
    }

    /// Publishes `command` (with its `Nats-Msg-Id`), retrying while NATS is away; returns
    /// whether JetStream called it a duplicate.
    pub async fn send(&self, command: &OrderCommand, headers: HeaderMap) -> bool {
        let last_error = &Mutex::new(String::new());
        let headers = &headers;
        let what = format!("publish {}", command.msg_id());
        testkit::wait_for(DEADLINE, &what, move || async move {
            bus::publish::publish_order_command(
                &self.js,
                "binance",
                "main",
                command,
                Encoding::Json,
                headers.clone(),
            )
            .await
            .map_err(|e| *last_error.lock().unwrap() = e.to_string())
            .ok()
            .map(|ack| ack.duplicate)
        })
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", last_error.lock().unwrap()))
    }

    /// Publishes raw bytes on the command subject with `msg_id`.
    pub async fn send_raw(&self, payload: &[u8], headers: HeaderMap, msg_id: &str) {
        let mut headers = headers;
        headers.insert("Nats-Msg-Id", msg_id);
        self.js
            .publish_with_headers("orders.cmd.binance.main", headers, payload.to_vec().into())
            .await
            .unwrap()
            .await
            .unwrap();
    }

    /// Every event of `binance`/`main` in the event stream so far, with its headers.
    pub async fn events(&self) -> Vec<(OrderEvent, Option<HeaderMap>)> {
        read_events(&self.js, "orders.evt.binance.main").await
    }

    /// The events about `id`, as their `type` tags.
    pub async fn kinds_of(&self, id: &str) -> Vec<&'static str> {
        self.events()
            .await
            .into_iter()
            .filter(|(e, _)| e.client_order_id.as_deref() == Some(id))
            .map(|(e, _)| e.kind.type_name())
            .collect()
    }

    /// Waits until the events about `id` include `kind`; returns them.
    pub async fn wait_event(&self, id: &str, kind: &'static str) -> Vec<&'static str> {
        wait_kinds(
            &format!("a {kind} event for {id}"),
            move || self.kinds_of(id),
            |seen| seen.contains(&kind),
        )
        .await
    }

    /// venue-sim's orders of the spot account with client order id `id`.
    pub async fn venue_orders(&self, id: &str) -> Vec<Value> {
        let all = control_get(&self.sim, "/truth/orders?market=spot").await;
        all.as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|o| o["clientOrderId"] == id)
            .collect()
    }

    /// venue-sim's fills (executions) of the spot account.
    pub async fn venue_fills(&self) -> Vec<Value> {
        control_get(&self.sim, "/truth/fills?market=spot")
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Stops everything.
    pub async fn stop(self) {
        self.sim.shutdown().await;
    }
}

/// Waits until the event types of one order, read afresh by `kinds` each time, satisfy `done`;
/// returns them. Panics naming `what` and the last types seen when the deadline passes.
pub async fn wait_kinds<F, Fut>(
    what: &str,
    mut kinds: F,
    done: impl Fn(&[&'static str]) -> bool,
) -> Vec<&'static str>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Vec<&'static str>>,
{
    let last = &Mutex::new(Vec::new());
    let done = &done;
    testkit::wait_for(DEADLINE, what, move || {
        let seen = kinds();
        async move {
            let seen = seen.await;
            if done(&seen) {
                Some(seen)
            } else {
                *last.lock().unwrap() = seen;
                None
            }
        }
    })
    .await
    .unwrap_or_else(|e| panic!("{e}; events: {:?}", last.lock().unwrap()))
}

/// Every event on `subject` in `ORDERS_EVT` so far, oldest first, with its headers.
pub async fn read_events(
    js: &jetstream::Context,
    subject: &str,
) -> Vec<(OrderEvent, Option<HeaderMap>)> {
    let Ok(mut stream) = js.get_stream("ORDERS_EVT").await else {
        return Vec::new();
    };
    let last = match stream.info().await {
        Ok(info) => info.state.last_sequence,
        Err(_) => return Vec::new(),
    };
    if last == 0 {
        return Vec::new();
    }
    let consumer = stream
        .create_consumer(consumer::pull::OrderedConfig {
            filter_subject: subject.into(),
            deliver_policy: consumer::DeliverPolicy::All,
            ..Default::default()
        })
        .await
        .unwrap();
    let mut messages = consumer.messages().await.unwrap();
    let mut out = Vec::new();
    loop {
        let Ok(Some(Ok(message))) =
            tokio::time::timeout(Duration::from_secs(2), messages.next()).await
        else {
            break;
        };
        let info = message.info().map(|i| (i.stream_sequence, i.pending));
        let event: OrderEvent = bus::codec::decode(
            &message.payload,
            Encoding::from_headers(message.headers.as_ref()).unwrap(),
        )
        .unwrap();
        out.push((event, message.headers.clone()));
        match info {
            Ok((seq, pending)) if pending == 0 || seq >= last => break,
            _ => {}
        }
    }
    out
}

/// Waits until the desk's durable consumer has nothing pending and nothing unacknowledged: every
/// command was settled (acked or terminated), none is left to redeliver.
pub async fn wait_queue_drained(js: &jetstream::Context, consumer: &str) {
    let stream = js.get_stream("ORDERS_CMD").await.unwrap();
    testkit::wait_until(DEADLINE, "the command queue drained", || async {
        let found: Result<jetstream::consumer::PullConsumer, _> =
            stream.get_consumer(consumer).await;
        found.is_ok_and(|c| {
            let info = c.cached_info();
            info.num_pending == 0 && info.num_ack_pending == 0
        })
    })
    .await
    .unwrap();
}

/// A resting limit order of `qty` at `price` (GTC).
pub fn limit(id: &str, side: Side, qty: Decimal, price: Decimal) -> OrderCommand {
    place(id, side, OrderType::Limit, qty, Some(price))
}

/// A market order of `qty` (IOC).
pub fn market(id: &str, side: Side, qty: Decimal) -> OrderCommand {
    place(id, side, OrderType::Market, qty, None)
}

/// A place command.
pub fn place(
    id: &str,
    side: Side,
    order_type: OrderType,
    qty: Decimal,
    price: Option<Decimal>,
) -> OrderCommand {
    let symbol: Symbol = "BTC/USDT".parse().unwrap();
    let request = match (order_type, price) {
        (OrderType::Market, _) => OrderRequest::market(id, symbol, side, qty),
        (_, price) => OrderRequest {
            order_type,
            price,
            ..OrderRequest::limit(id, symbol, side, qty, Decimal::ZERO)
        },
    };
    OrderCommand::new(OrderAction::Place(request), 1)
}

/// A cancel command.
pub fn cancel(id: &str) -> OrderCommand {
    OrderCommand::new(
        OrderAction::Cancel {
            client_order_id: id.into(),
            symbol: "BTC/USDT".parse().unwrap(),
        },
        1,
    )
}

/// The event's fill, if it has one.
pub fn fill_of(kind: &OrderEventKind) -> Option<&exchange_core::model::Fill> {
    match kind {
        OrderEventKind::PartiallyFilled { fill, .. } | OrderEventKind::Filled { fill, .. } => {
            fill.as_ref()
        }
        _ => None,
    }
}

/// A plain HTTP client for venue-sim's control API.
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(DEADLINE)
        .build()
        .unwrap()
}

/// GETs a control route.
pub async fn control_get(sim: &VenueSim, path: &str) -> Value {
    http()
        .get(format!("{}{path}", sim.addrs().control_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// POSTs a control route.
pub async fn control_post(sim: &VenueSim, path: &str, body: Value) -> Value {
    let r = http()
        .post(format!("{}{path}", sim.addrs().control_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "control {path}: {}", r.status());
    r.json().await.unwrap()
}
