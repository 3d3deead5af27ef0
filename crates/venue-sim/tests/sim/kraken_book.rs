//! Kraken v2 `book`: the documented checksum example and the real ETH/USD sequence verify with
//! both the client-side algorithm and venue-sim's; a book rebuilt from the stream (snapshot +
//! updates, truncated to the depth, every checksum verified) equals the truth through more than
//! 10,000 updates at depth 10 and at depth 1000; a corrupted checksum is detected.

use serde_json::{Value, json};
use venue_sim::SimConfig;
use venue_sim::kraken::book_feed::checksum;

use crate::common::{control_get, control_post, fixture, send};
use crate::kraken_common::{ClientBook, connect, side_texts, until_pong};

fn raw_lines(name: &str) -> Vec<String> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn documented_checksum_example_verifies() {
    let f = fixture("kraken_book_checksum_v2_doc_example.json");
    let frame = f["book"].to_string();
    let (bids, asks) = (side_texts(&frame, "bids"), side_texts(&frame, "asks"));
    assert_eq!(checksum(&bids, &asks), 3_310_070_434);
    let mut book = ClientBook::new(10);
    assert!(book.apply(&frame));
    assert_eq!(
        u64::from(book.checksum()),
        f["expected"]["checksum"].as_u64().unwrap()
    );
}

#[test]
fn real_eth_usd_sequence_verifies_with_truncation() {
    let lines = raw_lines("kraken_book_v2_sequence_ETHUSD.jsonl");
    let mut book = ClientBook::new(10);
    assert!(book.apply(&lines[1]), "snapshot checksum");
    assert!(
        book.apply(&lines[2]),
        "update checksum (needs truncation to 10)"
    );
    assert_eq!(book.asks.len(), 10);
    // venue-sim's checksum over the same texts.
    let snap = side_texts(&lines[1], "bids");
    assert_eq!(
        checksum(&snap, &side_texts(&lines[1], "asks")),
        2_606_672_715
    );
    // Through a float round trip (`0.80386470` becomes `0.8038647`) the checksum fails.
    let reformatted = serde_json::from_str::<Value>(&lines[1])
        .unwrap()
        .to_string();
    assert!(!ClientBook::new(10).apply(&reformatted));
}

fn config(seed_levels: usize) -> SimConfig {
    let mut c = SimConfig {
        flow_rate: 0,
        tick_ms: 1000,
        seed: 7,
        seed_levels,
        ..SimConfig::for_tests()
    };
    c.kraken.pairs.truncate(1);
    c
}

fn assert_equals_truth(book: &ClientBook, truth: &Value, depth: usize) {
    let (bids, asks) = book.levels();
    let t = |side: &str| -> Vec<[String; 2]> {
        truth[side]
            .as_array()
            .unwrap()
            .iter()
            .take(depth)
            .map(|l| {
                [
                    l[0].as_str().unwrap().to_string(),
                    l[1].as_str().unwrap().to_string(),
                ]
            })
            .collect()
    };
    assert_eq!(bids, t("bids"), "bids differ at depth {depth}");
    assert_eq!(asks, t("asks"), "asks differ at depth {depth}");
}

async fn rebuild_through_flow(depth: usize) {
    let sim = crate::common::start(config(1100)).await;
    let mut ws = connect(&sim.addrs().kraken_ws_url()).await;
    let params = json!({"channel": "book", "symbol": ["BTC/USD"], "depth": depth});
    send(
        &mut ws,
        json!({"method": "subscribe", "params": params, "req_id": 1}),
    )
    .await;
    let mut book = ClientBook::new(depth);
    let first = until_pong(&mut ws, 2).await;
    let ack: Value = serde_json::from_str(&first[0]).unwrap();
    assert_eq!(ack["success"], true, "{ack}");
    assert_eq!(ack["result"]["depth"], depth);
    assert!(first[1].contains("\"type\":\"snapshot\""));
    assert!(book.apply(&first[1]), "snapshot checksum");
    let mut have_snapshot = true;
    let (mut updates, mut req) = (0u64, 10u64);
    let mut steps = 0;
    let mut deepest = book.bids.len().max(book.asks.len());
    while updates < 10_000 {
        assert!(steps < 400_000, "flow did not produce 10,000 updates");
        control_post(
            &sim,
            "/flow/step",
            json!({"market": "kraken", "steps": 1000}),
        )
        .await;
        steps += 1000;
        req += 1;
        for frame in until_pong(&mut ws, req).await {
            if !frame.starts_with("{\"channel\":\"book\"") {
                continue;
            }
            if frame.contains("\"type\":\"snapshot\"") {
                have_snapshot = true;
            } else {
                assert!(have_snapshot, "update before snapshot");
                updates += 1;
            }
            assert!(
                book.apply(&frame),
                "checksum mismatch after {updates} updates: {frame}"
            );
        }
        let truth = control_get(&sim, "/truth/book?market=kraken&symbol=BTC/USD").await;
        assert_equals_truth(&book, &truth, depth);
        deepest = deepest.max(book.bids.len().max(book.asks.len()));
    }
    assert!(book.bids.len() <= depth && book.asks.len() <= depth);
    // The seeded book is deeper than the subscription, so truncation was exercised.
    assert_eq!(deepest, depth);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn book_equals_truth_at_depth_10() {
    rebuild_through_flow(10).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn book_equals_truth_at_depth_1000() {
    rebuild_through_flow(1000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupted_checksum_is_detectable() {
    let sim = crate::common::start(config(50)).await;
    let mut ws = connect(&sim.addrs().kraken_ws_url()).await;
    send(&mut ws, json!({"method": "subscribe", "params": {"channel": "book", "symbol": ["BTC/USD"], "depth": 10}, "req_id": 1})).await;
    let mut book = ClientBook::new(10);
    for f in until_pong(&mut ws, 2).await {
        if f.starts_with("{\"channel\":\"book\"") {
            assert!(book.apply(&f));
        }
    }
    control_post(
        &sim,
        "/faults/corrupt-checksum",
        json!({"symbol": "BTC/USD"}),
    )
    .await;
    let mut failures = 0;
    let mut clean = 0;
    for i in 0..20 {
        control_post(&sim, "/flow/step", json!({"market": "kraken", "steps": 50})).await;
        for f in until_pong(&mut ws, 10 + i).await {
            if f.starts_with("{\"channel\":\"book\"") {
                if book.apply(&f) {
                    clean += 1;
                } else {
                    failures += 1;
                }
            }
        }
    }
    assert_eq!(
        failures, 1,
        "exactly the corrupted message fails ({clean} clean)"
    );
    assert!(clean > 0);
    sim.shutdown().await;
}
