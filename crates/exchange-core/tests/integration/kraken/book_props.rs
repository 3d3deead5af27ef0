//! Property test: the v2 book stays live through random update streams whose checksums come
//! from an independent model (its own string rule, flate2's CRC32), and a consumer applying
//! the published snapshot and deltas holds exactly the same book.

use std::collections::BTreeMap;

use exchange_core::BookUpdate;
use exchange_core::adapters::kraken::parse::from_json;
use exchange_core::adapters::kraken::parse::ws_book::BookFrame;
use exchange_core::adapters::kraken::{BookAction, BookState, KrakenBook};
use exchange_core::orderbook::OrderBook;
use proptest::prelude::*;

use super::sym;

/// The model: price in cents → qty text, per side, truncated to depth after every message.
#[derive(Default)]
struct Model {
    bids: BTreeMap<i64, String>,
    asks: BTreeMap<i64, String>,
}

fn price_text(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn qty_text(units: u64) -> String {
    format!("{}.{:08}", units / 100_000_000, units % 100_000_000)
}

fn token(text: &str) -> String {
    text.replace('.', "").trim_start_matches('0').to_owned()
}

impl Model {
    fn apply(&mut self, bids: &[(i64, u64)], asks: &[(i64, u64)], depth: usize) {
        for (side, levels) in [(&mut self.bids, bids), (&mut self.asks, asks)] {
            for (p, q) in levels {
                if *q == 0 {
                    side.remove(p);
                } else {
                    side.insert(*p, qty_text(*q));
                }
            }
        }
        while self.bids.len() > depth {
            self.bids.pop_first();
        }
        while self.asks.len() > depth {
            self.asks.pop_last();
        }
    }

    fn checksum(&self) -> u32 {
        let mut s = String::new();
        for (p, q) in self.asks.iter().take(10) {
            s += &token(&price_text(*p));
            s += &token(q);
        }
        for (p, q) in self.bids.iter().rev().take(10) {
            s += &token(&price_text(*p));
            s += &token(q);
        }
        let mut crc = flate2::Crc::new();
        crc.update(s.as_bytes());
        crc.sum()
    }

    fn top(&self) -> (Vec<[String; 2]>, Vec<[String; 2]>) {
        (
            self.bids
                .iter()
                .rev()
                .map(|(p, q)| [price_text(*p), q.clone()])
                .collect(),
            self.asks
                .iter()
                .map(|(p, q)| [price_text(*p), q.clone()])
                .collect(),
        )
    }
}

fn levels_json(levels: &[(i64, u64)]) -> String {
    let items: Vec<String> = levels
        .iter()
        .map(|(p, q)| format!(r#"{{"price":{},"qty":{}}}"#, price_text(*p), qty_text(*q)))
        .collect();
    format!("[{}]", items.join(","))
}

fn frame(kind: &str, bids: &[(i64, u64)], asks: &[(i64, u64)], checksum: u32) -> String {
    format!(
        r#"{{"channel":"book","type":"{kind}","data":[{{"symbol":"BTC/USD","bids":{},"asks":{},"checksum":{checksum}}}]}}"#,
        levels_json(bids),
        levels_json(asks)
    )
}

/// Bids in 1000.00–1000.59, asks in 1000.60–1001.19: narrow enough that depth 10 truncates.
fn side(lo: i64) -> impl Strategy<Value = Vec<(i64, u64)>> {
    prop::collection::vec(
        (
            lo..lo + 60,
            prop_oneof![1 => Just(0_u64), 3 => 1_u64..2_000_000_000],
        ),
        0..6,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn book_matches_the_model_and_the_published_stream(
        depth in prop::sample::select(vec![10_usize, 25]),
        snapshot_bids in prop::collection::vec((100_000_i64..100_060, 1_u64..2_000_000_000), 0..40),
        snapshot_asks in prop::collection::vec((100_060_i64..100_120, 1_u64..2_000_000_000), 0..40),
        updates in prop::collection::vec((side(100_000), side(100_060)), 1..150),
    ) {
        let mut book = KrakenBook::new(sym("BTC/USD"), depth).unwrap();
        let mut model = Model::default();
        let mut consumer = OrderBook::new();
        let mut published = 0;
        let mut step = |kind: &str, bids: &[(i64, u64)], asks: &[(i64, u64)], book: &mut KrakenBook| {
            model.apply(bids, asks, depth);
            let text = frame(kind, bids, asks, model.checksum());
            let message = from_json::<BookFrame>("book", &text).unwrap().into_messages().remove(0);
            for action in book.on_message(&message, 0) {
                let BookAction::Publish { seq, update } = action else {
                    panic!("unexpected {action:?}");
                };
                published += 1;
                assert_eq!(seq, published);
                match update {
                    BookUpdate::Snapshot(s) => consumer.apply_snapshot(&s.bids, &s.asks),
                    BookUpdate::Delta(d) => consumer.apply_delta(&d.bids, &d.asks),
                    BookUpdate::Stale { reason } => panic!("{reason}"),
                }
            }
        };
        step("snapshot", &snapshot_bids, &snapshot_asks, &mut book);
        for (bids, asks) in &updates {
            step("update", bids, asks, &mut book);
        }
        prop_assert_eq!(book.state(), BookState::Live);
        prop_assert_eq!(book.counters().checksum_failures, 0);
        prop_assert_eq!(book.counters().applied, updates.len() as u64 + 1);
        prop_assert_eq!(book.top_text(usize::MAX), model.top());
        prop_assert_eq!(consumer.levels(), book.levels());
    }
}
