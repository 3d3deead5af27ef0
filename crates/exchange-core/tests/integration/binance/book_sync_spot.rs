//! The spot book procedure on the real LRCBTC capture: snapshot `lastUpdateId` 259345543 and the
//! 15 `lrcbtc@depth@100ms` frames around it, replayed to the expected final book of
//! `binance_depth_sync_expected_LRCBTC.json`. Edge case: frame 1 ends exactly at
//! `u == lastUpdateId` and must be dropped.

use exchange_core::BookUpdate;
use exchange_core::adapters::binance::parse::depth::{DepthSnapshot, DepthUpdate};
use exchange_core::adapters::binance::parse::frame::{MarketEvent, parse_market_frame};
use exchange_core::adapters::binance::{BookSync, Product, SyncAction, SyncState};
use exchange_core::model::Level;
use serde_json::Value;

use super::{fixture, sym};

fn snapshot() -> DepthSnapshot {
    serde_json::from_str(&fixture("binance_depth_snapshot_LRCBTC.json")).unwrap()
}

fn frames() -> Vec<DepthUpdate> {
    fixture("binance_depth_updates_LRCBTC.jsonl")
        .lines()
        .map(|line| match parse_market_frame(line).unwrap().event {
            MarketEvent::Depth(d) => d,
            other => panic!("{other:?}"),
        })
        .collect()
}

fn strings(levels: &[Level]) -> Vec<[String; 2]> {
    levels
        .iter()
        .map(|l| [l.price.to_string(), l.qty.to_string()])
        .collect()
}

const TOP5_BIDS: [[&str; 2]; 5] = [
    ["0.00000637", "2500.00000000"],
    ["0.00000636", "10310.00000000"],
    ["0.00000635", "12760.00000000"],
    ["0.00000634", "44780.00000000"],
    ["0.00000633", "66703.00000000"],
];
const TOP5_ASKS: [[&str; 2]; 5] = [
    ["0.00000638", "2285.00000000"],
    ["0.00000639", "45096.00000000"],
    ["0.00000640", "15869.00000000"],
    ["0.00000641", "71538.00000000"],
    ["0.00000642", "17978.00000000"],
];

fn assert_expected_final_book(sync: &BookSync) {
    assert_eq!(sync.state(), SyncState::Live);
    assert_eq!(sync.last_update_id(), Some(259_345_563));
    let c = sync.counters();
    assert_eq!((c.applied, c.dropped, c.gaps), (13, 2, 0));
    let (bids, asks) = sync.book().top_n(5);
    let hand = |t: [[&str; 2]; 5]| t.map(|[p, q]| [p.to_owned(), q.to_owned()]).to_vec();
    assert_eq!(strings(&bids), hand(TOP5_BIDS));
    assert_eq!(strings(&asks), hand(TOP5_ASKS));
    assert_eq!(sync.book().bid_levels(), 176);
    assert_eq!(sync.book().ask_levels(), 1000);

    // The researcher's expectation file says the same.
    let expected: Value =
        serde_json::from_str(&fixture("binance_depth_sync_expected_LRCBTC.json")).unwrap();
    assert_eq!(expected["final_book_update_id"], 259_345_563);
    assert_eq!(expected["frames_applied"], c.applied);
    assert_eq!(
        expected["frames_dropped_u_le_lastUpdateId"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        serde_json::to_value(strings(&bids)).unwrap(),
        expected["final_top5_bids"]
    );
    assert_eq!(
        serde_json::to_value(strings(&asks)).unwrap(),
        expected["final_top5_asks"]
    );
    assert_eq!(expected["final_level_counts"]["bids"], 176);
    assert_eq!(expected["final_level_counts"]["asks"], 1000);
}

#[test]
fn snapshot_first_replays_to_the_expected_book() {
    let mut sync = BookSync::new(sym("LRC/BTC"), Product::Spot);
    assert!(
        sync.on_snapshot(snapshot(), 1).is_empty(),
        "nothing proven yet"
    );
    assert_eq!(sync.state(), SyncState::Syncing);
    let mut published = Vec::new();
    for (i, frame) in frames().into_iter().enumerate() {
        let actions = sync.on_update(frame, 10 + i as i64);
        if i < 2 {
            assert!(
                actions.is_empty(),
                "frame {i} has u <= lastUpdateId: dropped"
            );
            assert_eq!(sync.state(), SyncState::Syncing);
        }
        published.extend(actions);
    }
    assert_expected_final_book(&sync);

    // Snapshot, then 13 deltas, with a gap-free sequence.
    assert_eq!(published.len(), 14);
    for (i, action) in published.iter().enumerate() {
        let SyncAction::Publish { seq, .. } = action else {
            panic!("{action:?}")
        };
        assert_eq!(*seq, i as u64 + 1);
    }
    let SyncAction::Publish {
        update: BookUpdate::Snapshot(s),
        ..
    } = &published[0]
    else {
        panic!("{:?}", published[0])
    };
    assert_eq!(s.venue_seq, Some(259_345_543));
    assert_eq!(s.bids[0].price.to_string(), "0.00000637");
    assert_eq!(s.bids[0].qty.to_string(), "6500.00000000");
    let SyncAction::Publish {
        update: BookUpdate::Delta(d),
        ..
    } = &published[1]
    else {
        panic!("{:?}", published[1])
    };
    assert_eq!(
        (d.venue_first_seq, d.venue_seq),
        (Some(259_345_544), Some(259_345_545))
    );
    assert_eq!(d.local_ts_ns, 12);
    let mut prev = d.venue_seq.unwrap();
    for action in &published[2..] {
        let SyncAction::Publish {
            update: BookUpdate::Delta(d),
            ..
        } = action
        else {
            panic!("{action:?}")
        };
        assert_eq!(d.venue_first_seq, Some(prev + 1), "U == prev u + 1");
        prev = d.venue_seq.unwrap();
    }
}

#[test]
fn buffered_first_asks_for_one_snapshot_then_replays_to_the_same_book() {
    let mut sync = BookSync::new(sym("LRC/BTC"), Product::Spot);
    let mut fetches = 0;
    for frame in frames() {
        for action in sync.on_update(frame, 0) {
            assert_eq!(
                action,
                SyncAction::FetchSnapshot,
                "nothing published before the snapshot"
            );
            fetches += 1;
        }
    }
    assert_eq!(fetches, 1, "step 2 once");
    assert_eq!(sync.state(), SyncState::Syncing);
    let actions = sync.on_snapshot(snapshot(), 0);
    assert_eq!(actions.len(), 14);
    assert_expected_final_book(&sync);
    assert_eq!(sync.counters().snapshot_requests, 1);
}

#[test]
fn a_snapshot_older_than_the_buffer_is_fetched_again() {
    let mut sync = BookSync::new(sym("LRC/BTC"), Product::Spot);
    for frame in frames().into_iter().skip(3) {
        sync.on_update(frame, 0);
    }
    // Frame 3 starts at U = 259345546; the capture's snapshot is at 259345543 (step 3).
    let actions = sync.on_snapshot(snapshot(), 0);
    assert_eq!(actions, vec![SyncAction::FetchSnapshot]);
    assert_eq!(sync.state(), SyncState::Syncing);
    assert!(
        sync.book().is_empty(),
        "an unproven snapshot never becomes the book"
    );
    assert_eq!(sync.counters().snapshot_requests, 2);
}

#[test]
fn a_skipped_update_marks_the_book_stale_and_asks_for_a_snapshot() {
    let mut sync = BookSync::new(sym("LRC/BTC"), Product::Spot);
    sync.on_snapshot(snapshot(), 0);
    let frames = frames();
    for frame in frames.iter().take(7).cloned() {
        sync.on_update(frame, 0);
    }
    assert_eq!(sync.state(), SyncState::Live);
    assert_eq!(sync.last_update_id(), Some(259_345_551));
    // Skip frame 7 (U = u = 259345552): frame 8 starts at 259345553.
    let actions = sync.on_update(frames[8].clone(), 0);
    assert_eq!(actions.len(), 2);
    assert!(matches!(
        &actions[0],
        SyncAction::Publish { seq: 7, update: BookUpdate::Stale { reason } } if reason.contains("259345553")
    ));
    assert_eq!(actions[1], SyncAction::FetchSnapshot);
    assert_eq!(sync.state(), SyncState::Stale);
    assert_eq!(sync.counters().gaps, 1);
    assert_eq!(sync.last_update_id(), Some(259_345_551));
    // Later frames wait for the snapshot; nothing is published meanwhile.
    for frame in frames.iter().skip(9).cloned() {
        assert!(sync.on_update(frame, 0).is_empty());
    }
    assert_eq!(sync.state(), SyncState::Stale);
}

#[test]
fn invalidating_a_live_book_publishes_stale_and_restarts_at_step_one() {
    let mut sync = BookSync::new(sym("LRC/BTC"), Product::Spot);
    sync.on_snapshot(snapshot(), 0);
    let frames = frames();
    for frame in frames.iter().take(5).cloned() {
        sync.on_update(frame, 0);
    }
    assert_eq!(sync.state(), SyncState::Live);
    let actions = sync.invalidate("connection dropped");
    assert_eq!(
        actions,
        vec![SyncAction::Publish {
            seq: 5,
            update: BookUpdate::Stale {
                reason: "connection dropped".into()
            }
        }]
    );
    assert_eq!(sync.state(), SyncState::Stale);
    assert!(
        sync.invalidate("again").is_empty(),
        "stale is announced once"
    );
    // Step 1 again: the next event is buffered and a snapshot requested.
    assert_eq!(
        sync.on_update(frames[5].clone(), 0),
        vec![SyncAction::FetchSnapshot]
    );
    // The capture's snapshot is older than that event (U = 259345548 > 259345544): step 3.
    assert_eq!(
        sync.on_snapshot(snapshot(), 0),
        vec![SyncAction::FetchSnapshot]
    );
    assert_eq!(sync.state(), SyncState::Stale);
}
