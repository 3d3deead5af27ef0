//! Diff-depth stream sequencing: turns each tick's book diff into `@depth@100ms` frames and merges
//! ticks into the slower `@depth` frames, so every frame's `U`/`u` (and futures `pu`) follows the
//! book's update ids. A skip fault drops one tick's changes so clients see a gap.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::engine::{BookDiff, Side};

/// One diff stream rate: suffix and period in ticks.
#[derive(Debug, Clone)]
pub struct Rate {
    /// Stream name suffix (`@depth@100ms`).
    pub suffix: &'static str,
    /// Period in ticks.
    pub ticks: u64,
}

/// Spot rates: `@depth@100ms` every tick, `@depth` (1000 ms) every 10.
pub fn spot_rates() -> Vec<Rate> {
    vec![
        Rate {
            suffix: "@depth@100ms",
            ticks: 1,
        },
        Rate {
            suffix: "@depth",
            ticks: 10,
        },
    ]
}

/// Futures rates: `@depth@100ms`, `@depth` (about 250 ms: every 3 ticks), `@depth@250ms`, `@depth@500ms`.
pub fn futures_rates() -> Vec<Rate> {
    vec![
        Rate {
            suffix: "@depth@100ms",
            ticks: 1,
        },
        Rate {
            suffix: "@depth",
            ticks: 3,
        },
        Rate {
            suffix: "@depth@250ms",
            ticks: 3,
        },
        Rate {
            suffix: "@depth@500ms",
            ticks: 5,
        },
    ]
}

#[derive(Debug, Default, Clone)]
struct Acc {
    first: Option<u64>,
    last: u64,
    levels: BTreeMap<(Side, Decimal), Decimal>,
    prev_u: u64,
}

impl Acc {
    fn merge(&mut self, d: &BookDiff) {
        self.first.get_or_insert(d.first_update_id);
        self.last = d.last_update_id;
        for (p, q) in &d.bids {
            self.levels.insert((Side::Buy, *p), *q);
        }
        for (p, q) in &d.asks {
            self.levels.insert((Side::Sell, *p), *q);
        }
    }

    fn flush(&mut self) -> Option<(BookDiff, u64)> {
        let first = self.first.take()?;
        let levels = std::mem::take(&mut self.levels);
        let mut bids: Vec<_> = levels
            .iter()
            .filter(|((s, _), _)| *s == Side::Buy)
            .map(|((_, p), q)| (*p, *q))
            .collect();
        bids.reverse();
        let asks = levels
            .iter()
            .filter(|((s, _), _)| *s == Side::Sell)
            .map(|((_, p), q)| (*p, *q))
            .collect();
        let pu = self.prev_u;
        self.prev_u = self.last;
        Some((
            BookDiff {
                first_update_id: first,
                last_update_id: self.last,
                bids,
                asks,
            },
            pu,
        ))
    }
}

/// A frame to publish: stream suffix, diff, previous final update id.
pub type Frame = (&'static str, BookDiff, u64);

/// Sequencer of one symbol.
#[derive(Debug, Clone)]
pub struct DepthFeed {
    rates: Vec<Rate>,
    accs: Vec<Acc>,
}

impl DepthFeed {
    /// A feed with `rates`, whose `pu` starts at `start_update_id`.
    pub fn new(rates: Vec<Rate>, start_update_id: u64) -> Self {
        let accs = rates
            .iter()
            .map(|_| Acc {
                prev_u: start_update_id,
                last: start_update_id,
                ..Acc::default()
            })
            .collect();
        DepthFeed { rates, accs }
    }

    /// Feeds one tick's diff; returns the frames due at `tick`.
    pub fn on_tick(&mut self, tick: u64, diff: Option<BookDiff>, skip: bool) -> Vec<Frame> {
        let mut out = Vec::new();
        for (rate, acc) in self.rates.iter().zip(self.accs.iter_mut()) {
            match (&diff, skip) {
                (Some(d), true) => {
                    if let Some((f, pu)) = acc.flush() {
                        out.push((rate.suffix, f, pu));
                    }
                    acc.prev_u = d.last_update_id;
                    acc.last = d.last_update_id;
                }
                (Some(d), false) => acc.merge(d),
                (None, _) => {}
            }
            if tick.is_multiple_of(rate.ticks)
                && let Some((f, pu)) = acc.flush()
            {
                out.push((rate.suffix, f, pu));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(a: u64, b: u64) -> Option<BookDiff> {
        Some(BookDiff {
            first_update_id: a,
            last_update_id: b,
            bids: vec![],
            asks: vec![("1".parse().unwrap(), b.into())],
        })
    }

    #[test]
    fn slow_stream_merges_and_skip_makes_gap() {
        let mut f = DepthFeed::new(
            vec![
                Rate {
                    suffix: "@fast",
                    ticks: 1,
                },
                Rate {
                    suffix: "@slow",
                    ticks: 2,
                },
            ],
            10,
        );
        let fr = f.on_tick(1, diff(11, 12), false);
        assert_eq!(fr.len(), 1);
        assert_eq!(
            (fr[0].1.first_update_id, fr[0].1.last_update_id, fr[0].2),
            (11, 12, 10)
        );
        let fr = f.on_tick(2, diff(13, 15), false);
        let slow = fr.iter().find(|x| x.0 == "@slow").unwrap();
        assert_eq!(
            (slow.1.first_update_id, slow.1.last_update_id, slow.2),
            (11, 15, 10)
        );
        assert_eq!(slow.1.asks.len(), 1);
        assert!(f.on_tick(3, diff(16, 16), true).is_empty());
        let fr = f.on_tick(4, diff(17, 18), false);
        let fast = fr.iter().find(|x| x.0 == "@fast").unwrap();
        assert_eq!((fast.1.first_update_id, fast.2), (17, 16));
        let slow = fr.iter().find(|x| x.0 == "@slow").unwrap();
        assert_eq!((slow.1.first_update_id, slow.2), (17, 16));
    }
}
