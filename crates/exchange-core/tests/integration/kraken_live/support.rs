//! Shared helpers: venue-sim on port 0, the Kraken adapter pointed at it, a consumer-side
//! book, the venue's truth.

use std::time::Duration;

use exchange_core::adapters::kraken::KrakenExchange;
use exchange_core::model::{Level, OrderRequest, OrderType, Side, Symbol, TimeInForce};
use exchange_core::orderbook::OrderBook;
use exchange_core::{AdapterConfig, BookUpdate, Credentials, StreamEvent, Subscription};
use futures_util::StreamExt;
use rust_decimal::Decimal;
use secrecy::SecretString;
use serde_json::{Value, json};
use venue_sim::{DEFAULT_KRAKEN_API_KEY, DEFAULT_KRAKEN_SECRET, SimConfig, VenueSim};

pub use crate::sim_control::{control_get, control_post};

pub const DEADLINE: Duration = Duration::from_secs(30);

/// A quiet simulator: no background flow (tests step it), fast heartbeats.
pub fn quiet() -> SimConfig {
    let mut cfg = SimConfig {
        flow_rate: 0,
        tick_ms: 20,
        ..SimConfig::for_tests()
    };
    cfg.kraken.heartbeat_ms = 200;
    cfg
}

pub async fn start(cfg: SimConfig) -> VenueSim {
    VenueSim::start(cfg).await.unwrap()
}

pub fn credentials() -> Credentials {
    Credentials::new(
        SecretString::from(DEFAULT_KRAKEN_API_KEY),
        SecretString::from(DEFAULT_KRAKEN_SECRET),
        None,
        None,
    )
    .unwrap()
}

/// The adapter configuration pointed at `sim`: only base URLs and options differ from the
/// real venue's.
pub fn config(sim: &VenueSim) -> AdapterConfig {
    let a = sim.addrs();
    let mut c = AdapterConfig::public("kraken", "main");
    c.credentials = Some(credentials());
    for (role, url) in [
        ("rest", a.kraken_rest_url()),
        ("ws_public", a.kraken_ws_url()),
        ("ws_auth", a.kraken_ws_auth_url()),
    ] {
        c.base_urls.insert(role.into(), url);
    }
    // venue-sim's counters are the Intermediate tier's.
    c.options = json!({"tier": "intermediate", "stale_after_ms": 1500, "ping_interval_ms": 300});
    c
}

pub fn adapter(sim: &VenueSim) -> KrakenExchange {
    KrakenExchange::new(config(sim)).unwrap()
}

pub fn sym(s: &str) -> Symbol {
    s.parse().unwrap()
}

/// Next item of a subscription within the deadline.
pub async fn next<T>(sub: &mut Subscription<T>) -> StreamEvent<T> {
    tokio::time::timeout(DEADLINE, sub.next())
        .await
        .expect("no stream item before the deadline")
        .expect("the stream ended")
}

/// Both sides of a book as `(price, qty)` pairs, best first, normalized.
pub type Sides = (Vec<(Decimal, Decimal)>, Vec<(Decimal, Decimal)>);

/// A book as a consumer builds it from a book subscription.
#[derive(Default)]
pub struct ConsumerBook {
    pub book: OrderBook,
    pub live: bool,
    pub snapshots: usize,
    pub stales: usize,
    pub resyncs: usize,
    pub deltas: usize,
}

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
            }
            StreamEvent::Data(BookUpdate::Stale { .. }) => {
                self.live = false;
                self.stales += 1;
            }
        }
    }

    fn levels(&self) -> Sides {
        let (b, a) = self.book.levels();
        let n = |v: Vec<Level>| {
            v.into_iter()
                .map(|l| (l.price.normalize(), l.qty.normalize()))
                .collect()
        };
        (n(b), n(a))
    }
}

/// The venue's true book of `pair`, `depth` levels per side, normalized.
pub fn truth(sim: &VenueSim, pair: &str, depth: usize) -> Sides {
    let (bids, asks) = sim.kraken_truth_book(pair).unwrap();
    let n = |v: Vec<(Decimal, Decimal)>| {
        v.into_iter()
            .take(depth)
            .map(|(p, q)| (p.normalize(), q.normalize()))
            .collect()
    };
    (n(bids), n(asks))
}

/// Reads `sub` into `book` until it is live and equal to the venue's true top `depth`. The
/// flow is quiet, so once every published message is applied the two must agree; a book
/// waiting for its snapshot gets a few flow steps to move on. Fails at the deadline.
pub async fn until_equal_to_truth(
    sim: &VenueSim,
    pair: &str,
    depth: usize,
    sub: &mut Subscription<BookUpdate>,
    book: &mut ConsumerBook,
) {
    let wait = async {
        loop {
            if book.live && book.levels() == truth(sim, pair, depth) {
                return;
            }
            match tokio::time::timeout(Duration::from_millis(300), sub.next()).await {
                Ok(Some(event)) => book.apply(event),
                Ok(None) => panic!("book stream ended"),
                // Quiet and live but different: keep reading until the deadline says otherwise.
                Err(_) if book.live => {}
                Err(_) => sim.step_kraken_flow(2),
            }
        }
    };
    tokio::time::timeout(DEADLINE, wait)
        .await
        .expect("the book did not reach the venue's truth before the deadline");
}

/// The venue's Kraken orders with this client order id.
pub async fn truth_orders(sim: &VenueSim, client_order_id: &str) -> Vec<Value> {
    let all = control_get(sim, "/truth/orders?market=kraken").await;
    all.as_array()
        .unwrap()
        .iter()
        .filter(|o| o["clientOrderId"] == client_order_id)
        .cloned()
        .collect()
}

/// The venue's Kraken fills of the test account.
pub async fn truth_fills(sim: &VenueSim) -> Vec<Value> {
    let all = control_get(sim, "/truth/fills?market=kraken").await;
    all.as_array().unwrap().clone()
}

/// A buy price well under the market (it rests), on the 0.1 tick of BTC/USD.
pub fn resting_bid(sim: &VenueSim) -> Decimal {
    let (bids, _) = sim.kraken_truth_book("BTC/USD").unwrap();
    (bids[0].0 * Decimal::new(9, 1)).round_dp(1)
}

/// A limit order request.
pub fn limit(id: &str, symbol: &str, side: Side, qty: Decimal, price: Decimal) -> OrderRequest {
    OrderRequest {
        client_order_id: id.into(),
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

/// Reads `sub` into `book` until `done` holds, stepping the flow whenever the stream is
/// quiet (a fault shows only on the next message). Fails at the deadline.
pub async fn until(
    sim: &VenueSim,
    sub: &mut Subscription<BookUpdate>,
    book: &mut ConsumerBook,
    what: &str,
    done: impl Fn(&ConsumerBook) -> bool,
) {
    let wait = async {
        while !done(book) {
            match tokio::time::timeout(Duration::from_millis(300), sub.next()).await {
                Ok(Some(event)) => book.apply(event),
                Ok(None) => panic!("book stream ended"),
                Err(_) => sim.step_kraken_flow(5),
            }
        }
    };
    if tokio::time::timeout(DEADLINE, wait).await.is_err() {
        panic!("not reached before the deadline: {what}");
    }
}
