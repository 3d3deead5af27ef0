//! Properties of the `l2_data` book over generated streams (frames built as JSON text in the
//! recorded envelope): the book equals a plain model after any stream, and losing any message
//! but the last is detected.

use std::collections::BTreeMap;

use exchange_core::adapters::coinbase::book::{BookState, Level2Feed};
use exchange_core::adapters::coinbase::parse::ws::{WsMessage, parse_message};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// One level change: bid or offer, price tick, quantity in tenths (0 deletes).
type Change = (bool, u32, u32);

fn level_json(bid: bool, tick: u32, tenths: u32) -> String {
    let price = if bid { 1000 + tick } else { 2000 + tick };
    format!(
        r#"{{"side":"{}","event_time":"2026-09-07T01:57:58.894355Z","price_level":"{price}.5","new_quantity":"{}"}}"#,
        if bid { "bid" } else { "offer" },
        Decimal::new(i64::from(tenths), 1)
    )
}

fn frame(seq: u64, kind: &str, changes: &[Change]) -> String {
    let updates: Vec<String> = changes
        .iter()
        .map(|&(b, t, q)| level_json(b, t, q))
        .collect();
    format!(
        r#"{{"channel":"l2_data","client_id":"","timestamp":"2026-09-07T01:57:58.894355Z","sequence_num":{seq},"events":[{{"type":"{kind}","product_id":"BTC-USD","updates":[{}]}}]}}"#,
        updates.join(",")
    )
}

fn apply(feed: &mut Level2Feed, text: &str) {
    let WsMessage::Channel(msg) = parse_message(text).unwrap() else {
        panic!("{text}");
    };
    feed.on_message(&msg, 0).unwrap();
}

fn change() -> impl Strategy<Value = Change> {
    (any::<bool>(), 0u32..40, 0u32..5)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn book_equals_the_model(
        snapshot in prop::collection::vec(change(), 0..40),
        updates in prop::collection::vec(prop::collection::vec(change(), 1..4), 0..200),
    ) {
        let mut feed = Level2Feed::new();
        let mut model: BTreeMap<(bool, u32), u32> = BTreeMap::new();
        apply(&mut feed, &frame(0, "snapshot", &snapshot));
        for (i, changes) in std::iter::once(&snapshot).chain(updates.iter()).enumerate() {
            if i > 0 {
                apply(&mut feed, &frame(i as u64, "update", changes));
            }
            for &(b, t, q) in changes {
                if q == 0 { model.remove(&(b, t)); } else { model.insert((b, t), q); }
            }
        }
        let book = feed.book("BTC-USD").unwrap();
        prop_assert_eq!(book.state(), BookState::Live);
        prop_assert_eq!(book.counters().applied, 1 + updates.len() as u64);
        let (bids, asks) = book.book().levels();
        let want = |bid: bool| -> Vec<(Decimal, Decimal)> {
            let mut v: Vec<_> = model
                .iter()
                .filter(|((b, _), _)| *b == bid)
                .map(|((_, t), q)| {
                    let base = if bid { 1000 } else { 2000 };
                    (Decimal::new(i64::from(base + t) * 10 + 5, 1), Decimal::new(i64::from(*q), 1))
                })
                .collect();
            if bid { v.reverse(); }
            v
        };
        prop_assert_eq!(bids.iter().map(|l| (l.price, l.qty)).collect::<Vec<_>>(), want(true));
        prop_assert_eq!(asks.iter().map(|l| (l.price, l.qty)).collect::<Vec<_>>(), want(false));
    }

    #[test]
    fn any_lost_message_but_the_last_is_detected(
        n in 2u64..100,
        lost_pick in any::<u64>(),
    ) {
        let lost = 1 + lost_pick % (n - 1); // 1..n-1: a later message reveals it
        let mut feed = Level2Feed::new();
        apply(&mut feed, &frame(0, "snapshot", &[(true, 1, 1), (false, 1, 1)]));
        for seq in 1..=n {
            if seq != lost {
                apply(&mut feed, &frame(seq, "update", &[(true, (seq % 40) as u32, 2)]));
            }
        }
        let book = feed.book("BTC-USD").unwrap();
        prop_assert_eq!(book.state(), BookState::Stale);
        prop_assert_eq!(book.counters().gaps, 1);
        prop_assert_eq!(book.counters().applied, lost);
        prop_assert_eq!(feed.gaps(), 1);
    }
}
