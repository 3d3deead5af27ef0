//! The v2 `book` channel of one pair at one depth: the view last published, the update that
//! brings a client from it to the current truth, and the CRC32 checksum over the top 10
//! (kraken.md §5.3). Pure: the caller passes the true levels.
//!
//! Like Kraken, an update does not delete levels that merely fell below the subscribed depth:
//! the client truncates to its depth after every message.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::json::{Obj, array, fixed};

/// Depths a `book` subscription may ask for.
pub const DEPTHS: [usize; 5] = [10, 25, 100, 500, 1000];

/// Bids and asks, best first, as (price, qty).
pub type Sides = (Vec<(Decimal, Decimal)>, Vec<(Decimal, Decimal)>);

/// A checksum token of one number text: `.` removed, leading zeros stripped.
pub fn token(text: &str) -> String {
    let t: String = text.chars().filter(|c| *c != '.').collect();
    let s = t.trim_start_matches('0');
    s.to_string()
}

/// CRC32 (IEEE) of the top 10 asks (ascending) then top 10 bids (descending), each level as
/// `token(price) + token(qty)` of the text sent. Levels are given best first as text.
pub fn checksum(bids: &[(String, String)], asks: &[(String, String)]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    for (p, q) in asks.iter().take(10).chain(bids.iter().take(10)) {
        h.update(token(p).as_bytes());
        h.update(token(q).as_bytes());
    }
    h.finalize()
}

/// Number formats of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Precision {
    /// Price decimals.
    pub price: u32,
    /// Quantity decimals.
    pub qty: u32,
}

impl Precision {
    fn text(&self, levels: &[(Decimal, Decimal)]) -> Vec<(String, String)> {
        levels
            .iter()
            .map(|(p, q)| (fixed(*p, self.price), fixed(*q, self.qty)))
            .collect()
    }
}

/// One book message's payload (before the channel envelope).
#[derive(Debug, Clone, PartialEq)]
pub struct BookMsg {
    /// Snapshot or update.
    pub snapshot: bool,
    /// Bid levels (text).
    pub bids: Vec<(String, String)>,
    /// Ask levels (text).
    pub asks: Vec<(String, String)>,
    /// Checksum of the view after this message.
    pub checksum: u32,
}

impl BookMsg {
    /// The full frame `{"channel":"book","type":…,"data":[{…}]}`.
    pub fn render(&self, symbol: &str, timestamp: &str) -> String {
        let lv = |v: &[(String, String)]| {
            array(
                v.iter()
                    .map(|(p, q)| Obj::new().num("price", p).num("qty", q).finish()),
            )
        };
        let data = Obj::new()
            .str("symbol", symbol)
            .raw("bids", &lv(&self.bids))
            .raw("asks", &lv(&self.asks))
            .int("checksum", self.checksum)
            .str("timestamp", timestamp)
            .finish();
        Obj::new()
            .str("channel", "book")
            .str("type", if self.snapshot { "snapshot" } else { "update" })
            .raw("data", &format!("[{data}]"))
            .finish()
    }
}

/// The published view of one pair at one depth.
#[derive(Debug, Clone)]
pub struct BookFeed {
    depth: usize,
    prec: Precision,
    bids: BTreeMap<Decimal, Decimal>,
    asks: BTreeMap<Decimal, Decimal>,
    /// Messages published so far (a subscriber skips those up to its snapshot's number).
    pub seq: u64,
}

impl BookFeed {
    /// A feed at `depth` whose view is `truth` (best first, at least `depth` levels if present).
    pub fn new(depth: usize, prec: Precision, truth: &Sides) -> Self {
        let mut f = BookFeed {
            depth,
            prec,
            bids: BTreeMap::new(),
            asks: BTreeMap::new(),
            seq: 0,
        };
        f.bids = truth.0.iter().take(depth).copied().collect();
        f.asks = truth.1.iter().take(depth).copied().collect();
        f
    }

    /// Depth.
    pub fn depth(&self) -> usize {
        self.depth
    }

    fn best_first(&self) -> Sides {
        (
            self.bids.iter().rev().map(|(p, q)| (*p, *q)).collect(),
            self.asks.iter().map(|(p, q)| (*p, *q)).collect(),
        )
    }

    /// The checksum of the current view.
    pub fn checksum(&self) -> u32 {
        let (b, a) = self.best_first();
        checksum(
            &self.prec.text(&b[..b.len().min(10)]),
            &self.prec.text(&a[..a.len().min(10)]),
        )
    }

    /// A snapshot of the current view.
    pub fn snapshot(&self) -> BookMsg {
        let (b, a) = self.best_first();
        BookMsg {
            snapshot: true,
            bids: self.prec.text(&b),
            asks: self.prec.text(&a),
            checksum: self.checksum(),
        }
    }

    /// Moves the view to `truth` (best first); the update, or None when the view is unchanged.
    pub fn update(&mut self, truth: &Sides) -> Option<BookMsg> {
        let bids = side_delta(&mut self.bids, &truth.0, self.depth, true);
        let asks = side_delta(&mut self.asks, &truth.1, self.depth, false);
        if bids.is_empty() && asks.is_empty() {
            return None;
        }
        self.seq += 1;
        Some(BookMsg {
            snapshot: false,
            bids: self.prec.text(&bids),
            asks: self.prec.text(&asks),
            checksum: self.checksum(),
        })
    }
}

/// Changes one side of the view to the top `depth` of `truth` (best first); returns the levels
/// to send. Walks both sides in price order, so an unchanged view costs no allocation.
fn side_delta(
    view: &mut BTreeMap<Decimal, Decimal>,
    truth: &[(Decimal, Decimal)],
    depth: usize,
    bids: bool,
) -> Vec<(Decimal, Decimal)> {
    let truth = &truth[..truth.len().min(depth)];
    let worst = if truth.len() >= depth {
        truth.last().map(|l| l.0)
    } else {
        None
    };
    let better = |a: Decimal, b: Decimal| if bids { a > b } else { a < b };
    let mut out = Vec::new();
    let mut removed = Vec::new();
    {
        let mut view_iter: Box<dyn Iterator<Item = (&Decimal, &Decimal)>> = if bids {
            Box::new(view.iter().rev())
        } else {
            Box::new(view.iter())
        };
        let mut cur = view_iter.next();
        let mut t = 0;
        loop {
            match (cur, truth.get(t)) {
                (None, None) => break,
                (Some((vp, vq)), Some(&(tp, tq))) if *vp == tp => {
                    if *vq != tq {
                        out.push((tp, tq));
                    }
                    cur = view_iter.next();
                    t += 1;
                }
                (Some((vp, _)), Some(&(tp, _))) if better(*vp, tp) => {
                    removed.push(*vp);
                    cur = view_iter.next();
                }
                (Some((vp, _)), None) => {
                    removed.push(*vp);
                    cur = view_iter.next();
                }
                (_, Some(&(tp, tq))) => {
                    out.push((tp, tq));
                    t += 1;
                }
            }
        }
    }
    for p in removed {
        view.remove(&p);
        // A level pushed below the depth by better ones is left to the client's truncation.
        if !worst.is_some_and(|w| better(w, p)) {
            out.push((p, Decimal::ZERO));
        }
    }
    for (p, q) in &out {
        if !q.is_zero() {
            view.insert(*p, *q);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn doc_example_tokens() {
        assert_eq!(token("45285.2") + &token("0.00100000"), "452852100000");
    }

    #[test]
    fn truncation_left_to_client() {
        let prec = Precision { price: 1, qty: 8 };
        let truth: Sides = (
            vec![(d("9"), d("1")), (d("8"), d("1"))],
            vec![(d("10"), d("1")), (d("11"), d("1"))],
        );
        let mut f = BookFeed::new(2, prec, &truth);
        // A better ask pushes 11 out: only the new level is sent.
        let t2: Sides = (
            truth.0.clone(),
            vec![(d("9.5"), d("2")), (d("10"), d("1")), (d("11"), d("1"))],
        );
        let m = f.update(&t2).unwrap();
        assert_eq!(m.asks, vec![("9.5".into(), "2.00000000".into())]);
        // Removing 9.5 deletes it and brings 11 back.
        let m = f.update(&truth).unwrap();
        assert_eq!(m.asks.len(), 2);
        assert!(f.update(&truth).is_none());
    }
}
