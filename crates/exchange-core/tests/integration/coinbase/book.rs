//! The `l2_data` book: the recorded snapshot, updates on top of it, a skipped `sequence_num`
//! detected and recovered, and the replay report.
//!
//! No real multi-message level2 sequence exists (`shared/exchanges/coinbase.md` §8): updates
//! below are built by hand on the recorded snapshot's envelope and say so.

use exchange_core::BookUpdate;
use exchange_core::adapters::coinbase::book::{BookAction, BookState, Level2Feed, replay};
use exchange_core::adapters::coinbase::parse::ws::{WsMessage, parse_message};
use exchange_core::model::Level;

use super::{d, fixture, sym};

fn snapshot_frame() -> String {
    fixture("coinbase_level2_snapshot.json").trim().to_owned()
}

/// A hand-built `l2_data` update for BTC-PERP-INTX (same envelope as the recorded snapshot).
fn update(seq: u64, side: &str, price: &str, qty: &str) -> String {
    format!(
        r#"{{"channel":"l2_data","client_id":"","timestamp":"2026-09-07T01:57:59.000000Z","sequence_num":{seq},"events":[{{"type":"update","product_id":"BTC-PERP-INTX","updates":[{{"side":"{side}","event_time":"2026-09-07T01:57:59.000000Z","price_level":"{price}","new_quantity":"{qty}"}}]}}]}}"#
    )
}

/// The recorded snapshot re-sent later on the connection (the answer to a resubscribe).
fn snapshot_at(seq: u64) -> String {
    snapshot_frame().replace("\"sequence_num\":0", &format!("\"sequence_num\":{seq}"))
}

fn feed(feed: &mut Level2Feed, frame: &str) -> Vec<BookAction> {
    let WsMessage::Channel(msg) = parse_message(frame).unwrap() else {
        panic!("{frame}");
    };
    feed.on_message(&msg, 1)
        .unwrap()
        .into_iter()
        .map(|a| {
            assert_eq!(a.product_id, "BTC-PERP-INTX");
            a.action
        })
        .collect()
}

fn lv(p: &str, q: &str) -> Level {
    Level::new(d(p), d(q))
}

#[test]
fn recorded_snapshot_becomes_a_sorted_live_book() {
    let mut f = Level2Feed::new();
    let actions = feed(&mut f, &snapshot_frame());
    let [
        BookAction::Publish {
            seq: 1,
            update: BookUpdate::Snapshot(s),
        },
    ] = actions.as_slice()
    else {
        panic!("{actions:?}");
    };
    assert_eq!(s.symbol, sym("BTC/USDC:USDC"));
    assert_eq!(s.bids, vec![lv("79943.9", "3.0105"), lv("79943.8", "0.5")]);
    assert_eq!(s.asks, vec![lv("79944", "0.048"), lv("79944.1", "1.2")]);
    assert_eq!(s.venue_seq, Some(0));
    assert_eq!(s.exchange_ts_ns, 1_788_746_278_894_355_000);
    assert_eq!(f.book("BTC-PERP-INTX").unwrap().state(), BookState::Live);
}

#[test]
fn updates_apply_and_a_skipped_sequence_num_goes_stale_then_recovers() {
    let mut f = Level2Feed::new();
    feed(&mut f, &snapshot_frame());
    // 1: a changed bid; 2: a removed ask; publication seq continues 2, 3.
    let a = feed(&mut f, &update(1, "bid", "79943.9", "2.5"));
    let [
        BookAction::Publish {
            seq: 2,
            update: BookUpdate::Delta(delta),
        },
    ] = a.as_slice()
    else {
        panic!("{a:?}");
    };
    assert_eq!(
        (delta.bids.clone(), delta.venue_seq),
        (vec![lv("79943.9", "2.5")], Some(1))
    );
    let a = feed(&mut f, &update(2, "offer", "79944", "0"));
    assert!(matches!(
        a.as_slice(),
        [BookAction::Publish {
            seq: 3,
            update: BookUpdate::Delta(_)
        }]
    ));
    let book = f.book("BTC-PERP-INTX").unwrap();
    assert_eq!(book.book().best_ask(), Some(lv("79944.1", "1.2")));
    assert_eq!(book.book().best_bid(), Some(lv("79943.9", "2.5")));

    // 3 is lost: 4 reveals the gap. Stale is published, a resubscribe asked, 4 is not applied.
    let a = feed(&mut f, &update(4, "bid", "79943.7", "9"));
    match a.as_slice() {
        [
            BookAction::Publish {
                seq: 4,
                update: BookUpdate::Stale { reason },
            },
            BookAction::Resubscribe { product_id },
        ] => {
            assert!(reason.contains("expected 3, received 4"), "{reason}");
            assert_eq!(product_id, "BTC-PERP-INTX");
        }
        other => panic!("{other:?}"),
    }
    let book = f.book("BTC-PERP-INTX").unwrap();
    assert_eq!(book.state(), BookState::Stale);
    assert_eq!(
        book.book()
            .qty_at(exchange_core::orderbook::BookSide::Bid, d("79943.7")),
        None
    );
    assert!(
        feed(&mut f, &update(5, "bid", "79943.7", "9")).is_empty(),
        "dropped while stale"
    );

    // The resubscribe's snapshot (6) makes the book live again, replacing everything.
    let a = feed(&mut f, &snapshot_at(6));
    let [
        BookAction::Publish {
            seq: 5,
            update: BookUpdate::Snapshot(s),
        },
    ] = a.as_slice()
    else {
        panic!("{a:?}");
    };
    assert_eq!(s.bids, vec![lv("79943.9", "3.0105"), lv("79943.8", "0.5")]);
    let book = f.book("BTC-PERP-INTX").unwrap();
    assert_eq!(book.state(), BookState::Live);
    let c = book.counters();
    assert_eq!(
        (c.applied, c.dropped, c.gaps, c.snapshots, c.resubscribes),
        (4, 2, 1, 2, 1)
    );
    assert_eq!(f.gaps(), 1);
}

#[test]
fn interleaved_channels_count_in_the_sequence() {
    // snapshot 0, ack 1, ack 2, heartbeat 3 (the recorded connection), then update 4: no gap.
    let mut f = Level2Feed::new();
    feed(&mut f, &snapshot_frame());
    for line in fixture("coinbase_ws_subscriptions_ack.jsonl").lines() {
        assert!(feed(&mut f, line).is_empty());
    }
    assert!(feed(&mut f, fixture("coinbase_ws_heartbeats.json").trim()).is_empty());
    let a = feed(&mut f, &update(4, "bid", "79943.9", "1"));
    assert!(matches!(
        a.as_slice(),
        [BookAction::Publish {
            update: BookUpdate::Delta(_),
            ..
        }]
    ));
    assert_eq!(f.gaps(), 0);
    // Without the heartbeat, update 4 would follow ack 2: a gap.
    let mut g = Level2Feed::new();
    feed(&mut g, &snapshot_frame());
    for line in fixture("coinbase_ws_subscriptions_ack.jsonl").lines() {
        feed(&mut g, line);
    }
    assert!(matches!(
        feed(&mut g, &update(4, "bid", "79943.9", "1")).as_slice(),
        [
            BookAction::Publish {
                update: BookUpdate::Stale { .. },
                ..
            },
            BookAction::Resubscribe { .. }
        ]
    ));
}

#[test]
fn replay_reports_the_recorded_connection() {
    let capture = format!(
        "{}\n{}\n{}\n",
        snapshot_frame(),
        fixture("coinbase_ws_subscriptions_ack.jsonl").trim(),
        fixture("coinbase_ws_heartbeats.json").trim()
    );
    let r = replay(&capture, None, 1).unwrap();
    assert_eq!(
        (
            r.venue.as_str(),
            r.symbol.as_str(),
            r.unified_symbol.as_str()
        ),
        ("coinbase", "BTC-PERP-INTX", "BTC/USDC:USDC")
    );
    assert_eq!(r.state, "live");
    assert_eq!(r.last_sequence_num, Some(0));
    assert_eq!((r.applied, r.dropped, r.gaps, r.ignored), (1, 0, 0, 3));
    assert_eq!(r.bids, vec![["79943.9".to_owned(), "3.0105".to_owned()]]);
    assert_eq!(r.asks, vec![["79944".to_owned(), "0.048".to_owned()]]);
    assert_eq!((r.levels.bids, r.levels.asks), (2, 2));
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.contains(r#""bids":[["79943.9","3.0105"]]"#), "{json}");
    assert!(r.to_human().contains("BTC-PERP-INTX (BTC/USDC:USDC)"));

    let gapped = format!("{}\n{}\n", snapshot_frame(), update(2, "bid", "1", "1"));
    let r = replay(&gapped, Some("BTC-PERP-INTX"), 5).unwrap();
    assert_eq!((r.state, r.gaps, r.applied), ("stale", 1, 1));
    assert!(replay(&gapped, Some("ETH-PERP-INTX"), 5).is_err());
    assert!(
        replay("not json\n", None, 5)
            .unwrap_err()
            .to_string()
            .contains("line 1")
    );
}
