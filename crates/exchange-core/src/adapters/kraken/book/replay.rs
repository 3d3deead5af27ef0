//! Offline replay of a recorded v2 `book` stream, for `xctl replay book --venue kraken`.
//!
//! Input: the lines of a capture, one frame per line (JSON Lines), the book snapshot frame first;
//! blank lines and frames of other channels (status, heartbeat, acks) are counted as ignored.
//! The first book entry names the symbol; entries for other symbols are ignored. Every
//! message goes through [`KrakenBook`], so every checksum is verified; after a mismatch the
//! book waits for the next snapshot in the capture, as the live driver would after resubscribing.

use serde::Serialize;

use super::{BookCounters, KrakenBook};
use crate::ExchangeError;
use crate::adapters::kraken::VENUE;
use crate::adapters::kraken::parse::from_json;
use crate::adapters::kraken::parse::ws_book::BookFrame;
use crate::adapters::kraken::parse::ws_frames::FrameHeader;
use crate::adapters::kraken::symbols::symbol_from_wsname;

/// Level counts per side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LevelCounts {
    /// Bid levels held.
    pub bids: usize,
    /// Ask levels held.
    pub asks: usize,
}

/// What a replay ended with (the Binance report's fields plus `checksum_failures`):
///
/// ```json
/// {"venue":"kraken","symbol":"ETH/USD","unified_symbol":"ETH/USD","depth":10,"state":"live",
///  "applied":2,"dropped":0,"checksum_failures":0,"snapshots":1,"ignored":1,
///  "bids":[["1797.24","0.43393711"]],"asks":[["1797.25","1.40355852"]],
///  "levels":{"bids":10,"asks":10}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplayReport {
    /// `kraken`.
    pub venue: String,
    /// The v2 symbol as in the capture.
    pub symbol: String,
    /// The unified symbol.
    pub unified_symbol: String,
    /// The subscribed depth replayed.
    pub depth: usize,
    /// `live` or `stale`.
    pub state: &'static str,
    /// Book messages applied.
    pub applied: u64,
    /// Updates dropped while no proven snapshot was held.
    pub dropped: u64,
    /// Messages whose checksum did not match.
    pub checksum_failures: u64,
    /// Snapshots applied.
    pub snapshots: u64,
    /// Lines that were not book data for the symbol.
    pub ignored: u64,
    /// Best bids, `[price, qty]` text as received.
    pub bids: Vec<[String; 2]>,
    /// Best asks, `[price, qty]` text as received.
    pub asks: Vec<[String; 2]>,
    /// Levels held per side.
    pub levels: LevelCounts,
}

/// Replays `lines` at `depth`, reporting the best `top` levels per side.
///
/// Errors: a depth Kraken does not offer ([`ExchangeError::Config`]), a line that is not JSON
/// or a book frame that does not parse ([`ExchangeError::InvalidResponse`], naming the line), or
/// a capture without any book frame.
pub fn replay<'a>(
    depth: usize,
    top: usize,
    lines: impl IntoIterator<Item = &'a str>,
) -> crate::Result<ReplayReport> {
    let mut book: Option<(String, KrakenBook)> = None;
    let mut ignored = 0_u64;
    for (index, line) in lines.into_iter().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            ignored += 1;
            continue;
        }
        let at =
            |e: ExchangeError| ExchangeError::InvalidResponse(format!("line {}: {e}", index + 1));
        let header = FrameHeader::parse(line).map_err(at)?;
        if header.channel.as_deref() != Some("book") {
            ignored += 1;
            continue;
        }
        let frame: BookFrame = from_json("book frame", line).map_err(at)?;
        for message in frame.into_messages() {
            if book.is_none() {
                let symbol = symbol_from_wsname(&message.data.symbol)
                    .map_err(|e| at(ExchangeError::InvalidResponse(format!("symbol: {e}"))))?;
                book = Some((message.data.symbol.clone(), KrakenBook::new(symbol, depth)?));
            }
            let Some((name, book)) = book.as_mut() else {
                continue;
            };
            if *name != message.data.symbol {
                ignored += 1;
                continue;
            }
            // Publishing and resubscribing are the live driver's job (a capture brings its
            // own snapshots); the counters and the book are what the report needs.
            book.on_message(&message, 0);
        }
    }
    let (name, book) = book
        .ok_or_else(|| ExchangeError::InvalidResponse("the capture holds no book frame".into()))?;
    let (bids, asks) = book.top_text(top);
    let (bid_levels, ask_levels) = book.level_counts();
    let BookCounters {
        applied,
        dropped,
        checksum_failures,
        snapshots,
        ..
    } = book.counters();
    Ok(ReplayReport {
        venue: VENUE.to_owned(),
        symbol: name,
        unified_symbol: book.symbol().to_string(),
        depth,
        state: book.state().as_live_or_stale(),
        applied,
        dropped,
        checksum_failures,
        snapshots,
        ignored,
        bids,
        asks,
        levels: LevelCounts {
            bids: bid_levels,
            asks: ask_levels,
        },
    })
}
