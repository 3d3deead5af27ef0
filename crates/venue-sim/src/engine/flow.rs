//! The seedable synthetic order flow that drives public market data: public limit orders rest
//! around the current price, some are canceled, some market orders take. Same seed, same sequence.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

use super::exchange::Exchange;
use super::types::Side;

struct FlowOrder {
    symbol: String,
    side: Side,
    price: Decimal,
    id: u64,
}

/// The synthetic flow of one market.
pub struct Flow {
    rng: StdRng,
    resting: Vec<FlowOrder>,
    target_orders: usize,
}

impl Flow {
    /// A flow seeded with `seed` that keeps about `target_orders` public orders per symbol resting.
    pub fn new(seed: u64, target_orders: usize) -> Self {
        Flow {
            rng: StdRng::seed_from_u64(seed),
            resting: Vec::new(),
            target_orders: target_orders.max(10),
        }
    }

    /// Fills empty books with `levels` price levels per side around each symbol's start price.
    pub fn seed_books(&mut self, ex: &mut Exchange, levels: usize, now: u64) {
        for name in ex.symbol_names() {
            let Some(spec) = ex.symbol(&name).map(|s| s.spec.clone()) else {
                continue;
            };
            let mid = spec.round_price(spec.start_price);
            for i in 1..=levels {
                let off = spec.tick_size * Decimal::from(i as u64);
                for (side, price) in [(Side::Buy, mid - off), (Side::Sell, mid + off)] {
                    let qty =
                        self.unit_qty(ex, &name) * Decimal::from(self.rng.random_range(1u32..20));
                    if price > Decimal::ZERO
                        && let Some(id) = ex.flow_add(&name, side, price, qty, now)
                    {
                        self.resting.push(FlowOrder {
                            symbol: name.clone(),
                            side,
                            price,
                            id,
                        });
                    }
                }
            }
        }
    }

    fn unit_qty(&self, ex: &Exchange, symbol: &str) -> Decimal {
        let Some(s) = ex.symbol(symbol) else {
            return Decimal::ZERO;
        };
        let price = ex.mark_price(symbol).max(s.spec.tick_size);
        let by_notional =
            s.spec.round_qty(s.spec.min_notional * Decimal::TEN / price) + s.spec.step_size;
        by_notional.max(s.spec.min_qty)
    }

    /// Performs one random action on one random symbol; the book changes at least once in most steps.
    pub fn step(&mut self, ex: &mut Exchange, now: u64) {
        let names = ex.symbol_names();
        if names.is_empty() {
            return;
        }
        let symbol = names[self.rng.random_range(0..names.len())].clone();
        let per_symbol = self.resting.iter().filter(|o| o.symbol == symbol).count();
        let r: f64 = self.rng.random();
        let cancel_p = if per_symbol > self.target_orders {
            0.6
        } else {
            0.3
        };
        if r < 0.93 - cancel_p {
            self.add(ex, &symbol, now);
        } else if r < 0.93 {
            self.cancel(ex, &symbol, now);
        } else {
            let side = if self.rng.random_bool(0.5) {
                Side::Buy
            } else {
                Side::Sell
            };
            let qty = self.unit_qty(ex, &symbol) * Decimal::from(self.rng.random_range(1u32..6));
            ex.flow_take(&symbol, side, qty, now);
        }
    }

    fn add(&mut self, ex: &mut Exchange, symbol: &str, now: u64) {
        let Some(state) = ex.symbol(symbol) else {
            return;
        };
        let spec = state.spec.clone();
        let last = spec.round_price(ex.mark_price(symbol));
        let bid = state
            .book
            .best_bid()
            .map(|b| b.0)
            .unwrap_or(last - spec.tick_size);
        let ask = state
            .book
            .best_ask()
            .map(|a| a.0)
            .unwrap_or(last + spec.tick_size);
        let side = if self.rng.random_bool(0.5) {
            Side::Buy
        } else {
            Side::Sell
        };
        let ticks = Decimal::from(self.rng.random_range(0u32..25));
        let price = match side {
            Side::Buy => (ask - spec.tick_size - ticks * spec.tick_size).min(bid + spec.tick_size),
            Side::Sell => (bid + spec.tick_size + ticks * spec.tick_size).max(ask - spec.tick_size),
        };
        let crosses = match side {
            Side::Buy => price >= ask,
            Side::Sell => price <= bid,
        };
        if crosses || price < spec.min_price {
            return;
        }
        let qty = self.unit_qty(ex, symbol) * Decimal::from(self.rng.random_range(1u32..20));
        if let Some(id) = ex.flow_add(symbol, side, price, qty, now) {
            self.resting.push(FlowOrder {
                symbol: symbol.to_string(),
                side,
                price,
                id,
            });
        }
    }

    fn cancel(&mut self, ex: &mut Exchange, symbol: &str, now: u64) {
        loop {
            let candidates: Vec<usize> = self
                .resting
                .iter()
                .enumerate()
                .filter(|(_, o)| o.symbol == symbol)
                .map(|(i, _)| i)
                .collect();
            if candidates.is_empty() {
                return;
            }
            let idx = candidates[self.rng.random_range(0..candidates.len())];
            let o = self.resting.swap_remove(idx);
            if ex.flow_cancel(&o.symbol, o.side, o.price, o.id, now) {
                return;
            }
        }
    }
}
