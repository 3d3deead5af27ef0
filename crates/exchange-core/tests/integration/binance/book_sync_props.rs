//! Property tests for both procedures: a venue's true book evolves by random events (each
//! covering 1–3 update ids, absolute quantities, zero deletes); the stream is delivered from a
//! random point before the snapshot. Without loss the synced book equals the truth; with one
//! event lost after the snapshot (and followed by another) the gap is always detected.

use std::collections::BTreeMap;

use exchange_core::adapters::binance::parse::depth::{DepthSnapshot, DepthUpdate};
use exchange_core::adapters::binance::{BookSync, Product, SyncAction, SyncState};
use exchange_core::model::Level;
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::sym;

type Side = BTreeMap<u32, u32>;

#[derive(Debug, Clone)]
struct Change {
    bid: bool,
    price: u32,
    qty: u32,
}

fn levels(side: &Side) -> Vec<Level> {
    side.iter()
        .map(|(p, q)| Level::new(Decimal::from(*p), Decimal::from(*q)))
        .collect()
}

/// The events of a true history starting after update id 1000, and the truth after each.
fn history(batches: &[(u64, Vec<Change>)]) -> (Vec<DepthUpdate>, Vec<(Side, Side)>) {
    let (mut bids, mut asks) = (Side::new(), Side::new());
    let mut next_id = 1001;
    let mut prev_u = 1000;
    let mut events = Vec::new();
    let mut truths = vec![(bids.clone(), asks.clone())];
    for (span, changes) in batches {
        let (mut b, mut a) = (Vec::new(), Vec::new());
        for c in changes {
            let side = if c.bid { &mut bids } else { &mut asks };
            if c.qty == 0 {
                side.remove(&c.price);
            } else {
                side.insert(c.price, c.qty);
            }
            let level = Level::new(Decimal::from(c.price), Decimal::from(c.qty));
            if c.bid { b.push(level) } else { a.push(level) }
        }
        let last = next_id + span - 1;
        events.push(DepthUpdate {
            event_time: 0,
            transaction_time: None,
            symbol: "BTCUSDT".into(),
            first_update_id: next_id,
            final_update_id: last,
            prev_final_update_id: Some(prev_u),
            bids: b,
            asks: a,
        });
        prev_u = last;
        next_id = last + 1;
        truths.push((bids.clone(), asks.clone()));
    }
    (events, truths)
}

fn batches() -> impl Strategy<Value = Vec<(u64, Vec<Change>)>> {
    let change =
        (any::<bool>(), 1u32..15, 0u32..4).prop_map(|(bid, price, qty)| Change { bid, price, qty });
    prop::collection::vec((1u64..4, prop::collection::vec(change, 0..4)), 4..40)
}

/// Delivers events `from..` in order, skipping `lost`, and hands over the snapshot (the truth
/// after `snap` events) just before event `snap`.
fn run(
    product: Product,
    events: &[DepthUpdate],
    truths: &[(Side, Side)],
    snap: usize,
    from: usize,
    lost: Option<usize>,
) -> BookSync {
    let mut sync = BookSync::new(sym("BTC/USDT:USDT"), product);
    let last_update_id = if snap == 0 {
        1000
    } else {
        events[snap - 1].final_update_id
    };
    let snapshot = DepthSnapshot {
        last_update_id,
        bids: levels(&truths[snap].0).into_iter().rev().collect(),
        asks: levels(&truths[snap].1),
        event_time: None,
        transaction_time: None,
    };
    let mut seq = 0;
    let mut check = |actions: Vec<SyncAction>| {
        for a in actions {
            if let SyncAction::Publish { seq: s, .. } = a {
                assert_eq!(s, seq + 1, "publication is gap-free");
                seq = s;
            }
        }
    };
    let mut snapshot = Some(snapshot);
    for (i, ev) in events.iter().enumerate().skip(from) {
        if i == snap
            && let Some(s) = snapshot.take()
        {
            check(sync.on_snapshot(s, 0));
        }
        if Some(i) != lost {
            check(sync.on_update(ev.clone(), 0));
        }
    }
    sync
}

fn check_lossless(product: Product, b: &[(u64, Vec<Change>)], snap_pick: usize, from_pick: usize) {
    let (events, truths) = history(b);
    let n = events.len();
    // The snapshot reflects events 0..snap, and at least one event follows it.
    let snap = 1 + snap_pick % (n - 1);
    // The stream starts before the snapshot (steps 1-2). USD-M needs the event that contains
    // lastUpdateId (`U <= L <= u`), so its stream starts at least one event earlier.
    let from = match product {
        Product::UsdM => from_pick % snap,
        _ => from_pick % (snap + 1),
    };
    let sync = run(product, &events, &truths, snap, from, None);
    assert_eq!(sync.state(), SyncState::Live);
    assert_eq!(sync.last_update_id(), Some(events[n - 1].final_update_id));
    let (bids, asks) = sync.book().levels();
    assert_eq!(
        bids,
        levels(&truths[n].0).into_iter().rev().collect::<Vec<_>>()
    );
    assert_eq!(asks, levels(&truths[n].1));
    assert_eq!(sync.counters().gaps, 0);
}

fn check_loss(product: Product, b: &[(u64, Vec<Change>)], snap_pick: usize, lost_pick: usize) {
    let (events, truths) = history(b);
    let n = events.len();
    let snap = 1 + snap_pick % (n - 3);
    // Lose an event after the first applied one and before the last.
    let lost = snap + 1 + lost_pick % (n - snap - 2);
    let sync = run(product, &events, &truths, snap, snap - 1, Some(lost));
    assert_eq!(sync.counters().gaps, 1, "lost event {lost} of {n}");
    assert_eq!(sync.state(), SyncState::Stale);
    assert_eq!(
        sync.last_update_id(),
        Some(events[lost - 1].final_update_id)
    );
}

proptest! {
    #[test]
    fn spot_lossless_streams_reach_the_true_book(b in batches(), s in any::<usize>(), f in any::<usize>()) {
        check_lossless(Product::Spot, &b, s, f);
    }

    #[test]
    fn usdm_lossless_streams_reach_the_true_book(b in batches(), s in any::<usize>(), f in any::<usize>()) {
        check_lossless(Product::UsdM, &b, s, f);
    }

    #[test]
    fn spot_detects_any_lost_event(b in batches(), s in any::<usize>(), l in any::<usize>()) {
        check_loss(Product::Spot, &b, s, l);
    }

    #[test]
    fn usdm_detects_any_lost_event(b in batches(), s in any::<usize>(), l in any::<usize>()) {
        check_loss(Product::UsdM, &b, s, l);
    }
}
