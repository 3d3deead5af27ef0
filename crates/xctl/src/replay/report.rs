//! The result of `xctl replay book`, as JSON and as a table.

use std::fmt::Write as _;

use exchange_core::adapters::binance::BookSync;
use exchange_core::model::Level;
use serde::Serialize;

/// Level counts per side.
#[derive(Debug, Serialize)]
pub struct LevelCounts {
    bids: usize,
    asks: usize,
}

/// What a replay ended with.
///
/// ```json
/// {"venue":"binance","symbol":"LRCBTC","unified_symbol":"LRC/BTC","state":"live",
///  "last_update_id":259345563,"applied":13,"dropped":2,"gaps":0,"ignored":0,
///  "bids":[["0.00000637","2500.00000000"]],"asks":[["0.00000638","2285.00000000"]],
///  "levels":{"bids":176,"asks":1000}}
/// ```
#[derive(Debug, Serialize)]
pub struct BookReport {
    venue: String,
    symbol: String,
    unified_symbol: String,
    state: &'static str,
    last_update_id: Option<u64>,
    applied: u64,
    dropped: u64,
    gaps: u64,
    ignored: u64,
    bids: Vec<[String; 2]>,
    asks: Vec<[String; 2]>,
    levels: LevelCounts,
}

fn texts(levels: Vec<Level>) -> Vec<[String; 2]> {
    levels
        .into_iter()
        .map(|l| [l.price.to_string(), l.qty.to_string()])
        .collect()
}

impl BookReport {
    /// The report of a finished replay, with the best `top` levels per side.
    pub fn new(venue: String, symbol: String, sync: &BookSync, ignored: u64, top: usize) -> Self {
        let book = sync.book();
        let (bids, asks) = book.top_n(top);
        let counters = sync.counters();
        BookReport {
            venue,
            symbol,
            unified_symbol: sync.symbol().to_string(),
            state: sync.state().as_live_or_stale(),
            last_update_id: sync.last_update_id(),
            applied: counters.applied,
            dropped: counters.dropped,
            gaps: counters.gaps,
            ignored,
            bids: texts(bids),
            asks: texts(asks),
            levels: LevelCounts {
                bids: book.bid_levels(),
                asks: book.ask_levels(),
            },
        }
    }

    /// An aligned table for people.
    pub fn to_human(&self) -> String {
        let mut out = String::new();
        let id = self
            .last_update_id
            .map_or_else(|| "-".to_owned(), |id| id.to_string());
        let _ = writeln!(out, "venue           {}", self.venue);
        let _ = writeln!(
            out,
            "symbol          {} ({})",
            self.symbol, self.unified_symbol
        );
        let _ = writeln!(out, "state           {}", self.state);
        let _ = writeln!(out, "last update id  {id}");
        let _ = writeln!(
            out,
            "frames          applied {}, dropped {}, gaps {}, ignored {}",
            self.applied, self.dropped, self.gaps, self.ignored
        );
        let _ = writeln!(
            out,
            "levels          {} bids, {} asks",
            self.levels.bids, self.levels.asks
        );
        let width = |side: &[[String; 2]], i: usize| side.iter().map(|l| l[i].len()).max();
        let qw = width(&self.bids, 1).unwrap_or(0).max(7);
        let pw = width(&self.bids, 0).unwrap_or(0).max(3);
        let aw = width(&self.asks, 0).unwrap_or(0).max(3);
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:>qw$}  {:>pw$} | {:<aw$}  ask qty",
            "bid qty", "bid", "ask"
        );
        for i in 0..self.bids.len().max(self.asks.len()) {
            let (bq, bp) = self
                .bids
                .get(i)
                .map_or(("", ""), |l| (l[1].as_str(), l[0].as_str()));
            let (ap, aq) = self
                .asks
                .get(i)
                .map_or(("", ""), |l| (l[0].as_str(), l[1].as_str()));
            let _ = writeln!(out, "{bq:>qw$}  {bp:>pw$} | {ap:<aw$}  {aq}");
        }
        out
    }
}
