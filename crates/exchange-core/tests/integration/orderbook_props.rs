//! Property tests: the OrderBook agrees with a naive model under random snapshots and deltas.

use exchange_core::model::Level;
use exchange_core::orderbook::OrderBook;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// The obviously-correct model: a list of (price, qty) per side, searched linearly.
#[derive(Default)]
struct NaiveBook {
    bids: Vec<(Decimal, Decimal)>,
    asks: Vec<(Decimal, Decimal)>,
}

impl NaiveBook {
    fn set(side: &mut Vec<(Decimal, Decimal)>, price: Decimal, qty: Decimal) {
        side.retain(|(p, _)| *p != price);
        if qty > Decimal::ZERO {
            side.push((price, qty));
        }
    }

    fn apply(&mut self, bids: &[Level], asks: &[Level]) {
        for l in bids {
            Self::set(&mut self.bids, l.price, l.qty);
        }
        for l in asks {
            Self::set(&mut self.asks, l.price, l.qty);
        }
    }

    fn sorted(&self) -> (Vec<Level>, Vec<Level>) {
        let mut bids: Vec<_> = self.bids.iter().map(|(p, q)| Level::new(*p, *q)).collect();
        let mut asks: Vec<_> = self.asks.iter().map(|(p, q)| Level::new(*p, *q)).collect();
        bids.sort_by_key(|l| std::cmp::Reverse(l.price));
        asks.sort_by_key(|l| l.price);
        (bids, asks)
    }
}

/// Prices on a 0.5 grid (so collisions happen often) with a varying scale of text; quantities
/// 0..=5 in steps of 0.25, with zero frequent enough to exercise deletes.
fn level() -> impl Strategy<Value = Level> {
    (1u32..40, 0u32..3, 0u32..=20).prop_map(|(p, extra_scale, q)| {
        let mut price = Decimal::new(i64::from(p) * 5, 1);
        price.rescale(1 + extra_scale);
        Level::new(price, Decimal::new(i64::from(q) * 25, 2))
    })
}

#[derive(Debug, Clone)]
enum Op {
    Snapshot(Vec<Level>, Vec<Level>),
    Delta(Vec<Level>, Vec<Level>),
    Truncate(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let side = || prop::collection::vec(level(), 0..12);
    prop_oneof![
        1 => (side(), side()).prop_map(|(b, a)| Op::Snapshot(b, a)),
        8 => (side(), side()).prop_map(|(b, a)| Op::Delta(b, a)),
        1 => (0usize..15).prop_map(Op::Truncate),
    ]
}

proptest! {
    #[test]
    fn book_matches_the_naive_model(ops in prop::collection::vec(op(), 1..60), n in 0usize..20) {
        let mut book = OrderBook::new();
        let mut model = NaiveBook::default();
        for op in &ops {
            match op {
                Op::Snapshot(b, a) => {
                    book.apply_snapshot(b, a);
                    model = NaiveBook::default();
                    model.apply(b, a);
                }
                Op::Delta(b, a) => {
                    book.apply_delta(b, a);
                    model.apply(b, a);
                }
                Op::Truncate(depth) => {
                    book.truncate(*depth);
                    let (mut bids, mut asks) = model.sorted();
                    bids.truncate(*depth);
                    asks.truncate(*depth);
                    model = NaiveBook::default();
                    model.apply(&bids, &asks);
                }
            }
            let (want_bids, want_asks) = model.sorted();
            let (bids, asks) = book.levels();
            // Decimal equality is numeric; compare quantities and prices numerically.
            prop_assert_eq!(&bids, &want_bids);
            prop_assert_eq!(&asks, &want_asks);
            prop_assert_eq!(book.best_bid(), want_bids.first().copied());
            prop_assert_eq!(book.best_ask(), want_asks.first().copied());
            let crossed = match (want_bids.first(), want_asks.first()) {
                (Some(b), Some(a)) => b.price >= a.price,
                _ => false,
            };
            prop_assert_eq!(book.is_crossed(), crossed);
            let (top_b, top_a) = book.top_n(n);
            prop_assert_eq!(&top_b[..], &want_bids[..n.min(want_bids.len())]);
            prop_assert_eq!(&top_a[..], &want_asks[..n.min(want_asks.len())]);
        }
    }
}
