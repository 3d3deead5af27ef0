//! The price-level order book shared by every adapter and by the bus consumer helper.
//!
//! A book is two sides of price → quantity. Snapshots replace it; deltas carry *absolute*
//! quantities per level (what every supported venue sends): a quantity of zero deletes the level,
//! any other value replaces it. The book knows nothing of sequence numbers or venues: proving that
//! a delta belongs on top of the current state is the job of each venue's sync procedure.
//!
//! Prices are [`Decimal`] keys compared numerically (`0.10` and `0.1` are one level); the text of
//! the first insertion is the one kept.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::model::Level;

/// One side of a book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BookSide {
    /// Buy orders, best = highest price.
    Bid,
    /// Sell orders, best = lowest price.
    Ask,
}

/// An in-memory order book of aggregated price levels.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderBook {
    bids: BTreeMap<Decimal, Decimal>,
    asks: BTreeMap<Decimal, Decimal>,
}

impl OrderBook {
    /// An empty book.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the whole book with these levels (levels with zero quantity are skipped).
    pub fn apply_snapshot(&mut self, bids: &[Level], asks: &[Level]) {
        self.clear();
        self.apply_delta(bids, asks);
    }

    /// Applies absolute-quantity changes: zero deletes the level, anything else sets it.
    pub fn apply_delta(&mut self, bids: &[Level], asks: &[Level]) {
        for level in bids {
            self.set(BookSide::Bid, level.price, level.qty);
        }
        for level in asks {
            self.set(BookSide::Ask, level.price, level.qty);
        }
    }

    /// Sets one level to an absolute quantity; zero (or a negative quantity) deletes it.
    pub fn set(&mut self, side: BookSide, price: Decimal, qty: Decimal) {
        let map = self.side_mut(side);
        if qty <= Decimal::ZERO {
            map.remove(&price);
        } else if let Some(existing) = map.get_mut(&price) {
            *existing = qty;
        } else {
            map.insert(price, qty);
        }
    }

    /// Keeps only the best `depth` levels of each side.
    pub fn truncate(&mut self, depth: usize) {
        while self.bids.len() > depth {
            self.bids.pop_first();
        }
        while self.asks.len() > depth {
            self.asks.pop_last();
        }
    }

    /// The best `n` levels of each side, best first: `(bids descending, asks ascending)`.
    pub fn top_n(&self, n: usize) -> (Vec<Level>, Vec<Level>) {
        (
            self.bid_iter().take(n).collect(),
            self.ask_iter().take(n).collect(),
        )
    }

    /// Every level of each side, best first.
    pub fn levels(&self) -> (Vec<Level>, Vec<Level>) {
        (self.bid_iter().collect(), self.ask_iter().collect())
    }

    /// Bids, highest price first.
    pub fn bid_iter(&self) -> impl Iterator<Item = Level> + '_ {
        self.bids.iter().rev().map(|(p, q)| Level::new(*p, *q))
    }

    /// Asks, lowest price first.
    pub fn ask_iter(&self) -> impl Iterator<Item = Level> + '_ {
        self.asks.iter().map(|(p, q)| Level::new(*p, *q))
    }

    /// The highest bid.
    pub fn best_bid(&self) -> Option<Level> {
        self.bids.last_key_value().map(|(p, q)| Level::new(*p, *q))
    }

    /// The lowest ask.
    pub fn best_ask(&self) -> Option<Level> {
        self.asks.first_key_value().map(|(p, q)| Level::new(*p, *q))
    }

    /// The quantity resting at `price` on `side`, if any.
    pub fn qty_at(&self, side: BookSide, price: Decimal) -> Option<Decimal> {
        match side {
            BookSide::Bid => self.bids.get(&price).copied(),
            BookSide::Ask => self.asks.get(&price).copied(),
        }
    }

    /// Whether the best bid is at or above the best ask: a book no venue can hold, so a sign that
    /// updates were missed or misapplied.
    pub fn is_crossed(&self) -> bool {
        match (self.best_bid(), self.best_ask()) {
            (Some(bid), Some(ask)) => bid.price >= ask.price,
            _ => false,
        }
    }

    /// Number of bid levels.
    pub fn bid_levels(&self) -> usize {
        self.bids.len()
    }

    /// Number of ask levels.
    pub fn ask_levels(&self) -> usize {
        self.asks.len()
    }

    /// Whether both sides are empty.
    pub fn is_empty(&self) -> bool {
        self.bids.is_empty() && self.asks.is_empty()
    }

    /// Removes every level.
    pub fn clear(&mut self) {
        self.bids.clear();
        self.asks.clear();
    }

    fn side_mut(&mut self, side: BookSide) -> &mut BTreeMap<Decimal, Decimal> {
        match side {
            BookSide::Bid => &mut self.bids,
            BookSide::Ask => &mut self.asks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn lv(p: Decimal, q: Decimal) -> Level {
        Level::new(p, q)
    }

    #[test]
    fn snapshot_then_deltas_set_replace_and_delete() {
        let mut book = OrderBook::new();
        book.apply_snapshot(
            &[
                lv(dec!(100), dec!(1)),
                lv(dec!(99), dec!(2)),
                lv(dec!(98), dec!(0)),
            ],
            &[lv(dec!(101), dec!(3)), lv(dec!(102), dec!(4))],
        );
        assert_eq!(
            book.bid_levels(),
            2,
            "zero-quantity snapshot levels are skipped"
        );
        book.apply_delta(
            &[lv(dec!(100), dec!(0)), lv(dec!(99.5), dec!(5))],
            &[lv(dec!(101), dec!(7))],
        );
        let (bids, asks) = book.levels();
        assert_eq!(bids, vec![lv(dec!(99.5), dec!(5)), lv(dec!(99), dec!(2))]);
        assert_eq!(asks, vec![lv(dec!(101), dec!(7)), lv(dec!(102), dec!(4))]);
        assert_eq!(book.best_bid(), Some(lv(dec!(99.5), dec!(5))));
        assert_eq!(book.best_ask(), Some(lv(dec!(101), dec!(7))));
        assert!(!book.is_crossed());
    }

    #[test]
    fn numerically_equal_prices_are_one_level_and_keep_their_first_text() {
        let mut book = OrderBook::new();
        book.apply_delta(&[lv(dec!(0.10), dec!(1))], &[]);
        book.apply_delta(&[lv(dec!(0.1), dec!(3))], &[]);
        assert_eq!(book.bid_levels(), 1);
        let best = book.best_bid().unwrap();
        assert_eq!(best.price.to_string(), "0.10");
        assert_eq!(best.qty, dec!(3));
        book.apply_delta(&[lv(dec!(0.100), dec!(0))], &[]);
        assert!(book.is_empty());
    }

    #[test]
    fn truncate_keeps_the_best_levels() {
        let mut book = OrderBook::new();
        let bids: Vec<_> = (1..=5).map(|i| lv(Decimal::from(i), dec!(1))).collect();
        let asks: Vec<_> = (6..=10).map(|i| lv(Decimal::from(i), dec!(1))).collect();
        book.apply_snapshot(&bids, &asks);
        book.truncate(2);
        let (b, a) = book.levels();
        assert_eq!(
            b.iter().map(|l| l.price).collect::<Vec<_>>(),
            vec![dec!(5), dec!(4)]
        );
        assert_eq!(
            a.iter().map(|l| l.price).collect::<Vec<_>>(),
            vec![dec!(6), dec!(7)]
        );
    }

    #[test]
    fn crossed_and_locked_books_are_detected() {
        let mut book = OrderBook::new();
        book.apply_snapshot(&[lv(dec!(10), dec!(1))], &[lv(dec!(10), dec!(1))]);
        assert!(
            book.is_crossed(),
            "a locked book (bid == ask) counts as crossed"
        );
        book.apply_delta(&[], &[lv(dec!(10), dec!(0)), lv(dec!(9), dec!(1))]);
        assert!(book.is_crossed());
        book.apply_delta(&[], &[lv(dec!(9), dec!(0)), lv(dec!(11), dec!(1))]);
        assert!(!book.is_crossed());
        assert!(!OrderBook::new().is_crossed());
    }
}
