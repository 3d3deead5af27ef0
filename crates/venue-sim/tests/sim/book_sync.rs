//! Book sync by the documented procedure (binance.md §5.1, web-socket-streams.md "How to manage a
//! local order book correctly"), checked first on the recorded LRCBTC sequence, then against
//! venue-sim's truth under a seeded flow of more than 10,000 updates, and with an injected gap.

use std::cell::RefCell;
use std::collections::BTreeMap;

use futures_util::StreamExt;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use crate::common::*;

type Lvl = (Decimal, Decimal);

/// The procedure's state after the snapshot (steps 4–5).
#[derive(Debug, Default)]
pub struct LocalBook {
    bids: BTreeMap<Decimal, Decimal>,
    asks: BTreeMap<Decimal, Decimal>,
    id: u64,
    first_applied: bool,
}

#[derive(Debug, PartialEq)]
pub enum Outcome {
    Dropped,
    Applied,
    Gap,
}

fn side(levels: &Value, book: &mut BTreeMap<Decimal, Decimal>) {
    for l in levels.as_array().unwrap() {
        let p: Decimal = l[0].as_str().unwrap().parse().unwrap();
        let q: Decimal = l[1].as_str().unwrap().parse().unwrap();
        if q.is_zero() {
            book.remove(&p);
        } else {
            book.insert(p, q);
        }
    }
}

impl LocalBook {
    /// Step 5: book := snapshot.
    pub fn from_snapshot(s: &Value) -> Self {
        let mut b = LocalBook {
            id: s["lastUpdateId"].as_u64().unwrap(),
            ..Default::default()
        };
        side(&s["bids"], &mut b.bids);
        side(&s["asks"], &mut b.asks);
        b
    }

    /// Steps 4–5 for one diff event.
    pub fn apply(&mut self, e: &Value) -> Outcome {
        let (first, last) = (e["U"].as_u64().unwrap(), e["u"].as_u64().unwrap());
        if last <= self.id {
            return Outcome::Dropped;
        }
        let straddles = first <= self.id + 1 && self.id < last;
        if !(self.first_applied || straddles) {
            return Outcome::Gap;
        }
        if self.first_applied && first > self.id + 1 {
            return Outcome::Gap;
        }
        side(&e["b"], &mut self.bids);
        side(&e["a"], &mut self.asks);
        self.id = last;
        self.first_applied = true;
        Outcome::Applied
    }

    fn levels(&self) -> (Vec<Lvl>, Vec<Lvl>) {
        (
            self.bids.iter().rev().map(|(p, q)| (*p, *q)).collect(),
            self.asks.iter().map(|(p, q)| (*p, *q)).collect(),
        )
    }
}

fn parse_levels(v: &Value) -> Vec<(Decimal, Decimal)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l[0].as_str().unwrap().parse().unwrap(),
                l[1].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn procedure_reproduces_recorded_lrcbtc_sequence() {
    let expected = fixture("binance_depth_sync_expected_LRCBTC.json");
    let mut book = LocalBook::from_snapshot(&fixture("binance_depth_snapshot_LRCBTC.json"));
    let frames = fixture_lines("binance_depth_updates_LRCBTC.jsonl");
    let outcomes: Vec<Outcome> = frames.iter().map(|f| book.apply(&f["data"])).collect();
    assert_eq!(
        outcomes.iter().filter(|o| **o == Outcome::Dropped).count(),
        2
    );
    assert_eq!(
        outcomes.iter().filter(|o| **o == Outcome::Applied).count(),
        expected["frames_applied"].as_u64().unwrap() as usize
    );
    assert_eq!(book.id, expected["final_book_update_id"].as_u64().unwrap());
    let (bids, asks) = book.levels();
    assert_eq!(bids[..5], parse_levels(&expected["final_top5_bids"])[..]);
    assert_eq!(asks[..5], parse_levels(&expected["final_top5_asks"])[..]);
    assert_eq!(
        (bids.len() as u64, asks.len() as u64),
        (
            expected["final_level_counts"]["bids"].as_u64().unwrap(),
            expected["final_level_counts"]["asks"].as_u64().unwrap()
        )
    );
}

/// Reads a raw stream into a channel so the socket never backs up.
fn reader(mut ws: Ws) -> mpsc::Receiver<Value> {
    let (tx, rx) = mpsc::channel(1 << 16);
    tokio::spawn(async move {
        while let Some(Ok(m)) = ws.next().await {
            if let Message::Text(t) = m
                && tx
                    .send(serde_json::from_str(t.as_str()).unwrap())
                    .await
                    .is_err()
            {
                return;
            }
        }
    });
    rx
}

async fn recv(rx: &mut mpsc::Receiver<Value>) -> Value {
    tokio::time::timeout(DEADLINE, rx.recv())
        .await
        .expect("no depth event before the deadline")
        .expect("stream closed")
}

async fn truth(sim: &venue_sim::VenueSim, market: &str) -> Value {
    control_get(sim, &format!("/truth/book?market={market}&symbol=BTCUSDT")).await
}

async fn step(sim: &venue_sim::VenueSim, market: &str, steps: u64) -> u64 {
    let r = control_post(sim, "/flow/step", json!({"market": market, "steps": steps})).await;
    r["updateIds"]["BTCUSDT"].as_u64().unwrap()
}

#[tokio::test]
async fn rebuilt_book_equals_truth_after_10k_updates() {
    let sim = start_quiet().await;
    // Step 1: open the stream and buffer.
    let mut rx = reader(
        ws_ready(&format!(
            "{}/ws/btcusdt@depth@100ms",
            sim.addrs().spot_ws_url()
        ))
        .await,
    );
    let start = step(&sim, "spot", 300).await;
    let first = recv(&mut rx).await;
    // Step 2–3: snapshot, refetched while older than the first buffered event.
    let depth_url = format!(
        "{}/api/v3/depth?symbol=BTCUSDT&limit=5000",
        sim.addrs().spot_rest_url()
    );
    let snapshot = testkit::wait_for(
        DEADLINE,
        "a snapshot not older than the first event",
        || {
            let (url, first) = (&depth_url, &first);
            async move {
                let snapshot = get_json(url).await.1;
                (snapshot["lastUpdateId"].as_u64() >= first["U"].as_u64()).then_some(snapshot)
            }
        },
    )
    .await
    .unwrap();
    let mut book = LocalBook::from_snapshot(&snapshot);
    assert_ne!(book.apply(&first), Outcome::Gap);
    let mut last = step(&sim, "spot", 0).await;
    while last - start < 10_000 {
        last = step(&sim, "spot", 2_000).await;
        while let Ok(e) = rx.try_recv() {
            assert_ne!(book.apply(&e), Outcome::Gap, "unexpected gap at {e}");
        }
    }
    let t = truth(&sim, "spot").await;
    let target = t["lastUpdateId"].as_u64().unwrap();
    assert!(target - start >= 10_000);
    while book.id < target {
        let e = recv(&mut rx).await;
        assert_ne!(book.apply(&e), Outcome::Gap);
    }
    assert_eq!(book.id, target);
    let (bids, asks) = book.levels();
    assert_eq!(bids, parse_levels(&t["bids"]));
    assert_eq!(asks, parse_levels(&t["asks"]));
    sim.shutdown().await;
}

#[tokio::test]
async fn skipped_update_id_is_detected_spot_and_futures() {
    let sim = start_quiet().await;
    let mut rx = reader(
        ws_ready(&format!(
            "{}/ws/btcusdt@depth@100ms",
            sim.addrs().spot_ws_url()
        ))
        .await,
    );
    step(&sim, "spot", 100).await;
    let first = recv(&mut rx).await;
    let snapshot = get_json(&format!(
        "{}/api/v3/depth?symbol=BTCUSDT&limit=5000",
        sim.addrs().spot_rest_url()
    ))
    .await
    .1;
    let mut book = LocalBook::from_snapshot(&snapshot);
    let _ = book.apply(&first);
    control_post(
        &sim,
        "/faults/skip-depth",
        json!({"market": "spot", "symbol": "BTCUSDT"}),
    )
    .await;
    // Step the flow until the client sees the hole: events arrive asynchronously, so each round
    // drains what has come so far.
    let spot = RefCell::new((rx, book, false));
    testkit::wait_until(
        DEADLINE,
        "the skipped update id to show as a gap",
        || async {
            step(&sim, "spot", 50).await;
            let mut guard = spot.borrow_mut();
            let (rx, book, gapped) = &mut *guard;
            while let Ok(e) = rx.try_recv() {
                *gapped |= book.apply(&e) == Outcome::Gap;
            }
            *gapped
        },
    )
    .await
    .unwrap();
    let gapped = spot.borrow().2;
    assert!(
        gapped,
        "a skipped depth update must show as U > book id + 1"
    );

    // Futures: each event's pu must equal the previous event's u.
    let mut frx = reader(
        ws_ready(&format!(
            "{}/ws/btcusdt@depth@100ms",
            sim.addrs().futures_ws_url()
        ))
        .await,
    );
    step(&sim, "futures", 100).await;
    let prev = recv(&mut frx).await;
    control_post(
        &sim,
        "/faults/skip-depth",
        json!({"market": "futures", "symbol": "BTCUSDT"}),
    )
    .await;
    let futures = RefCell::new((frx, prev, false));
    testkit::wait_until(
        DEADLINE,
        "the skipped update id to break the pu chain",
        || async {
            step(&sim, "futures", 50).await;
            let mut guard = futures.borrow_mut();
            let (frx, prev, broken) = &mut *guard;
            while let Ok(e) = frx.try_recv() {
                *broken |= e["pu"] != prev["u"];
                *prev = e;
            }
            *broken
        },
    )
    .await
    .unwrap();
    let broken = futures.borrow().2;
    assert!(
        broken,
        "a skipped futures depth update must break the pu chain"
    );
    sim.shutdown().await;
}

/// USD-M futures procedure (binance.md §5.1 "USD-M futures differs"): drop `u < lastUpdateId`;
/// the first processed event has `U <= lastUpdateId <= u`; then each `pu` equals the previous `u`.
#[tokio::test]
async fn futures_book_rebuilt_with_pu_chain_equals_truth() {
    let sim = start_quiet().await;
    let mut rx = reader(
        ws_ready(&format!(
            "{}/ws/btcusdt@depth@100ms",
            sim.addrs().futures_ws_url()
        ))
        .await,
    );
    step(&sim, "futures", 200).await;
    let first = recv(&mut rx).await;
    let snapshot = get_json(&format!(
        "{}/fapi/v1/depth?symbol=BTCUSDT&limit=1000",
        sim.addrs().futures_rest_url()
    ))
    .await
    .1;
    let last_update_id = snapshot["lastUpdateId"].as_u64().unwrap();
    assert!(last_update_id >= first["U"].as_u64().unwrap());
    let mut book = LocalBook::from_snapshot(&snapshot);
    let mut prev_u: Option<u64> = None;
    let mut apply = |e: &Value, book: &mut LocalBook| {
        let (big_u, u, pu) = (
            e["U"].as_u64().unwrap(),
            e["u"].as_u64().unwrap(),
            e["pu"].as_u64().unwrap(),
        );
        match prev_u {
            None if u < last_update_id => return,
            None => assert!(
                big_u <= last_update_id && last_update_id <= u,
                "first event {e} vs {last_update_id}"
            ),
            Some(p) => assert_eq!(pu, p, "pu chain broken at {e}"),
        }
        side(&e["b"], &mut book.bids);
        side(&e["a"], &mut book.asks);
        book.id = u;
        prev_u = Some(u);
    };
    apply(&first, &mut book);
    let start = step(&sim, "futures", 0).await;
    let mut last = start;
    while last - start < 3_000 {
        last = step(&sim, "futures", 1_000).await;
        while let Ok(e) = rx.try_recv() {
            apply(&e, &mut book);
        }
    }
    let t = truth(&sim, "futures").await;
    let target = t["lastUpdateId"].as_u64().unwrap();
    while book.id < target {
        let e = recv(&mut rx).await;
        apply(&e, &mut book);
    }
    let (bids, asks) = book.levels();
    assert_eq!(bids, parse_levels(&t["bids"]));
    assert_eq!(asks, parse_levels(&t["asks"]));
    sim.shutdown().await;
}
