//! Shared helpers: venue-sim on port 0, a Coinbase adapter pointed at it.

use std::time::Duration;

use exchange_core::adapters::coinbase::CoinbaseExchange;
use exchange_core::model::{OrderRequest, OrderType, Side, Symbol, TimeInForce};
use exchange_core::orderbook::OrderBook;
use exchange_core::{
    AdapterConfig, BookUpdate, Credentials, SecretKind, StreamEvent, Subscription,
};
use futures_util::StreamExt;
use rust_decimal::Decimal;
use secrecy::SecretString;
use serde_json::json;
use venue_sim::{SimConfig, VenueSim};

pub use crate::sim_control::control_post;

/// The official SDK's public test key name, venue-sim's default Coinbase key.
pub const KEY_NAME: &str = "organizations/test-organization/apiKeys/test-api-key";
/// Its Ed25519 private seed (public test material, not a real credential).
pub const ED25519_SEED: &str = "k0BUni0p0vZG1BdpVjS6ogBJ7kxm630AJ2dN+tuputA=";

/// A quiet simulator: no background flow (tests step it), fast ticks.
pub fn quiet() -> SimConfig {
    SimConfig {
        flow_rate: 0,
        tick_ms: 20,
        ping_interval_ms: 200,
        ..SimConfig::for_tests()
    }
}

pub async fn start(cfg: SimConfig) -> VenueSim {
    VenueSim::start(cfg).await.unwrap()
}

/// Ed25519 credentials for the default key, with `seed` as the private key.
pub fn credentials_with(seed: &str) -> Credentials {
    Credentials::new(
        SecretString::from(KEY_NAME),
        SecretString::from(seed.to_owned()),
        None,
        Some(SecretKind::Ed25519),
    )
    .unwrap()
}

/// The ES256 private key of the SDK's test key, from the JWT vectors.
pub fn es256_pem() -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../venue-sim/tests/fixtures/coinbase_jwt_test_vectors.json"
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["es256"]["private_key_pem"].as_str().unwrap().to_owned()
}

/// The adapter configuration pointed at `sim`, with `credentials`.
pub fn config(sim: &VenueSim, credentials: Option<Credentials>) -> AdapterConfig {
    let a = sim.addrs();
    let mut c = AdapterConfig::public("coinbase", "main");
    c.credentials = credentials;
    for (role, url) in [
        ("rest", a.coinbase_rest_url()),
        ("ws_market", a.coinbase_ws_url()),
        ("ws_user", a.coinbase_user_ws_url()),
    ] {
        c.base_urls.insert(role.into(), url);
    }
    c.options = json!({"stale_after_ms": 2500, "candle_poll_ms": 200});
    c
}

/// An authenticated (Ed25519) adapter pointed at `sim`.
pub fn adapter(sim: &VenueSim) -> CoinbaseExchange {
    CoinbaseExchange::new(config(sim, Some(credentials_with(ED25519_SEED)))).unwrap()
}

/// The key name of a second test account, the counterparty our orders trade against.
pub const OTHER_KEY: &str = "organizations/test-organization/apiKeys/counterparty";

/// A quiet venue-sim with a second account ([`OTHER_KEY`], the same Ed25519 public key), our
/// adapter, and the counterparty's adapter.
pub async fn with_counterparty() -> (VenueSim, CoinbaseExchange, CoinbaseExchange) {
    let mut cfg = quiet();
    cfg.coinbase
        .keys
        .push(venue_sim::coinbase::config::CoinbaseKey {
            name: OTHER_KEY.into(),
            es256_public_pem: None,
            ed25519_public_b64: Some(
                venue_sim::coinbase::config::DEFAULT_ED25519_PUBLIC_B64.into(),
            ),
        });
    let sim = start(cfg).await;
    let ours = adapter(&sim);
    let credentials = Credentials::new(
        SecretString::from(OTHER_KEY),
        SecretString::from(ED25519_SEED),
        None,
        Some(SecretKind::Ed25519),
    )
    .unwrap();
    let other = CoinbaseExchange::new(config(&sim, Some(credentials))).unwrap();
    (sim, ours, other)
}

pub fn sym(s: &str) -> Symbol {
    s.parse().unwrap()
}

/// A GTC limit order.
pub fn limit(cid: &str, symbol: &str, side: Side, qty: Decimal, price: Decimal) -> OrderRequest {
    OrderRequest {
        client_order_id: cid.into(),
        symbol: sym(symbol),
        side,
        order_type: OrderType::Limit,
        quantity: qty,
        price: Some(price),
        stop_price: None,
        time_in_force: TimeInForce::Gtc,
        expire_ts_ns: None,
        post_only: false,
        reduce_only: false,
    }
}

/// A market order.
pub fn market(cid: &str, symbol: &str, side: Side, qty: Decimal) -> OrderRequest {
    OrderRequest {
        order_type: OrderType::Market,
        price: None,
        time_in_force: TimeInForce::Ioc,
        ..limit(cid, symbol, side, qty, Decimal::ZERO)
    }
}

pub const DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

/// Next item of a subscription within the deadline.
pub async fn next<T>(sub: &mut Subscription<T>) -> StreamEvent<T> {
    tokio::time::timeout(DEADLINE, sub.next())
        .await
        .expect("no stream item before the deadline")
        .expect("the stream ended")
}

/// Steps the spot flow until `sub` yields a data item passing `keep`, within the deadline.
pub async fn first_data<T>(
    sim: &VenueSim,
    sub: &mut Subscription<T>,
    keep: impl Fn(&T) -> bool,
) -> T {
    let wait = async {
        loop {
            match tokio::time::timeout(Duration::from_millis(200), sub.next()).await {
                Ok(Some(StreamEvent::Data(item))) if keep(&item) => return item,
                Ok(Some(_)) => {}
                Ok(None) => panic!("the stream ended"),
                // Quiet: the subscription may not have been served yet; make news.
                Err(_) => sim.step_coinbase_flow(false, 2),
            }
        }
    };
    tokio::time::timeout(DEADLINE, wait)
        .await
        .expect("no matching item before the deadline")
}

/// A book as a consumer builds it from a book subscription.
#[derive(Default)]
pub struct ConsumerBook {
    pub book: OrderBook,
    pub live: bool,
    pub snapshots: usize,
    pub stales: usize,
    pub resyncs: usize,
    pub deltas: usize,
    /// Level changes applied by deltas.
    pub level_updates: usize,
}

type Side2 = Vec<(Decimal, Decimal)>;

impl ConsumerBook {
    pub fn apply(&mut self, event: StreamEvent<BookUpdate>) {
        match event {
            StreamEvent::Resync => self.resyncs += 1,
            StreamEvent::Data(BookUpdate::Snapshot(s)) => {
                self.book.apply_snapshot(&s.bids, &s.asks);
                self.live = true;
                self.snapshots += 1;
            }
            StreamEvent::Data(BookUpdate::Delta(d)) => {
                assert!(self.live, "a delta arrived on a book that is not live");
                self.book.apply_delta(&d.bids, &d.asks);
                self.deltas += 1;
                self.level_updates += d.bids.len() + d.asks.len();
            }
            StreamEvent::Data(BookUpdate::Stale { .. }) => {
                self.live = false;
                self.stales += 1;
            }
        }
    }

    pub fn levels(&self) -> (Side2, Side2) {
        let (b, a) = self.book.levels();
        let n = |v: Vec<exchange_core::model::Level>| {
            v.into_iter()
                .map(|l| (l.price.normalize(), l.qty.normalize()))
                .collect()
        };
        (n(b), n(a))
    }
}

fn truth(sim: &VenueSim, product_id: &str) -> (Side2, Side2) {
    let (_, (bids, asks)) = sim.coinbase_truth_book(product_id).unwrap();
    let n = |v: Vec<(Decimal, Decimal)>| {
        v.into_iter()
            .map(|(p, q)| (p.normalize(), q.normalize()))
            .collect::<Vec<_>>()
    };
    (n(bids), n(asks))
}

/// Reads `sub` into `book` until it is live and equal to the venue's true book (the flow is
/// stepped only by tests, so the truth holds still while the updates arrive).
pub async fn until_equal_to_truth(
    sim: &VenueSim,
    product_id: &str,
    sub: &mut Subscription<BookUpdate>,
    book: &mut ConsumerBook,
) {
    let wait = async {
        loop {
            if book.live && book.levels() == truth(sim, product_id) {
                return;
            }
            match tokio::time::timeout(Duration::from_millis(500), sub.next()).await {
                Ok(Some(event)) => book.apply(event),
                Ok(None) => panic!("book stream ended"),
                // Quiet and not equal: a resubscribing book needs news after its snapshot.
                Err(_) => sim.step_coinbase_flow(false, 1),
            }
        }
    };
    if tokio::time::timeout(DEADLINE, wait).await.is_err() {
        panic!(
            "the book did not reach the venue's truth before the deadline: live {}, {} snapshots",
            book.live, book.snapshots
        );
    }
}
