//! A publisher loses one delta; the bus book consumer sees the `seq` gap, invalidates its book,
//! resyncs from the KV snapshot and ends equal to the publisher's book.

use std::time::Duration;

use bus::book::InvalidReason;
use bus::jetstream::{JetStreamConfig, ensure};
use bus::publish::put_book_snapshot;
use bus::{BookChange, BookConsumer, BookConsumerConfig, Encoding};
use testkit::{NatsServer, wait_until};

use crate::book_publisher::TestPublisher;
use crate::consumer_task::ConsumerTask;

const DEADLINE: Duration = Duration::from_secs(20);

struct Setup {
    server: NatsServer,
    client: async_nats::Client,
    publisher: TestPublisher,
    consumer: ConsumerTask,
}

/// A server with the bus definitions, a publisher whose snapshot is in KV and on the subject, and
/// a consumer that is live on it.
async fn setup(encoding: Encoding) -> Setup {
    let server = NatsServer::start().await.unwrap();
    let client = async_nats::connect(server.url()).await.unwrap();
    let js = async_nats::jetstream::new(client.clone());
    let stores = ensure(&js, &JetStreamConfig::default()).await.unwrap();
    let symbol: exchange_core::model::Symbol = "BTC/USDT".parse().unwrap();
    let mut publisher = TestPublisher::new(
        client.clone(),
        stores.md_books,
        "venuesim",
        symbol.clone(),
        encoding,
    );
    publisher.publish_snapshot().await;
    publisher.write_kv().await;
    let consumer =
        BookConsumer::subscribe(&client, "venuesim", &symbol, BookConsumerConfig::default())
            .await
            .unwrap();
    let consumer = ConsumerTask::spawn(consumer);
    let want = publisher.last_seq();
    wait_until(DEADLINE, "consumer live on the first snapshot", || {
        let view = consumer.now();
        async move { view.live && view.seq == want }
    })
    .await
    .unwrap();
    Setup {
        server,
        client,
        publisher,
        consumer,
    }
}

/// Waits until the consumer is live at the publisher's last seq with the publisher's book.
async fn wait_equal(setup: &Setup) {
    let want_seq = setup.publisher.last_seq();
    let want_book = setup.publisher.book().clone();
    wait_until(DEADLINE, "consumer equal to the publisher", || {
        let view = setup.consumer.now();
        let ok = view.live && view.seq == want_seq && view.book == want_book;
        async move { ok }
    })
    .await
    .unwrap();
}

fn gaps(changes: &[BookChange]) -> Vec<(u64, u64)> {
    changes
        .iter()
        .filter_map(|c| match c {
            BookChange::Invalidated(InvalidReason::Gap { expected, got }) => {
                Some((*expected, *got))
            }
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_seq_gap_resyncs_from_a_fresh_kv_snapshot() {
    for encoding in [Encoding::MsgPack, Encoding::Json] {
        let mut s = setup(encoding).await;
        for _ in 0..20 {
            s.publisher.publish_delta().await;
        }
        wait_equal(&s).await;

        // One delta is lost; KV is written after every event, so it already covers the loss.
        let lost = s.publisher.lose_delta();
        s.publisher.write_kv().await;
        for _ in 0..20 {
            s.publisher.publish_delta().await;
            s.publisher.write_kv().await;
        }
        wait_equal(&s).await;

        let view = s.consumer.now();
        assert_eq!(gaps(&view.changes), vec![(lost, lost + 1)], "{encoding}");
        assert_eq!(view.stats.invalidations, 1);
        assert_eq!(view.stats.resets, 2, "the first sync and the resync");
        s.consumer.stop().await.unwrap();
    }
}

#[tokio::test]
async fn a_gap_past_the_kv_snapshot_waits_for_a_newer_one_without_spinning() {
    let mut s = setup(Encoding::MsgPack).await;
    let first = s.publisher.last_seq().unwrap();
    for _ in 0..5 {
        s.publisher.publish_delta().await;
    }
    wait_equal(&s).await;

    // Lose one delta and publish three more; KV still holds the first snapshot.
    let lost = s.publisher.lose_delta();
    for _ in 0..3 {
        s.publisher.publish_delta().await;
    }
    wait_until(
        DEADLINE,
        "consumer saw the gap and refused the old KV snapshot",
        || {
            let view = s.consumer.now();
            async move { !view.live && view.stats.snapshots_refused >= 1 }
        },
    )
    .await
    .unwrap();
    let view = s.consumer.now();
    assert_eq!(gaps(&view.changes), vec![(lost, lost + 1)]);
    assert!(view.book.is_empty(), "an invalidated book is cleared");
    assert!(
        view.changes.contains(&BookChange::AwaitingSnapshot {
            offered: first,
            wanted: lost
        }),
        "{:?}",
        view.changes
    );

    // More deltas arrive while the consumer waits (it buffers them), then a KV snapshot covering
    // the loss: the consumer resyncs from it and applies what it buffered after it.
    for _ in 0..3 {
        s.publisher.publish_delta().await;
    }
    s.publisher.write_kv().await;
    for _ in 0..10 {
        s.publisher.publish_delta().await;
    }
    wait_equal(&s).await;

    let view = s.consumer.now();
    assert_eq!(view.stats.invalidations, 1);
    assert_eq!(view.stats.resets, 2);
    assert_eq!(
        view.stats.snapshots_refused, 1,
        "the old snapshot is read once, then the consumer waits for an update"
    );
    s.consumer.stop().await.unwrap();
}

#[tokio::test]
async fn a_gap_is_healed_by_the_publishers_next_snapshot_event() {
    let mut s = setup(Encoding::Json).await;
    s.publisher.lose_delta();
    s.publisher.publish_delta().await;
    wait_until(DEADLINE, "consumer saw the gap", || {
        let view = s.consumer.now();
        async move { !view.live && view.stats.invalidations == 1 }
    })
    .await
    .unwrap();
    // KV is never updated; the publisher's periodic snapshot event resyncs the consumer.
    s.publisher.publish_snapshot().await;
    for _ in 0..5 {
        s.publisher.publish_delta().await;
    }
    wait_equal(&s).await;
    s.consumer.stop().await.unwrap();
}

#[tokio::test]
async fn the_consumer_survives_a_nats_restart_and_resyncs_after_it() {
    let mut s = setup(Encoding::MsgPack).await;
    for _ in 0..5 {
        s.publisher.publish_delta().await;
    }
    wait_equal(&s).await;

    s.server.restart().await.unwrap();
    let client = s.client.clone();
    wait_until(DEADLINE, "client reconnected", || {
        let state = client.connection_state();
        async move { state == async_nats::connection::State::Connected }
    })
    .await
    .unwrap();

    // A delta is lost across the restart; the KV bucket (file storage) survived it.
    s.publisher.lose_delta();
    for _ in 0..2 {
        s.publisher.publish_delta().await;
    }
    let (books, record, encoding) = s.publisher.kv_write();
    wait_until(DEADLINE, "KV writable after the restart", || {
        let (books, record) = (books.clone(), record.clone());
        async move { put_book_snapshot(&books, &record, encoding).await.is_ok() }
    })
    .await
    .unwrap();
    for _ in 0..5 {
        s.publisher.publish_delta().await;
    }
    wait_equal(&s).await;
    assert_eq!(s.consumer.now().stats.invalidations, 1);
    s.consumer.stop().await.unwrap();
}
