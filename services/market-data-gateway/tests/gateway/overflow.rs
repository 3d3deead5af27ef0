//! NATS away: the venue side keeps going, drops are counted, books resync instead of a hole.

use std::sync::Arc;
use std::time::Duration;

use bus::{BookChange, BookConsumer, BookConsumerConfig};
use exchange_core::keys::CredentialsConfig;
use exchange_core::model::{BookDelta, BookSnapshot, Level, Symbol};
use exchange_core::orderbook::OrderBook;
use exchange_core::{BookUpdate, Exchange, ExchangeFactory, KeyManager, StreamEvent};
use market_data_gateway::config::VenueConfig;
use market_data_gateway::{Gateway, GatewayConfig};
use rust_decimal::Decimal;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::scripted::Scripted;

const DEADLINE: Duration = Duration::from_secs(30);

pub fn sym(s: &str) -> Symbol {
    s.parse().unwrap()
}

/// Logs to the test output when `RUST_LOG` is set.
pub fn logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

/// A gateway config for the scripted venue `venue`, with `books` and a small buffer.
pub fn config(url: &str, venue: &str, books: &[Symbol], buffer: usize) -> GatewayConfig {
    let mut config = GatewayConfig::default();
    config.nats.url = url.to_owned();
    config.health.listen = "127.0.0.1:0".into();
    config.publish.buffer = buffer;
    config.book.snapshot_every = 100;
    config.venues.insert(
        venue.to_owned(),
        VenueConfig {
            books: books.to_vec(),
            ..VenueConfig::default()
        },
    );
    config
}

/// A factory that builds the scripted adapter as `venue`.
pub fn factory(venue: &str, adapter: Arc<Scripted>) -> ExchangeFactory {
    let keys = KeyManager::new(CredentialsConfig::new(), std::iter::empty());
    let mut factory = ExchangeFactory::new(keys);
    factory
        .register(venue, move |_| Ok(adapter.clone() as Arc<dyn Exchange>))
        .unwrap();
    factory
}

/// A running consumer publishing (live, levels) after every change.
pub fn consume(
    mut consumer: BookConsumer,
    token: CancellationToken,
) -> watch::Receiver<(bool, OrderBook)> {
    let (tx, rx) = watch::channel((false, OrderBook::new()));
    tokio::spawn(async move {
        loop {
            let change = tokio::select! {
                () = token.cancelled() => break,
                c = consumer.next() => c,
            };
            match change {
                Ok(BookChange::AwaitingSnapshot { .. }) | Ok(_) => {
                    tx.send_replace((consumer.is_live(), consumer.book().clone()));
                }
                Err(_) => break,
            }
        }
    });
    rx
}

pub async fn wait_equal(view: &watch::Receiver<(bool, OrderBook)>, truth: &OrderBook, what: &str) {
    let want = truth.levels();
    testkit::wait_until(DEADLINE, what, || {
        let (live, book) = view.borrow().clone();
        let ok = live && book.levels() == want;
        async move { ok }
    })
    .await
    .unwrap_or_else(|e| panic!("{e}: consumer live {}", view.borrow().0));
}

fn lvl(p: i64, q: i64) -> Level {
    Level::new(Decimal::new(p, 2), Decimal::from(q))
}

pub fn snapshot(symbol: &Symbol, book: &mut OrderBook) -> StreamEvent<BookUpdate> {
    let bids: Vec<Level> = (1..=20).map(|i| lvl(10_000 - i, i)).collect();
    let asks: Vec<Level> = (1..=20).map(|i| lvl(10_000 + i, i)).collect();
    book.apply_snapshot(&bids, &asks);
    StreamEvent::Data(BookUpdate::Snapshot(BookSnapshot {
        symbol: symbol.clone(),
        bids,
        asks,
        venue_seq: Some(1),
        exchange_ts_ns: 0,
        local_ts_ns: 0,
    }))
}

pub fn delta(symbol: &Symbol, book: &mut OrderBook, i: i64) -> StreamEvent<BookUpdate> {
    let level = lvl(10_000 - 1 - (i % 20), 1 + i % 7);
    book.apply_delta(&[level], &[]);
    StreamEvent::Data(BookUpdate::Delta(BookDelta {
        symbol: symbol.clone(),
        bids: vec![level],
        asks: vec![],
        venue_first_seq: None,
        venue_seq: None,
        exchange_ts_ns: 0,
        local_ts_ns: 0,
    }))
}

fn metric(gateway: &Gateway, prefix: &str) -> u64 {
    gateway
        .metrics()
        .registry()
        .render()
        .lines()
        .filter(|l| l.starts_with(prefix))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_nats_the_venue_side_never_blocks_and_books_resync_after() {
    logs();
    let mut nats = testkit::NatsServer::start().await.unwrap();
    let btc = sym("BTC/USDT");
    let (adapter, script) = Scripted::new("sim", std::slice::from_ref(&btc));
    let token = CancellationToken::new();
    let gateway = Gateway::start(
        config(&nats.url(), "sim", std::slice::from_ref(&btc), 16),
        factory("sim", adapter),
        &token,
    )
    .await
    .unwrap();
    let ready = gateway.readiness().clone();
    testkit::wait_until(DEADLINE, "gateway ready", || {
        let r = ready.is_ready();
        async move { r }
    })
    .await
    .unwrap();

    let client = async_nats::connect(nats.url()).await.unwrap();
    let consumer = BookConsumer::subscribe(&client, "sim", &btc, BookConsumerConfig::default())
        .await
        .unwrap();
    let view = consume(consumer, token.clone());
    let feed = &script.books[&btc];
    let mut truth = OrderBook::new();
    feed.send(snapshot(&btc, &mut truth)).await.unwrap();
    for i in 0..50 {
        feed.send(delta(&btc, &mut truth, i)).await.unwrap();
    }
    wait_equal(&view, &truth, "equal before the outage").await;

    // NATS goes away; the venue keeps sending far more than any buffer holds.
    nats.stop().await.unwrap();
    let flood = async {
        for i in 50..30_050 {
            feed.send(delta(&btc, &mut truth, i)).await.unwrap();
        }
    };
    tokio::time::timeout(DEADLINE, flood)
        .await
        .expect("the venue side is never blocked by NATS");
    testkit::wait_until(DEADLINE, "drops counted", || {
        let n = metric(&gateway, "md_messages_dropped_total{");
        async move { n > 0 }
    })
    .await
    .unwrap();

    // NATS is back: the consumer resyncs to the venue's book. Core NATS may lose what was
    // published while the consumer's own connection was still down, and a lost tail shows only
    // at the next event, so the venue keeps trickling updates meanwhile.
    nats.restart().await.unwrap();
    let mut polls = 0u64;
    testkit::wait_until(DEADLINE, "equal after NATS came back", || {
        let (live, book) = view.borrow().clone();
        let ok = live && book.levels() == truth.levels();
        polls += 1;
        if !ok && polls.is_multiple_of(20) {
            let _ = feed.try_send(delta(&btc, &mut truth, 30_050 + polls as i64));
        }
        async move { ok }
    })
    .await
    .unwrap();
    assert!(metric(&gateway, "md_book_snapshots_total{") >= 2);

    token.cancel();
    gateway.stop().await;
}
