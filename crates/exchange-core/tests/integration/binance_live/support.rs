//! Shared helpers: venue-sim on port 0, adapters pointed at it, a consumer-side book, truth.

use std::time::Duration;

use exchange_core::adapters::binance::{BinanceExchange, Product};
use exchange_core::model::{OrderRequest, OrderType, Side, Symbol, TimeInForce};
use exchange_core::orderbook::OrderBook;
use exchange_core::{AdapterConfig, BookUpdate, Credentials, StreamEvent, Subscription};
use futures_util::StreamExt;
use rust_decimal::Decimal;
use secrecy::SecretString;
use serde_json::{Value, json};
use venue_sim::{DEFAULT_API_KEY, DEFAULT_SECRET_KEY, MarketKind, SimConfig, VenueSim};

pub use crate::sim_control::{control_get, control_post};

pub const DEADLINE: Duration = Duration::from_secs(20);

/// One side of a book as `(price, qty)`, normalized.
type Levels = Vec<(Decimal, Decimal)>;

/// A quiet simulator: no background flow (tests step it), fast ticks, frequent server pings.
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

pub fn credentials() -> Credentials {
    Credentials::new(
        SecretString::from(DEFAULT_API_KEY),
        SecretString::from(DEFAULT_SECRET_KEY),
        None,
        None,
    )
    .unwrap()
}

/// The adapter configuration of `product` pointed at `sim`.
pub fn config(sim: &VenueSim, product: Product, options: Value) -> AdapterConfig {
    let a = sim.addrs();
    let mut c = AdapterConfig::public(product.venue_name(), "main");
    c.credentials = Some(credentials());
    c.base_urls.extend(a.binance_base_urls());
    let mut opts = json!({"ticker_24h": false, "stale_after_ms": 1500});
    if let (Some(o), Some(extra)) = (opts.as_object_mut(), options.as_object()) {
        o.extend(extra.clone());
    }
    c.options = opts;
    c
}

pub fn adapter(sim: &VenueSim, product: Product) -> BinanceExchange {
    BinanceExchange::new(product, config(sim, product, json!({}))).unwrap()
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

/// A book as a consumer builds it from a book subscription.
#[derive(Default)]
pub struct ConsumerBook {
    pub book: OrderBook,
    pub live: bool,
    pub last_seq: Option<u64>,
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
                self.last_seq = s.venue_seq;
                self.live = true;
                self.snapshots += 1;
            }
            StreamEvent::Data(BookUpdate::Delta(d)) => {
                assert!(self.live, "a delta arrived on a book that is not live");
                if let (Some(prev), Some(first)) = (self.last_seq, d.venue_first_seq) {
                    assert!(first <= prev + 1, "delta {first} does not continue {prev}");
                }
                self.book.apply_delta(&d.bids, &d.asks);
                self.last_seq = d.venue_seq;
                self.deltas += 1;
            }
            StreamEvent::Data(BookUpdate::Stale { .. }) => {
                self.live = false;
                self.stales += 1;
            }
        }
    }

    fn levels(&self) -> (Levels, Levels) {
        let (b, a) = self.book.levels();
        let n = |v: Vec<exchange_core::model::Level>| {
            v.into_iter()
                .map(|l| (l.price.normalize(), l.qty.normalize()))
                .collect()
        };
        (n(b), n(a))
    }
}

/// Reads `sub` into `book` until it is live at the venue's true update id and equal to the
/// true book; returns that id.
pub async fn until_equal_to_truth(
    sim: &VenueSim,
    market: MarketKind,
    venue_id: &str,
    sub: &mut Subscription<BookUpdate>,
    book: &mut ConsumerBook,
) -> u64 {
    let wait = async {
        loop {
            let (truth_id, (bids, asks)) = sim.truth_book(market, venue_id).unwrap();
            if book.live && book.last_seq == Some(truth_id) {
                let n = |v: Vec<(Decimal, Decimal)>| {
                    v.into_iter()
                        .map(|(p, q)| (p.normalize(), q.normalize()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(
                    book.levels(),
                    (n(bids), n(asks)),
                    "book differs from truth at {truth_id}"
                );
                return truth_id;
            }
            match tokio::time::timeout(Duration::from_millis(200), sub.next()).await {
                Ok(Some(event)) => book.apply(event),
                Ok(None) => panic!("book stream ended"),
                // Quiet: a resyncing book needs events after its snapshot to prove it.
                Err(_) => sim.step_flow(market, 3),
            }
        }
    };
    tokio::time::timeout(DEADLINE, wait)
        .await
        .expect("the book did not reach the venue's truth before the deadline")
}

/// The venue's orders of the spot (or `market`) account with this client order id.
pub async fn truth_orders(sim: &VenueSim, market: &str, client_order_id: &str) -> Vec<Value> {
    let all = control_get(sim, &format!("/truth/orders?market={market}")).await;
    all.as_array()
        .unwrap()
        .iter()
        .filter(|o| o["clientOrderId"] == client_order_id)
        .cloned()
        .collect()
}

/// A buy-side price well under the market (it rests), on the tick.
pub fn resting_bid(sim: &VenueSim, market: MarketKind, venue_id: &str) -> Decimal {
    let (_, (bids, _)) = sim.truth_book(market, venue_id).unwrap();
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
