//! The true order book of one symbol: price levels with FIFO queues and a monotonically increasing
//! update id.
//!
//! Every change of a level's aggregate quantity bumps the update id by one and is recorded in the
//! pending diff, so a depth stream built from [`Book::take_diff`] has `U`/`u` ranges that line up
//! exactly with the `lastUpdateId` of [`Book::levels`] snapshots.

use std::collections::{BTreeMap, VecDeque};

use rust_decimal::Decimal;

use super::types::{Owner, Side};

/// A price level: (price, total quantity).
pub type PriceLevel = (Decimal, Decimal);

/// Both sides of a book, best first: (bids, asks).
pub type Levels = (Vec<PriceLevel>, Vec<PriceLevel>);

/// An order resting in the book.
#[derive(Debug, Clone, PartialEq)]
pub struct Resting {
    /// Order id.
    pub order_id: u64,
    /// Owner.
    pub owner: Owner,
    /// Open quantity.
    pub qty: Decimal,
}

#[derive(Debug, Default, Clone)]
struct Level {
    queue: VecDeque<Resting>,
    total: Decimal,
}

/// A maker execution produced by [`Book::take`].
#[derive(Debug, Clone, PartialEq)]
pub struct MakerFill {
    /// Maker order id.
    pub order_id: u64,
    /// Maker owner.
    pub owner: Owner,
    /// Price.
    pub price: Decimal,
    /// Quantity.
    pub qty: Decimal,
    /// Whether the maker order is now fully filled (removed from the book).
    pub maker_done: bool,
}

/// Limits of a taking pass through the book.
#[derive(Debug, Clone, Copy)]
pub struct TakeLimit {
    /// Worst acceptable price (None = market).
    pub price: Option<Decimal>,
    /// Base quantity to take (None = bounded by `quote` only).
    pub qty: Option<Decimal>,
    /// Quote budget (market orders by `quoteOrderQty`).
    pub quote: Option<Decimal>,
    /// Lot step: quote-budget fills are rounded down to it.
    pub step: Decimal,
}

/// Level changes accumulated since the last [`Book::take_diff`].
#[derive(Debug, Clone, PartialEq)]
pub struct BookDiff {
    /// First update id in this diff (`U`).
    pub first_update_id: u64,
    /// Last update id in this diff (`u`).
    pub last_update_id: u64,
    /// Bid levels with their new absolute quantity (zero = removed), best first.
    pub bids: Vec<(Decimal, Decimal)>,
    /// Ask levels with their new absolute quantity (zero = removed), best first.
    pub asks: Vec<(Decimal, Decimal)>,
}

/// The book of one symbol.
#[derive(Debug, Clone)]
pub struct Book {
    bids: BTreeMap<Decimal, Level>,
    asks: BTreeMap<Decimal, Level>,
    update_id: u64,
    pending_first: Option<u64>,
    pending: BTreeMap<(Side, Decimal), Decimal>,
}

impl Book {
    /// An empty book whose first change will get id `start_update_id + 1`.
    pub fn new(start_update_id: u64) -> Self {
        Book {
            bids: BTreeMap::new(),
            asks: BTreeMap::new(),
            update_id: start_update_id,
            pending_first: None,
            pending: BTreeMap::new(),
        }
    }

    /// The id of the last change applied.
    pub fn update_id(&self) -> u64 {
        self.update_id
    }

    fn side_mut(&mut self, side: Side) -> &mut BTreeMap<Decimal, Level> {
        match side {
            Side::Buy => &mut self.bids,
            Side::Sell => &mut self.asks,
        }
    }

    fn touch(&mut self, side: Side, price: Decimal) {
        let total = match side {
            Side::Buy => self.bids.get(&price),
            Side::Sell => self.asks.get(&price),
        }
        .map(|l| l.total)
        .unwrap_or(Decimal::ZERO);
        self.update_id += 1;
        if self.pending_first.is_none() {
            self.pending_first = Some(self.update_id);
        }
        self.pending.insert((side, price), total);
    }

    /// Best bid (price, total quantity).
    pub fn best_bid(&self) -> Option<(Decimal, Decimal)> {
        self.bids.iter().next_back().map(|(p, l)| (*p, l.total))
    }

    /// Best ask (price, total quantity).
    pub fn best_ask(&self) -> Option<(Decimal, Decimal)> {
        self.asks.iter().next().map(|(p, l)| (*p, l.total))
    }

    /// Appends an order at the back of its price level.
    pub fn insert(&mut self, side: Side, price: Decimal, resting: Resting) {
        let level = self.side_mut(side).entry(price).or_default();
        level.total += resting.qty;
        level.queue.push_back(resting);
        self.touch(side, price);
    }

    /// Removes an order; returns it if it was resting at that price.
    pub fn remove(&mut self, side: Side, price: Decimal, order_id: u64) -> Option<Resting> {
        let levels = self.side_mut(side);
        let level = levels.get_mut(&price)?;
        let pos = level.queue.iter().position(|r| r.order_id == order_id)?;
        let resting = level.queue.remove(pos)?;
        level.total -= resting.qty;
        if level.queue.is_empty() {
            levels.remove(&price);
        }
        self.touch(side, price);
        Some(resting)
    }

    /// Whether an order resting with `order_id` exists at that price.
    pub fn contains(&self, side: Side, price: Decimal, order_id: u64) -> bool {
        let levels = match side {
            Side::Buy => &self.bids,
            Side::Sell => &self.asks,
        };
        levels
            .get(&price)
            .is_some_and(|l| l.queue.iter().any(|r| r.order_id == order_id))
    }

    fn crosses(taker: Side, limit: Option<Decimal>, level_price: Decimal) -> bool {
        match (taker, limit) {
            (_, None) => true,
            (Side::Buy, Some(p)) => level_price <= p,
            (Side::Sell, Some(p)) => level_price >= p,
        }
    }

    fn opposite_prices(&self, taker: Side) -> Vec<Decimal> {
        match taker {
            Side::Buy => self.asks.keys().copied().collect(),
            Side::Sell => self.bids.keys().rev().copied().collect(),
        }
    }

    /// Whether an order on `taker` side at `price` would take liquidity.
    pub fn would_cross(&self, taker: Side, price: Decimal) -> bool {
        match taker {
            Side::Buy => self.best_ask().is_some_and(|(p, _)| p <= price),
            Side::Sell => self.best_bid().is_some_and(|(p, _)| p >= price),
        }
    }

    /// Simulates a taking pass without changing the book: (base quantity, quote amount).
    pub fn simulate(&self, taker: Side, limit: TakeLimit) -> (Decimal, Decimal) {
        let mut base = Decimal::ZERO;
        let mut quote = Decimal::ZERO;
        let levels = match taker {
            Side::Buy => &self.asks,
            Side::Sell => &self.bids,
        };
        for price in self.opposite_prices(taker) {
            if !Self::crosses(taker, limit.price, price) {
                break;
            }
            let avail = levels.get(&price).map(|l| l.total).unwrap_or_default();
            let q = Self::take_qty(avail, price, base, quote, limit);
            if q.is_zero() {
                break;
            }
            base += q;
            quote += q * price;
        }
        (base, quote)
    }

    fn take_qty(
        avail: Decimal,
        price: Decimal,
        base: Decimal,
        quote: Decimal,
        limit: TakeLimit,
    ) -> Decimal {
        let mut q = avail;
        if let Some(max) = limit.qty {
            q = q.min(max - base);
        }
        if let Some(budget) = limit.quote {
            let left = budget - quote;
            let mut by_budget = left / price;
            if !limit.step.is_zero() {
                by_budget = (by_budget / limit.step).floor() * limit.step;
            }
            q = q.min(by_budget);
        }
        q.max(Decimal::ZERO)
    }

    /// Takes liquidity from the opposite side in price-time priority.
    pub fn take(&mut self, taker: Side, limit: TakeLimit) -> Vec<MakerFill> {
        let mut fills = Vec::new();
        let mut base = Decimal::ZERO;
        let mut quote = Decimal::ZERO;
        let maker_side = taker.opposite();
        'levels: for price in self.opposite_prices(taker) {
            if !Self::crosses(taker, limit.price, price) {
                break;
            }
            loop {
                let levels = self.side_mut(maker_side);
                let Some(level) = levels.get_mut(&price) else {
                    break;
                };
                let Some(front) = level.queue.front_mut() else {
                    levels.remove(&price);
                    break;
                };
                let q = Self::take_qty(front.qty, price, base, quote, limit);
                if q.is_zero() {
                    self.touch_if_any(&fills, maker_side, price);
                    break 'levels;
                }
                front.qty -= q;
                level.total -= q;
                let done = front.qty.is_zero();
                fills.push(MakerFill {
                    order_id: front.order_id,
                    owner: front.owner,
                    price,
                    qty: q,
                    maker_done: done,
                });
                if done {
                    level.queue.pop_front();
                }
                if level.queue.is_empty() {
                    levels.remove(&price);
                }
                base += q;
                quote += q * price;
            }
            self.touch(maker_side, price);
        }
        fills
    }

    fn touch_if_any(&mut self, fills: &[MakerFill], side: Side, price: Decimal) {
        if fills.last().is_some_and(|f| f.price == price) {
            self.touch(side, price);
        }
    }

    /// Up to `limit` levels per side, best first.
    pub fn levels(&self, limit: usize) -> Levels {
        let bids = self
            .bids
            .iter()
            .rev()
            .take(limit)
            .map(|(p, l)| (*p, l.total))
            .collect();
        let asks = self
            .asks
            .iter()
            .take(limit)
            .map(|(p, l)| (*p, l.total))
            .collect();
        (bids, asks)
    }

    /// Number of price levels (bids, asks).
    pub fn depth(&self) -> (usize, usize) {
        (self.bids.len(), self.asks.len())
    }

    /// Drains the changes since the last call; None when nothing changed.
    pub fn take_diff(&mut self) -> Option<BookDiff> {
        let first = self.pending_first.take()?;
        let pending = std::mem::take(&mut self.pending);
        let mut bids: Vec<_> = pending
            .iter()
            .filter(|((s, _), _)| *s == Side::Buy)
            .map(|((_, p), q)| (*p, *q))
            .collect();
        bids.reverse();
        let asks = pending
            .iter()
            .filter(|((s, _), _)| *s == Side::Sell)
            .map(|((_, p), q)| (*p, *q))
            .collect();
        Some(BookDiff {
            first_update_id: first,
            last_update_id: self.update_id,
            bids,
            asks,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn rest(id: u64, q: &str) -> Resting {
        Resting {
            order_id: id,
            owner: Owner::Flow,
            qty: d(q),
        }
    }

    #[test]
    fn price_time_priority_and_update_ids() {
        let mut b = Book::new(100);
        b.insert(Side::Sell, d("10"), rest(1, "1"));
        b.insert(Side::Sell, d("10"), rest(2, "2"));
        b.insert(Side::Sell, d("11"), rest(3, "5"));
        assert_eq!(b.update_id(), 103);
        let limit = TakeLimit {
            price: Some(d("11")),
            qty: Some(d("4")),
            quote: None,
            step: d("1"),
        };
        let fills = b.take(Side::Buy, limit);
        let got: Vec<_> = fills
            .iter()
            .map(|f| (f.order_id, f.qty, f.maker_done))
            .collect();
        assert_eq!(
            got,
            vec![(1, d("1"), true), (2, d("2"), true), (3, d("1"), false)]
        );
        assert_eq!(b.best_ask(), Some((d("11"), d("4"))));
        assert_eq!(b.update_id(), 105);
        let diff = b.take_diff().unwrap();
        assert_eq!((diff.first_update_id, diff.last_update_id), (101, 105));
        assert_eq!(diff.asks, vec![(d("10"), d("0")), (d("11"), d("4"))]);
        assert!(b.take_diff().is_none());
    }

    #[test]
    fn quote_budget_rounds_to_step() {
        let mut b = Book::new(0);
        b.insert(Side::Sell, d("3"), rest(1, "10"));
        let limit = TakeLimit {
            price: None,
            qty: None,
            quote: Some(d("10")),
            step: d("1"),
        };
        assert_eq!(b.simulate(Side::Buy, limit), (d("3"), d("9")));
        let fills = b.take(Side::Buy, limit);
        assert_eq!(fills.len(), 1);
        assert_eq!(fills[0].qty, d("3"));
    }

    #[test]
    fn remove_and_cross() {
        let mut b = Book::new(0);
        b.insert(Side::Buy, d("9"), rest(7, "1"));
        assert!(b.would_cross(Side::Sell, d("9")));
        assert!(!b.would_cross(Side::Sell, d("9.5")));
        assert!(b.remove(Side::Buy, d("9"), 8).is_none());
        assert_eq!(b.remove(Side::Buy, d("9"), 7).unwrap().order_id, 7);
        assert_eq!(b.depth(), (0, 0));
    }
}
