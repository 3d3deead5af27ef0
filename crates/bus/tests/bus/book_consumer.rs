//! The book consumer against a real server: first sync from KV plus buffered events, stale
//! handling, and bad messages skipped. (The gap-and-resync scenario is in the e2e tests.)

use bus::publish::{publish, publish_market_data, put_book_snapshot};
use bus::{BookChange, BookConsumer, BookConsumerConfig, BookSequence, Encoding};
use exchange_core::model::{BookDelta, Level};
use rust_decimal_macros::dec;

use crate::samples;
use crate::support::{DEADLINE, bus};

async fn next(consumer: &mut BookConsumer) -> BookChange {
    tokio::time::timeout(DEADLINE, consumer.next())
        .await
        .expect("book change within the deadline")
        .unwrap()
}

fn delta(bid: Level) -> BookDelta {
    BookDelta {
        symbol: samples::btc(),
        bids: vec![bid],
        asks: vec![],
        venue_first_seq: None,
        venue_seq: None,
        exchange_ts_ns: 0,
        local_ts_ns: 0,
    }
}

#[tokio::test]
async fn syncs_from_kv_then_follows_deltas_and_stale_markers() {
    let bus = bus().await;
    let c = &bus.client;
    let mut seq = BookSequence::new("binance", samples::btc(), 1_000);
    // The publisher's state before the consumer starts: a snapshot in KV.
    let snapshot = samples::book_snapshot();
    seq.snapshot(snapshot.clone());
    put_book_snapshot(
        &bus.stores.md_books,
        &seq.record(snapshot.clone()).unwrap(),
        Encoding::MsgPack,
    )
    .await
    .unwrap();

    let mut consumer =
        BookConsumer::subscribe(c, "binance", &samples::btc(), BookConsumerConfig::default())
            .await
            .unwrap();
    assert!(!consumer.is_live());
    // Undecodable and foreign messages on the subject are skipped.
    c.publish("md.binance.book.BTC-USDT", "garbage".into())
        .await
        .unwrap();
    let mut foreign = seq.clone();
    let mut alien = foreign.delta(delta(Level::new(dec!(1), dec!(1))));
    alien.venue = "kraken".into();
    let subject = "md.binance.book.BTC-USDT".to_owned();
    publish(c, subject, &alien, Encoding::Json).await.unwrap();
    // A delta published now is buffered or applied, whichever the sync order gives.
    let d = seq.delta(delta(Level::new(dec!(42000), dec!(3))));
    publish_market_data(c, &d, Encoding::MsgPack).await.unwrap();

    let mut expected = exchange_core::orderbook::OrderBook::new();
    expected.apply_snapshot(&snapshot.bids, &snapshot.asks);
    expected.apply_delta(&d.bids, &d.asks);
    while consumer.seq() != Some(d.seq) {
        match next(&mut consumer).await {
            BookChange::Synced { .. } | BookChange::Updated { .. } => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(consumer.book(), &expected);
    assert_eq!(consumer.bad_messages(), 2);

    // The publisher goes stale: the consumer drops its book.
    let stale = seq.stale("venue gap", 0);
    publish_market_data(c, &stale, Encoding::MsgPack)
        .await
        .unwrap();
    put_book_snapshot(
        &bus.stores.md_books,
        &seq.record(snapshot.clone()).unwrap(),
        Encoding::MsgPack,
    )
    .await
    .unwrap();
    assert!(matches!(
        next(&mut consumer).await,
        BookChange::Invalidated(_)
    ));
    assert!(!consumer.is_live());
    assert!(consumer.book().is_empty());

    // The publisher resyncs with a snapshot event: the consumer follows at once.
    let mut fresh = samples::book_snapshot();
    fresh.bids.truncate(1);
    let event = seq.snapshot(fresh.clone());
    publish_market_data(c, &event, Encoding::Json)
        .await
        .unwrap();
    assert_eq!(
        next(&mut consumer).await,
        BookChange::Synced { seq: event.seq }
    );
    let mut expected = exchange_core::orderbook::OrderBook::new();
    expected.apply_snapshot(&fresh.bids, &fresh.asks);
    assert_eq!(consumer.book(), &expected);
    consumer.close().await.unwrap();
}
