//! Synthetic Binance spot market frames, in the real wire format of the combined streams, and
//! the book they describe (for the REST depth snapshot the adapter syncs from).
//!
//! Each step of one symbol makes one `<s>@trade` frame and one `<s>@depth@100ms` frame that
//! changes one bid and one ask level (a new quantity, or `0` to delete). Update ids are
//! consecutive per symbol (`U == u`), trade ids too. Prices stay in a fixed band of ticks so
//! the book stays under 1,000 levels a side. Randomness is a fixed-seed xorshift: every run
//! sends the same frames.
//!
//! ```json
//! {"stream":"btcusdt@trade","data":{"e":"trade","E":1700000000000,"s":"BTCUSDT","t":17,
//!  "p":"100.05","q":"0.01234","T":1700000000000,"m":true,"M":true}}
//! {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000000,"s":"BTCUSDT",
//!  "U":42,"u":42,"b":[["99.87","0.52000"]],"a":[["100.31","0"]]}}
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Ticks (0.01) of the best possible bid; asks start one tick above.
const MID: u64 = 10_000;
/// Levels a side the band allows.
const BAND: u64 = 900;

/// One symbol's generator state and true book.
#[derive(Debug)]
pub struct SymbolFeed {
    /// The venue id (`BTCUSDT`).
    pub venue_id: String,
    stream: String,
    /// Bids and asks: price in ticks → quantity in 1e-5 units.
    bids: BTreeMap<u64, u64>,
    asks: BTreeMap<u64, u64>,
    /// The last update id generated (what a snapshot taken now reflects).
    pub last_update_id: u64,
    trade_id: u64,
}

/// Every symbol's feed and the random source.
#[derive(Debug)]
pub struct Generator {
    /// Feeds, by position.
    pub feeds: Vec<SymbolFeed>,
    rng: u64,
}

fn price(ticks: u64) -> String {
    format!("{}.{:02}", ticks / 100, ticks % 100)
}

fn qty(units: u64) -> String {
    format!("{}.{:05}", units / 100_000, units % 100_000)
}

impl Generator {
    /// Feeds of `venue_ids`, each with a book of 200 levels a side.
    pub fn new(venue_ids: &[String]) -> Self {
        let mut g = Generator {
            feeds: Vec::new(),
            rng: 0x9E37_79B9_7F4A_7C15,
        };
        for id in venue_ids {
            let mut feed = SymbolFeed {
                stream: id.to_lowercase(),
                venue_id: id.clone(),
                bids: BTreeMap::new(),
                asks: BTreeMap::new(),
                last_update_id: 1_000,
                trade_id: 0,
            };
            for i in 0..200 {
                let q = 1 + g.next() % 100_000;
                feed.bids.insert(MID - i * 2, q);
                feed.asks.insert(MID + 1 + i * 2, q);
            }
            g.feeds.push(feed);
        }
        g
    }

    fn next(&mut self) -> u64 {
        // xorshift64*
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// One step of feed `i` at `now_ms`: its trade frame and its depth frame.
    pub fn step(&mut self, i: usize, now_ms: i64) -> Option<(String, String)> {
        let (r1, r2, r3, r4) = (self.next(), self.next(), self.next(), self.next());
        let feed = self.feeds.get_mut(i)?;
        let bid = MID - r1 % BAND;
        let ask = MID + 1 + r2 % BAND;
        // One in four changes deletes the level.
        let bid_q = if r3 % 4 == 0 { 0 } else { 1 + r3 % 100_000 };
        let ask_q = if r4 % 4 == 0 { 0 } else { 1 + r4 % 100_000 };
        set(&mut feed.bids, bid, bid_q);
        set(&mut feed.asks, ask, ask_q);
        feed.last_update_id += 1;
        feed.trade_id += 1;
        let (s, id) = (&feed.stream, &feed.venue_id);
        let mut trade = String::with_capacity(192);
        let _ = write!(
            trade,
            r#"{{"stream":"{s}@trade","data":{{"e":"trade","E":{now_ms},"s":"{id}","t":{},"p":"{}","q":"{}","T":{now_ms},"m":{},"M":true}}}}"#,
            feed.trade_id,
            price(MID - r1 % 7),
            qty(1 + r2 % 50_000),
            r3 % 2 == 0,
        );
        let u = feed.last_update_id;
        let mut depth = String::with_capacity(192);
        let _ = write!(
            depth,
            r#"{{"stream":"{s}@depth@100ms","data":{{"e":"depthUpdate","E":{now_ms},"s":"{id}","U":{u},"u":{u},"b":[["{}","{}"]],"a":[["{}","{}"]]}}}}"#,
            price(bid),
            qty(bid_q),
            price(ask),
            qty(ask_q),
        );
        Some((trade, depth))
    }

    /// The REST depth snapshot of `venue_id` now, `limit` levels a side, as
    /// `GET /api/v3/depth` answers it.
    pub fn snapshot(&self, venue_id: &str, limit: usize) -> Option<String> {
        let feed = self.feeds.iter().find(|f| f.venue_id == venue_id)?;
        let side = |levels: Vec<(&u64, &u64)>| {
            let parts: Vec<String> = levels
                .into_iter()
                .take(limit)
                .map(|(p, q)| format!(r#"["{}","{}"]"#, price(*p), qty(*q)))
                .collect();
            parts.join(",")
        };
        Some(format!(
            r#"{{"lastUpdateId":{},"bids":[{}],"asks":[{}]}}"#,
            feed.last_update_id,
            side(feed.bids.iter().rev().collect()),
            side(feed.asks.iter().collect()),
        ))
    }
}

fn set(side: &mut BTreeMap<u64, u64>, price: u64, q: u64) {
    if q == 0 {
        side.remove(&price);
    } else {
        side.insert(price, q);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_parse_as_the_adapter_reads_them_and_ids_are_consecutive() {
        let mut g = Generator::new(&["BTCUSDT".to_owned()]);
        g.step(0, 1).unwrap();
        let (trade, depth) = g.step(0, 2).unwrap();
        assert!(g.step(1, 2).is_none());
        let t: serde_json::Value = serde_json::from_str(&trade).unwrap();
        assert_eq!(t["stream"], "btcusdt@trade");
        assert_eq!(t["data"]["t"], 2);
        let d: serde_json::Value = serde_json::from_str(&depth).unwrap();
        assert_eq!(d["data"]["U"], 1002);
        assert_eq!(d["data"]["u"], 1002);
        let snap: serde_json::Value =
            serde_json::from_str(&g.snapshot("BTCUSDT", 5).unwrap()).unwrap();
        assert_eq!(snap["lastUpdateId"], 1002);
        assert_eq!(snap["bids"].as_array().unwrap().len(), 5);
        assert!(g.snapshot("ETHUSDT", 5).is_none());
    }
}
