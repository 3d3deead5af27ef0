//! `xctl replay book --venue coinbase --updates FILE`: a recorded WebSocket capture (one frame
//! per line: `l2_data` snapshots and updates, possibly with acks, heartbeats and other channels
//! in between) through [`Level2Feed`], offline.
//!
//! Every frame's `sequence_num` is checked, whatever its channel, exactly as live: a gap makes
//! the books stale; a later snapshot in the capture (the answer to a resubscribe) makes them live
//! again. The report is of one product: the one asked for, else the first with a snapshot.

use std::fmt::Write as _;

use serde::Serialize;

use super::feed::Level2Feed;
use crate::ExchangeError;
use crate::adapters::coinbase::VENUE;
use crate::adapters::coinbase::parse::ws::{WsMessage, parse_message};
use crate::model::Level;

/// Level counts per side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LevelCounts {
    /// Bid levels.
    pub bids: usize,
    /// Ask levels.
    pub asks: usize,
}

/// What a replay ended with.
///
/// ```json
/// {"venue":"coinbase","symbol":"BTC-PERP-INTX","unified_symbol":"BTC/USDC:USDC",
///  "state":"live","last_sequence_num":0,"applied":1,"dropped":0,"gaps":0,"ignored":0,
///  "bids":[["79943.9","3.0105"]],"asks":[["79944","0.048"]],"levels":{"bids":2,"asks":2}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplayReport {
    /// `coinbase`.
    pub venue: String,
    /// The product id.
    pub symbol: String,
    /// Its unified symbol.
    pub unified_symbol: String,
    /// `live` or `stale`.
    pub state: &'static str,
    /// The `sequence_num` of the last message applied to the book.
    pub last_sequence_num: Option<u64>,
    /// Events applied (snapshots and updates).
    pub applied: u64,
    /// Updates dropped while the book was not proven.
    pub dropped: u64,
    /// Sequence gaps that hit the book.
    pub gaps: u64,
    /// Frames that were not `l2_data` (acks, heartbeats, errors, other channels).
    pub ignored: u64,
    /// Best bids, best first, `[price, qty]` as received.
    pub bids: Vec<[String; 2]>,
    /// Best asks, best first.
    pub asks: Vec<[String; 2]>,
    /// Levels per side of the final book.
    pub levels: LevelCounts,
}

fn texts(levels: Vec<Level>) -> Vec<[String; 2]> {
    levels
        .into_iter()
        .map(|l| [l.price.to_string(), l.qty.to_string()])
        .collect()
}

/// Replays `capture` (one frame per line; blank lines skipped) and reports on `product_id` (or
/// the first product with a snapshot), with the best `top` levels per side.
pub fn replay(capture: &str, product_id: Option<&str>, top: usize) -> crate::Result<ReplayReport> {
    let mut feed = Level2Feed::new();
    let mut ignored = 0u64;
    for (index, line) in capture.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let message = parse_message(line)
            .map_err(|e| ExchangeError::InvalidResponse(format!("line {}: {e}", index + 1)))?;
        match message {
            WsMessage::Error { .. } => ignored += 1,
            WsMessage::Channel(msg) => {
                feed.on_message(&msg, 0).map_err(|e| {
                    ExchangeError::InvalidResponse(format!("line {}: {e}", index + 1))
                })?;
            }
        }
    }
    ignored += feed.other_messages();
    let book = match product_id {
        Some(id) => feed.book(id),
        None => feed.books().next(),
    }
    .ok_or_else(|| {
        ExchangeError::InvalidResponse(match product_id {
            Some(id) => format!("the capture holds no l2_data snapshot of {id}"),
            None => "the capture holds no l2_data snapshot".to_owned(),
        })
    })?;
    let (bids, asks) = book.book().top_n(top);
    let counters = book.counters();
    Ok(ReplayReport {
        venue: VENUE.to_owned(),
        symbol: book.product_id().to_owned(),
        unified_symbol: book.symbol().to_string(),
        state: book.state().as_live_or_stale(),
        last_sequence_num: book.venue_seq(),
        applied: counters.applied,
        dropped: counters.dropped,
        gaps: counters.gaps,
        ignored,
        bids: texts(bids),
        asks: texts(asks),
        levels: LevelCounts {
            bids: book.book().bid_levels(),
            asks: book.book().ask_levels(),
        },
    })
}

impl ReplayReport {
    /// An aligned table for people.
    pub fn to_human(&self) -> String {
        let mut out = String::new();
        let seq = self
            .last_sequence_num
            .map_or_else(|| "-".to_owned(), |s| s.to_string());
        let _ = writeln!(out, "venue           {}", self.venue);
        let _ = writeln!(
            out,
            "symbol          {} ({})",
            self.symbol, self.unified_symbol
        );
        let _ = writeln!(out, "state           {}", self.state);
        let _ = writeln!(out, "sequence_num    {seq}");
        let _ = writeln!(
            out,
            "events          applied {}, dropped {}, gaps {}, ignored {}",
            self.applied, self.dropped, self.gaps, self.ignored
        );
        let _ = writeln!(
            out,
            "levels          {} bids, {} asks",
            self.levels.bids, self.levels.asks
        );
        let _ = writeln!(out);
        for i in 0..self.bids.len().max(self.asks.len()) {
            let (bq, bp) = self
                .bids
                .get(i)
                .map_or(("", ""), |l| (l[1].as_str(), l[0].as_str()));
            let (ap, aq) = self
                .asks
                .get(i)
                .map_or(("", ""), |l| (l[0].as_str(), l[1].as_str()));
            let _ = writeln!(out, "{bq:>16}  {bp:>14} | {ap:<14}  {aq}");
        }
        out
    }
}
